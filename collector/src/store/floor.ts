// Owns the SQL that reads the floor as it stood at a past instant beyond the intervals: a task's
// priority and attributes as of that instant, and the event log's bounds. Statements are prepared once.
import type { Db } from './db';
import { sidKey } from './dictionary';

/** A task as the events up to an instant described it. */
export interface TaskDetailsAt {
  priority: number | null;
  /** TaskAttributes JSON text of the latest event at or before the instant that carried them. */
  attributes: string | null;
}

/** The log's bounds as of an instant: one seek each in event_log_by_time (migration 9), never a scan of the log. */
export const LAST_EVENT_AT_SQL = 'SELECT max(ms) AS ms FROM event_log WHERE ms <= ?';
export const FIRST_EVENT_SQL = 'SELECT min(ms) AS ms FROM event_log';

export class FloorStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      attributesAt: db.prepare<[Buffer | string, number], { a: string }>(
        `SELECT (SELECT body FROM payloads WHERE id = l.task_attributes) AS a FROM event_log l
          WHERE l.task = (SELECT id FROM sids WHERE value = ?) AND l.ms <= ? AND l.task_attributes IS NOT NULL ORDER BY l.ms DESC, l.id DESC LIMIT 1`,
      ),
      priorityAt: db.prepare<[Buffer | string, number], { p: number }>(
        `SELECT task_priority AS p FROM event_log
          WHERE task = (SELECT id FROM sids WHERE value = ?) AND ms <= ? AND task_priority IS NOT NULL ORDER BY ms DESC, id DESC LIMIT 1`,
      ),
      lastEventAt: db.prepare<[number], { ms: number | null }>(LAST_EVENT_AT_SQL),
      firstEvent: db.prepare<[], { ms: number | null }>(FIRST_EVENT_SQL),
    };
  }

  /** The task's priority and attributes from its latest events at or before `at`. */
  taskAt(taskSid: string, at: number): TaskDetailsAt {
    return {
      priority: this.s.priorityAt.get(sidKey(taskSid), at)?.p ?? null,
      attributes: this.s.attributesAt.get(sidKey(taskSid), at)?.a ?? null,
    };
  }

  /** Epoch ms of the newest event at or before `at` (0 when none). */
  lastEventAtOrBefore(at: number): number {
    return this.s.lastEventAt.get(at)?.ms ?? 0;
  }

  /** Epoch ms of the oldest event the log still holds (null when empty). */
  firstEventMs(): number | null {
    return this.s.firstEvent.get()?.ms ?? null;
  }
}
