// Owns the SQL that reads intervals (tasks waiting / in progress, agents in an activity) and their
// step rollups for queries and the snapshot. Statements are prepared once.
import type { IntervalRow } from './facts';
import type { Db } from './db';
import { SQL_SID_KEY } from './dictionary';
import { FloorMarks } from './floor-marks';

/** An interval as queries read it: dimension ids, start and end (OPEN_END while open), origin (task creation or queue entry). */
export type StoredInterval = Omit<IntervalRow, 'ref' | 'kind' | 'origin_ms'> & { origin: number };

export class IntervalStore {
  private readonly s;
  private readonly marks: FloorMarks;

  constructor(db: Db) {
    this.marks = new FloorMarks(db);
    this.s = {
      overlapping: db.prepare<[number, number, number], StoredInterval>(
        'SELECT queue, channel, worker, label, start_ms, end_ms, origin_ms AS origin FROM intervals WHERE kind = ? AND end_ms > ? AND start_ms < ?',
      ),
      // Accepted tasks (in-progress intervals) with the task's newest stored attributes.
      heldTasks: db.prepare<[number, number, number], { worker: number; start_ms: number; end_ms: number; attributes: string | null }>(
        `SELECT i.worker, i.start_ms, i.end_ms,
                (SELECT p.body FROM event_log e JOIN payloads p ON p.id = e.task_attributes
                  WHERE e.task = (SELECT s.id FROM sids s WHERE s.value = ${SQL_SID_KEY('i.owner')}) AND e.task_attributes IS NOT NULL
                  ORDER BY e.ms DESC, e.id DESC LIMIT 1) AS attributes
           FROM intervals i WHERE i.kind = ? AND i.end_ms > ? AND i.start_ms < ?`,
      ),
      endingAt: db.prepare<[number, number], StoredInterval>(
        'SELECT queue, channel, worker, label, start_ms, end_ms, origin_ms AS origin FROM intervals WHERE kind = ? AND end_ms = ?',
      ),
      timeByWorkerLabel: db.prepare<[number, number, number, number, number], { worker: number; label: number; ms: number }>(
        `SELECT worker, label, sum(min(end_ms, ?) - max(start_ms, ?)) AS ms FROM intervals
          WHERE kind = ? AND end_ms > ? AND start_ms < ? GROUP BY worker, label`,
      ),
      labelsSince: db.prepare<[number, number, number, number], { label: number }>(
        'SELECT DISTINCT label FROM state_rollup WHERE kind = ? AND res = ? AND bucket >= ? UNION SELECT label FROM state_totals WHERE kind = ? AND total <> 0',
      ),
      totals: db.prepare<[number], { queue: number; channel: number; label: number; total: number }>(
        'SELECT queue, channel, label, total FROM state_totals WHERE kind = ?',
      ),
      stepsSince: db.prepare<
        [number, number, number],
        { bucket: number; queue: number; channel: number; label: number; d: number; w: number }
      >(
        'SELECT bucket, queue, channel, label, sum(d) AS d, sum(w) AS w FROM state_rollup WHERE kind = ? AND res = ? AND bucket >= ? GROUP BY bucket, queue, channel, label',
      ),
    };
  }

  /** Intervals of `kind` overlapping [from, to). */
  overlapping(kind: number, from: number, to: number): StoredInterval[] {
    return this.s.overlapping.all(kind, from, to);
  }

  /**
   * Intervals of `kind` open at instant `at` (started at or before it, ending after it), with each
   * one's owner (the task or worker Sid): the floor at `at`, read from the hourly checkpoint before it.
   */
  openAt(kind: number, at: number): (StoredInterval & { owner: string })[] {
    return this.marks.openAt(kind, at);
  }

  /** Accepted tasks of `kind` (in progress) overlapping [from, to), each with its newest task attributes (JSON text). */
  heldTasks(kind: number, from: number, to: number): { worker: number; start_ms: number; end_ms: number; attributes: string | null }[] {
    return this.s.heldTasks.all(kind, from, to);
  }

  /** Intervals of `kind` whose end is `end` (OPEN_END: the open ones). */
  endingAt(kind: number, end: number): StoredInterval[] {
    return this.s.endingAt.all(kind, end);
  }

  /** Milliseconds each worker spent under each label within [from, to). */
  timeByWorkerLabel(kind: number, from: number, to: number): { worker: number; label: number; ms: number }[] {
    return this.s.timeByWorkerLabel.all(to, from, kind, from, to);
  }

  /** Labels seen in the step rollups at resolution `res` from `from` on, or with a non-zero running total. */
  labelsSince(kind: number, res: number, from: number): number[] {
    return this.s.labelsSince.all(kind, res, from, kind).map((r) => r.label);
  }

  /** Running totals of the step rollups (the level now), per queue, channel and label. */
  totals(kind: number): { queue: number; channel: number; label: number; total: number }[] {
    return this.s.totals.all(kind);
  }

  /** Per bucket from `from` on: the step `d` and its time integral within the bucket `w`. */
  stepsSince(
    kind: number,
    res: number,
    from: number,
  ): { bucket: number; queue: number; channel: number; label: number; d: number; w: number }[] {
    return this.s.stepsSince.all(kind, res, from);
  }
}
