// TaskRouter events as Twilio delivers them, built from simulation state: Event Callback parameters
// (a form post, every value a string; twilio.com/docs/taskrouter/api/event/reference) and their
// Event Streams CloudEvents (TaskRouter.WDSEvent/4; twilio.com/docs/events/event-types/taskrouter/*).
// The reference fixtures in test-helpers/twilio-docs/ hold the documented shapes these must match.
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
  /** The queue the task is in (a timeout: the one it times out of; a move: the one it moved to). */
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

  /**
   * `task-queue.entered` and `task-queue.timeout` name the queue the task is in; `task-queue.moved`
   * names the queue it moved to, and the one it left in PreviousTaskQueueSid/Name (Twilio's
   * previous_task_queue_*).
   */
  queue(type: 'task-queue.entered' | 'task-queue.timeout', at: number, task: TaskView): TaskRouterEventParams;
  queue(type: 'task-queue.moved', at: number, task: TaskView, left: Queue): TaskRouterEventParams;
  queue(
    type: 'task-queue.entered' | 'task-queue.timeout' | 'task-queue.moved',
    at: number,
    task: TaskView,
    left?: Queue,
  ): TaskRouterEventParams {
    const description =
      type === 'task-queue.entered'
        ? `Task ${task.sid} entered TaskQueue ${task.queue.name}`
        : type === 'task-queue.timeout'
          ? `Task ${task.sid} timed out of TaskQueue ${task.queue.name}`
          : `Task ${task.sid} moved from TaskQueue ${left!.name} to ${task.queue.name}`;
    const p = this.common(type, 'taskqueue', task.queue.sid, at, description);
    this.taskFields(p, task, at);
    if (left) {
      p.PreviousTaskQueueSid = left.sid;
      p.PreviousTaskQueueName = left.name;
    }
    return p;
  }

  reservation(
    type:
      | 'reservation.created'
      | 'reservation.accepted'
      | 'reservation.rejected'
      | 'reservation.timeout'
      | 'reservation.canceled'
      | 'reservation.wrapup'
      | 'reservation.completed',
    at: number,
    task: TaskView,
    reservationSid: string,
    agent: Agent,
    activity: Activity,
  ): TaskRouterEventParams {
    const p = this.common(
      type,
      'reservation',
      reservationSid,
      at,
      `Reservation ${reservationSid} for Task ${task.sid} and Worker ${agent.name} ${RESERVATION_VERBS[type]}`,
    );
    this.taskFields(p, task, at);
    p.ReservationSid = reservationSid;
    this.worker(p, agent, activity);
    return p;
  }

  private common(
    type: SimulatedEventType,
    resourceType: ResourceType,
    resourceSid: string,
    at: number,
    description: string,
  ): TaskRouterEventParams {
    const c = this.center;
    return withStreamFacts(
      {
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
      } as TaskRouterEventParams,
      {},
    );
  }

  private taskFields(p: TaskRouterEventParams, task: TaskView, at: number): void {
    const q = task.queue;
    streamFactsOf(p)!.taskCreatedMs = task.createdMs;
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
    streamFactsOf(p)!.workerAvailable = activity.available;
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

/**
 * Facts Event Streams carries that an Event Callback's form does not (task_date_created to the
 * millisecond, worker_available): the factory attaches them to the params it builds, out of sight
 * of the form (a non-enumerable symbol property: not posted, not signed, not copied by spreading).
 */
export interface StreamFacts {
  taskCreatedMs?: number;
  workerAvailable?: boolean;
}
const STREAM_FACTS = Symbol('streamFacts');
type WithFacts = TaskRouterEventParams & { [STREAM_FACTS]?: StreamFacts };

function withStreamFacts(p: TaskRouterEventParams, facts: StreamFacts): TaskRouterEventParams {
  Object.defineProperty(p, STREAM_FACTS, { value: facts, enumerable: false });
  return p;
}
function streamFactsOf(p: TaskRouterEventParams): StreamFacts | undefined {
  return (p as WithFacts)[STREAM_FACTS];
}

/** An Event Streams CloudEvent carrying one TaskRouter event (TaskRouter.WDSEvent/4). */
export interface CloudEvent {
  specversion: '1.0';
  /** `com.twilio.taskrouter.` + the TaskRouter event type. */
  type: string;
  source: string;
  /** The delivery's id (NO…), not the event's Sid. */
  id: string;
  dataschema: string;
  datacontenttype: 'application/json';
  /** When Event Streams published it, ISO 8601. */
  time: string;
  data: WdsEvent;
}

/** The `data` of a TaskRouter CloudEvent: the event's envelope, its facts in `payload`. */
export interface WdsEvent {
  /** The event's Sid (EV…). */
  sid: string;
  /** The event type in PascalCase, e.g. `ReservationCreated`. */
  name: string;
  account_sid: string;
  account_friendly_name: string;
  parent_account_sid: string;
  parent_friendly_name: string;
  /** The event's time, ISO 8601 with milliseconds. */
  timestamp: string;
  level: 'INFO';
  group: string;
  product_name: 'TaskRouter';
  publisher: string;
  /** JSON text. */
  publisher_metadata: string;
  payload_type: 'application/json';
  payload: Record<string, CloudEventValue>;
}
export type CloudEventValue = string | number | boolean;

export const WDS_DATASCHEMA = 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/4';

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

/** Callback fields Event Streams writes differently or not at all in the payload. */
const PAYLOAD_NAME: Record<string, string | null> = {
  EventType: 'eventtype',
  Timestamp: null, // the payload's `timestamp` is ISO 8601, written below
  TimestampMs: null,
};
/** Payload keys whose values travel as JSON numbers / booleans. */
const NUMERIC_KEYS = new Set(['task_age', 'task_priority', 'worker_time_in_previous_activity', 'worker_time_in_previous_activity_ms']);
const BOOLEAN_KEYS = new Set(['activity_available']);

/** `task-queue.entered` -> `TaskQueueEntered`. */
function eventName(eventType: string): string {
  return eventType
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const eventMsOf = (p: TaskRouterEventParams) =>
  p.TimestampMs !== undefined && p.TimestampMs !== '' ? Number(p.TimestampMs) : Number(p.Timestamp) * 1000;

/** The Event Streams form of an Event Callback, as a webhook sink receives it. */
export function toCloudEvent(params: TaskRouterEventParams): CloudEvent {
  const ms = eventMsOf(params);
  const iso = new Date(ms).toISOString();
  const facts = streamFactsOf(params) ?? {};
  const payload: Record<string, CloudEventValue> = {};
  for (const key of Object.keys(params)) {
    const value = params[key]!;
    const name = key in PAYLOAD_NAME ? PAYLOAD_NAME[key] : snakeCase(key);
    if (name === null || name === undefined) continue;
    if (NUMERIC_KEYS.has(name) && value !== '' && Number.isFinite(Number(value))) payload[name] = Number(value);
    else if (BOOLEAN_KEYS.has(name) && (value === 'true' || value === 'false')) payload[name] = value === 'true';
    else payload[name] = value;
    if (name === 'eventtype') payload.timestamp = iso;
  }
  if (params.TaskSid) {
    const age = Number(params.TaskAge);
    const created = facts.taskCreatedMs ?? (Number.isFinite(age) ? ms - age * 1000 : undefined);
    if (created !== undefined) payload.task_date_created = new Date(created).toISOString();
    const entered = params.TaskQueueEnteredDate ? Date.parse(params.TaskQueueEnteredDate) : NaN;
    if (Number.isFinite(entered)) payload.task_age_in_queue = Math.max(0, Math.floor((ms - entered) / 1000));
    const reason = params.TaskCanceledReason ?? params.TaskCompletedReason;
    if (reason) payload.reason = reason;
  }
  if (params.WorkerSid && facts.workerAvailable !== undefined) payload.worker_available = facts.workerAvailable;
  const eventSid = params.Sid ?? '';
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${params.EventType}`,
    source: params.WorkspaceSid ?? '',
    id: 'NO' + eventSid.slice(2),
    dataschema: WDS_DATASCHEMA,
    datacontenttype: 'application/json',
    time: iso,
    data: {
      sid: eventSid,
      name: eventName(params.EventType ?? ''),
      account_sid: params.AccountSid ?? '',
      account_friendly_name: params.WorkspaceName ?? '',
      parent_account_sid: params.AccountSid ?? '',
      parent_friendly_name: params.WorkspaceName ?? '',
      timestamp: iso,
      level: 'INFO',
      group: (params.EventType ?? '').split('.')[0]!,
      product_name: 'TaskRouter',
      publisher: params.WorkspaceName ?? '',
      publisher_metadata: '{}',
      payload_type: 'application/json',
      payload,
    },
  };
}
