// Hand-built TaskRouter Event Callback payloads, shaped like the ones Twilio posts, for tests.
import { toCloudEvent as simulatorCloudEvent, type TaskRouterEventParams } from '../simulate/payloads';
export const ACCOUNT = 'AC' + '1'.repeat(32);
export const WORKSPACE = 'WS' + '2'.repeat(32);
export const SALES_QUEUE = 'WQ' + 'a'.repeat(32);
export const SUPPORT_QUEUE = 'WQ' + 'b'.repeat(32);
export const ALICE = 'WK' + 'c'.repeat(32);
export const AVAILABLE = 'WA' + 'd'.repeat(32);
export const OFFLINE = 'WA' + 'e'.repeat(32);

let counter = 0;
/** A unique event Sid (EV + 32 hex). */
export function eventSid(): string {
  counter++;
  return 'EV' + counter.toString(16).padStart(32, '0');
}

export type Params = Record<string, string>;

function common(eventType: string, ms: number, resourceType: string, resourceSid: string): Params {
  return {
    Sid: eventSid(),
    EventType: eventType,
    AccountSid: ACCOUNT,
    WorkspaceSid: WORKSPACE,
    WorkspaceName: 'Floor One',
    ResourceType: resourceType,
    ResourceSid: resourceSid,
    Timestamp: String(Math.floor(ms / 1000)),
    TimestampMs: String(ms),
    EventDescription: `${eventType} happened`,
  };
}

export interface TaskOpts {
  task: string;
  createdMs: number;
  queueSid?: string;
  queueName?: string;
  channel?: string;
  attributes?: string;
}

/** Task-family event (task.*, task-queue.*, reservation.*, workflow.*). */
export function taskEvent(eventType: string, ms: number, t: TaskOpts, extra: Params = {}): Params {
  const resourceType = eventType.startsWith('reservation.')
    ? 'reservation'
    : eventType.startsWith('task-queue.')
      ? 'taskqueue'
      : eventType.startsWith('workflow.')
        ? 'workflow'
        : 'task';
  const queueSid = t.queueSid ?? SALES_QUEUE;
  return {
    ...common(eventType, ms, resourceType, t.task),
    TaskSid: t.task,
    TaskAttributes: t.attributes ?? JSON.stringify({ direction: 'inbound', from: '+15550100', conversations: { outcome: 'resolved' } }),
    TaskAge: String(Math.floor((ms - t.createdMs) / 1000)),
    TaskPriority: '0',
    TaskAssignmentStatus: 'pending',
    TaskChannelUniqueName: t.channel ?? 'voice',
    TaskQueueSid: queueSid,
    TaskQueueName: t.queueName ?? (queueSid === SALES_QUEUE ? 'Sales' : 'Support'),
    TaskQueueTargetExpression: queueSid === SALES_QUEUE ? 'skills HAS "sales"' : 'skills HAS "support"',
    TaskQueueEnteredDate: new Date(t.createdMs).toISOString(),
    WorkflowSid: 'WW' + '3'.repeat(32),
    WorkflowName: 'Default',
    ...extra,
  };
}

export function workerFields(activity: 'Available' | 'Offline', worker = ALICE): Params {
  return {
    WorkerSid: worker,
    WorkerName: 'alice',
    WorkerAttributes: JSON.stringify({ skills: ['sales'], languages: ['en'] }),
    WorkerActivitySid: activity === 'Available' ? AVAILABLE : OFFLINE,
    WorkerActivityName: activity,
  };
}

export function workerActivityUpdate(
  ms: number,
  from: 'Available' | 'Offline',
  to: 'Available' | 'Offline',
  secondsInPrevious: number,
  worker = ALICE,
): Params {
  return {
    ...common('worker.activity.update', ms, 'worker', worker),
    ...workerFields(to, worker),
    WorkerPreviousActivitySid: from === 'Available' ? AVAILABLE : OFFLINE,
    WorkerPreviousActivityName: from,
    WorkerTimeInPreviousActivity: String(secondsInPrevious),
    WorkerTimeInPreviousActivityMs: String(secondsInPrevious * 1000),
  };
}

export function activityEvent(eventType: string, ms: number, sid: string, name: string, available: boolean): Params {
  return { ...common(eventType, ms, 'activity', sid), ActivitySid: sid, ActivityName: name, ActivityAvailable: String(available) };
}

