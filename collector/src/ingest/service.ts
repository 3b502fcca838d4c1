// Commits normalised events durably, with group commit: submissions that arrive while the event
// loop is busy share one transaction (and one fsync). A submission's promise resolves only after
// its transaction has committed, so a 2xx always means "on disk".
import { EventEmitter } from 'node:events';
import type { Db } from '../store/db';
import { EventLog, type LoggedRecord } from '../store/events';
import { QuarantineLog, type QuarantineEntry } from '../store/quarantine';
import type { EventRecord } from '../taskrouter/record';

/** Something folded from each newly stored event inside the ingest transaction (state, rollups). */
export interface Projection {
  apply(rec: LoggedRecord): void;
  /** Drops in-memory caches after a rolled-back transaction. */
  reset?(): void;
  /** Called at the end of the transaction, before it commits (write merged deltas here). */
  beforeCommit?(): void;
  /** Called after each successful commit. */
  committed?(): void;
}

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
  /** Fired after each commit with the events it newly stored (duplicates excluded). */
  committed: [EventRecord[]];
}

export class IngestService extends EventEmitter<IngestEvents> {
  readonly log: EventLog;
  readonly quarantine: QuarantineLog;
  private queue: Pending[] = [];
  /** Duration of the latest commit, ms: how long the next group may gather. */
  private lastCommitMs = 0;
  private scheduled = false;
  private readonly writeAll: (batch: Pending[], now: number) => { results: IngestResult[]; stored: EventRecord[] };

  constructor(
    private readonly db: Db,
    private readonly projections: Projection[],
  ) {
    super();
    this.log = new EventLog(db);
    this.quarantine = new QuarantineLog(db);
    this.writeAll = db.transaction((batch: Pending[], now: number) => {
      const stored: EventRecord[] = [];
      const results = batch.map((p) => {
        let n = 0;
        for (const rec of p.records) {
          if (!this.log.append(rec, now)) continue;
          for (const proj of this.projections) proj.apply(rec);
          stored.push(rec);
          n++;
        }
        this.quarantine.add(p.quarantine, now);
        for (const d of p.done) this.quarantine.markReplayed(d.id, d.result, now);
        return { stored: n, duplicates: p.records.length - n, quarantined: p.quarantine.length };
      });
      for (const proj of this.projections) proj.beforeCommit?.();
      this.log.flushTotals();
      return { results, stored };
    });
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
      for (const proj of this.projections) proj.reset?.();
      // One submission broke the shared transaction (rolled back whole): retry each on its own so
      // only the broken one fails and the others still commit.
      for (const p of batch) {
        try {
          this.settle([p], this.writeAll([p], Date.now()));
        } catch (err) {
          this.log.discardTotals();
          for (const proj of this.projections) proj.reset?.();
          p.reject(err);
        }
      }
    }
  }

  private settle(batch: Pending[], out: { results: IngestResult[]; stored: EventRecord[] }): void {
    for (const proj of this.projections) proj.committed?.();
    batch.forEach((p, i) => p.resolve(out.results[i]!));
    if (out.stored.length > 0) this.emit('committed', out.stored);
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
