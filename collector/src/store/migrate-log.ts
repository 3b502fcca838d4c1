// Migration 8: the compact event log. Creates the dictionaries (`names`, `sids`, `payloads`) and
// `event_log`, moves every row of the old `events` table over at the same log position — in pages
// of 10,000 rows, through the same encoder the log appends with (store/events.ts), so a migrated
// row is byte for byte what ingest would have written — drops the old table and puts a view of
// the same name and columns in its place, so ad-hoc SQL over `events` still reads as before
// (without `raw_json`: the whole received event is `EventLog.raw(sid)`).
// Released: never edit; change the log in a new migration.
import type { EventRecord } from '../taskrouter/record';
import { snakeCase } from '../taskrouter/record';
import type { Db } from './db';
import { LogDictionaries, SQL_EVENT_SID_TEXT, SQL_SID_KEY, SQL_SID_TEXT } from './dictionary';
import { DESCRIBED } from './event-codec';
import { EventLog, LOG_FIELDS } from './events';

const SCHEMA = `
  -- Names (event types, sources, queue / worker / activity names, reasons, description templates).
  CREATE TABLE names (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
  -- Sids: 'XX' + 32 hex as an 18-byte blob (the two letters, then the 16 bytes), anything else as text.
  CREATE TABLE sids (id INTEGER PRIMARY KEY, value NOT NULL UNIQUE);
  -- JSON texts (task and worker attributes, leftover-field templates), once each, found by hash.
  CREATE TABLE payloads (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, body TEXT NOT NULL);
  CREATE INDEX payloads_by_hash ON payloads (hash);

  -- One row per TaskRouter event, unique on its Sid ('EV' + 32 hex as 16 bytes). Columns named
  -- like a Sid or a name hold a dictionary id; times other than ms are offsets from ms;
  -- description is a names id (a template, see store/event-codec.ts) or the text itself; rest is
  -- the payload id of the received fields no column holds.
  CREATE TABLE event_log (
    id INTEGER PRIMARY KEY,
    sid NOT NULL UNIQUE,
    type INTEGER NOT NULL, ms INTEGER NOT NULL, received INTEGER NOT NULL, source INTEGER NOT NULL,
    account INTEGER, workspace INTEGER, resource_type INTEGER, resource INTEGER,
    task INTEGER, task_age REAL, task_priority REAL, task_assignment_status INTEGER,
    task_canceled_reason INTEGER, task_completed_reason INTEGER, channel INTEGER,
    queue INTEGER, queue_name INTEGER, queue_target_expression INTEGER, queue_entered INTEGER,
    task_age_in_queue REAL, task_created INTEGER, previous_queue INTEGER, previous_queue_name INTEGER,
    worker_available INTEGER, workflow INTEGER, workflow_name INTEGER, reservation INTEGER,
    worker INTEGER, worker_name INTEGER, worker_activity INTEGER, worker_activity_name INTEGER,
    worker_previous_activity INTEGER, worker_previous_activity_name INTEGER,
    worker_time_in_previous_activity_ms INTEGER,
    activity INTEGER, activity_name INTEGER, activity_available INTEGER,
    task_attributes INTEGER, worker_attributes INTEGER,
    description, rest INTEGER
  );
`;

/** Record keys read from an old row (its column is the key in snake case). */
const RECORD_KEYS = ['eventType', 'eventMs', 'source', ...LOG_FIELDS.map((f) => f[1]), 'description'] as const;
const BOOLEAN_KEYS = new Set(LOG_FIELDS.filter((f) => f[2] === 'bool').map((f) => f[1] as string));
const PAGE = 10_000;

