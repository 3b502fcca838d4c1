// Migration 8: the compact event log. Creates the dictionaries (`names`, `sids`, `payloads`) and
// `event_log`, moves every row of the old `events` table over with a few set-based statements (the
// templates of descriptions and leftover fields come from the same code the log writes with,
// registered as SQL functions), drops the old table and puts a view of the same name and columns
// in its place, so ad-hoc SQL over `events` still reads as before (without `raw_json`: the whole
// received event is `EventLog.raw(sid)`). Released: never edit; change the log in a new migration.
import type { Db } from './db';
import { payloadHash, SQL_EVENT_SID_KEY, SQL_EVENT_SID_TEXT, SQL_SID_KEY, SQL_SID_TEXT } from './dictionary';
import { snakeCase } from '../taskrouter/record';
import { DESCRIBED, describeTemplate, restTemplate } from './event-codec';
import type { LoggedRecord } from './events';

const SCHEMA = `
  -- Names (event types, sources, queue / worker / activity names, reasons, description templates).
  CREATE TABLE names (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
  -- Sids: 'XX' + 32 hex as an 18-byte blob (the two letters, then the 16 bytes), anything else as text.
  CREATE TABLE sids (id INTEGER PRIMARY KEY, value NOT NULL UNIQUE);
  -- JSON texts (task and worker attributes, leftover-field templates), once each, found by hash.
  CREATE TABLE payloads (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, body TEXT NOT NULL);

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

/** Old column -> new column, for Sids and names; the rest are copied or offset. */
const SID_COLUMNS = [
  ['account_sid', 'account'],
  ['workspace_sid', 'workspace'],
  ['resource_sid', 'resource'],
  ['task_sid', 'task'],
  ['queue_sid', 'queue'],
  ['previous_queue_sid', 'previous_queue'],
  ['workflow_sid', 'workflow'],
  ['reservation_sid', 'reservation'],
  ['worker_sid', 'worker'],
  ['worker_activity_sid', 'worker_activity'],
  ['worker_previous_activity_sid', 'worker_previous_activity'],
  ['activity_sid', 'activity'],
] as const;
const NAME_COLUMNS = [
  ['event_type', 'type'],
  ['source', 'source'],
  ['resource_type', 'resource_type'],
  ['task_assignment_status', 'task_assignment_status'],
  ['task_canceled_reason', 'task_canceled_reason'],
  ['task_completed_reason', 'task_completed_reason'],
  ['channel', 'channel'],
  ['queue_name', 'queue_name'],
  ['queue_target_expression', 'queue_target_expression'],
  ['previous_queue_name', 'previous_queue_name'],
  ['workflow_name', 'workflow_name'],
  ['worker_name', 'worker_name'],
  ['worker_activity_name', 'worker_activity_name'],
  ['worker_previous_activity_name', 'worker_previous_activity_name'],
  ['activity_name', 'activity_name'],
] as const;
const VALUE_COLUMNS = ['task_age', 'task_priority', 'task_age_in_queue', 'worker_available', 'worker_time_in_previous_activity_ms', 'activity_available'];
const OFFSET_COLUMNS = [
  ['queue_entered_ms', 'queue_entered'],
  ['task_created_ms', 'task_created'],
] as const;

/** The old columns a description template may name (store/event-codec.ts), in its order. */
const DESCRIBE_ARGS = DESCRIBED.map(([, key]) => snakeCase(key));
const REST_ARGS = [
  'event_ms',
  'task_age',
  'task_priority',
  'task_age_in_queue',
  'queue_entered_ms',
  'task_created_ms',
  'worker_time_in_previous_activity_ms',
  'worker_available',
  'activity_available',
] as const;

type Cell = string | number | null;

function registerCodec(db: Db): void {
  db.function('fb_hash', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? payloadHash(text) : null));
  db.function('fb_describe', { deterministic: true, varargs: true }, (text: unknown, ...args: unknown[]) => {
    if (typeof text !== 'string') return null;
    const rec = Object.fromEntries(DESCRIBED.map(([, key], i) => [key, args[i]])) as unknown as LoggedRecord;
    return describeTemplate(text, rec);
  });
  db.function('fb_rest', { deterministic: true, varargs: true }, (json: unknown, ...a: unknown[]) => {
    const v = a as Cell[];
    const bool = (x: Cell) => (x === null ? null : x === 1);
    const rec = {
      eventMs: v[0],
      taskAge: v[1],
      taskPriority: v[2],
      taskAgeInQueue: v[3],
      queueEnteredMs: v[4],
      taskCreatedMs: v[5],
      workerTimeInPreviousActivityMs: v[6],
      workerAvailable: bool(v[7]!),
      activityAvailable: bool(v[8]!),
    } as unknown as LoggedRecord;
    return restTemplate(JSON.parse(typeof json === 'string' ? json : '{}') as Record<string, string | number | boolean | null>, rec);
  });
}

const describeCall = `fb_describe(e.description, ${DESCRIBE_ARGS.map((c) => `e.${c}`).join(', ')})`;
const restCall = `fb_rest(e.raw_json, ${REST_ARGS.map((c) => `e.${c}`).join(', ')})`;

/** One scan of `events` giving each of `exprs` as a row of its own (a CROSS JOIN keeps `events` outermost). */
function eachOf(exprs: readonly string[]): string {
  const picks = exprs.map((x, i) => `WHEN ${i} THEN ${x}`).join(' ');
  const ks = exprs.map((_, i) => `(${i})`).join(', ');
  return `SELECT v FROM (SELECT CASE k.column1 ${picks} END AS v FROM events e CROSS JOIN (VALUES ${ks}) AS k) WHERE v IS NOT NULL`;
}

export function compactEventLog(db: Db): void {
  db.exec(SCHEMA);
  registerCodec(db);
  // Dictionaries first (each value once; the unique indexes drop repeats), then the rows.
  db.exec(`INSERT OR IGNORE INTO names (value) ${eachOf([...NAME_COLUMNS.map(([old]) => `e.${old}`), describeCall])}`);
  db.exec(`INSERT OR IGNORE INTO sids (value) ${eachOf(SID_COLUMNS.map(([old]) => SQL_SID_KEY(`e.${old}`)))}`);
  db.exec('CREATE UNIQUE INDEX payloads_by_body ON payloads (body)');
  db.exec(
    `INSERT OR IGNORE INTO payloads (hash, body) SELECT fb_hash(v), v FROM (${eachOf(['e.task_attributes', 'e.worker_attributes', restCall])})`,
  );
  const name = (x: string) => `(SELECT id FROM names WHERE value = ${x})`;
  const cols: [string, string][] = [
    ['id', 'e.id'],
    ['sid', SQL_EVENT_SID_KEY('e.sid')],
    ['received', 'e.received_ms - e.event_ms'],
    ['ms', 'e.event_ms'],
    ...NAME_COLUMNS.map(([old, col]): [string, string] => [col, name(`e.${old}`)]),
    ...SID_COLUMNS.map(([old, col]): [string, string] => [col, `(SELECT id FROM sids WHERE value = ${SQL_SID_KEY(`e.${old}`)})`]),
    ...VALUE_COLUMNS.map((c): [string, string] => [c, `e.${c}`]),
    ...OFFSET_COLUMNS.map(([old, col]): [string, string] => [col, `e.${old} - e.event_ms`]),
    ['task_attributes', '(SELECT id FROM payloads WHERE body = e.task_attributes)'],
    ['worker_attributes', '(SELECT id FROM payloads WHERE body = e.worker_attributes)'],
    ['description', `CASE WHEN e.description IS NULL THEN NULL WHEN ${describeCall} IS NULL THEN e.description ELSE ${name(describeCall)} END`],
    ['rest', `(SELECT id FROM payloads WHERE body = ${restCall})`],
  ];
  db.exec(
    `INSERT INTO event_log (${cols.map((c) => c[0]).join(', ')}) SELECT ${cols.map((c) => c[1]).join(', ')} FROM events e ORDER BY e.id`,
  );
  db.exec(`
    DROP INDEX payloads_by_body;
    CREATE INDEX payloads_by_hash ON payloads (hash);
    DROP TABLE events;
    -- A task's events (facts, retention, the floor at an instant).
    CREATE INDEX event_log_by_task ON event_log (task, ms) WHERE task IS NOT NULL;
  `);
  db.exec(EVENTS_VIEW);
}

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
  ...NAME_COLUMNS.slice(2).map(([old]) => old),
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
          ${NAME_COLUMNS.slice(2)
            .map(([old, col]) => `${nameOf(col)} AS ${old}`)
            .join(', ')},
          ${VALUE_COLUMNS.map((c) => `l.${c} AS ${c}`).join(', ')},
          l.ms + l.queue_entered AS queue_entered_ms, l.ms + l.task_created AS task_created_ms,
          ${payloadOf('task_attributes')} AS task_attributes, ${payloadOf('worker_attributes')} AS worker_attributes,
          l.description AS description_code
        FROM event_log l) d`;
