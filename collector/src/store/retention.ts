// Retention: prunes raw events (and their per-task samples) older than N days, in small
// transactions that yield to the event loop between them, so ingest is never held up for long.
// Kept: `rollup` (old ranges keep answering from it), `state_rollup`, `state_totals`, `intervals`,
// `worker_points`, `dims` and the current-state tables — and every event of a task that is still
// open or has an event inside the window, so a task's facts are always derived from all its events.
import type { Logger } from 'pino';
import type { Db } from './db';
import { SQL_SID_TEXT } from './dictionary';

const DAY = 86_400_000;
/**
 * Shortest retention allowed. A task event pruned and then delivered again would be re-derived
 * alone and counted twice; TaskRouter retries callbacks within minutes and its Events list (our
 * backfill) reaches back 30 days, so a horizon past 30 days means no pruned event can come back.
 */
export const MIN_RETENTION_DAYS = 31;

export interface RetentionOptions {
  /** Keep events whose own time is within this many days. */
  days: number;
  /** Events examined per transaction, in log order (default 2,000). */
  batchSize?: number;
  now?: () => number;
  /**
   * Called once after a run that deleted anything: in-memory caches of task events or facts (the
   * metrics projection's) must forget what was pruned.
   */
  onPruned?: (result: PruneResult) => void;
  /**
   * While this answers true a run prunes nothing (an online rebuild is deriving from the log: what it
   * read would outlive the prune); the next daily run catches up.
   */
  paused?: () => boolean;
}

export interface PruneResult {
  /** Events older than this (epoch ms) were candidates. */
  cutoffMs: number;
  eventsDeleted: number;
  samplesDeleted: number;
  /** Tasks whose events and samples were removed. */
  tasksPruned: number;
  /** Old tasks kept whole: still open, or with an event newer than the cutoff. */
  tasksKept: number;
  batches: number;
  /** Longest single transaction, ms: how long ingest could have waited. */
  longestBatchMs: number;
  durationMs: number;
}

interface Candidate {
  id: number;
  event_ms: number;
  /** The task's id in the log's Sid dictionary, and its Sid. */
  task: number | null;
  task_sid: string | null;
}

export class Retention {
  readonly days: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  private readonly onPruned: ((result: PruneResult) => void) | undefined;
  private readonly paused: () => boolean;
  private readonly s;
  private running: Promise<PruneResult> | null = null;
  private stopping = false;

  constructor(
    private readonly db: Db,
    opts: RetentionOptions,
  ) {
    if (!Number.isFinite(opts.days) || opts.days < MIN_RETENTION_DAYS)
      throw new RangeError(
        `retention must be at least ${MIN_RETENTION_DAYS} days (TaskRouter can deliver events up to 30 days old), got ${opts.days}`,
      );
    this.days = opts.days;
    this.batchSize = Math.max(1, Math.floor(opts.batchSize ?? 2000));
    this.now = opts.now ?? Date.now;
    this.onPruned = opts.onPruned;
    this.paused = opts.paused ?? (() => false);
    this.s = {
      // The log is walked by position (rowid ranges, no time index to keep up on every insert).
      candidates: db.prepare<{ id: number; n: number }, Candidate>(
        `SELECT l.id, l.ms AS event_ms, l.task, (SELECT ${SQL_SID_TEXT('s.value')} FROM sids s WHERE s.id = l.task) AS task_sid
           FROM event_log l WHERE l.id > @id ORDER BY l.id LIMIT @n`,
      ),
      newestOfTask: db.prepare<[number], { newest: number }>('SELECT max(ms) AS newest FROM event_log WHERE task = ?'),
      taskOpen: db.prepare<[string], { open: number }>(
        'SELECT (completed_ms IS NULL AND canceled_ms IS NULL AND deleted_ms IS NULL) AS open FROM tasks WHERE task_sid = ?',
      ),
      deleteTaskEvents: db.prepare<[number]>('DELETE FROM event_log WHERE task = ?'),
      deleteTaskSamples: db.prepare<[number]>('DELETE FROM samples WHERE task = ?'),
      deleteEvent: db.prepare<[number]>('DELETE FROM event_log WHERE id = ?'),
      uncount: db.prepare<[number]>("UPDATE meta SET value = value - ? WHERE key = 'events_stored'"),
      // A rebuild re-derives only what the log holds: it must know history older than this was pruned.
      prunedBefore: db.prepare<[number]>(
        "INSERT INTO meta (key, value) VALUES ('pruned_before_ms', ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)",
      ),
    };
  }

