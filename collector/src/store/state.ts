// Current state of tasks, workers, activities and queues, folded from events in the ingest
// transaction. Every column group is "last writer wins" (or "first") by event rank — event time,
// then Sid — never by arrival, so any arrival order of the same events leaves the same state.
import type { EventRecord } from '../ingest/record';
import type { Db } from './db';

type Mode = 'first' | 'last';

/** Zero-padded event time + Sid: sorts as the events happened, ties broken the same way every time. */
export function eventRank(rec: Pick<EventRecord, 'eventMs' | 'sid'>): string {
  return `${String(rec.eventMs).padStart(15, '0')}:${rec.sid}`;
}

/** An upsert that writes `cols` (and `<group>_rank`) only when this event outranks the stored one. */
function upsert(db: Db, table: string, key: string, group: string, cols: string[], mode: Mode) {
  const rank = `${group}_rank`;
  const all = [key, ...cols, rank];
  const cmp = mode === 'last' ? '>' : '<';
  const stmt = db.prepare(
    `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((c) => '@' + c).join(', ')})
     ON CONFLICT(${key}) DO UPDATE SET ${[...cols, rank].map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE ${table}.${rank} IS NULL OR excluded.${rank} ${cmp} ${table}.${rank}`,
  );
  return (params: Record<string, unknown>) => stmt.run(params);
}

const QUEUE_LEAVING_EVENTS = new Set(['task-queue.moved', 'task-queue.timeout']);
const TASK_DELETED = new Set(['task.deleted', 'task.system-deleted']);

export class StateProjection {
  private readonly w;

  constructor(db: Db) {
    const task = (group: string, cols: string[], mode: Mode) => upsert(db, 'tasks', 'task_sid', group, cols, mode);
    const worker = (group: string, cols: string[], mode: Mode) => upsert(db, 'workers', 'worker_sid', group, cols, mode);
    const activity = (group: string, cols: string[], mode: Mode) => upsert(db, 'activities', 'activity_sid', group, cols, mode);
    const queue = (group: string, cols: string[], mode: Mode) => upsert(db, 'queues', 'queue_sid', group, cols, mode);
    this.w = {
      taskCreated: task('created', ['created_ms'], 'first'),
      taskQueue: task('queue', ['queue_sid', 'queue_name'], 'last'),
      taskChannel: task('channel', ['channel'], 'last'),
      taskAttributes: task('attributes', ['attributes'], 'last'),
      taskPriority: task('priority', ['priority'], 'last'),
      taskEntered: task('entered', ['entered_ms'], 'first'),
      taskAccepted: task('accepted', ['accepted_ms', 'accepted_worker_sid', 'accepted_age'], 'first'),
      taskWrapup: task('wrapup', ['wrapup_ms'], 'first'),
      taskCompleted: task('completed', ['completed_ms'], 'first'),
      taskCanceled: task('canceled', ['canceled_ms', 'canceled_age'], 'first'),
      taskDeleted: task('deleted', ['deleted_ms'], 'first'),
      workerName: worker('name', ['name'], 'last'),
      workerAttributes: worker('attributes', ['attributes'], 'last'),
      workerActivity: worker('activity', ['activity_sid', 'activity_name', 'activity_ms'], 'last'),
      workerCreated: worker('created', ['created_ms'], 'first'),
      workerDeleted: worker('deleted', ['deleted_ms'], 'first'),
      activityName: activity('name', ['name'], 'last'),
      activityAvailable: activity('available', ['available'], 'last'),
      activityDeleted: activity('deleted', ['deleted_ms'], 'first'),
      queueName: queue('name', ['name'], 'last'),
      queueTarget: queue('target_expression', ['target_expression'], 'last'),
    };
  }

