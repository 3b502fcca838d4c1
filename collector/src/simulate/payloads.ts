// TaskRouter Event Callback parameters as Twilio form-posts them (every value a string), built
// from simulation state, and their conversion to Event Streams CloudEvents.
import type { Activity, Agent, Center, Queue, TaskChannel } from './model';
import type { SidFactory } from './random';

/** Fields present on every TaskRouter event. */
export interface CommonEventFields {
  /** `EV` + 32 hex: the event's own sid, unique per event. */
  Sid: string;
  EventType: string;
  AccountSid: string;
  WorkspaceSid: string;
  WorkspaceName: string;
  ResourceType: ResourceType;
  ResourceSid: string;
  /** Event time, epoch seconds (integer, as text). */
  Timestamp: string;
  /** Event time, epoch milliseconds (integer, as text). */
  TimestampMs: string;
  EventDescription: string;
}

/** One Event Callback: the common fields plus the family's fields, every value a string. */
export type TaskRouterEventParams = CommonEventFields & Record<string, string>;

export const RESOURCE_TYPES = ['task', 'reservation', 'worker', 'activity', 'taskqueue', 'workflow'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Every event type the simulator emits. */
export const SIMULATED_EVENT_TYPES = [
  'activity.created',
  'worker.created',
  'worker.activity.update',
  'task.created',
  'task.updated',
  'task.canceled',
  'task.wrapup',
  'task.completed',
  'workflow.entered',
  'task-queue.entered',
  'task-queue.timeout',
  'task-queue.moved',
  'reservation.created',
  'reservation.accepted',
  'reservation.rejected',
  'reservation.timeout',
  'reservation.canceled',
  'reservation.wrapup',
  'reservation.completed',
] as const;
export type SimulatedEventType = (typeof SIMULATED_EVENT_TYPES)[number];

export type TaskAssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

/** What the payload builder needs to know about a task at the moment of an event. */
export interface TaskView {
  sid: string;
  /** Task attributes as JSON text. */
  attributesJson: string;
  /** Creation time, epoch ms; `TaskAge` counts whole seconds from here. */
  createdMs: number;
  priority: number;
  status: TaskAssignmentStatus;
  channel: TaskChannel;
  /** The queue the task is in (for moved/timeout events: the one it is leaving). */
  queue: Queue;
  /** When it entered `queue`, ISO 8601. */
  queueEnteredIso: string;
}

/** Builds the events of one simulation; event sids come from `sids` in emission order. */
export class EventFactory {
  constructor(
    private readonly center: Center,
    private readonly sids: SidFactory,
  ) {}

  activityCreated(at: number, activity: Activity): TaskRouterEventParams {
    const p = this.common('activity.created', 'activity', activity.sid, at, `Activity ${activity.name} created`);
    p.ActivitySid = activity.sid;
    p.ActivityName = activity.name;
    p.ActivityAvailable = activity.available ? 'true' : 'false';
    return p;
  }

  workerCreated(at: number, agent: Agent, activity: Activity): TaskRouterEventParams {
    const p = this.common('worker.created', 'worker', agent.sid, at, `Worker ${agent.name} created`);
    this.worker(p, agent, activity);
    return p;
  }

  /** `worker.activity.update`; `previousSinceMs` is when the previous activity began (epoch ms). */
  workerActivityUpdate(at: number, agent: Agent, activity: Activity, previous: Activity, previousSinceMs: number): TaskRouterEventParams {
    const p = this.common('worker.activity.update', 'worker', agent.sid, at, `Worker ${agent.name} updated to ${activity.name} Activity`);
    this.worker(p, agent, activity);
    const inPreviousMs = Math.max(0, at - previousSinceMs);
    p.WorkerPreviousActivitySid = previous.sid;
    p.WorkerPreviousActivityName = previous.name;
    p.WorkerTimeInPreviousActivity = String(Math.floor(inPreviousMs / 1000));
    p.WorkerTimeInPreviousActivityMs = String(inPreviousMs);
    return p;
  }

  task(
    type: 'task.created' | 'task.updated' | 'task.canceled' | 'task.wrapup' | 'task.completed',
    at: number,
    task: TaskView,
    reason?: string,
  ): TaskRouterEventParams {
    const p = this.common(type, 'task', task.sid, at, taskDescription(type, task, reason));
    this.taskFields(p, task, at);
    if (type === 'task.canceled') p.TaskCanceledReason = reason ?? 'canceled';
    else if (type === 'task.completed') p.TaskCompletedReason = reason ?? 'Task completed';
    return p;
  }

  workflow(type: 'workflow.entered', at: number, task: TaskView): TaskRouterEventParams {
    const c = this.center;
    const p = this.common(type, 'workflow', c.workflowSid, at, `Task ${task.sid} entered Workflow ${c.workflowName}`);
    this.taskFields(p, task, at);
    return p;
  }

  queue(type: 'task-queue.entered' | 'task-queue.timeout' | 'task-queue.moved', at: number, task: TaskView): TaskRouterEventParams {
    const verb = type === 'task-queue.entered' ? 'entered' : type === 'task-queue.timeout' ? 'timed out of' : 'moved out of';
    const p = this.common(type, 'taskqueue', task.queue.sid, at, `Task ${task.sid} ${verb} TaskQueue ${task.queue.name}`);
    this.taskFields(p, task, at);
    return p;
  }

  reservation(
    type: 'reservation.created' | 'reservation.accepted' | 'reservation.rejected' | 'reservation.timeout' | 'reservation.canceled' | 'reservation.wrapup' | 'reservation.completed',
    at: number,
    task: TaskView,
    reservationSid: string,
    agent: Agent,
    activity: Activity,
  ): TaskRouterEventParams {
    const p = this.common(type, 'reservation', reservationSid, at, `Reservation ${reservationSid} for Task ${task.sid} and Worker ${agent.name} ${RESERVATION_VERBS[type]}`);
    this.taskFields(p, task, at);
    p.ReservationSid = reservationSid;
    this.worker(p, agent, activity);
    return p;
  }

  private common(type: SimulatedEventType, resourceType: ResourceType, resourceSid: string, at: number, description: string): TaskRouterEventParams {
    const c = this.center;
    return {
      Sid: this.sids.next('EV'),
      EventType: type,
      AccountSid: c.accountSid,
      WorkspaceSid: c.workspaceSid,
      WorkspaceName: c.workspaceName,
      ResourceType: resourceType,
      ResourceSid: resourceSid,
      Timestamp: String(Math.floor(at / 1000)),
      TimestampMs: String(at),
      EventDescription: description,
    };
  }

  private taskFields(p: TaskRouterEventParams, task: TaskView, at: number): void {
    const q = task.queue;
    p.TaskSid = task.sid;
    p.TaskAttributes = task.attributesJson;
    p.TaskAge = String(Math.floor((at - task.createdMs) / 1000));
    p.TaskPriority = String(task.priority);
    p.TaskAssignmentStatus = task.status;
    p.TaskChannelUniqueName = task.channel.name;
    p.TaskChannelSid = task.channel.sid;
    p.TaskQueueSid = q.sid;
    p.TaskQueueName = q.name;
    p.TaskQueueTargetExpression = q.targetExpression;
    p.TaskQueueEnteredDate = task.queueEnteredIso;
    p.WorkflowSid = this.center.workflowSid;
    p.WorkflowName = this.center.workflowName;
  }

  private worker(p: TaskRouterEventParams, agent: Agent, activity: Activity): void {
    p.WorkerSid = agent.sid;
    p.WorkerName = agent.name;
    p.WorkerAttributes = agent.attributesJson;
    p.WorkerActivitySid = activity.sid;
    p.WorkerActivityName = activity.name;
  }
}

const RESERVATION_VERBS = {
  'reservation.created': 'created',
  'reservation.accepted': 'accepted',
  'reservation.rejected': 'rejected',
  'reservation.timeout': 'timed out',
  'reservation.canceled': 'canceled',
  'reservation.wrapup': 'wrapping up',
  'reservation.completed': 'completed',
} as const;

function taskDescription(type: string, task: TaskView, reason: string | undefined): string {
  switch (type) {
    case 'task.created':
      return `Task ${task.sid} created`;
    case 'task.updated':
      return `Task ${task.sid} updated: priority ${task.priority}`;
    case 'task.canceled':
      return `Task ${task.sid} canceled: ${reason ?? 'canceled'}`;
    case 'task.wrapup':
      return `Task ${task.sid} wrapping up`;
    default:
      return `Task ${task.sid} completed`;
  }
}

// ---- Event Streams ----

/** An Event Streams CloudEvent carrying one TaskRouter event. */
export interface CloudEvent {
  specversion: '1.0';
  /** `com.twilio.taskrouter.` + the TaskRouter EventType. */
  type: string;
  /** `/v1/Workspaces/WS…`. */
  source: string;
  /** The event's `Sid`. */
  id: string;
  /** Event time, ISO 8601. */
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: { payload: Record<string, CloudEventValue> };
}
export type CloudEventValue = string | number | boolean;

/** Payload keys whose values travel as JSON numbers in Event Streams. */
const NUMERIC_KEYS = new Set([
  'timestamp',
  'timestamp_ms',
  'task_age',
  'task_priority',
  'worker_time_in_previous_activity',
  'worker_time_in_previous_activity_ms',
]);
const BOOLEAN_KEYS = new Set(['activity_available']);

const SCHEMA_RESOURCE: Record<string, string> = {
  task: 'Task',
  reservation: 'Reservation',
  worker: 'Worker',
  activity: 'Activity',
  taskqueue: 'TaskQueue',
  workflow: 'Workflow',
};

const snakeCache = new Map<string, string>();

/** PascalCase → snake_case: `_` before each capital after the first, then lower case. */
export function snakeCase(key: string): string {
  let s = snakeCache.get(key);
  if (s === undefined) {
    s = key.replace(/(?!^)([A-Z])/g, '_$1').toLowerCase();
    if (snakeCache.size < 10_000) snakeCache.set(key, s);
  }
  return s;
}

/** The Event Streams form of an Event Callback: snake_case payload, numbers and booleans typed. */
export function toCloudEvent(params: TaskRouterEventParams): CloudEvent {
  const payload: Record<string, CloudEventValue> = {};
  for (const key of Object.keys(params)) {
    const value = params[key]!;
    const snake = snakeCase(key);
    if (NUMERIC_KEYS.has(snake) && value !== '' && Number.isFinite(Number(value))) payload[snake] = Number(value);
    else if (BOOLEAN_KEYS.has(snake) && (value === 'true' || value === 'false')) payload[snake] = value === 'true';
    else payload[snake] = value;
  }
  const ms = params.TimestampMs !== undefined && params.TimestampMs !== '' ? Number(params.TimestampMs) : Number(params.Timestamp) * 1000;
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${params.EventType}`,
    source: `/v1/Workspaces/${params.WorkspaceSid}`,
    id: params.Sid,
    time: new Date(ms).toISOString(),
    datacontenttype: 'application/json',
    dataschema: `https://events-schemas.twilio.com/TaskRouter.${SCHEMA_RESOURCE[params.ResourceType] ?? 'Event'}/1.json`,
    data: { payload },
  };
}