  /** Prunes everything older than the horizon; concurrent calls share one run. */
  prune(): Promise<PruneResult> {
    this.stopping = false;
    return (this.running ??= this.run().finally(() => (this.running = null)));
  }

  /** Asks a running prune to stop after its current batch (graceful shutdown); resolves when it has. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<PruneResult> {
    const started = Date.now();
    const cutoffMs = this.now() - this.days * DAY;
    const out: PruneResult = {
      cutoffMs,
      eventsDeleted: 0,
      samplesDeleted: 0,
      tasksPruned: 0,
      tasksKept: 0,
      batches: 0,
      longestBatchMs: 0,
      durationMs: 0,
    };
    if (this.paused()) return out;
    /** Old tasks kept whole in this run (their rows come up again in later batches). */
    const kept = new Set<string>();
    let after = 0;
    const batch = this.db.transaction((rows: Candidate[]) => {
      let events = 0;
      const seen = new Set<string>();
      for (const r of rows) {
        if (r.task === null || r.task_sid === null) {
          // Worker and activity events: their facts (worker points, intervals, state) are
          // idempotent by rank, so these rows can go on their own.
          events += this.s.deleteEvent.run(r.id).changes;
          continue;
        }
        if (kept.has(r.task_sid) || seen.has(r.task_sid)) continue;
        seen.add(r.task_sid);
        const newest = this.s.newestOfTask.get(r.task)?.newest ?? 0;
        const open = this.s.taskOpen.get(r.task_sid)?.open === 1;
        if (newest >= cutoffMs || open) {
          kept.add(r.task_sid);
          out.tasksKept++;
          continue;
        }
        events += this.s.deleteTaskEvents.run(r.task).changes;
        out.samplesDeleted += this.s.deleteTaskSamples.run(r.task).changes;
        out.tasksPruned++;
      }
      if (events > 0) {
        this.s.uncount.run(events);
        this.s.prunedBefore.run(cutoffMs);
      }
      out.eventsDeleted += events;
    });
    for (;;) {
      if (this.stopping) break;
      const rows = this.s.candidates.all({ id: after, n: this.batchSize });
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const old = rows.filter((r) => r.event_ms < cutoffMs);
      if (old.length > 0) {
        const t0 = performance.now();
        batch(old);
        out.longestBatchMs = Math.max(out.longestBatchMs, performance.now() - t0);
        out.batches++;
      }
      // Let webhook commits and queries run between batches (and between pages of recent events).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    out.durationMs = Date.now() - started;
    out.longestBatchMs = Math.round(out.longestBatchMs * 10) / 10;
    if (out.eventsDeleted > 0) this.onPruned?.(out);
    return out;
  }
}

/**
 * Runs `retention.prune()` every `everyMs` (first after `firstDelayMs`), logging each result.
 * Returns a stop function for graceful shutdown.
 */
export function scheduleRetention(
  retention: Retention,
  log: Pick<Logger, 'info' | 'error'>,
  opts: { everyMs?: number; firstDelayMs?: number } = {},
): () => Promise<void> {
  const everyMs = opts.everyMs ?? DAY;
  const tick = () => {
    retention.prune().then(
      (r) => log.info({ ...r, retentionDays: retention.days }, 'retention: pruned old events'),
      (err: unknown) => log.error({ err }, 'retention: pruning failed'),
    );
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tick();
    interval = setInterval(tick, everyMs);
    interval.unref();
  }, opts.firstDelayMs ?? 60_000);
  first.unref();
  return async () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
    await retention.stop();
  };
}
