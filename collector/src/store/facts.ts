// Owns the SQL of metric facts: samples and their rollups, intervals and their step rollups, and
// worker activity points. Every change goes through add/remove so rollups stay exact sums.
import type { Db } from './db';
import { LogDictionaries } from './dictionary';
import { Dims } from './dims';
import { FloorMarks } from './floor-marks';
import type { IntervalKind, SampleKind } from './kinds';
import { Lru } from './lru';

export { Lru };

/** Rollup resolutions, minutes. */
export const RESOLUTIONS = [15, 60] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const OPEN_END = 9e15;

/**
 * The id each sample kind is stored under in SQLite (`samples.kind`, rollups). Stored data depends
 * on these numbers: never change or reuse one; a new kind takes the next free number
 * (stored-kinds.test.ts fails on any change).
 */
export const SAMPLE_KIND_ID = {
  created: 1,
  entered: 2,
  moved: 3,
  timed_out: 4,
  res_rejected: 5,
  res_timed_out: 6,
  handled: 7,
  handled_in_sl: 8,
  abandoned: 9,
  abandoned_short: 10,
  completed: 11,
  handle_time: 12,
  wrapup_time: 13,
  received: 14,
  queue_wait: 15,
  abandoned_in_sl: 16,
} as const satisfies Record<SampleKind, number>;
/** Interval kinds as stored: task kinds plus `agent` (a worker in an activity; label = activity name). Never renumber. */
export const INTERVAL_KIND_ID = { waiting: 1, in_progress: 2, agent: 3 } as const satisfies Record<IntervalKind | 'agent', number>;

/** A sample or interval with its dimensions as ids. */
export interface SampleRow {
  kind: number;
  ms: number;
  queue: number;
  channel: number;
  worker: number;
  label: number;
  value: number;
}
export interface IntervalRow {
  ref: string;
  kind: number;
  queue: number;
  channel: number;
  worker: number;
  label: number;
  start_ms: number;
  end_ms: number;
  origin_ms: number;
}

type Stored<T> = T & { id: number };

export class FactStore {
  readonly dims: Dims;
  private readonly sids: LogDictionaries['sids'];
  /** Stored samples and intervals of recently seen tasks (cleared when a transaction rolls back). */
  private readonly samplesCache = new Lru<string, Stored<SampleRow>[]>(50_000);
  private readonly intervalsCache = new Lru<string, Stored<IntervalRow>[]>(50_000);
  /**
   * Every owner the store is asked about is new (a rebuild into emptied tables, each task derived
   * once): its stored samples and intervals are not read back.
   */
  fresh = false;
  /** Sees every sample added (inside the transaction; the projection buffers them until commit). */
  onSampleAdded: ((r: SampleRow) => void) | null = null;
  private readonly s;
  /** The floor's hourly checkpoints, kept in step with every interval added or removed. */
  private readonly marks: FloorMarks;

  /** Rollup and step deltas of the current transaction, merged by key and written once at commit. */
  private pendingRollup = new Map<string, { key: number[]; n: number; sumMs: number; max: number }>();
  private pendingSteps = new Map<string, { key: number[]; d: number; w: number }>();
  private pendingTotals = new Map<string, { key: number[]; total: number }>();
  /** Rollup rows that lost a sample equal to their max: recompute the max after the deltas land. */
  private staleMax = new Map<string, number[]>();

