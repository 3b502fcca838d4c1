// Owns the SQL of the floor's hourly checkpoints (migration 5): which closed intervals were open at
// each whole UTC hour, kept in step with the intervals table, and the read of the intervals open at
// any instant from the checkpoint before it — so a past floor costs at most an hour of intervals,
// however far back it is. Statements are prepared once.
import type { Db } from './db';
import { OPEN_END } from './facts';
import type { StoredInterval } from './intervals';

export const MARK_MS = 3_600_000;
/** Closed intervals longer than this get one "long" row (mark -1), not one per hour. */
export const LONG_MS = 31 * 86_400_000;
const LONG = -1;

/** The checkpoints an interval belongs to: every whole hour C with start <= C < end. */
export function marksOf(start: number, end: number): number[] {
  if (end >= OPEN_END) return [];
  if (end - start > LONG_MS) return [LONG];
  const out: number[] = [];
  for (let c = Math.ceil(start / MARK_MS) * MARK_MS; c < end; c += MARK_MS) out.push(c);
  return out;
}

const COLUMNS = 'i.owner, i.queue, i.channel, i.worker, i.label, i.start_ms, i.end_ms, i.origin_ms AS origin';

export class FloorMarks {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      add: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO floor_marks (kind, mark_ms, interval_id) VALUES (?, ?, ?)'),
      remove: db.prepare<[number, number, number]>('DELETE FROM floor_marks WHERE kind = ? AND mark_ms = ? AND interval_id = ?'),
      // kind, C, T (marks still open at T); kind, C, T, T (started in (C, T], open at T); kind, C (open, started by C);
      // kind, C, T (long ones started by C, still open at T).
      openAt: db.prepare<
        [number, number, number, number, number, number, number, number, number, number, number, number],
        StoredInterval & { owner: string }
      >(
        `SELECT ${COLUMNS} FROM floor_marks m JOIN intervals i ON i.id = m.interval_id WHERE m.kind = ? AND m.mark_ms = ? AND i.end_ms > ?
         UNION ALL
         SELECT ${COLUMNS} FROM intervals i WHERE i.kind = ? AND i.start_ms > ? AND i.start_ms <= ? AND i.end_ms > ?
         UNION ALL
         SELECT ${COLUMNS} FROM intervals i WHERE i.kind = ? AND i.end_ms = ${OPEN_END} AND i.start_ms <= ?
         UNION ALL
         SELECT ${COLUMNS} FROM floor_marks m JOIN intervals i ON i.id = m.interval_id
          WHERE m.kind = ? AND m.mark_ms = ${LONG} AND i.start_ms <= ? AND i.end_ms > ?`,
      ),
    };
  }

  /** Lists a newly stored interval under its checkpoints. */
  add(id: number, kind: number, start: number, end: number): void {
    for (const c of marksOf(start, end)) this.s.add.run(kind, c, id);
  }

  /** Forgets a removed interval's checkpoints. */
  remove(id: number, kind: number, start: number, end: number): void {
    for (const c of marksOf(start, end)) this.s.remove.run(kind, c, id);
  }

  /** Intervals of `kind` open at `at` (start <= at < end), with their owners. */
  openAt(kind: number, at: number): (StoredInterval & { owner: string })[] {
    const c = Math.floor(at / MARK_MS) * MARK_MS;
    return this.s.openAt.all(kind, c, at, kind, c, at, at, kind, c, kind, c, at);
  }
}
