// Live staffing (Erlang C, docs/metrics.md "Staffing"): how many agents a queue or group needs at an
// instant — arrival rate over the last `staffing.arrivalWindowMinutes`, handle time over the last
// `staffing.ahtWindowMinutes`, the queue's answer target and service-level target — and how many are
// available then. One estimator for queries over time, the snapshot and Prometheus.
import { serviceLevelSeconds, serviceLevelTargetPercent, type Sla } from '@floorboard/contract/sla';
import type { Dims } from '../store/dims';
import { INTERVAL_KIND_ID, OPEN_END, SAMPLE_KIND_ID as K } from '../store/facts';
import type { FlowData } from '../store/flow';
import type { IntervalStore } from '../store/intervals';
import { agentsRequired, MAX_TRAFFIC_ERLANGS } from './erlang';
import type { Population } from './population';

/** Whose arrivals, handle times and agents count, and against which targets. */
export interface StaffingScope {
  /** Queue names (a group's members); empty: every queue. */
  queues: string[];
  /** Answer target T, seconds. */
  thresholdSeconds: number;
  /** Service-level target, percent. */
  targetPercent: number;
}

/** What the windows before an instant hold. */
export interface StaffingWindow {
  arrivals: number;
  arrivalWindowSeconds: number;
  /** Tasks completed (with a handle time) in the AHT window, and the sum of their handle times. */
  handled: number;
  handleSeconds: number;
}

/**
 * Agents required by Erlang C for the windows before an instant: 0 when nothing arrived; null when
 * tasks arrive but no handle time is known yet (no task completed in the AHT window).
 */
export function requiredAgents(w: StaffingWindow, thresholdSeconds: number, targetPercent: number): number | null {
  if (w.arrivals === 0) return 0;
  if (w.handled === 0 || w.handleSeconds <= 0) return null;
  const aht = w.handleSeconds / w.handled;
  const traffic = (w.arrivals / w.arrivalWindowSeconds) * aht;
  // Beyond any contact center: no estimate rather than an error.
  if (traffic > MAX_TRAFFIC_ERLANGS) return null;
  return agentsRequired(traffic, aht, targetPercent, thresholdSeconds);
}

export interface StaffingPoint {
  at: number;
  required: number | null;
  available: number;
}

export class StaffingEstimator {
  constructor(
    private readonly sla: Sla,
    private readonly dims: Dims,
    private readonly population: Population,
    private readonly flow: FlowData,
    private readonly intervals: IntervalStore,
  ) {}

  /** The scope of a queue or group name, or (null) of every queue, with its targets from the SLA file. */
  scopeOf(name: string | null): StaffingScope {
    return {
      queues: name === null ? [] : this.population.queuesOf(name),
      thresholdSeconds: serviceLevelSeconds(this.sla, name),
      targetPercent: serviceLevelTargetPercent(this.sla, name),
    };
  }

  /** Scope of several names filtered together: their queues, and the targets of the one name or the top level. */
  scopeOfNames(names: readonly string[]): StaffingScope {
    if (names.length === 1) return this.scopeOf(names[0]!);
    return { ...this.scopeOf(null), queues: [...new Set(names.flatMap((n) => this.population.queuesOf(n)))] };
  }

  /** Required and available agents at each instant (ascending). */
  at(scope: StaffingScope, instants: readonly number[], names: readonly string[]): StaffingPoint[] {
    if (instants.length === 0) return [];
    const arrivalMs = this.sla.staffing.arrivalWindowMinutes * 60_000;
    const ahtMs = this.sla.staffing.ahtWindowMinutes * 60_000;
    const first = instants[0]!;
    const last = instants[instants.length - 1]!;
    const queueIds = scope.queues.length ? scope.queues.map((q) => this.dims.find('queue', q) ?? -1) : undefined;
    const samples = this.flow.samplesIn([K.entered, K.handle_time], first - Math.max(arrivalMs, ahtMs), last, queueIds);
    const entered = samples.filter((s) => s.kind === K.entered).map((s) => s.ms);
    const handled = samples.filter((s) => s.kind === K.handle_time);
    // Prefix sums of handle time, so each window's total is a difference.
    const handledPrefix = [0];
    for (const h of handled) handledPrefix.push(handledPrefix[handledPrefix.length - 1]! + h.value);
    const available = this.availableAt(instants, names);
    const countBefore = (times: readonly number[], t: number) => lowerBound(times, t);
    const handledTimes = handled.map((h) => h.ms);
    return instants.map((t, i) => {
      const arrivals = countBefore(entered, t) - countBefore(entered, t - arrivalMs);
      const hFrom = countBefore(handledTimes, t - ahtMs);
      const hTo = countBefore(handledTimes, t);
      const required = requiredAgents(
        {
          arrivals,
          arrivalWindowSeconds: arrivalMs / 1000,
          handled: hTo - hFrom,
          handleSeconds: handledPrefix[hTo]! - handledPrefix[hFrom]!,
        },
        scope.thresholdSeconds,
        scope.targetPercent,
      );
      return { at: t, required, available: available[i]! };
    });
  }

  /**
   * Agents required at one instant for several queues or groups (null: the whole floor), from one
   * read of the windows' samples: what the snapshot and Prometheus show.
   */
  requiredNow(names: readonly (string | null)[], now: number): Map<string | null, number | null> {
    const arrivalMs = this.sla.staffing.arrivalWindowMinutes * 60_000;
    const ahtMs = this.sla.staffing.ahtWindowMinutes * 60_000;
    const rows = this.flow.samplesIn([K.entered, K.handle_time], now - Math.max(arrivalMs, ahtMs), now);
    const out = new Map<string | null, number | null>();
    for (const name of names) {
      const scope = this.scopeOf(name);
      const ids = scope.queues.length ? new Set(scope.queues.map((q) => this.dims.find('queue', q) ?? -1)) : null;
      const w: StaffingWindow = { arrivals: 0, arrivalWindowSeconds: arrivalMs / 1000, handled: 0, handleSeconds: 0 };
      for (const r of rows) {
        if (ids && !ids.has(r.queue)) continue;
        if (r.kind === K.entered && r.ms >= now - arrivalMs) w.arrivals++;
        else if (r.kind === K.handle_time && r.ms >= now - ahtMs) {
          w.handled++;
          w.handleSeconds += r.value;
        }
      }
      out.set(name, requiredAgents(w, scope.thresholdSeconds, scope.targetPercent));
    }
    return out;
  }

  /** Agents in an available activity at each instant; with names, only agents serving one of them (each once). */
  private availableAt(instants: readonly number[], names: readonly string[]): number[] {
    const classify = this.population.activityClasses();
    const membership = names.length ? this.population.membership() : null;
    const wanted = new Set(names);
    const first = instants[0]!;
    const last = instants[instants.length - 1]!;
    const starts: number[] = [];
    const ends: number[] = [];
    for (const r of this.intervals.overlapping(INTERVAL_KIND_ID.agent, first, last + 1)) {
      if (!classify(this.dims.name(r.label)).available) continue;
      if (membership && !(membership.get(r.worker) ?? []).some((q) => wanted.has(q))) continue;
      starts.push(r.start_ms);
      ends.push(r.end_ms === OPEN_END ? Infinity : r.end_ms);
    }
    starts.sort((a, b) => a - b);
    ends.sort((a, b) => a - b);
    // Open at t: started at or before t, not yet ended at t.
    return instants.map((t) => lowerBound(starts, t + 1) - lowerBound(ends, t + 1));
  }
}

/** Number of sorted values below `x`. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
