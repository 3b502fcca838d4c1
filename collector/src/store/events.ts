// The append-only event log: inserting normalised records (idempotent on Sid) and reading totals.
import { STRING_FIELDS, type EventRecord } from '../taskrouter/record';
import type { Db } from './db';

const COLUMNS = {
  sid: 'sid',
  event_type: 'eventType',
  event_ms: 'eventMs',
  source: 'source',
  account_sid: 'accountSid',
  workspace_sid: 'workspaceSid',
  resource_type: 'resourceType',
  resource_sid: 'resourceSid',
  task_sid: 'taskSid',
  task_age: 'taskAge',
  task_priority: 'taskPriority',
  task_assignment_status: 'taskAssignmentStatus',
  task_canceled_reason: 'taskCanceledReason',
  task_completed_reason: 'taskCompletedReason',
  channel: 'channel',
  queue_sid: 'queueSid',
  queue_name: 'queueName',
  queue_target_expression: 'queueTargetExpression',
  queue_entered_ms: 'queueEnteredMs',
  task_age_in_queue: 'taskAgeInQueue',
  task_created_ms: 'taskCreatedMs',
  previous_queue_sid: 'previousQueueSid',
  previous_queue_name: 'previousQueueName',
  worker_available: 'workerAvailable',
  workflow_sid: 'workflowSid',
  workflow_name: 'workflowName',
  reservation_sid: 'reservationSid',
  worker_sid: 'workerSid',
  worker_name: 'workerName',
  worker_activity_sid: 'workerActivitySid',
  worker_activity_name: 'workerActivityName',
  worker_previous_activity_sid: 'workerPreviousActivitySid',
  worker_previous_activity_name: 'workerPreviousActivityName',
  worker_time_in_previous_activity_ms: 'workerTimeInPreviousActivityMs',
  activity_sid: 'activitySid',
  activity_name: 'activityName',
  activity_available: 'activityAvailable',
  task_attributes: 'taskAttributes',
  worker_attributes: 'workerAttributes',
  description: 'description',
} as const satisfies Record<string, keyof EventRecord>;

/** Raw fields whose text a column keeps verbatim, left out of `raw_json` so nothing is stored twice. */
const VERBATIM_IN_COLUMNS = new Set(['Sid', 'EventType', ...Object.keys(STRING_FIELDS)]);
const COLUMN_OF: Record<string, string> = { Sid: 'sid', EventType: 'eventType', ...STRING_FIELDS };
const RECORD_KEYS = Object.values(COLUMNS);

/** An event as the log gives it back: every column; the raw payload and parse notes stay in the log. */
export type LoggedRecord = Omit<EventRecord, 'raw' | 'issues'>;

/** Columns whose stored integer is a boolean. */
const BOOLEAN_KEYS = new Set<keyof LoggedRecord>(['workerAvailable', 'activityAvailable']);

export interface StoredCounts {
  eventsStored: number;
  /** Latest event time stored (the event's own time), epoch ms; 0 when empty. */
  lastEventMs: number;
  /** When the latest event arrived, epoch ms; 0 when empty. */
  lastReceivedMs: number;
}

export class EventLog {
  private readonly insert;
  private readonly bumpMeta;
  private readonly readMeta;
  private readonly after;
  private readonly maxId;

  constructor(db: Db) {
    const cols = Object.keys(COLUMNS);
    this.insert = db.prepare(
      // Positions only grow, even when retention pruned the newest row: one at or below the
      // projector's position would never be projected.
      `INSERT INTO events (id, ${cols.join(', ')}, received_ms, raw_json)
       VALUES (max(coalesce((SELECT max(id) FROM events), 0), (SELECT value FROM meta WHERE key = 'projected_id')) + 1,
               ${cols.map(() => '?').join(', ')}, ?, ?)
       ON CONFLICT(sid) DO NOTHING`,
    );
    this.bumpMeta = db.prepare(
      `UPDATE meta SET value = CASE key
         WHEN 'events_stored' THEN value + @added
         WHEN 'last_event_ms' THEN max(value, @lastEventMs)
         WHEN 'last_received_ms' THEN max(value, @receivedMs) END
       WHERE key IN ('events_stored', 'last_event_ms', 'last_received_ms')`,
    );
    this.readMeta = db.prepare<[], { key: string; value: number }>('SELECT key, value FROM meta');
    this.after = db.prepare<[number, number], Record<string, unknown>>(
      `SELECT id, ${Object.entries(COLUMNS)
        .map(([col, key]) => `${col} AS ${key}`)
        .join(', ')} FROM events WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.maxId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events');
  }

  /** Up to `limit` events stored after log position `afterId`, in log order, each with its position. */
  readAfter(afterId: number, limit: number): { id: number; rec: LoggedRecord }[] {
    return this.after.all(afterId, limit).map((row) => {
      const id = row.id as number;
      for (const k of BOOLEAN_KEYS) if (row[k] !== null) row[k] = row[k] === 1;
      delete row.id;
      return { id, rec: row as unknown as LoggedRecord };
    });
  }

  /** The log's newest position (0 when empty). */
  lastPosition(): number {
    return this.maxId.get()?.id ?? 0;
  }

  private pending = { added: 0, lastEventMs: 0, receivedMs: 0 };

  /** Inserts one event; false when its Sid is already stored (a retry or an overlap). Call inside a transaction. */
  append(rec: EventRecord, receivedMs: number): boolean {
    const row: unknown[] = RECORD_KEYS.map((key) => {
      const v = rec[key];
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    row.push(receivedMs, rawJson(rec));
    const inserted = this.insert.run(row).changes === 1;
    if (inserted) {
      const p = this.pending;
      p.added++;
      p.lastEventMs = Math.max(p.lastEventMs, rec.eventMs);
      p.receivedMs = Math.max(p.receivedMs, receivedMs);
    }
    return inserted;
  }

  /** Writes the running totals of this transaction's inserts; call once before it commits. */
  flushTotals(): void {
    if (this.pending.added > 0) this.bumpMeta.run(this.pending);
    this.discardTotals();
  }

  /** Forgets totals of a rolled-back transaction. */
  discardTotals(): void {
    this.pending = { added: 0, lastEventMs: 0, receivedMs: 0 };
  }

  counts(): StoredCounts {
    const m = new Map(this.readMeta.all().map((r) => [r.key, r.value]));
    return {
      eventsStored: m.get('events_stored') ?? 0,
      lastEventMs: m.get('last_event_ms') ?? 0,
      lastReceivedMs: m.get('last_received_ms') ?? 0,
    };
  }
}

/** The raw fields no column holds verbatim (a text field its column left out, too long, stays here). */
function rawJson(rec: EventRecord): string {
  const kept: Record<string, unknown> = {};
  const columns = rec as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec.raw)) {
    if (VERBATIM_IN_COLUMNS.has(k) && columns[COLUMN_OF[k]!] === v) continue;
    kept[k] = v;
  }
  return JSON.stringify(kept);
}