export function workerEvent(eventType: string, ms: number, activity: 'Available' | 'Offline', worker = ALICE): Params {
  return { ...common(eventType, ms, 'worker', worker), ...workerFields(activity, worker) };
}

/** One handled task's full life: created, queued, reserved, accepted, wrap-up, completed. */
export function handledTask(task: string, createdMs: number, waitS: number, talkS: number, wrapS: number): Params[] {
  const t = { task, createdMs };
  const accepted = createdMs + waitS * 1000;
  const wrap = accepted + talkS * 1000;
  const done = wrap + wrapS * 1000;
  const res = { ReservationSid: 'WR' + task.slice(2), ...workerFields('Available') };
  return [
    taskEvent('task.created', createdMs, t),
    taskEvent('task-queue.entered', createdMs + 100, t),
    taskEvent('reservation.created', accepted - 2000, t, { ...res, TaskAssignmentStatus: 'reserved' }),
    taskEvent('reservation.accepted', accepted, t, { ...res, TaskAssignmentStatus: 'assigned' }),
    taskEvent('task.wrapup', wrap, t, { TaskAssignmentStatus: 'wrapping' }),
    taskEvent('reservation.wrapup', wrap + 1, t, { ...res, TaskAssignmentStatus: 'wrapping' }),
    taskEvent('task.completed', done, t, { TaskAssignmentStatus: 'completed', TaskCompletedReason: 'Task completed' }),
    taskEvent('reservation.completed', done + 1, t, { ...res, TaskAssignmentStatus: 'completed' }),
  ];
}

/** A task whose caller hung up after `waitS` seconds in the queue. */
export function abandonedTask(task: string, createdMs: number, waitS: number): Params[] {
  const t = { task, createdMs };
  return [
    taskEvent('task.created', createdMs, t),
    taskEvent('task-queue.entered', createdMs + 100, t),
    taskEvent('task.canceled', createdMs + waitS * 1000, t, { TaskAssignmentStatus: 'canceled', TaskCanceledReason: 'hangup' }),
  ];
}

/** The Event Streams CloudEvent of an Event Callback (the simulator's documented conversion). */
export function toCloudEvent(p: Params): Record<string, unknown> {
  return simulatorCloudEvent(p as TaskRouterEventParams) as unknown as Record<string, unknown>;
}

// ---- Builders for the metric tests: several named agents, any activity name, any queue ----------

/** An agent as TaskRouter describes it: Sid, friendly name, attributes (matched by queue targets). */
export interface Agent {
  sid: string;
  name: string;
  attributes: Record<string, unknown>;
}

export const BOB = 'WK' + '8'.repeat(32);
export const CAROL = 'WK' + '6'.repeat(32);

/** A stable activity Sid for an activity name (WA + 32 hex). */
export function activitySid(name: string): string {
  return 'WA' + Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
}

/** Worker fields of an event for `agent` currently in `activity`. */
export function agentFields(agent: Agent, activity: string): Params {
  return {
    WorkerSid: agent.sid,
    WorkerName: agent.name,
    WorkerAttributes: JSON.stringify(agent.attributes),
    WorkerActivitySid: activitySid(activity),
    WorkerActivityName: activity,
  };
}

/** A worker.* event (created, activity.update, attributes.update, deleted) for `agent` in `activity`. */
export function agentEvent(
  eventType: string,
  ms: number,
  agent: Agent,
  activity: string,
  previous?: { activity: string; seconds: number },
): Params {
  return {
    ...common(eventType, ms, 'worker', agent.sid),
    ...agentFields(agent, activity),
    ...(previous
      ? {
          WorkerPreviousActivitySid: activitySid(previous.activity),
          WorkerPreviousActivityName: previous.activity,
          WorkerTimeInPreviousActivity: String(Math.floor(previous.seconds)),
          WorkerTimeInPreviousActivityMs: String(Math.round(previous.seconds * 1000)),
        }
      : {}),
  };
}

/** Reservation fields for a reservation offered to `agent` (who stays in `activity`). */
export function reservationFields(agent: Agent, reservationSid: string, activity = 'Available'): Params {
  return { ReservationSid: reservationSid, ...agentFields(agent, activity) };
}

/** Queue fields for `taskEvent`'s `extra`: any queue name, Sid and target expression. */
export function queueFields(name: string, sid: string, targetExpression: string): Params {
  return { TaskQueueSid: sid, TaskQueueName: name, TaskQueueTargetExpression: targetExpression };
}