  constructor(readonly db: Db) {
    this.dims = new Dims(db);
    this.sids = LogDictionaries.of(db).sids;
    this.marks = new FloorMarks(db);
    this.s = {
      samplesOf: db.prepare<[number], SampleRow & { id: number }>(
        'SELECT id, kind, ms, queue, channel, worker, label, value FROM samples WHERE task = ?',
      ),
      insertSample: db.prepare(
        'INSERT INTO samples (task, kind, ms, queue, channel, worker, label, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteSample: db.prepare('DELETE FROM samples WHERE id = ?'),
      rollupAdd: db.prepare(
        `INSERT INTO rollup (kind, res, bucket, queue, channel, label, n, sum_ms, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, max = max(max, excluded.max)`,
      ),
      rollupGet: db.prepare<[number, number, number, number, number, number], { n: number; max: number }>(
        'SELECT n, max FROM rollup WHERE kind = ? AND res = ? AND bucket = ? AND queue = ? AND channel = ? AND label = ?',
      ),
      rollupDelete: db.prepare('DELETE FROM rollup WHERE kind = ? AND res = ? AND bucket = ? AND queue = ? AND channel = ? AND label = ?'),
      rollupSetMax: db.prepare(
        'UPDATE rollup SET max = ? WHERE kind = ? AND res = ? AND bucket = ? AND queue = ? AND channel = ? AND label = ?',
      ),
      maxIn: db.prepare<[number, number, number, number, number, number], { m: number | null }>(
        'SELECT max(value) AS m FROM samples WHERE kind = ? AND ms >= ? AND ms < ? AND queue = ? AND channel = ? AND label = ?',
      ),
      intervalsOf: db.prepare<[string], IntervalRow & { id: number }>(
        'SELECT id, ref, kind, queue, channel, worker, label, start_ms, end_ms, origin_ms FROM intervals WHERE owner = ?',
      ),
      intervalByRef: db.prepare<[string, string], IntervalRow & { id: number }>(
        'SELECT id, ref, kind, queue, channel, worker, label, start_ms, end_ms, origin_ms FROM intervals WHERE owner = ? AND ref = ?',
      ),
      insertInterval: db.prepare(
        'INSERT INTO intervals (owner, ref, kind, queue, channel, worker, label, start_ms, end_ms, origin_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteInterval: db.prepare('DELETE FROM intervals WHERE id = ?'),
      step: db.prepare(
        `INSERT INTO state_rollup (kind, res, bucket, queue, channel, label, d, w) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET d = d + excluded.d, w = w + excluded.w`,
      ),
      total: db.prepare(
        `INSERT INTO state_totals (kind, queue, channel, label, total) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET total = total + excluded.total`,
      ),
      pointPrev: db.prepare<[number, string], { rank: string; ms: number; label: number }>(
        'SELECT rank, ms, label FROM worker_points WHERE worker = ? AND rank < ? ORDER BY rank DESC LIMIT 1',
      ),
      pointNext: db.prepare<[number, string], { rank: string; ms: number; label: number }>(
        'SELECT rank, ms, label FROM worker_points WHERE worker = ? AND rank > ? ORDER BY rank ASC LIMIT 1',
      ),
      insertPoint: db.prepare('INSERT OR IGNORE INTO worker_points (worker, rank, ms, label) VALUES (?, ?, ?, ?)'),
    };
  }

  // ---- samples -------------------------------------------------------------------------------

  /** Replaces a task's samples with `next`, adjusting rollups only for what changed. */
  replaceSamples(taskSid: string, next: SampleRow[]): void {
    // Samples name their task by its id in the event log's Sid dictionary (its events put it there).
    const task = this.sids.id(taskSid)!;
    const old = this.fresh ? [] : (this.samplesCache.get(taskSid) ?? this.s.samplesOf.all(task));
    const remaining = new Map<string, SampleRow[]>();
    for (const r of next) {
      const k = sampleKey(r);
      const list = remaining.get(k);
      if (list) list.push(r);
      else remaining.set(k, [r]);
    }
    const kept: Stored<SampleRow>[] = [];
    for (const o of old) {
      const list = remaining.get(sampleKey(o));
      if (list && list.length > 0) {
        list.pop();
        kept.push(o);
      } else {
        this.s.deleteSample.run(o.id);
        this.rollupRemove(o);
      }
    }
    for (const list of remaining.values())
      for (const r of list) {
        const id = Number(this.s.insertSample.run(task, r.kind, r.ms, r.queue, r.channel, r.worker, r.label, r.value).lastInsertRowid);
        kept.push({ ...r, id });
        this.onSampleAdded?.(r);
        for (const res of RESOLUTIONS)
          this.rollupDelta([r.kind, res, bucketOf(r.ms, res), r.queue, r.channel, r.label], 1, r.value, r.value);
      }
    if (!this.fresh) this.samplesCache.set(taskSid, kept);
  }

  /** Forgets cached rows and pending deltas (after a rolled-back transaction). */
  clearCaches(): void {
    this.sids.forget();
    this.samplesCache.clear();
    this.intervalsCache.clear();
    this.pendingRollup.clear();
    this.pendingSteps.clear();
    this.pendingTotals.clear();
    this.staleMax.clear();
  }

  private rollupDelta(key: number[], n: number, seconds: number, max: number): void {
    const k = key.join(',');
    const sumMs = Math.round(seconds * 1000);
    const p = this.pendingRollup.get(k);
    if (p) {
      p.n += n;
      p.sumMs += sumMs;
      p.max = Math.max(p.max, max);
    } else this.pendingRollup.set(k, { key, n, sumMs, max });
  }

  /** Writes this transaction's merged rollup, step and total deltas; call before commit. */
  flush(): void {
    for (const p of this.pendingRollup.values()) if (p.n !== 0 || p.sumMs !== 0) this.s.rollupAdd.run(...p.key, p.n, p.sumMs, p.max);
    for (const key of this.staleMax.values()) {
      const k = key as [number, number, number, number, number, number];
      const row = this.s.rollupGet.get(...k);
      if (!row) continue;
      if (row.n <= 0) this.s.rollupDelete.run(...k);
      else {
        const [kind, res, bucket, queue, channel, label] = k;
        const m = this.s.maxIn.get(kind, bucket, bucket + res * 60_000, queue, channel, label)?.m ?? 0;
        this.s.rollupSetMax.run(m, ...k);
      }
    }
    for (const p of this.pendingSteps.values()) if (p.d !== 0 || p.w !== 0) this.s.step.run(...p.key, p.d, p.w);
    for (const p of this.pendingTotals.values()) if (p.total !== 0) this.s.total.run(...p.key, p.total);
    this.pendingRollup.clear();
    this.pendingSteps.clear();
    this.pendingTotals.clear();
    this.staleMax.clear();
  }

  private rollupRemove(r: SampleRow): void {
    for (const res of RESOLUTIONS) {
      const key = [r.kind, res, bucketOf(r.ms, res), r.queue, r.channel, r.label];
      this.rollupDelta(key, -1, -r.value, -Infinity);
      // The max may have left with this sample (or the row may be empty now): settle at flush.
      this.staleMax.set(key.join(','), key);
    }
  }

  // ---- intervals -----------------------------------------------------------------------------

  /** Replaces an owner's intervals with `next` (by ref), stepping the state rollups for changes. */
  replaceIntervals(owner: string, next: IntervalRow[]): void {
    const old = new Map(
      (this.fresh ? [] : (this.intervalsCache.get(owner) ?? this.s.intervalsOf.all(owner))).map((r) => [intervalKey(r), r]),
    );
    const kept: Stored<IntervalRow>[] = [];
    for (const r of next) {
      const k = intervalKey(r);
      const existing = old.get(k);
      if (existing) {
        old.delete(k);
        kept.push(existing);
      } else kept.push({ ...r, id: this.addInterval(owner, r) });
    }
    for (const r of old.values()) this.removeInterval(r);
    if (!this.fresh) this.intervalsCache.set(owner, kept);
  }

  addInterval(owner: string, r: IntervalRow): number {
    const id = Number(
      this.s.insertInterval.run(owner, r.ref, r.kind, r.queue, r.channel, r.worker, r.label, r.start_ms, r.end_ms, r.origin_ms)
        .lastInsertRowid,
    );
    this.steps(r, 1);
    this.marks.add(id, r.kind, r.start_ms, r.end_ms);
    return id;
  }

  removeInterval(r: IntervalRow & { id: number }): void {
    this.s.deleteInterval.run(r.id);
    this.steps(r, -1);
    this.marks.remove(r.id, r.kind, r.start_ms, r.end_ms);
  }

  intervalByRef(owner: string, ref: string): (IntervalRow & { id: number }) | undefined {
    return this.s.intervalByRef.get(owner, ref);
  }

  private steps(r: IntervalRow, sign: 1 | -1): void {
    this.step(r, r.start_ms, sign);
    if (r.end_ms < OPEN_END) this.step(r, r.end_ms, -sign as 1 | -1);
  }

  private step(r: IntervalRow, ms: number, delta: 1 | -1): void {
    for (const res of RESOLUTIONS) {
      const bucket = bucketOf(ms, res);
      const key = [r.kind, res, bucket, r.queue, r.channel, r.label];
      const k = key.join(',');
      const w = delta * (bucket + res * 60_000 - ms);
      const p = this.pendingSteps.get(k);
      if (p) {
        p.d += delta;
        p.w += w;
      } else this.pendingSteps.set(k, { key, d: delta, w });
    }
    const key = [r.kind, r.queue, r.channel, r.label];
    const k = key.join(',');
    const t = this.pendingTotals.get(k);
    if (t) t.total += delta;
    else this.pendingTotals.set(k, { key, total: delta });
  }

  // ---- worker activity points ----------------------------------------------------------------

  /** Records that `worker` entered activity `label` at `ms` (rank orders ties); splits its intervals. */
  addWorkerPoint(workerSid: string, worker: number, rank: string, ms: number, label: number): void {
    if (this.s.insertPoint.run(worker, rank, ms, label).changes === 0) return;
    const kind = INTERVAL_KIND_ID.agent;
    const prev = this.s.pointPrev.get(worker, rank);
    const next = this.s.pointNext.get(worker, rank);
    const end = next ? next.ms : OPEN_END;
    if (prev) {
      const covering = this.intervalByRef(workerSid, prev.rank);
      if (covering) this.removeInterval(covering);
      this.addInterval(workerSid, {
        ref: prev.rank,
        kind,
        queue: 0,
        channel: 0,
        worker,
        label: prev.label,
        start_ms: prev.ms,
        end_ms: ms,
        origin_ms: prev.ms,
      });
    }
    this.addInterval(workerSid, { ref: rank, kind, queue: 0, channel: 0, worker, label, start_ms: ms, end_ms: end, origin_ms: ms });
  }
}

export function bucketOf(ms: number, res: number): number {
  const w = res * 60_000;
  return Math.floor(ms / w) * w;
}

function sampleKey(r: SampleRow): string {
  return `${r.kind}|${r.ms}|${r.queue}|${r.channel}|${r.worker}|${r.label}|${r.value}`;
}

function intervalKey(r: IntervalRow): string {
  return `${r.ref}|${r.kind}|${r.queue}|${r.channel}|${r.worker}|${r.label}|${r.start_ms}|${r.end_ms}|${r.origin_ms}`;
}
