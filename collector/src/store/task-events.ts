// Reads one task's stored events back (through the event log) for re-deriving its facts, and queue
// names by Sid. Statements are prepared once.
import type { Db } from './db';
import { EventLog, type LoggedRecord } from './events';

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

/** Events whose task attributes the facts read (the others' are left out). */
const ATTRIBUTE_EVENTS = new Set(['task.created', 'task.completed', 'task.updated', 'task.wrapup']);

export class TaskEventStore {
  private readonly queueNameOf;
  private readonly log: EventLog;

  constructor(db: Db) {
    this.log = new EventLog(db);
    this.queueNameOf = db.prepare<[string], { name: string | null }>('SELECT name FROM queues WHERE queue_sid = ?');
  }

  /** The queue's name as the queues table knows it; null when unknown. */
  queueName(queueSid: string): string | null {
    return this.queueNameOf.get(queueSid)?.name ?? null;
  }

  /** Up to `limit` tasks after cursor `after` (0: the first), as cursors (a rebuild walks every task this way). */
  tasksAfter(after: number, limit: number): number[] {
    return this.log.tasksAfter(after, limit);
  }

  /** Every stored event of the tasks from cursor `first` to `last` (inclusive), grouped by task Sid. */
  eventsOfTasks(first: number, last: number): Map<string, TaskEvent[]> {
    const out = new Map<string, TaskEvent[]>();
    for (const [sid, recs] of this.log.eventsOfTasks(first, last))
      out.set(
        sid,
        recs.map((r) => this.taskEvent(r)),
      );
    return out;
  }

  /** Every stored event of one task up to log position `upTo`, as the facts read them. */
  eventsOf(taskSid: string, upTo = Number.MAX_SAFE_INTEGER): TaskEvent[] {
    return this.log.eventsOfTask(taskSid, upTo).map((r) => this.taskEvent(r));
  }

  // A queue is named by the event, else by the queues table, else by its Sid; attributes are kept
  // only for the events whose attributes the facts use.
  private taskEvent(r: LoggedRecord): TaskEvent {
    const queue = (name: string | null, sid: string | null) => name ?? (sid === null ? null : (this.queueName(sid) ?? sid));
    return {
      sid: r.sid,
      eventType: r.eventType,
      eventMs: r.eventMs,
      taskAge: r.taskAge,
      queue: queue(r.queueName, r.queueSid),
      previousQueue: queue(r.previousQueueName, r.previousQueueSid),
      taskAgeInQueue: r.taskAgeInQueue,
      queueEnteredMs: r.queueEnteredMs,
      channel: r.channel,
      workerSid: r.workerSid,
      taskAttributes: ATTRIBUTE_EVENTS.has(r.eventType) ? r.taskAttributes : null,
    };
  }
}
