// Ground truth of a simulation: what really happened, counted with the METRICS.md definitions per
// queue (the queue on the event) and in total, for checking the collector's answers.

/** Service-level threshold T in seconds for a queue (METRICS.md `service_level`; SLA file `serviceLevelSeconds`). */
export type ServiceLevelSeconds = (queue: string) => number;

export interface TallyCounts {
  /** `task.created`. */
  tasksCreated: number;
  /** `task-queue.entered`. */
  tasksEntered: number;
  /** `task-queue.moved` (counted on the queue the task left). */
  tasksMoved: number;
  /** `task-queue.timeout`. */
  tasksTimedOut: number;
  /** First `reservation.accepted` of each task. */
  tasksHandled: number;
  /** Handled with integer `TaskAge` at acceptance ≤ the queue's service-level threshold. */
  tasksHandledWithinSl: number;
  /** `task.canceled` of a task never accepted. */
  tasksAbandoned: number;
  /** Abandoned with `TaskAge` below the tally's `shortAbandonSeconds`. */
  tasksShortAbandoned: number;
  /** `task.completed`. */
  tasksCompleted: number;
  reservationsRejected: number;
  reservationsTimedOut: number;
  /** Tasks contributing to average wait: handled plus abandoned. */
  waitSamples: number;
  /** Sum of integer `TaskAge` seconds at first acceptance or at abandonment. */
  waitSecondsSum: number;
}

export const TALLY_FIELDS = [
  'tasksCreated',
  'tasksEntered',
  'tasksMoved',
  'tasksTimedOut',
  'tasksHandled',
  'tasksHandledWithinSl',
  'tasksAbandoned',
  'tasksShortAbandoned',
  'tasksCompleted',
  'reservationsRejected',
  'reservationsTimedOut',
  'waitSamples',
  'waitSecondsSum',
] as const satisfies ReadonlyArray<keyof TallyCounts>;

export function emptyCounts(): TallyCounts {
  return {
    tasksCreated: 0,
    tasksEntered: 0,
    tasksMoved: 0,
    tasksTimedOut: 0,
    tasksHandled: 0,
    tasksHandledWithinSl: 0,
    tasksAbandoned: 0,
    tasksShortAbandoned: 0,
    tasksCompleted: 0,
    reservationsRejected: 0,
    reservationsTimedOut: 0,
    waitSamples: 0,
    waitSecondsSum: 0,
  };
}

/** Average wait in seconds, or null with no samples. */
export function avgWaitSeconds(counts: TallyCounts): number | null {
  return counts.waitSamples === 0 ? null : counts.waitSecondsSum / counts.waitSamples;
}

/**
 * Service level in percent by METRICS.md's default rule (`serviceLevelAbandons: missed`): handled
 * within T ÷ (handled + abandoned − short abandoned) × 100; null when nothing counts.
 */
export function serviceLevelPercent(counts: TallyCounts): number | null {
  const offered = counts.tasksHandled + counts.tasksAbandoned - counts.tasksShortAbandoned;
  return offered <= 0 ? null : (100 * counts.tasksHandledWithinSl) / offered;
}

/** One agent's day as the simulator lived it: activity changes and the tasks held (accepted → completed). */
export interface AgentTimeline {
  activities: { at: number; loggedIn: boolean; available: boolean }[];
  held: { from: number; to: number; type: 'queued' | 'outgoing' }[];
}

/** METRICS.md `agent_time_share` of one agent over [from, to), percent (null shares when never logged in). */
export interface AgentTimeShare {
  logged_in: number;
  queued: number | null;
  internal: number | null;
  external: number | null;
  outgoing: number | null;
  unavailable: number | null;
  idle: number | null;
}

/**
 * Ground truth of `agent_time_share` from a timeline: the simulator's agents hold one task at a
 * time, so held time is a sum of spans; each is cut by the logged-in and available stretches.
 */
export function agentTimeShare(t: AgentTimeline, from: number, to: number): AgentTimeShare {
  const overlap = (a: number, b: number, c: number, d: number) => Math.max(0, Math.min(b, d) - Math.max(a, c));
  let loggedIn = 0;
  let available = 0;
  const held = { queued: 0, outgoing: 0 };
  let heldWhileAvailable = 0;
  t.activities.forEach((s, i) => {
    const end = t.activities[i + 1]?.at ?? to;
    const span = overlap(s.at, end, from, to);
    if (!s.loggedIn || span === 0) return;
    loggedIn += span;
    if (s.available) available += span;
    for (const h of t.held) {
      const both = overlap(h.from, h.to, Math.max(s.at, from), Math.min(end, to));
      held[h.type] += both;
      if (s.available) heldWhileAvailable += both;
    }
  });
  const share = (ms: number) => (loggedIn > 0 ? (ms / loggedIn) * 100 : null);
  const heldTotal = held.queued + held.outgoing;
  return {
    logged_in: (loggedIn / (to - from)) * 100,
    queued: share(held.queued),
    internal: share(0),
    external: share(0),
    outgoing: share(held.outgoing),
    unavailable: share(loggedIn - available - (heldTotal - heldWhileAvailable)),
    idle: share(available - heldWhileAvailable),
  };
}

