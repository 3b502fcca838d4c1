// The append-only event log: inserting normalised records (idempotent on Sid), reading them back by
// position or by task, and the running totals. Rows are compact (migration 8): every Sid and name is
// an id into a dictionary, attribute JSON and the leftover received fields are stored once per
// distinct text, times are offsets from the event's own time, and the description is a template.
// The view `events` spells a row out again in SQL (for ad-hoc reading); `raw()` gives back the whole
// received event.
import { STRING_FIELDS, type EventRecord, type RawEvent } from '../taskrouter/record';
import type { Db } from './db';
import { eventSidKey, eventSidText, LogDictionaries } from './dictionary';
import { describe, describeTemplate, restOf, restTemplate } from './event-codec';

/** An event as the log gives it back: every column; the raw payload and parse notes stay in the log. */
export type LoggedRecord = Omit<EventRecord, 'raw' | 'issues'>;

type Kind =
  /** a number or null as it is */
  | 'value'
  /** a boolean as 0/1 */
  | 'bool'
  /** epoch ms as the difference from the event's time */
  | 'offset'
  | 'name'
  | 'sid'
  | 'payload';

/** The log's columns after `id, sid, type, ms, received, source` (migration 8), in table order. */
export const LOG_FIELDS = [
  ['account', 'accountSid', 'sid'],
  ['workspace', 'workspaceSid', 'sid'],
  ['resource_type', 'resourceType', 'name'],
  ['resource', 'resourceSid', 'sid'],
  ['task', 'taskSid', 'sid'],
  ['task_age', 'taskAge', 'value'],
  ['task_priority', 'taskPriority', 'value'],
  ['task_assignment_status', 'taskAssignmentStatus', 'name'],
  ['task_canceled_reason', 'taskCanceledReason', 'name'],
  ['task_completed_reason', 'taskCompletedReason', 'name'],
  ['channel', 'channel', 'name'],
  ['queue', 'queueSid', 'sid'],
  ['queue_name', 'queueName', 'name'],
  ['queue_target_expression', 'queueTargetExpression', 'name'],
  ['queue_entered', 'queueEnteredMs', 'offset'],
  ['task_age_in_queue', 'taskAgeInQueue', 'value'],
  ['task_created', 'taskCreatedMs', 'offset'],
  ['previous_queue', 'previousQueueSid', 'sid'],
  ['previous_queue_name', 'previousQueueName', 'name'],
  ['worker_available', 'workerAvailable', 'bool'],
  ['workflow', 'workflowSid', 'sid'],
  ['workflow_name', 'workflowName', 'name'],
  ['reservation', 'reservationSid', 'sid'],
  ['worker', 'workerSid', 'sid'],
  ['worker_name', 'workerName', 'name'],
  ['worker_activity', 'workerActivitySid', 'sid'],
  ['worker_activity_name', 'workerActivityName', 'name'],
  ['worker_previous_activity', 'workerPreviousActivitySid', 'sid'],
  ['worker_previous_activity_name', 'workerPreviousActivityName', 'name'],
  ['worker_time_in_previous_activity_ms', 'workerTimeInPreviousActivityMs', 'value'],
  ['activity', 'activitySid', 'sid'],
  ['activity_name', 'activityName', 'name'],
  ['activity_available', 'activityAvailable', 'bool'],
  ['task_attributes', 'taskAttributes', 'payload'],
  ['worker_attributes', 'workerAttributes', 'payload'],
] as const satisfies readonly (readonly [
  string,
  Exclude<keyof LoggedRecord, 'sid' | 'eventType' | 'eventMs' | 'source' | 'description'>,
  Kind,
])[];

/** Every column of `event_log` in table order: what `SELECT *` gives. */
const ALL_COLUMNS = ['id', 'sid', 'type', 'ms', 'received', 'source', ...LOG_FIELDS.map((f) => f[0]), 'description', 'rest'];
const AT = Object.fromEntries(ALL_COLUMNS.map((c, i) => [c, i])) as Record<string, number>;

/** Raw fields whose text a column keeps verbatim, left out of the stored leftovers so nothing is stored twice. */
const COLUMN_OF: Record<string, keyof EventRecord> = { Sid: 'sid', EventType: 'eventType', ...STRING_FIELDS };

export interface StoredCounts {
  eventsStored: number;
  /** Latest event time stored (the event's own time), epoch ms; 0 when empty. */
  lastEventMs: number;
  /** When the latest event arrived, epoch ms; 0 when empty. */
  lastReceivedMs: number;
}

