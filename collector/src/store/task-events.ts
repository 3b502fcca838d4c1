// Owns the SQL that reads one task's stored events back for re-deriving its facts, and queue names
// by Sid. Statements are prepared once.
import type { Db } from './db';

/** The columns of a stored event a task's facts depend on. */
export interface TaskEvent {
  sid: string;
  eventType: string;
  eventMs: number;
  /** Seconds since the task was created. */
  taskAge: number | null;
  queue: string | null;
  /** `task-queue.moved` with Twilio's previous_task_queue_*: the queue left (`queue` is the one entered). */
  previousQueue: string | null;
  /** Seconds in the current queue at the event (Event Streams `task_age_in_queue`). */
  taskAgeInQueue: number | null;
  /** When the task entered its current queue, epoch ms (`TaskQueueEnteredDate`). */
  queueEnteredMs: number | null;
  channel: string | null;
  workerSid: string | null;
  taskAttributes: string | null;
}

// A queue is named by the event, else by the queues table, else by its Sid; attributes are read
// only from the events whose attributes the facts use.
const TASK_EVENT_COLUMNS = `SELECT sid, event_type AS eventType, event_ms AS eventMs, task_age AS taskAge,
    coalesce(queue_name, (SELECT q.name FROM queues q WHERE q.queue_sid = events.queue_sid), queue_sid) AS queue,
    coalesce(previous_queue_name, (SELECT q.name FROM queues q WHERE q.queue_sid = events.previous_queue_sid), previous_queue_sid) AS previousQueue,
    task_age_in_queue AS taskAgeInQueue, queue_entered_ms AS queueEnteredMs,
    channel, worker_sid AS workerSid,
    CASE WHEN event_type IN ('task.created', 'task.completed', 'task.updated', 'task.wrapup') THEN task_attributes END AS taskAttributes`;

export class TaskEventStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      queueName: db.prepare<[string], { name: string | null }>('SELECT name FROM queues WHERE queue_sid = ?'),
      taskEvents: db.prepare<[string, number], TaskEvent>(`${TASK_EVENT_COLUMNS} FROM events WHERE task_sid = ? AND id <= ?`),
      tasksAfter: db.prepare<[string, number], { task_sid: string }>(
        'SELECT DISTINCT task_sid FROM events WHERE task_sid > ? ORDER BY task_sid LIMIT ?',
      ),
      taskEventsBetween: db.prepare<[string, string], TaskEvent & { taskSid: string }>(
        `${TASK_EVENT_COLUMNS}, task_sid AS taskSid FROM events WHERE task_sid >= ? AND task_sid <= ? ORDER BY task_sid`,
      ),
    };
  }

  /** The queue's name as the queues table knows it; null when unknown. */
  queueName(queueSid: string): string | null {
    return this.s.queueName.get(queueSid)?.name ?? null;
  }

  /** Up to `limit` task Sids after `afterSid`, in order (a rebuild walks every task this way). */
  tasksAfter(afterSid: string, limit: number): string[] {
    return this.s.tasksAfter.all(afterSid, limit).map((r) => r.task_sid);
  }

  /** Every stored event of the tasks from `first` to `last` (inclusive), grouped by task. */
  eventsOfTasks(first: string, last: string): Map<string, TaskEvent[]> {
    const out = new Map<string, TaskEvent[]>();
    for (const { taskSid, ...e } of this.s.taskEventsBetween.all(first, last)) {
      const list = out.get(taskSid);
      if (list) list.push(e);
      else out.set(taskSid, [e]);
    }
    return out;
  }

  /** Every stored event of one task up to log position `upTo`, as the facts read them. */
  eventsOf(taskSid: string, upTo = Number.MAX_SAFE_INTEGER): TaskEvent[] {
    return this.s.taskEvents.all(taskSid, upTo);
  }
}