  /** Folds one newly stored event into the state. Call inside the ingest transaction. */
  apply(rec: EventRecord): void {
    const w = this.w;
    const r = eventRank(rec);
    const t = rec.eventType;
    if (rec.taskSid) this.applyTask(rec, r);
    if (rec.workerSid) {
      const k = { worker_sid: rec.workerSid };
      if (rec.workerName) w.workerName({ ...k, name: rec.workerName, name_rank: r });
      if (rec.workerAttributes) w.workerAttributes({ ...k, attributes: rec.workerAttributes, attributes_rank: r });
      if (rec.workerActivitySid || rec.workerActivityName)
        w.workerActivity({
          ...k,
          activity_sid: rec.workerActivitySid,
          activity_name: rec.workerActivityName,
          activity_ms: rec.eventMs,
          activity_rank: r,
        });
      if (t === 'worker.created') w.workerCreated({ ...k, created_ms: rec.eventMs, created_rank: r });
      if (t === 'worker.deleted') w.workerDeleted({ ...k, deleted_ms: rec.eventMs, deleted_rank: r });
      if (rec.workerActivitySid && rec.workerActivityName)
        w.activityName({ activity_sid: rec.workerActivitySid, name: rec.workerActivityName, name_rank: r });
    }
    if (rec.activitySid) {
      const k = { activity_sid: rec.activitySid };
      if (rec.activityName) w.activityName({ ...k, name: rec.activityName, name_rank: r });
      if (rec.activityAvailable !== null) w.activityAvailable({ ...k, available: rec.activityAvailable ? 1 : 0, available_rank: r });
      if (t === 'activity.deleted') w.activityDeleted({ ...k, deleted_ms: rec.eventMs, deleted_rank: r });
    }
    if (rec.queueSid && !QUEUE_LEAVING_EVENTS.has(t)) {
      const k = { queue_sid: rec.queueSid };
      if (rec.queueName) w.queueName({ ...k, name: rec.queueName, name_rank: r });
      if (rec.queueTargetExpression) w.queueTarget({ ...k, target_expression: rec.queueTargetExpression, target_expression_rank: r });
    }
  }

  private applyTask(rec: EventRecord, r: string): void {
    const w = this.w;
    const k = { task_sid: rec.taskSid };
    const t = rec.eventType;
    // Creation time: exact from task.created, else estimated from the task's age at this event.
    const created = t === 'task.created' ? rec.eventMs : rec.taskAge !== null ? rec.eventMs - rec.taskAge * 1000 : null;
    if (created !== null) w.taskCreated({ ...k, created_ms: Math.round(created), created_rank: eventRank({ eventMs: created, sid: rec.sid }) });
    if ((rec.queueSid || rec.queueName) && !QUEUE_LEAVING_EVENTS.has(t))
      w.taskQueue({ ...k, queue_sid: rec.queueSid, queue_name: rec.queueName, queue_rank: r });
    if (rec.channel) w.taskChannel({ ...k, channel: rec.channel, channel_rank: r });
    if (rec.taskAttributes) w.taskAttributes({ ...k, attributes: rec.taskAttributes, attributes_rank: r });
    if (rec.taskPriority !== null) w.taskPriority({ ...k, priority: rec.taskPriority, priority_rank: r });
    switch (t) {
      case 'task-queue.entered':
        w.taskEntered({ ...k, entered_ms: rec.eventMs, entered_rank: r });
        break;
      case 'reservation.accepted':
        w.taskAccepted({ ...k, accepted_ms: rec.eventMs, accepted_worker_sid: rec.workerSid, accepted_age: rec.taskAge, accepted_rank: r });
        break;
      case 'task.wrapup':
        w.taskWrapup({ ...k, wrapup_ms: rec.eventMs, wrapup_rank: r });
        break;
      case 'task.completed':
        w.taskCompleted({ ...k, completed_ms: rec.eventMs, completed_rank: r });
        break;
      case 'task.canceled':
        w.taskCanceled({ ...k, canceled_ms: rec.eventMs, canceled_age: rec.taskAge, canceled_rank: r });
        break;
      default:
        if (TASK_DELETED.has(t)) w.taskDeleted({ ...k, deleted_ms: rec.eventMs, deleted_rank: r });
    }
  }
}
