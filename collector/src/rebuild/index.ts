// Re-derives every derived table (state, task facts, samples, intervals, rollups, worker points)
// from the event log with this version's definitions — after an upgrade that changed one, or a
// quarantine replay. Two passes, each in batches that commit on their own and yield to the event
// loop between them:
//   1. every event in log order through the state projection and the workers' activity changes
//      (both order-independent: they fold by event rank, never by arrival);
//   2. every task, in the order the log first named it, its facts derived once from all its events.
// The first transaction empties the tables and sets `rebuild_required`; the last one clears it, so
// an interrupted rebuild is seen (and reported at start) until a rebuild completes.
import type { Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import { DerivedTables } from '../store/derived';
import { EventLog } from '../store/events';
import { discardShadow } from '../store/shadow';
import { StateProjection } from '../store/state';
import { TaskEventStore } from '../store/task-events';
import { MetricsProjection } from '../metrics/projection';

/** What a rebuild is doing: the two passes, then (online) catching up, copying into the live file and swapping. */
export type RebuildPhase = 'state' | 'facts' | 'catch-up' | 'copy' | 'swap';

export interface RebuildProgress {
  phase: RebuildPhase;
  /** Events processed so far, over both passes (each event counts once per pass); rows, while copying. */
  done: number;
  total: number;
}

export interface RebuildResult {
  events: number;
  tasks: number;
  durationMs: number;
  /** Events per second over the whole rebuild (both passes). */
  eventsPerSecond: number;
}

export interface RebuildOptions {
  /** Events per transaction in the first pass (default 20,000). */
  batchEvents?: number;
  /** Tasks per transaction in the second pass (default 5,000). */
  batchTasks?: number;
  onProgress?: (p: RebuildProgress) => void;
}

/** Thrown when the log no longer holds all history (retention pruned it) and the caller did not accept losing it. */
export class PrunedHistoryError extends Error {
  constructor(readonly prunedBeforeMs: number) {
    super(
      `retention pruned the events before ${new Date(prunedBeforeMs).toISOString()}: their history lives only in the derived tables, which a rebuild recomputes from the log (pass --drop-pruned-history to rebuild anyway and lose it)`,
    );
  }
}

/** Events in the log (what a rebuild walks twice). */
export function countEvents(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM event_log').get() as { n: number }).n;
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Rebuilds the derived tables of `db` from its event log. Nothing else may write to the database
 * meanwhile (a stopped collector's file, or the collector's own connection with ingest paused).
 */
export async function rebuildDerived(
  db: Db,
  sla: Sla,
  opts: RebuildOptions & { dropPrunedHistory?: boolean } = {},
): Promise<RebuildResult> {
  const started = performance.now();
  // What an online rebuild cut short (a crash) is of no use here.
  discardShadow(db);
  const derived = new DerivedTables(db);
  const pruned = derived.prunedBefore();
  if (pruned !== null && !opts.dropPrunedHistory) throw new PrunedHistoryError(pruned);
  const events = countEvents(db);
  const batchEvents = opts.batchEvents ?? 20_000;
  const batchTasks = opts.batchTasks ?? 5_000;

  // Every step is re-derivable and the flag stays set until the last commit: losing the newest
  // commits to a power cut (never corruption, in WAL mode) only means rebuilding again.
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    return await rebuildPasses(db, sla, derived, { ...opts, started, events, batchEvents, batchTasks });
  } finally {
    db.pragma(`synchronous = ${synchronous}`);
  }
}

async function rebuildPasses(
  db: Db,
  sla: Sla,
  derived: DerivedTables,
  opts: RebuildOptions & { started: number; events: number; batchEvents: number; batchTasks: number },
): Promise<RebuildResult> {
  const { started, events } = opts;
  db.transaction(() => derived.clear())();
  // After the clear: the dimension dictionary starts empty.
  const { tasks } = await derivePasses(db, sla, opts);
  db.transaction(() => derived.finished())();
  opts.onProgress?.({ phase: 'facts', done: events * 2, total: events * 2 });
  const durationMs = performance.now() - started;
  return { events, tasks, durationMs, eventsPerSecond: durationMs > 0 ? Math.round((events / durationMs) * 1000) : 0 };
}

export interface DerivedPasses {
  tasks: number;
  /** The log position the first pass reached: every event up to it is derived (later ones may be too). */
  position: number;
  state: StateProjection;
  metrics: MetricsProjection;
}

/**
 * The two passes into empty derived tables of `db` (the dictionary holding only "none"): every event
 * in log order through the state and the workers' activity changes, then every task's facts from all
 * its events. Each batch commits on its own, and the event loop gets a turn between batches.
 */
export async function derivePasses(
  db: Db,
  sla: Sla,
  opts: RebuildOptions & { events: number; batchEvents: number; batchTasks: number },
): Promise<DerivedPasses> {
  const { events, batchEvents, batchTasks } = opts;
  const total = events * 2;
  const log = new EventLog(db);
  const taskEvents = new TaskEventStore(db);
  const state = new StateProjection(db, { fold: true });
  const metrics = new MetricsProjection(db, sla);

  let done = 0;
  const statePass = db.transaction((after: number) => {
    const rows = log.readAfter(after, batchEvents);
    for (const { rec } of rows) {
      state.apply(rec);
      metrics.applyWorker(rec);
    }
    state.beforeCommit();
    metrics.facts.flush();
    return rows.length ? rows[rows.length - 1]!.id : null;
  });
  let position = 0;
  for (;;) {
    const last = statePass(position);
    if (last === null) break;
    done += Math.min(batchEvents, events - done);
    opts.onProgress?.({ phase: 'state', done, total });
    position = last;
    await tick();
  }
  done = events;

  let tasks = 0;
  metrics.facts.fresh = true;
  const factsPass = db.transaction((after: number) => {
    const cursors = taskEvents.tasksAfter(after, batchTasks);
    if (cursors.length === 0) return null;
    let n = 0;
    for (const [sid, list] of taskEvents.eventsOfTasks(cursors[0]!, cursors[cursors.length - 1]!)) {
      metrics.refreshTask(sid, metrics.compact(list));
      n += list.length;
    }
    metrics.facts.flush();
    tasks += cursors.length;
    return { last: cursors[cursors.length - 1]!, events: n };
  });
  for (let after = 0; ;) {
    const step = factsPass(after);
    if (step === null) break;
    done = Math.min(total, done + step.events);
    opts.onProgress?.({ phase: 'facts', done, total });
    after = step.last;
    await tick();
  }
  metrics.facts.fresh = false;
  return { tasks, position, state, metrics };
}
