// The real-time snapshot: per queue and in total, customers waiting and the longest wait now,
// tasks in progress, agents logged in / available / per activity, and today's handled, abandoned,
// service level and waiting time (today = since local midnight) — each with its SLA colour.
import { breachLevel, type Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import type { Dims } from '../store/dims';
import { IntervalStore, type StoredInterval } from '../store/intervals';
import { FloorStore } from '../store/floor';
import type { QueueSnapshot, Snapshot, SnapshotMetric, SnapshotValue } from '@floorboard/contract';
import { SNAPSHOT_METRICS } from '@floorboard/contract';
import { timeAxis } from '../metrics/axis';
import { INTERVAL_KIND_ID, OPEN_END, SAMPLE_KIND_ID as K } from '../store/facts';
import { FlowData, type Agg } from '../store/flow';
import { meanSeconds, OUTCOME_KINDS, round1, serviceLevelOfQueues } from '../metrics/formulas';
import type { Population } from '../metrics/population';
import { StaffingEstimator } from '../metrics/staffing';
import { Zone } from '../metrics/time';

interface Tally {
  waiting: number;
  oldestOrigin: number | null;
  inProgress: number;
  agentsLoggedIn: number;
  agentsAvailable: number;
  byActivity: Map<string, number>;
  /** Today's sample aggregates per queue name (each queue keeps its own service-level rule). */
  today: Map<string | null, Map<number, Agg>>;
}

export class SnapshotService {
  private readonly intervals: IntervalStore;
  private readonly flow: FlowData;
  private readonly zone: Zone;
  private readonly floor: FloorStore;
  private readonly staffing: StaffingEstimator;

  constructor(
    db: Db,
    private readonly dims: Dims,
    private readonly population: Population,
    private readonly sla: Sla,
    timezone: string,
    /** Epoch ms of the newest stored event (0 when none): `EventLog.counts().lastEventMs`. */
    private readonly lastEventMs: () => number = () => 0,
  ) {
    this.flow = new FlowData(db);
    this.zone = new Zone(timezone);
    this.intervals = new IntervalStore(db);
    this.floor = new FloorStore(db);
    this.staffing = new StaffingEstimator(sla, dims, population, this.flow, this.intervals);
  }

  /** Computes the snapshot at `now`; `seq` is stamped by the caller (the live hub). */
  compute(now = Date.now(), seq = 0): Snapshot {
    return this.build(now, seq, (kind) => this.intervals.endingAt(kind, OPEN_END), this.lastEventMs());
  }

  /**
   * The floor as it stood at the past instant `at`: what `compute(at)` would have answered then —
   * the intervals open at `at` (not the ones open now) and the newest event at or before it.
   */
  computeAt(at: number): Snapshot {
    return this.build(at, 0, (kind) => this.intervals.openAt(kind, at), this.floor.lastEventAtOrBefore(at));
  }

  /** Epoch ms of the oldest event the log still holds (null when empty): no floor can be told before it. */
  firstEventMs(): number | null {
    return this.floor.firstEventMs();
  }

  private build(now: number, seq: number, open: (kind: number) => StoredInterval[], lastEventMs: number): Snapshot {
    const dayStart = this.zone.startOfDay(now);
    const queues = this.population.queueList().map((q) => q.name);
    const groups = Object.entries(this.sla.groups);
    const tallies = new Map<string | null, Tally>([
      [null, blank()],
      ...[...queues, ...groups.map(([g]) => g)].map((q) => [q, blank()] as const),
    ]);
    const named = (name: string | null) => {
      let t = tallies.get(name);
      if (!t) tallies.set(name, (t = blank()));
      return t;
    };
    const total = tallies.get(null)!;
    /** The total, the queue's own tally and those of the groups holding it. */
    const talliesOf = (queueId: number) => {
      const name = this.dims.name(queueId);
      if (name === null) return [total];
      return [total, named(name), ...groups.filter(([, members]) => members.includes(name)).map(([g]) => named(g))];
    };

    for (const r of open(INTERVAL_KIND_ID.waiting)) {
      for (const t of talliesOf(r.queue)) {
        t.waiting++;
        t.oldestOrigin = t.oldestOrigin === null ? r.origin : Math.min(t.oldestOrigin, r.origin);
      }
    }
    for (const r of open(INTERVAL_KIND_ID.in_progress)) for (const t of talliesOf(r.queue)) t.inProgress++;
    const classify = this.population.activityClasses();
    const membership = this.population.membership();
    for (const r of open(INTERVAL_KIND_ID.agent)) {
      const activity = this.dims.name(r.label);
      const cls = classify(activity);
      if (cls.offline) continue;
      // Membership lists the worker's queues and groups: each counts the agent once.
      const inQueues = (membership.get(r.worker) ?? []).map(named);
      for (const t of [total, ...inQueues]) {
        t.agentsLoggedIn++;
        if (cls.available) t.agentsAvailable++;
        if (activity) t.byActivity.set(activity, (t.byActivity.get(activity) ?? 0) + 1);
      }
    }

    const axis = timeAxis('none', undefined, dayStart, now + 1, this.zone);
    const today = this.flow.read({ kinds: [...OUTCOME_KINDS], from: dayStart, to: now + 1, axis, dims: ['queue'], filter: {} });
    for (const [key, cell] of today) {
      const queueId = Number(key.split('|')[1]);
      const queue = this.dims.name(queueId);
      for (const t of talliesOf(queueId)) t.today.set(queue, cell);
    }

    const requiredNow = this.staffing.requiredNow([...tallies.keys()], now);
    const entry = (queue: string | null, t: Tally): QueueSnapshot => {
      const sum = (k: number, f: 'n' | 'sumMs') => [...t.today.values()].reduce((s, cell) => s + (cell.get(k)?.[f] ?? 0), 0);
      const n = (k: number) => sum(k, 'n');
      const sl = serviceLevelOfQueues(this.sla, t.today);
      const wait = meanSeconds(sum(K.handled, 'sumMs') + sum(K.abandoned, 'sumMs'), n(K.handled) + n(K.abandoned));
      const required = requiredNow.get(queue) ?? null;
      const raw: Record<SnapshotMetric, number | null> = {
        tasks_waiting: t.waiting,
        longest_wait: t.oldestOrigin === null ? 0 : Math.max(0, Math.round((now - t.oldestOrigin) / 1000)),
        tasks_in_progress: t.inProgress,
        agents_available: t.agentsAvailable,
        agents_logged_in: t.agentsLoggedIn,
        tasks_handled: n(K.handled),
        tasks_abandoned: n(K.abandoned),
        service_level: sl === null ? null : round1(sl),
        avg_wait: wait === null ? null : round1(wait),
        agents_required: required,
        staffing_gap: required === null ? null : required - t.agentsAvailable,
      };
      const values = Object.fromEntries(
        SNAPSHOT_METRICS.map((m) => [m, { value: raw[m], breach: breachLevel(this.sla, m, queue, raw[m]) } satisfies SnapshotValue]),
      ) as Record<SnapshotMetric, SnapshotValue>;
      const queueSid = queue === null ? null : (this.population.queueList().find((q) => q.name === queue)?.sid ?? null);
      const group = queue !== null && queue in this.sla.groups;
      return {
        queue,
        queueSid,
        ...(group ? { group } : {}),
        values,
        agentsByActivity: Object.fromEntries([...t.byActivity].sort(([a], [b]) => a.localeCompare(b))),
      };
    };
    return {
      seq,
      at: new Date(now).toISOString(),
      timezone: this.zone.tz,
      dayStart: new Date(dayStart).toISOString(),
      lastEventAt: lastEventAt(lastEventMs),
      total: entry(null, total),
      queues: [...tallies]
        .filter(([q]) => q !== null)
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([q, t]) => entry(q, t)),
    };
  }
}

const lastEventAt = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);

function blank(): Tally {
  return { waiting: 0, oldestOrigin: null, inProgress: 0, agentsLoggedIn: 0, agentsAvailable: 0, byActivity: new Map(), today: new Map() };
}
