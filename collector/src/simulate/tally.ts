// Ground truth of a simulation: what really happened, counted with the METRICS.md definitions per
// queue (the queue on the event) and in total, for checking the collector's answers.

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

/** Counts kept by the simulator as it runs; the engine calls one method per fact. */
export class Tally {
  readonly total: TallyCounts = emptyCounts();
  /** Per queue name, in the order queues were registered or first seen. */
  readonly queues = new Map<string, TallyCounts>();

  /** @param shortAbandonSeconds abandons with a `TaskAge` below this are short (METRICS.md default 5). */
  constructor(readonly shortAbandonSeconds = 5) {}

  /** Makes a queue appear (with zeros) even when nothing happens in it. */
  register(queue: string): TallyCounts {
    let counts = this.queues.get(queue);
    if (!counts) {
      counts = emptyCounts();
      this.queues.set(queue, counts);
    }
    return counts;
  }

  created(queue: string): void {
    this.register(queue).tasksCreated++;
    this.total.tasksCreated++;
  }

  entered(queue: string): void {
    this.register(queue).tasksEntered++;
    this.total.tasksEntered++;
  }

  /** A task-queue.timeout then task-queue.moved out of `queue`. */
  timedOutAndMoved(queue: string): void {
    const q = this.register(queue);
    q.tasksTimedOut++;
    q.tasksMoved++;
    this.total.tasksTimedOut++;
    this.total.tasksMoved++;
  }

  /** The first acceptance of a task, `waitSeconds` being its integer TaskAge then. */
  handled(queue: string, waitSeconds: number): void {
    for (const c of [this.register(queue), this.total]) {
      c.tasksHandled++;
      c.waitSamples++;
      c.waitSecondsSum += waitSeconds;
    }
  }

  /** A never-accepted task canceled at integer TaskAge `waitSeconds`. */
  abandoned(queue: string, waitSeconds: number): void {
    const short = waitSeconds < this.shortAbandonSeconds;
    for (const c of [this.register(queue), this.total]) {
      c.tasksAbandoned++;
      if (short) c.tasksShortAbandoned++;
      c.waitSamples++;
      c.waitSecondsSum += waitSeconds;
    }
  }

  completed(queue: string): void {
    this.register(queue).tasksCompleted++;
    this.total.tasksCompleted++;
  }

  rejected(queue: string): void {
    this.register(queue).reservationsRejected++;
    this.total.reservationsRejected++;
  }

  reservationTimedOut(queue: string): void {
    this.register(queue).reservationsTimedOut++;
    this.total.reservationsTimedOut++;
  }
}

export function createTally(shortAbandonSeconds = 5): Tally {
  return new Tally(shortAbandonSeconds);
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
