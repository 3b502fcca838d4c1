// The online rebuild: re-derives every derived table from the event log while the collector keeps
// serving — ingest keeps acknowledging and projecting into the current tables, queries keep answering
// from them — and switches the answers over at once when it completes:
//   1. the two passes of the offline rebuild, into a shadow file of fresh tables (store/shadow.ts),
//      each batch its own transaction with a turn of the event loop after it;
//   2. catching up there with the events logged meanwhile, as the projector does;
//   3. copying the shadow into the live file as `rebuild_new_*`, a few thousand rows per transaction;
//   4. in one event-loop turn: the swap (one transaction: the new tables take the live names, the
//      projector's position becomes the shadow's), then the caller's `swapped` hook drops in-memory
//      caches and projects the few events logged since the shadow's position, before any request
//      can read — so no answer ever mixes old and new tables.
// A stop or a crash before the swap leaves the old tables serving; what it left is discarded at the
// next start (`discardShadow`). Runs on the collector's thread; the shadow's own connection never
// holds the live file's write lock except for one copy step.
import type { RebuildStatus } from '@floorboard/contract';
import type { Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import { DerivedTables } from '../store/derived';
import { EventLog } from '../store/events';
import { discardShadow, dropRetired, openShadow, removeShadowFile, startCopy, swapIn } from '../store/shadow';
import { countEvents, derivePasses, PrunedHistoryError, tick, type DerivedPasses, type RebuildPhase, type RebuildResult } from './index';

export type RebuildTrigger = 'request' | 'migration';

/** A second rebuild asked for while one runs (409 on the admin endpoint). */
export class RebuildRunningError extends Error {
  constructor(status: RebuildStatus) {
    const percent = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
    super(
      `a rebuild is already running (${status.phase ?? 'starting'}, ${percent}%, started ${status.startedAt ?? 'just now'}); GET /api/admin/rebuild shows its progress`,
    );
  }
}

/** The collector stopped while a rebuild ran: the old tables kept serving, nothing was swapped. */
export class RebuildStoppedError extends Error {
  constructor() {
    super('the collector stopped before the rebuild finished; the tables it served stay in place');
  }
}

export interface OnlineRebuildHooks {
  /**
   * Called in the swap's event-loop turn, right after the swap committed: drop in-memory caches of
   * the derived tables, project what the log holds beyond the new position, refresh live values.
   */
  swapped(): void;
  /** Each step of the work (for logs). */
  progress?(status: RebuildStatus): void;
}

export interface OnlineRebuildOptions {
  /**
   * Events per transaction in the first pass and the catch-up (default 500). The batches share the
   * collector's thread with ingest: each is a wait a webhook may see (~10-30 ms here).
   */
  batchEvents?: number;
  /** Tasks per transaction in the second pass (default 50, ~500 events). */
  batchTasks?: number;
  /** Rows per copy transaction on the live file (default 5,000). */
  copyRows?: number;
}

const IDLE: RebuildStatus = {
  state: 'idle',
  trigger: null,
  phase: null,
  done: 0,
  total: 0,
  startedAt: null,
  finishedAt: null,
  events: null,
  tasks: null,
  eventsPerSecond: null,
  error: null,
};

export class OnlineRebuild {
  private current: RebuildStatus = IDLE;
  private running: Promise<RebuildResult> | null = null;
  private stopRequested = false;

  constructor(
    private readonly db: Db,
    private readonly sla: Sla,
    private readonly hooks: OnlineRebuildHooks,
    private readonly opts: OnlineRebuildOptions = {},
  ) {}

  status(): RebuildStatus {
    return { ...this.current };
  }

  /**
   * Starts a rebuild and resolves when its tables serve. Throws at once (nothing started) when one
   * already runs, when retention pruned history the caller did not agree to lose, or for a database
   * that is not a file.
   */
  start(req: { trigger: RebuildTrigger; dropPrunedHistory?: boolean }): Promise<RebuildResult> {
    if (this.running) throw new RebuildRunningError(this.current);
    if (this.db.name === ':memory:') throw new Error('an in-memory database cannot be rebuilt online');
    const pruned = new DerivedTables(this.db).prunedBefore();
    if (pruned !== null && !req.dropPrunedHistory) throw new PrunedHistoryError(pruned);
    this.stopRequested = false;
    this.current = { ...IDLE, state: 'running', trigger: req.trigger, startedAt: new Date().toISOString() };
    const run = this.run(pruned).then(
      (result) => {
        this.finish({ state: 'done', events: result.events, tasks: result.tasks, eventsPerSecond: result.eventsPerSecond });
        return result;
      },
      (err: unknown) => {
        this.finish({ state: 'failed', error: (err as Error).message.split('\n')[0] ?? 'failed' });
        throw err;
      },
    );
    this.running = run;
    // The caller may only poll the status: a failure is in it, not an unhandled rejection.
    run.catch(() => undefined);
    return run;
  }

  /** Stops a running rebuild (the old tables keep serving) and resolves once it has let go of the database. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopRequested = true;
    await this.running.catch(() => undefined);
  }

  private finish(patch: Partial<RebuildStatus>): void {
    this.current = { ...this.current, ...patch, finishedAt: new Date().toISOString() };
    this.running = null;
    this.hooks.progress?.(this.status());
  }

  private step(phase: RebuildPhase, done: number, total: number): void {
    if (this.stopRequested) throw new RebuildStoppedError();
    this.current = { ...this.current, phase, done, total };
    this.hooks.progress?.(this.status());
  }

  private async run(prunedAtStart: number | null): Promise<RebuildResult> {
    const started = performance.now();
    const batchEvents = this.opts.batchEvents ?? 500;
    const batchTasks = this.opts.batchTasks ?? 50;
    const shadow = openShadow(this.db);
    let swapped = false;
    try {
      const events = countEvents(shadow);
      this.step('state', 0, events * 2);
      const passes = await derivePasses(shadow, this.sla, {
        events,
        batchEvents,
        batchTasks,
        onProgress: (p) => this.step(p.phase, p.done, p.total),
      });
      const position = await this.catchUp(shadow, passes, batchEvents);
      const copy = startCopy(shadow);
      for (let copied = 0; ;) {
        this.step('copy', copied, copy.total);
        const s = copy.step(this.opts.copyRows ?? 5_000);
        copied += s.copied;
        if (!s.more) break;
        await tick();
      }
      this.step('swap', copy.total, copy.total);
      shadow.close();
      // One turn: the swap, then the caller's caches and the events logged since `position`.
      swapIn(this.db, position, prunedAtStart);
      swapped = true;
      this.hooks.swapped();
      removeShadowFile(this.db.name);
      await this.dropRetired();
      const durationMs = performance.now() - started;
      return { events, tasks: passes.tasks, durationMs, eventsPerSecond: durationMs > 0 ? Math.round((events / durationMs) * 1000) : 0 };
    } catch (err) {
      if (shadow.open) shadow.close();
      if (!swapped) discardShadow(this.db);
      throw err;
    }
  }

  /** Folds the events logged since the passes began into the shadow, batch by batch, until it is (nearly) level with the log. */
  private async catchUp(shadow: Db, { state, metrics, position }: DerivedPasses, batch: number): Promise<number> {
    const log = new EventLog(shadow);
    const project = shadow.transaction((after: number) => {
      const rows = log.readAfter(after, batch);
      if (rows.length === 0) return { upTo: after, full: false };
      for (const { rec } of rows) {
        state.apply(rec);
        metrics.apply(rec);
      }
      const upTo = rows[rows.length - 1]!.id;
      state.beforeCommit();
      metrics.beforeCommit(upTo);
      return { upTo, full: rows.length === batch };
    });
    for (let at = position; ;) {
      this.step('catch-up', at, Math.max(at, log.lastPosition()));
      const { upTo, full } = project(at);
      at = upTo;
      // A batch that was not full reached the end of the log: what arrives from here on is
      // projected by the collector after the swap.
      if (!full) return at;
      await tick();
    }
  }

  /** Drops the replaced tables one per turn; a stop leaves the rest to the next start. */
  private async dropRetired(): Promise<void> {
    while (!this.stopRequested && dropRetired(this.db)) await tick();
  }
}
