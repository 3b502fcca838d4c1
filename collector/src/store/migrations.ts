// Numbered, forward-only schema migrations, applied in order at start; `user_version` records the
// last one applied. Never edit a released migration: add the next number.
import type { Db } from './db';
import { compactEventLog } from './migrate-log';
import { restoreIndexNames } from './shadow';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration changes how something is derived from the events (a fact, a state column): a
   * database that already holds events gets the meta flag `rebuild_required` = this version: the
   * collector then starts an online rebuild at start-up (serving the old answers until its swap),
   * and a rebuild, online or offline, clears it.
   */
  rebuild?: boolean;
  /** A step in code after `sql`, in the same transaction (a conversion SQL alone cannot express). */
  up?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
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
  {
    version: 2,
    name: 'metric facts and rollups',
    sql: `
      -- Names used as dimensions (queue, channel, worker, label) -> small integer ids; 0 = none.
      CREATE TABLE dims (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name));
      INSERT INTO dims (id, kind, name) VALUES (0, 'none', '');

      -- Countable occurrences derived from each task's events (see metrics/taskfacts.ts), replaced
      -- whenever a new event of the task arrives. value: seconds for durations, 1 for counts.
      CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        task_sid TEXT NOT NULL,
        kind INTEGER NOT NULL, ms INTEGER NOT NULL,
        queue INTEGER NOT NULL, channel INTEGER NOT NULL, worker INTEGER NOT NULL, label INTEGER NOT NULL,
        value REAL NOT NULL
      );
      CREATE INDEX samples_by_kind_time ON samples (kind, ms);
      CREATE INDEX samples_by_task ON samples (task_sid);

      -- Samples summed per 15-minute and 1-hour UTC bucket (res = bucket width in minutes). Sums are
      -- integer milliseconds so they come out the same whatever order the samples were added in.
      CREATE TABLE rollup (
        kind INTEGER NOT NULL, res INTEGER NOT NULL, bucket INTEGER NOT NULL,
        queue INTEGER NOT NULL, channel INTEGER NOT NULL, label INTEGER NOT NULL,
        n INTEGER NOT NULL, sum_ms INTEGER NOT NULL, max REAL NOT NULL,
        PRIMARY KEY (kind, res, bucket, queue, channel, label)
      ) WITHOUT ROWID;

      -- Intervals behind the state metrics: a task waiting in a queue, a task in progress, a worker
      -- in an activity. end_ms = 9e15 while open. owner: task or worker Sid; ref: identity within it.
      CREATE TABLE intervals (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL, ref TEXT NOT NULL,
        kind INTEGER NOT NULL, queue INTEGER NOT NULL, channel INTEGER NOT NULL,
        worker INTEGER NOT NULL, label INTEGER NOT NULL,
        start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
        -- when the task was created (a waiting task's age counts from here); start_ms for agents
        origin_ms INTEGER NOT NULL
      );
      CREATE INDEX intervals_by_owner ON intervals (owner, ref);
      CREATE INDEX intervals_by_kind_end ON intervals (kind, end_ms, start_ms);

      -- Each interval is a step +1 at its start and -1 at its end. Per bucket: d = net step,
      -- w = sum of step x (bucket end - step time), so the integral over a bucket is
      -- level_at_start x width + w. Linear, so order-independent and exactly reversible.
      CREATE TABLE state_rollup (
        kind INTEGER NOT NULL, res INTEGER NOT NULL, bucket INTEGER NOT NULL,
        queue INTEGER NOT NULL, channel INTEGER NOT NULL, label INTEGER NOT NULL,
        d INTEGER NOT NULL, w REAL NOT NULL,
        PRIMARY KEY (kind, res, bucket, queue, channel, label)
      ) WITHOUT ROWID;
      CREATE TABLE state_totals (
        kind INTEGER NOT NULL, queue INTEGER NOT NULL, channel INTEGER NOT NULL, label INTEGER NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (kind, queue, channel, label)
      ) WITHOUT ROWID;

      -- Worker activity changes (worker.created / activity.update / deleted), by event rank.
      CREATE TABLE worker_points (
        worker INTEGER NOT NULL, rank TEXT NOT NULL, ms INTEGER NOT NULL, label INTEGER NOT NULL,
        PRIMARY KEY (worker, rank)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'covering index for interval sweeps',
    sql: `
      -- Sweeps (customers waiting, agents by queue) read every column of the intervals in a range:
      -- with all of them in the index, SQLite never visits the table.
      DROP INDEX intervals_by_kind_end;
      CREATE INDEX intervals_by_kind_end ON intervals (kind, end_ms, start_ms, queue, channel, worker, label, origin_ms);
    `,
  },
  {
    version: 4,
    name: 'documented Twilio fields and the quarantine',
    sql: `
      -- Facts Twilio gives on the event itself (Event Streams TaskRouter.WDSEvent, REST event_data).
      ALTER TABLE events ADD COLUMN task_age_in_queue REAL;
      ALTER TABLE events ADD COLUMN task_created_ms INTEGER;
      ALTER TABLE events ADD COLUMN previous_queue_sid TEXT;
      ALTER TABLE events ADD COLUMN previous_queue_name TEXT;
      ALTER TABLE events ADD COLUMN worker_available INTEGER;

      -- Authenticated events that could not be read (no Sid, type or time), kept verbatim with the
      -- reason until a newer parser can read them (npx floorboard quarantine replay).
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        received_ms INTEGER NOT NULL,
        transport TEXT NOT NULL,
        -- The Sid the event claims, when it has one that can be told apart.
        event_sid TEXT,
        reason TEXT NOT NULL,
        -- The event exactly as received: the CloudEvent's JSON text, or the form fields as JSON.
        body TEXT NOT NULL,
        -- When a replay stored it (or found it already stored); NULL while it waits.
        replayed_ms INTEGER,
        replay_result TEXT
      );
      CREATE INDEX quarantine_waiting ON quarantine (id) WHERE replayed_ms IS NULL;
    `,
  },
  {
    version: 5,
    name: 'the projector follows the event log by position; no time index on the log',
    sql: `
      -- Nothing reads the log by event time any more (retention walks it by position): one B-tree
      -- write less per event, ~20 bytes less per stored event.
      DROP INDEX events_by_time;

      -- The log position up to which every event is folded into the derived tables; written in the
      -- projector's transaction with its outputs. Until now that happened in the ingest transaction,
      -- so everything stored is projected.
      INSERT INTO meta (key, value) SELECT 'projected_id', coalesce(max(id), 0) FROM events;
    `,
  },
  {
    version: 6,
    name: 'hourly checkpoints of the floor',
    sql: `
      -- The floor at a past instant T is the intervals open at T. Reading them straight from
      -- intervals_by_kind_end scans every interval ending after T (all of them, for T long ago), so:
      -- at each whole UTC hour C, the closed intervals open then (start_ms <= C < end_ms) are listed
      -- here, and the floor at T = those of C = hour(T) still open at T + those started in (C, T] +
      -- the open ones started by C. A closed interval longer than 31 days gets one row at
      -- mark_ms = -1 instead (checked at every T). Kept with the intervals (store/facts.ts).
      CREATE TABLE floor_marks (
        kind INTEGER NOT NULL, mark_ms INTEGER NOT NULL, interval_id INTEGER NOT NULL,
        PRIMARY KEY (kind, mark_ms, interval_id)
      ) WITHOUT ROWID;
      CREATE INDEX intervals_by_kind_start ON intervals (kind, start_ms, end_ms, queue, channel, worker, label, origin_ms);
      INSERT INTO floor_marks (kind, mark_ms, interval_id)
        SELECT kind, -1, id FROM intervals WHERE end_ms < 9e15 AND end_ms - start_ms > 31 * 86400000;
      INSERT INTO floor_marks (kind, mark_ms, interval_id)
        WITH RECURSIVE m(id, kind, mark, end_ms) AS (
          SELECT id, kind, ((start_ms + 3599999) / 3600000) * 3600000, end_ms FROM intervals
            WHERE end_ms < 9e15 AND end_ms - start_ms <= 31 * 86400000
          UNION ALL SELECT id, kind, mark + 3600000, end_ms FROM m WHERE mark + 3600000 < end_ms
        )
        SELECT kind, mark, id FROM m WHERE mark < end_ms;
    `,
  },
  {
    version: 7,
    name: 'abandoned-within-threshold samples (service-level variants)',
    // Tasks abandoned before this version have no abandoned_in_sl sample: the met_within_threshold
    // rule would under-count them until their facts are derived again.
    rebuild: true,
    sql: '',
  },
  {
    version: 8,
    name: 'the compact event log: dictionary-encoded Sids and names, each payload stored once; samples name their task by id',
    // Creates `names`, `sids`, `payloads` and `event_log`, moves every event over in pages and
    // replaces the `events` table by a view of the same columns; samples get the task's Sid id
    // instead of its text (store/migrate-log.ts).
    sql: '',
    up: compactEventLog,
  },
  {
    version: 9,
    name: 'a time index on the event log again, for the floor at a past instant',
    sql: `
      -- GET /api/snapshot?at=T reads the newest event at or before T and the oldest event (store/floor.ts):
      -- without this index each is a scan of the whole log (110 ms over 270k events, seconds over
      -- millions); with it, one index seek each.
      CREATE INDEX event_log_by_time ON event_log (ms);
    `,
  },
];

/** Applies every migration newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest)
    throw new Error(`database schema version ${current} is newer than this collector understands (${latest}); upgrade Floorboard`);
  // An online rebuild may have left indexes under their alternate name: migrations name them by their own.
  if (current > 0 && current < latest) restoreIndexNames(db);
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Take the write lock before reading the version again: processes opening one new database at
    // once (a demo and a server) must not both apply the same migration.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      db.exec(m.sql);
      m.up?.(db);
      if (m.rebuild && current > 0 && hasEvents(db))
        db.prepare(
          "INSERT INTO meta (key, value) VALUES ('rebuild_required', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        ).run(m.version);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return latest;
}

function hasEvents(db: Db): boolean {
  return db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
}