/** Counts kept by the simulator as it runs; the engine calls one method per fact, at its time. */
export class Tally {
  readonly total: TallyCounts = emptyCounts();
  /** Per queue name, in the order queues were registered or first seen. */
  readonly queues = new Map<string, TallyCounts>();
  /** All queues together per bucket of time (`bucketOf`), e.g. per local day or hour. */
  readonly buckets = new Map<number, TallyCounts>();
  /** Per agent name: activity changes and tasks held, for `agentTimeShare`. */
  readonly agents = new Map<string, AgentTimeline>();

  /**
   * @param shortAbandonSeconds abandons with a `TaskAge` below this are short (METRICS.md default 5).
   * @param serviceLevelSeconds each queue's service-level threshold T (METRICS.md default 20).
   * @param bucketOf when given, facts are also counted per bucket of their time (epoch ms).
   */
  constructor(
    readonly shortAbandonSeconds = 5,
    readonly serviceLevelSeconds: ServiceLevelSeconds = () => 20,
    private readonly bucketOf?: (atMs: number) => number,
  ) {}

  /** Makes a queue appear (with zeros) even when nothing happens in it. */
  register(queue: string): TallyCounts {
    let counts = this.queues.get(queue);
    if (!counts) {
      counts = emptyCounts();
      this.queues.set(queue, counts);
    }
    return counts;
  }

  /** The counts one fact of `queue` at `at` adds to: the queue's, the total and its bucket's. */
  private countsFor(queue: string, at: number): TallyCounts[] {
    const out = [this.register(queue), this.total];
    if (this.bucketOf) {
      const key = this.bucketOf(at);
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = emptyCounts()));
      out.push(bucket);
    }
    return out;
  }

  private timeline(agent: string): AgentTimeline {
    let t = this.agents.get(agent);
    if (!t) this.agents.set(agent, (t = { activities: [], held: [] }));
    return t;
  }

  /** The agent's activity from `at` on: logged in (not offline) and available or not. */
  agentActivity(agent: string, at: number, loggedIn: boolean, available: boolean): void {
    this.timeline(agent).activities.push({ at, loggedIn, available });
  }

  /** A task the agent held from its acceptance to its completion (wrap-up included). */
  taskHeld(agent: string, from: number, to: number, type: 'queued' | 'outgoing'): void {
    this.timeline(agent).held.push({ from, to, type });
  }

  created(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) c.tasksCreated++;
  }

  entered(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) c.tasksEntered++;
  }

  /** A task-queue.timeout then task-queue.moved out of `queue`. */
  timedOutAndMoved(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) {
      c.tasksTimedOut++;
      c.tasksMoved++;
    }
  }

  /** The first acceptance of a task, `waitSeconds` being its integer TaskAge then. */
  handled(queue: string, at: number, waitSeconds: number): void {
    const withinSl = waitSeconds <= this.serviceLevelSeconds(queue);
    for (const c of this.countsFor(queue, at)) {
      c.tasksHandled++;
      if (withinSl) c.tasksHandledWithinSl++;
      c.waitSamples++;
      c.waitSecondsSum += waitSeconds;
    }
  }

  /** A never-accepted task canceled at integer TaskAge `waitSeconds`. */
  abandoned(queue: string, at: number, waitSeconds: number): void {
    const short = waitSeconds < this.shortAbandonSeconds;
    for (const c of this.countsFor(queue, at)) {
      c.tasksAbandoned++;
      if (short) c.tasksShortAbandoned++;
      c.waitSamples++;
      c.waitSecondsSum += waitSeconds;
    }
  }

  completed(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) c.tasksCompleted++;
  }

  rejected(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) c.reservationsRejected++;
  }

  reservationTimedOut(queue: string, at: number): void {
    for (const c of this.countsFor(queue, at)) c.reservationsTimedOut++;
  }
}

export function createTally(
  shortAbandonSeconds = 5,
  serviceLevelSeconds?: ServiceLevelSeconds,
  bucketOf?: (atMs: number) => number,
): Tally {
  return new Tally(shortAbandonSeconds, serviceLevelSeconds, bucketOf);
}

const COLUMNS: ReadonlyArray<[string, (c: TallyCounts) => string]> = [
  ['created', (c) => String(c.tasksCreated)],
  ['entered', (c) => String(c.tasksEntered)],
  ['moved', (c) => String(c.tasksMoved)],
  ['handled', (c) => String(c.tasksHandled)],
  ['abandoned', (c) => String(c.tasksAbandoned)],
  ['short', (c) => String(c.tasksShortAbandoned)],
  ['completed', (c) => String(c.tasksCompleted)],
  ['rejected', (c) => String(c.reservationsRejected)],
  ['res.timeout', (c) => String(c.reservationsTimedOut)],
  ['avg wait s', (c) => avgWaitSeconds(c)?.toFixed(1) ?? '-'],
  ['SL %', (c) => serviceLevelPercent(c)?.toFixed(1) ?? '-'],
];

/** The tally as a plain-text table, one row per queue and a total row. */
export function formatTally(tally: Tally): string {
  const rows: string[][] = [['queue', ...COLUMNS.map(([h]) => h)]];
  for (const [name, counts] of tally.queues) rows.push([name, ...COLUMNS.map(([, f]) => f(counts))]);
  rows.push(['TOTAL', ...COLUMNS.map(([, f]) => f(tally.total))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = rows.map(line);
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  out.splice(out.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}
