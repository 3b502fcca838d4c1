// The contact center's ratios, defined once: queries, the snapshot, Prometheus and annotations all
// compute service level, abandon rate, occupancy and average waits with these functions.
import { serviceLevelAbandons, type ServiceLevelAbandons, type Sla } from '@floorboard/contract/sla';
import { SAMPLE_KIND_ID as K } from '../store/facts';
import type { Agg } from '../store/flow';

/** num ÷ den × 100; null when there is nothing to divide by. */
export function percent(num: number, den: number): number | null {
  return den > 0 ? (num / den) * 100 : null;
}

/** Task counts that service level and abandon rate are computed from. */
export interface OutcomeCounts {
  handled: number;
  /** Handled with a wait within the queue's service-level threshold. */
  handledInSl: number;
  abandoned: number;
  /** Abandoned before the short-abandon limit (left out of service level). */
  abandonedShort: number;
  /** Abandoned within the threshold and not short (met under `met_within_threshold`). */
  abandonedInSl: number;
}

/** The sample kinds `outcomeCounts` reads: every reader of service level asks the store for these. */
export const OUTCOME_KINDS: readonly number[] = [K.handled, K.handled_in_sl, K.abandoned, K.abandoned_short, K.abandoned_in_sl];

/** A cell of sample aggregates (by kind id) as outcome counts. */
export function outcomeCounts(cell: ReadonlyMap<number, Agg> | undefined): OutcomeCounts {
  const n = (k: number) => cell?.get(k)?.n ?? 0;
  return {
    handled: n(K.handled),
    handledInSl: n(K.handled_in_sl),
    abandoned: n(K.abandoned),
    abandonedShort: n(K.abandoned_short),
    abandonedInSl: n(K.abandoned_in_sl),
  };
}

/** One queue's outcomes and the rule its SLA entry gives abandoned tasks. */
export interface QueueOutcomes {
  counts: OutcomeCounts;
  rule: ServiceLevelAbandons;
}

/** Numerator (met) and denominator (counted) of one queue's service level by its rule (SERVICE_LEVEL_FORMULA). */
export function serviceLevelTerms(c: OutcomeCounts, rule: ServiceLevelAbandons): { met: number; counted: number } {
  if (rule === 'excluded') return { met: c.handledInSl, counted: c.handled };
  const counted = c.handled + c.abandoned - c.abandonedShort;
  return { met: rule === 'met_within_threshold' ? c.handledInSl + c.abandonedInSl : c.handledInSl, counted };
}

/**
 * Service level × 100 of one or several queues: each queue's numerator and denominator by its own
 * rule, summed (docs/metrics.md `service_level`); null when nothing counts.
 */
export function serviceLevel(parts: readonly QueueOutcomes[]): number | null {
  let met = 0;
  let counted = 0;
  for (const p of parts) {
    const t = serviceLevelTerms(p.counts, p.rule);
    met += t.met;
    counted += t.counted;
  }
  return percent(met, counted);
}

/** Service level of cells keyed by queue name, each queue by the SLA file's rule for it. */
export function serviceLevelOfQueues(
  sla: Sla,
  cells: Iterable<readonly [string | null, ReadonlyMap<number, Agg> | undefined]>,
): number | null {
  return serviceLevel([...cells].map(([queue, cell]) => ({ counts: outcomeCounts(cell), rule: serviceLevelAbandons(sla, queue) })));
}

/** Abandoned ÷ (handled + abandoned) × 100. */
export function abandonRate(c: Pick<OutcomeCounts, 'handled' | 'abandoned'>): number | null {
  return percent(c.abandoned, c.handled + c.abandoned);
}

/** Time with an accepted task ÷ time logged in × 100, at most 100. */
export function occupancy(busyMs: number, loggedInMs: number): number | null {
  const p = percent(busyMs, loggedInMs);
  return p === null ? null : Math.min(100, p);
}

/** Mean of durations summed in milliseconds, in seconds; null without samples. */
export function meanSeconds(sumMs: number, count: number): number | null {
  return count > 0 ? sumMs / 1000 / count : null;
}

/** One decimal, as the snapshot and the wallboard show numbers. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