type Row = unknown[];

export class EventLog {
  private readonly dict: LogDictionaries;
  private readonly insert;
  private readonly insertAt;
  private readonly bumpMeta;
  private readonly readMeta;
  private readonly after;
  private readonly ofTask;
  private readonly ofTasks;
  private readonly tasks;
  private readonly bySid;
  private readonly maxId;

  constructor(db: Db) {
    this.dict = LogDictionaries.of(db);
    const cols = ALL_COLUMNS.slice(1);
    this.insert = db.prepare(
      // Positions only grow, even when retention pruned the newest row: one at or below the
      // projector's position would never be projected.
      `INSERT INTO event_log (id, ${cols.join(', ')})
       VALUES (max(coalesce((SELECT max(id) FROM event_log), 0), (SELECT value FROM meta WHERE key = 'projected_id')) + 1,
               ${cols.map(() => '?').join(', ')})
       ON CONFLICT(sid) DO NOTHING`,
    );
    this.insertAt = db.prepare(`INSERT INTO event_log (id, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`);
    this.bumpMeta = db.prepare(
      `UPDATE meta SET value = CASE key
         WHEN 'events_stored' THEN value + @added
         WHEN 'last_event_ms' THEN max(value, @lastEventMs)
         WHEN 'last_received_ms' THEN max(value, @receivedMs) END
       WHERE key IN ('events_stored', 'last_event_ms', 'last_received_ms')`,
    );
    this.readMeta = db.prepare<[], { key: string; value: number }>('SELECT key, value FROM meta');
    this.after = db.prepare<[number, number]>('SELECT * FROM event_log WHERE id > ? ORDER BY id LIMIT ?').raw();
    this.ofTask = db.prepare<[number, number]>('SELECT * FROM event_log WHERE task = ? AND id <= ?').raw();
    this.ofTasks = db.prepare<[number, number]>('SELECT * FROM event_log WHERE task >= ? AND task <= ? ORDER BY task').raw();
    this.tasks = db.prepare<[number, number], { task: number }>('SELECT DISTINCT task FROM event_log WHERE task > ? ORDER BY task LIMIT ?');
    this.bySid = db.prepare<[Buffer | string]>('SELECT * FROM event_log WHERE sid = ?').raw();
    this.maxId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM event_log');
  }

  /** Up to `limit` events stored after log position `afterId`, in log order, each with its position. */
  readAfter(afterId: number, limit: number): { id: number; rec: LoggedRecord }[] {
    return (this.after.all(afterId, limit) as Row[]).map((row) => ({ id: row[0] as number, rec: this.decode(row, true) }));
  }

  /**
   * Every stored event of one task up to log position `upTo`, in no particular order, without
   * descriptions (readers of a task's facts don't use them).
   */
  eventsOfTask(taskSid: string, upTo = Number.MAX_SAFE_INTEGER): LoggedRecord[] {
    const task = this.dict.sids.find(taskSid);
    if (task === undefined) return [];
    return (this.ofTask.all(task, upTo) as Row[]).map((row) => this.decode(row, false));
  }

  /** Up to `limit` tasks (by their dictionary id, a cursor) after the one numbered `after` (0: from the start). */
  tasksAfter(after: number, limit: number): number[] {
    return this.tasks.all(after, limit).map((r) => r.task);
  }

  /** Every stored event of the tasks numbered `first` to `last` (inclusive), grouped by task Sid, without descriptions. */
  eventsOfTasks(first: number, last: number): Map<string, LoggedRecord[]> {
    const out = new Map<string, LoggedRecord[]>();
    for (const row of this.ofTasks.all(first, last) as Row[]) {
      const rec = this.decode(row, false);
      const list = out.get(rec.taskSid!);
      if (list) list.push(rec);
      else out.set(rec.taskSid!, [rec]);
    }
    return out;
  }

  /** The event as it was received (every field, as its transport spelled it), or null when not stored. */
  raw(sid: string): RawEvent | null {
    const row = this.bySid.get(eventSidKey(sid)) as Row | undefined;
    if (!row) return null;
    const rec = this.decode(row, true);
    const out = Object.create(null) as RawEvent;
    for (const [field, key] of Object.entries(COLUMN_OF)) {
      const v = rec[key as keyof LoggedRecord];
      if (typeof v === 'string') out[field] = v;
    }
    return Object.assign(out, restOf(this.dict.payloads.text(row[AT.rest!] as number | null), rec));
  }

  /** The log's newest position (0 when empty). */
  lastPosition(): number {
    return this.maxId.get()?.id ?? 0;
  }

