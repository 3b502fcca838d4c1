// The whole store as plain sorted rows, for comparing two databases that should hold the same facts
// (crash tests, soak runs, rebuild checks).
import type { Db } from './db';
import { SQL_SID_TEXT } from './dictionary';

/** Tables whose rows are compared as they are (no dimension ids, no rowids). */
const STATE_TABLES = ['tasks', 'workers', 'activities', 'queues'] as const;

/**
 * The stored state and facts as plain sorted rows, dimension ids replaced by names and rowids
 * dropped, so two stores filled in different orders compare equal when they hold the same facts.
 * Maxima are rounded to 1e-6.
 */
export function storeFingerprint(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of STATE_TABLES) {
    // A task's attributes are a payload id (ids depend on arrival order): compared as their text.
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).map((c) =>
      t === 'tasks' && c === 'attributes' ? '(SELECT body FROM payloads WHERE id = attributes)' : c,
    );
    out[t] = db
      .prepare(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY 1`)
      .raw()
      .all();
  }
  const dim = (col: string, alias: string) => `(SELECT name FROM dims WHERE id = ${alias}.${col})`;
  out.events = db.prepare('SELECT count(*), count(DISTINCT sid), min(ms), max(ms) FROM event_log').raw().all();
  out.samples = db
    .prepare(
      `SELECT (SELECT ${SQL_SID_TEXT('value')} FROM sids WHERE id = s.task), kind, ms, ${dim('queue', 's')}, ${dim('channel', 's')}, ${dim('worker', 's')}, ${dim('label', 's')}, value FROM samples s ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    )
    .raw()
    .all();
  out.intervals = db
    .prepare(
      `SELECT owner, ref, kind, ${dim('queue', 'i')}, ${dim('channel', 'i')}, ${dim('worker', 'i')}, ${dim('label', 'i')}, start_ms, end_ms, origin_ms FROM intervals i ORDER BY 1, 2, 3`,
    )
    .raw()
    .all();
  out.rollup = db
    .prepare(
      `SELECT kind, res, bucket, ${dim('queue', 'r')} AS q, ${dim('channel', 'r')} AS c, ${dim('label', 'r')} AS l, n, sum_ms, round(max, 6) FROM rollup r ORDER BY 1, 2, 3, 4, 5, 6`,
    )
    .raw()
    .all();
  out.state_rollup = db
    .prepare(
      `SELECT kind, res, bucket, ${dim('queue', 'r')} AS q, ${dim('channel', 'r')} AS c, ${dim('label', 'r')} AS l, d, w FROM state_rollup r WHERE d <> 0 OR w <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    )
    .raw()
    .all();
  out.worker_points = db
    .prepare(`SELECT ${dim('worker', 'p')} AS w, rank, ms, ${dim('label', 'p')} FROM worker_points p ORDER BY 1, 2`)
    .raw()
    .all();
  return out;
}
