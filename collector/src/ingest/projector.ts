// The projector: follows the event log by position and folds each event into the derived tables
// (state, metric facts, rollups) — in batches, each its own transaction that also writes the new
// position, so whatever stops the process, every logged event is projected exactly once: a batch
// either committed with its position or left no trace, and the next run resumes at the position.
// The ingest service runs it right after each log commit (same event-loop turn); at start it
// catches up on whatever the log holds beyond the position (a crash between the two commits).
import type { Transaction } from 'better-sqlite3';
import type { Db } from '../store/db';
import type { EventLog, LoggedRecord } from '../store/events';

/** Something folded from each logged event inside the projector's transaction (state, facts). */
export interface Projection {
  apply(rec: LoggedRecord): void;
  /** Drops in-memory caches after a rolled-back transaction. */
  reset?(): void;
  /**
   * Called at the end of the transaction, before it commits (write merged deltas here), with the
   * log position the batch reaches: events logged beyond it are not projected yet.
   */
  beforeCommit?(upTo: number): void;
  /** Called after each successful commit. */
  committed?(): void;
}

export interface ProjectorHooks {
  /** The events a batch projected, after its commit. */
  projected?: (records: LoggedRecord[]) => void;
  /** An event no projection could fold (a defect): skipped, kept in the log for a later rebuild. */
  failed?: (sid: string, err: unknown) => void;
}

export class Projector {
  private readonly s;
  private readonly project: Transaction<(batch: number) => { records: LoggedRecord[]; more: boolean }>;
  /** `synchronous` of the connection (2 = FULL): the projector's commits need no fsync of their own. */
  private readonly fullSync: boolean;
  private readonly skipOne: (id: number) => void;

  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly projections: readonly Projection[],
    private readonly hooks: ProjectorHooks = {},
  ) {
    this.s = {
      position: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'projected_id'"),
      advance: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'projected_id'"),
    };
    // The position is read inside the transaction: another process (a CLI backfill) may have moved it.
    this.project = db.transaction((batch: number) => {
      const from = this.position();
      const rows = this.log.readAfter(from, batch);
      const upTo = rows.length ? rows[rows.length - 1]!.id : from;
      for (const { rec } of rows) for (const p of this.projections) p.apply(rec);
      for (const p of this.projections) p.beforeCommit?.(upTo);
      if (rows.length) this.s.advance.run(upTo);
      return { records: rows.map((r) => r.rec), more: rows.length === batch };
    });
    this.skipOne = db.transaction((id: number) => this.s.advance.run(id));
    this.fullSync = (db.pragma('synchronous', { simple: true }) as number) >= 2;
  }

  /**
   * One batch. Its commit is not fsynced on its own (synchronous=NORMAL; never corruption in WAL
   * mode): a power cut may lose the newest batches, and their positions with them, so they are
   * projected again from the log, which the ingest commits do fsync.
   */
  private batch(size: number): { records: LoggedRecord[]; more: boolean } {
    // IMMEDIATE: the write lock is taken before the position is read, so another process's
    // projector (a CLI backfill's) can neither interleave nor make this one fail half-way.
    if (!this.fullSync) return this.project.immediate(size);
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.project.immediate(size);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** The log position everything up to which is projected. */
  position(): number {
    return this.s.position.get()?.value ?? 0;
  }

  /** Events logged but not yet projected. */
  lag(): number {
    return Math.max(0, this.log.lastPosition() - this.position());
  }

  /**
   * Projects what the log holds beyond the position, `batch` events per transaction, at most
   * `limit` events (then returns, so a caller can yield). Returns the number projected.
   */
  catchUp(batch = 5_000, limit = Infinity): number {
    let done = 0;
    for (;;) {
      let out: { records: LoggedRecord[]; more: boolean };
      try {
        out = this.batch(batch);
      } catch (err) {
        for (const p of this.projections) p.reset?.();
        // The database busy or failing (locked, disk full) is no defect of an event: the caller sees it.
        if (isDatabaseError(err)) throw err;
        if (batch > 1) {
          // One event broke the batch (rolled back whole): this batch's events one at a time.
          done += this.catchUp(1, batch);
          continue;
        }
        const [bad] = this.log.readAfter(this.position(), 1);
        if (!bad) throw err;
        this.skipOne(bad.id);
        this.hooks.failed?.(bad.rec.sid, err);
        continue;
      }
      for (const p of this.projections) p.committed?.();
      done += out.records.length;
      if (out.records.length) this.hooks.projected?.(out.records);
      if (!out.more || done >= limit) return done;
    }
  }
}

function isDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CORRUPT|READONLY|CANTOPEN|NOMEM)/.test(code);
}
