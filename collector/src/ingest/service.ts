// Commits normalised events durably to the event log, with group commit: submissions that arrive
// while the event loop is busy share one transaction (and one fsync). A submission's promise
// resolves only after its transaction has committed, so a 2xx always means "on disk". Right after
// each commit, in the same event-loop turn, the projector folds the new events into the derived
// tables in its own transaction (see projector.ts), so answers and live values follow at once.
import { EventEmitter } from 'node:events';
import type { Db } from '../store/db';
import { EventLog, type LoggedRecord } from '../store/events';
import { QuarantineLog, type QuarantineEntry } from '../store/quarantine';
import type { EventRecord } from '../taskrouter/record';
import { Projector, type Projection } from './projector';

export type { Projection } from './projector';

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Unreadable events kept in the quarantine. */
  quarantined: number;
}

/** A quarantined event a replay has now read: marked done in the transaction that stores it. */
export interface QuarantineDone {
  id: number;
  result: string;
}

interface Pending {
  records: EventRecord[];
  quarantine: readonly QuarantineEntry[];
  done: readonly QuarantineDone[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

export interface IngestEvents {
  /** Fired after each projector commit with the events it folded into the derived tables. */
  committed: [LoggedRecord[]];
  /**
   * An event the projections could not fold (a defect; its Sid): it stays in the log, skipped by the
   * projector. Sid null: the database failed (busy, full); the projector resumes at the next commit.
   */
  projectionFailed: [string | null, unknown];
}

export class IngestService extends EventEmitter<IngestEvents> {
  readonly log: EventLog;
  readonly quarantine: QuarantineLog;
  readonly projector: Projector;
  private queue: Pending[] = [];
  /** Duration of the latest commit, ms: how long the next group may gather. */
  private lastCommitMs = 0;
  private scheduled = false;
  private readonly writeAll: (batch: Pending[], now: number) => IngestResult[];

  constructor(
    private readonly db: Db,
    projections: Projection[],
  ) {
    super();
    this.log = new EventLog(db);
    this.quarantine = new QuarantineLog(db);
    this.projector = new Projector(db, this.log, projections, {
      projected: (records) => this.emit('committed', records),
      failed: (sid, err) => this.emit('projectionFailed', sid, err),
    });
    this.writeAll = db.transaction((batch: Pending[], now: number) => {
      const results = batch.map((p) => {
        let n = 0;
        for (const rec of p.records) if (this.log.append(rec, now)) n++;
        this.quarantine.add(p.quarantine, now);
        for (const d of p.done) this.quarantine.markReplayed(d.id, d.result, now);
        return { stored: n, duplicates: p.records.length - n, quarantined: p.quarantine.length };
      });
      this.log.flushTotals();
      return results;
    });
    // Whatever the log holds beyond the projector's position (a stop between the two commits).
    this.projector.catchUp();
  }

  /**
   * Stores a batch atomically (all or nothing), with the batch's unreadable events kept in the
   * quarantine in the same transaction; resolves once committed.
   */
  submit(records: EventRecord[], quarantine: readonly QuarantineEntry[] = [], done: readonly QuarantineDone[] = []): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, quarantine, done, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Group commit: when commits are costly (an fsync), gather what arrives meanwhile — at most
        // as long as the last commit took (capped at 5 ms) — so one fsync serves many requests.
        if (this.lastCommitMs < 0.5) setImmediate(() => this.flush());
        else setTimeout(() => this.flush(), Math.min(5, this.lastCommitMs));
      }
    });
  }

  /** Writes everything queued; the same call is used synchronously by tools (backfill, bench). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      const t0 = performance.now();
      const out = this.writeAll(batch, Date.now());
      this.lastCommitMs = performance.now() - t0;
      this.settle(batch, out);
    } catch {
      this.log.discardTotals();
      // One submission broke the shared transaction (rolled back whole): retry each on its own so
      // only the broken one fails and the others still commit.
      for (const p of batch) {
        try {
          this.settle([p], this.writeAll([p], Date.now()));
        } catch (err) {
          this.log.discardTotals();
          p.reject(err);
        }
      }
    }
  }

  /** Resolves the submissions (their continuations run after this turn), then projects what they stored. */
  private settle(batch: Pending[], results: IngestResult[]): void {
    batch.forEach((p, i) => p.resolve(results[i]!));
    if (results.some((r) => r.stored > 0)) this.project();
  }

  /** Runs the projector; a database failure leaves the events unprojected, for the next commit or start. */
  private project(): void {
    try {
      this.projector.catchUp();
    } catch (err) {
      this.emit('projectionFailed', null, err);
    }
  }

  /** Stores records synchronously in one transaction (for in-process loaders). */
  storeNow(records: EventRecord[], quarantine: readonly QuarantineEntry[] = []): IngestResult {
    let result: IngestResult | undefined;
    let failure: unknown;
    const p: Pending = { records, quarantine, done: [], resolve: (r) => (result = r), reject: (e) => (failure = e) };
    this.settle([p], this.writeAll([p], Date.now()));
    if (failure) throw failure;
    return result!;
  }

  /** Resolves when every submission so far has been committed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
  }

  get database(): Db {
    return this.db;
  }
}
