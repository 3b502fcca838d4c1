// Numbered, forward-only schema migrations, applied in order at start; `user_version` records the
// last one applied. Never edit a released migration: add the next number.
import type { Db } from './db';

export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'event log and current state',
    sql: `
      -- Append-only log: one row per TaskRouter event, unique on its Sid.
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        sid TEXT NOT NULL UNIQUE,
        event_type TEXT NOT NULL,
        event_ms INTEGER NOT NULL,
        received_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        account_sid TEXT, workspace_sid TEXT, resource_type TEXT, resource_sid TEXT,
        task_sid TEXT, task_age REAL, task_priority REAL, task_assignment_status TEXT,
        task_canceled_reason TEXT, task_completed_reason TEXT, channel TEXT,
        queue_sid TEXT, queue_name TEXT, queue_target_expression TEXT, queue_entered_ms INTEGER,
        workflow_sid TEXT, workflow_name TEXT, reservation_sid TEXT,
        worker_sid TEXT, worker_name TEXT, worker_activity_sid TEXT, worker_activity_name TEXT,
        worker_previous_activity_sid TEXT, worker_previous_activity_name TEXT,
        worker_time_in_previous_activity_ms INTEGER,
        activity_sid TEXT, activity_name TEXT, activity_available INTEGER,
        task_attributes TEXT, worker_attributes TEXT, description TEXT,
        -- Every other field received, as JSON; with the columns above the event is kept whole.
        raw_json TEXT NOT NULL
      );
      CREATE INDEX events_by_time ON events(event_ms);
      CREATE INDEX events_by_task ON events(task_sid, event_ms) WHERE task_sid IS NOT NULL;
      CREATE INDEX events_by_worker ON events(worker_sid, event_ms) WHERE worker_sid IS NOT NULL;

      -- Current state, maintained in the ingest transaction. Each group of columns carries a
      -- rank (zero-padded event time + Sid): a later event overwrites ("last") or an earlier one
      -- does ("first"), so the state is the same whatever order the events arrive in.
      CREATE TABLE tasks (
        task_sid TEXT PRIMARY KEY,
        created_ms INTEGER, created_rank TEXT,
        queue_sid TEXT, queue_name TEXT, queue_rank TEXT,
        channel TEXT, channel_rank TEXT,
        attributes TEXT, attributes_rank TEXT,
        priority REAL, priority_rank TEXT,
        entered_ms INTEGER, entered_rank TEXT,
        accepted_ms INTEGER, accepted_worker_sid TEXT, accepted_age REAL, accepted_rank TEXT,
        wrapup_ms INTEGER, wrapup_rank TEXT,
        completed_ms INTEGER, completed_rank TEXT,
        canceled_ms INTEGER, canceled_age REAL, canceled_rank TEXT,
        deleted_ms INTEGER, deleted_rank TEXT
      ) WITHOUT ROWID;
      CREATE INDEX tasks_open ON tasks(queue_name)
        WHERE completed_ms IS NULL AND canceled_ms IS NULL AND deleted_ms IS NULL;

      CREATE TABLE workers (
        worker_sid TEXT PRIMARY KEY,
        name TEXT, name_rank TEXT,
        attributes TEXT, attributes_rank TEXT,
        activity_sid TEXT, activity_name TEXT, activity_ms INTEGER, activity_rank TEXT,
        created_ms INTEGER, created_rank TEXT,
        deleted_ms INTEGER, deleted_rank TEXT
      ) WITHOUT ROWID;

      CREATE TABLE activities (
        activity_sid TEXT PRIMARY KEY,
        name TEXT, name_rank TEXT,
        available INTEGER, available_rank TEXT,
        deleted_ms INTEGER, deleted_rank TEXT
      ) WITHOUT ROWID;

      CREATE TABLE queues (
        queue_sid TEXT PRIMARY KEY,
        name TEXT, name_rank TEXT,
        target_expression TEXT, target_expression_rank TEXT
      ) WITHOUT ROWID;

      -- Running totals kept in the ingest transaction so health needs no table scan.
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta(key, value) VALUES ('events_stored', 0), ('last_event_ms', 0), ('last_received_ms', 0);
    `,
  },
];

/** Applies every migration newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest)
    throw new Error(`database schema version ${current} is newer than this collector understands (${latest}); upgrade Floorboard`);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
