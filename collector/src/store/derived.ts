// The tables derived from the event log (state, task facts, samples, intervals, rollups, worker
// points, the dimension dictionary) and the meta flags that say whether they still match the
// definitions in this version: `rebuild_required` (set by a migration that changes a definition, or
// by an offline rebuild that has not finished) and `pruned_before_ms` (retention removed older events, so
// their facts live only in the derived tables).
import type { Db } from './db';

/** Every table `npx floorboard rebuild` recomputes from the log, in the order they are emptied. */
export const DERIVED_TABLES = [
  'tasks',
  'workers',
  'activities',
  'queues',
  'samples',
  'rollup',
  'intervals',
  'floor_marks',
  'state_rollup',
  'state_totals',
  'worker_points',
] as const;

/** Why the derived tables need a rebuild: the migration that changed a definition, or an unfinished rebuild. */
export const REBUILD_UNFINISHED = -1;

export class DerivedTables {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare<[string, number]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      unset: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
    };
  }

  /** Null when the derived tables match this version's definitions; else why not (a migration version or REBUILD_UNFINISHED). */
  rebuildRequired(): number | null {
    return this.s.get.get('rebuild_required')?.value ?? null;
  }

  /** The newest retention cutoff that deleted events (epoch ms), or null when nothing was ever pruned. */
  prunedBefore(): number | null {
    return this.s.get.get('pruned_before_ms')?.value ?? null;
  }

  /** Empties every derived table and marks the rebuild unfinished; call inside a transaction. */
  clear(): void {
    for (const t of DERIVED_TABLES) this.db.prepare(`DELETE FROM ${t}`).run();
    this.db.prepare('DELETE FROM dims WHERE id <> 0').run();
    this.s.set.run('rebuild_required', REBUILD_UNFINISHED);
  }

  /** Marks the derived tables current (the last step of a rebuild, in its last transaction). */
  finished(): void {
    // Everything the log holds is projected now.
    this.db.prepare("UPDATE meta SET value = (SELECT coalesce(max(id), 0) FROM event_log) WHERE key = 'projected_id'").run();
    this.s.unset.run('rebuild_required');
    this.s.unset.run('pruned_before_ms');
  }
}

/** Why a rebuild is due, in one line (the start-up log, `rebuild --check`). */
export function describeRebuildRequired(reason: number): string {
  return reason === REBUILD_UNFINISHED
    ? 'a rebuild of the derived tables was started and did not finish'
    : `schema migration ${reason} changed how metrics are derived`;
}

/** What to run about it (`rebuild --check`). */
export const REBUILD_HOW =
  'run `npx floorboard rebuild` on a stopped collector, or `npx floorboard rebuild --online` against a running one (a collector starts one by itself at start-up)';