  private pending = { added: 0, lastEventMs: 0, receivedMs: 0 };

  /** Inserts one event; false when its Sid is already stored (a retry or an overlap). Call inside a transaction. */
  append(rec: EventRecord, receivedMs: number): boolean {
    const inserted = this.insert.run(this.encode(rec, receivedMs)).changes === 1;
    if (inserted) {
      const p = this.pending;
      p.added++;
      p.lastEventMs = Math.max(p.lastEventMs, rec.eventMs);
      p.receivedMs = Math.max(p.receivedMs, receivedMs);
    }
    return inserted;
  }

  /** Stores an event at a given log position, totals untouched (a migration moving rows over). */
  copy(id: number, rec: EventRecord, receivedMs: number): void {
    this.insertAt.run(id, ...this.encode(rec, receivedMs));
  }

  /** The row `append` stores for an event: every column after `id`. */
  private encode(rec: EventRecord, receivedMs: number): unknown[] {
    const { names, sids, payloads } = this.dict;
    const row: unknown[] = [eventSidKey(rec.sid), names.id(rec.eventType), rec.eventMs, receivedMs - rec.eventMs, names.id(rec.source)];
    for (const [, key, kind] of LOG_FIELDS) {
      const v = rec[key];
      if (kind === 'sid') row.push(sids.id(v as string | null));
      else if (kind === 'name') row.push(names.id(v as string | null));
      else if (kind === 'payload') row.push(payloads.id(v as string | null));
      else if (kind === 'offset') row.push(v === null ? null : (v as number) - rec.eventMs);
      else if (kind === 'bool') row.push(v === null ? null : v ? 1 : 0);
      else row.push(v);
    }
    const template = rec.description === null ? null : describeTemplate(rec.description, rec);
    row.push(rec.description === null ? null : template === null ? rec.description : names.id(template));
    row.push(payloads.id(restTemplate(leftovers(rec), rec)));
    return row;
  }

  /** Writes the running totals of this transaction's inserts; call once before it commits. */
  flushTotals(): void {
    if (this.pending.added > 0) this.bumpMeta.run(this.pending);
    this.pending = { added: 0, lastEventMs: 0, receivedMs: 0 };
  }

  /** Forgets totals and dictionary ids of a rolled-back transaction. */
  discardTotals(): void {
    this.pending = { added: 0, lastEventMs: 0, receivedMs: 0 };
    this.dict.forget();
  }

  counts(): StoredCounts {
    const m = new Map(this.readMeta.all().map((r) => [r.key, r.value]));
    return {
      eventsStored: m.get('events_stored') ?? 0,
      lastEventMs: m.get('last_event_ms') ?? 0,
      lastReceivedMs: m.get('last_received_ms') ?? 0,
    };
  }

  /** A stored row (`SELECT *`) as the record it was stored from. */
  private decode(row: Row, withDescription: boolean): LoggedRecord {
    const { names, sids, payloads } = this.dict;
    const eventMs = row[AT.ms!] as number;
    const rec = {
      sid: eventSidText(row[AT.sid!] as Buffer | string),
      eventType: names.text(row[AT.type!] as number)!,
      eventMs,
      source: names.text(row[AT.source!] as number) as EventRecord['source'],
    } as Record<string, unknown>;
    let i = AT.source! + 1;
    for (const [, key, kind] of LOG_FIELDS) {
      const v = row[i++] as number | null;
      rec[key] =
        v === null
          ? null
          : kind === 'sid'
            ? sids.text(v)
            : kind === 'name'
              ? names.text(v)
              : kind === 'payload'
                ? payloads.text(v)
                : kind === 'offset'
                  ? v + eventMs
                  : kind === 'bool'
                    ? v === 1
                    : v;
    }
    const d = row[i] as number | string | null;
    const out = rec as unknown as LoggedRecord;
    out.description = !withDescription || d === null ? null : typeof d === 'string' ? d : describe(names.text(d)!, out);
    return out;
  }
}

/** The received fields no column holds verbatim (a text field its column left out, too long, stays here). */
function leftovers(rec: EventRecord): Record<string, string | number | boolean | null> {
  // No prototype: a received field may be called `__proto__` or `constructor`.
  const kept = Object.create(null) as Record<string, string | number | boolean | null>;
  const columns = rec as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec.raw)) {
    if (Object.hasOwn(COLUMN_OF, k) && columns[COLUMN_OF[k]!] === v) continue;
    kept[k] = v;
  }
  return kept;
}