export function compactEventLog(db: Db): void {
  db.exec(SCHEMA);
  const log = new EventLog(db);
  const page = db.prepare<[number, number]>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').raw();
  const at = new Map(page.columns().map((c, i) => [c.name, i]));
  const col = (name: string) => at.get(name)!;
  const fields = RECORD_KEYS.map((key) => [key, col(snakeCase(key)), BOOLEAN_KEYS.has(key)] as const);
  const [id, sid, received, raw] = [col('id'), col('sid'), col('received_ms'), col('raw_json')];
  for (let after = 0; ;) {
    const rows = page.all(after, PAGE) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      const rec: Record<string, unknown> = { sid: row[sid] };
      for (const [key, i, bool] of fields) {
        const v = row[i] ?? null;
        rec[key] = bool && v !== null ? v === 1 : v;
      }
      // The old raw_json holds exactly the fields no column kept: they are the leftovers again.
      rec.raw = JSON.parse(row[raw] as string) as unknown;
      log.copy(row[id] as number, rec as unknown as EventRecord, row[received] as number);
    }
    after = rows[rows.length - 1]![id] as number;
  }
  // A task's attributes in its state row become their payload id too.
  db.exec('ALTER TABLE tasks ADD COLUMN attributes_id INTEGER');
  const tasks = db
    .prepare<[string, number]>(
      'SELECT task_sid, attributes FROM tasks WHERE task_sid > ? AND attributes IS NOT NULL ORDER BY task_sid LIMIT ?',
    )
    .raw();
  const setId = db.prepare<[number | null, string]>('UPDATE tasks SET attributes_id = ? WHERE task_sid = ?');
  const payloads = LogDictionaries.of(db).payloads;
  for (let after = ''; ;) {
    const rows = tasks.all(after, PAGE) as [string, string][];
    if (rows.length === 0) break;
    for (const [sid, text] of rows) setId.run(payloads.id(text), sid);
    after = rows[rows.length - 1]![0];
  }
  db.exec('ALTER TABLE tasks DROP COLUMN attributes; ALTER TABLE tasks RENAME COLUMN attributes_id TO attributes');
  db.exec(`
    -- Samples name their task by its id in the Sid dictionary too (34 bytes less in a row and its index).
    INSERT OR IGNORE INTO sids (value) SELECT DISTINCT ${SQL_SID_KEY('task_sid')} FROM samples;
    CREATE TABLE samples_by_id (
      id INTEGER PRIMARY KEY,
      task INTEGER NOT NULL,
      kind INTEGER NOT NULL, ms INTEGER NOT NULL,
      queue INTEGER NOT NULL, channel INTEGER NOT NULL, worker INTEGER NOT NULL, label INTEGER NOT NULL,
      value REAL NOT NULL
    );
    INSERT INTO samples_by_id (id, task, kind, ms, queue, channel, worker, label, value)
      SELECT s.id, (SELECT d.id FROM sids d WHERE d.value = ${SQL_SID_KEY('s.task_sid')}), s.kind, s.ms, s.queue, s.channel, s.worker, s.label, s.value
        FROM samples s ORDER BY s.id;
    DROP TABLE samples;
    ALTER TABLE samples_by_id RENAME TO samples;
    CREATE INDEX samples_by_kind_time ON samples (kind, ms);
    CREATE INDEX samples_by_task ON samples (task);

    DROP TABLE events;
    -- A task's events (facts, retention, the floor at an instant): a task has a few, so the index
    -- holds no time (readers order the task's rows themselves), ~7 bytes less per event.
    CREATE INDEX event_log_by_task ON event_log (task) WHERE task IS NOT NULL;
  `);
  db.exec(EVENTS_VIEW);
}

/** Old column -> new column, for Sids and names (the view spells them out again). */
const SID_COLUMNS = LOG_FIELDS.filter((f) => f[2] === 'sid').map(([col, key]) => [snakeCase(key), col] as const);
const NAME_COLUMNS = LOG_FIELDS.filter((f) => f[2] === 'name').map(([col, key]) => [snakeCase(key), col] as const);
const VALUE_COLUMNS = LOG_FIELDS.filter((f) => f[2] === 'value' || f[2] === 'bool').map(([col]) => col);

const sidOf = (col: string) => `(SELECT ${SQL_SID_TEXT('s.value')} FROM sids s WHERE s.id = l.${col})`;
const nameOf = (col: string) => `(SELECT n.value FROM names n WHERE n.id = l.${col})`;
const payloadOf = (col: string) => `(SELECT p.body FROM payloads p WHERE p.id = l.${col})`;
const described = DESCRIBED.reduce(
  (acc, [code, key]) => `replace(${acc}, char(1) || '${code}', coalesce(d.${snakeCase(key)}, ''))`,
  `(SELECT n.value FROM names n WHERE n.id = d.description_code)`,
);
const OLD_COLUMNS = [
  'id',
  'sid',
  'event_type',
  'event_ms',
  'received_ms',
  'source',
  ...SID_COLUMNS.map(([old]) => old),
  ...NAME_COLUMNS.map(([old]) => old),
  ...VALUE_COLUMNS,
  'queue_entered_ms',
  'task_created_ms',
  'task_attributes',
  'worker_attributes',
];

/** The old `events` table's columns (all but raw_json), read from the compact log. For people and tests, not the collector. */
const EVENTS_VIEW = `
  CREATE VIEW events AS SELECT ${OLD_COLUMNS.map((c) => `d.${c}`).join(', ')},
    CASE WHEN typeof(d.description_code) = 'integer' THEN ${described} ELSE d.description_code END AS description
  FROM (SELECT l.id AS id, ${SQL_EVENT_SID_TEXT('l.sid')} AS sid, ${nameOf('type')} AS event_type, l.ms AS event_ms,
          l.ms + l.received AS received_ms, ${nameOf('source')} AS source,
          ${SID_COLUMNS.map(([old, col]) => `${sidOf(col)} AS ${old}`).join(', ')},
          ${NAME_COLUMNS.map(([old, col]) => `${nameOf(col)} AS ${old}`).join(', ')},
          ${VALUE_COLUMNS.map((c) => `l.${c} AS ${c}`).join(', ')},
          l.ms + l.queue_entered AS queue_entered_ms, l.ms + l.task_created AS task_created_ms,
          ${payloadOf('task_attributes')} AS task_attributes, ${payloadOf('worker_attributes')} AS worker_attributes,
          l.description AS description_code
        FROM event_log l) d`;
