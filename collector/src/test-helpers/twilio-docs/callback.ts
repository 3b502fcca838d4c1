// Reference fixture: TaskRouter Event Callbacks, as Twilio documents them.
// Source: https://www.twilio.com/docs/taskrouter/api/event/reference ("TaskRouter Events reference").
//
// What the page settles:
//  - a form-encoded POST to the Workspace's EventCallbackUrl, answered 204 within 15 s;
//  - the parameters every event carries: EventType, AccountSid, WorkspaceSid, WorkspaceName,
//    EventDescription, ResourceType, ResourceSid, Timestamp ("the time this event was sent");
//  - per event type the "Field Data" groups, as far as the stored copy of the page could be read:
//    activity.* carry ActivitySid ActivityName ActivityAvailable; reservation.* carry Task, Worker,
//    TaskQueueSid, ReservationSid, WorkflowSid.
// Beside the page: the rows of task.*, task-queue.*, worker.* and workflow.* could not be read; their
// groups here follow the same families' REST event_data and Event Streams payload (task events the
// Task fields, worker events the Worker fields, a move also previous_task_queue_* as
// PreviousTaskQueueSid/Name). `Sid` (EV…) and `TimestampMs` are not in its parameter table but are what
// TaskRouter posts (the REST Event resource names the same event `sid`, and the Events API and Event
// Streams carry the millisecond time); the Task group's members are the Task fields of the REST
// Event's event_data and of the Event Streams payload, PascalCased (TaskQueueEnteredDate, TaskAge in
// seconds, TaskAttributes as JSON text). A form carries text only: every value is a string.
import {
  ACCOUNT_SID,
  ACTIVITIES,
  ALICE,
  at,
  CHANNELS,
  ev,
  iso,
  QUEUES,
  RESERVATION_A,
  resourceOf,
  SCENARIO,
  WORKFLOW,
  WORKSPACE_NAME,
  WORKSPACE_SID,
  type ScenarioEvent,
} from './scenario';

export const SOURCE = 'https://www.twilio.com/docs/taskrouter/api/event/reference';

export type CallbackParams = Record<string, string>;

/** The parameters of one documented field group. */
export const CALLBACK_FIELDS = {
  common: [
    'Sid',
    'EventType',
    'AccountSid',
    'WorkspaceSid',
    'WorkspaceName',
    'EventDescription',
    'ResourceType',
    'ResourceSid',
    'Timestamp',
    'TimestampMs',
  ],
  task: [
    'TaskSid',
    'TaskAttributes',
    'TaskAge',
    'TaskPriority',
    'TaskAssignmentStatus',
    'TaskCanceledReason',
    'TaskCompletedReason',
    'TaskChannelSid',
    'TaskChannelUniqueName',
    'TaskQueueSid',
    'TaskQueueName',
    'TaskQueueTargetExpression',
    'TaskQueueEnteredDate',
    'WorkflowSid',
    'WorkflowName',
  ],
  moved: ['PreviousTaskQueueSid', 'PreviousTaskQueueName'],
  reservation: ['ReservationSid'],
  worker: ['WorkerSid', 'WorkerName', 'WorkerAttributes', 'WorkerActivitySid', 'WorkerActivityName'],
  workerActivity: [
    'WorkerPreviousActivitySid',
    'WorkerPreviousActivityName',
    'WorkerTimeInPreviousActivity',
    'WorkerTimeInPreviousActivityMs',
  ],
  activity: ['ActivitySid', 'ActivityName', 'ActivityAvailable'],
} as const;

/** One scenario event as TaskRouter posts it to the Event Callback URL. */
export function callbackOf(e: ScenarioEvent): CallbackParams {
  const ms = at(e.atS);
  const [resourceType, resourceSid] = resourceOf(e);
  const p: CallbackParams = {
    Sid: ev(e.n),
    EventType: e.type,
    AccountSid: ACCOUNT_SID,
    WorkspaceSid: WORKSPACE_SID,
    WorkspaceName: WORKSPACE_NAME,
    EventDescription: `${e.type} for ${resourceSid}`,
    ResourceType: resourceType,
    ResourceSid: resourceSid,
    Timestamp: String(Math.floor(ms / 1000)),
    TimestampMs: String(ms),
  };
  if (e.activity) {
    const a = ACTIVITIES[e.activity];
    Object.assign(p, { ActivitySid: a.sid, ActivityName: a.name, ActivityAvailable: String(a.available) });
  }
  if (e.task) {
    const q = QUEUES[e.queue!];
    const ch = CHANNELS[e.task.channel];
    Object.assign(p, {
      TaskSid: e.task.sid,
      TaskAttributes: e.task.attributes,
      TaskAge: String(e.atS - e.task.createdS),
      TaskPriority: '0',
      TaskAssignmentStatus: e.status!,
      TaskChannelSid: ch.sid,
      TaskChannelUniqueName: ch.name,
      TaskQueueSid: q.sid,
      TaskQueueName: q.name,
      TaskQueueTargetExpression: q.target,
      TaskQueueEnteredDate: iso(at(e.enteredQueueS!)),
      WorkflowSid: WORKFLOW.sid,
      WorkflowName: WORKFLOW.name,
    });
    if (e.type === 'task.canceled') p.TaskCanceledReason = e.reason!;
    if (e.type === 'task.completed') p.TaskCompletedReason = e.reason!;
  }
  if (e.previousQueue)
    Object.assign(p, { PreviousTaskQueueSid: QUEUES[e.previousQueue].sid, PreviousTaskQueueName: QUEUES[e.previousQueue].name });
  if (e.reservation) p.ReservationSid = RESERVATION_A;
  if (e.worker) {
    const a = ACTIVITIES[e.worker.activity];
    Object.assign(p, {
      WorkerSid: ALICE.sid,
      WorkerName: ALICE.name,
      WorkerAttributes: ALICE.attributes,
      WorkerActivitySid: a.sid,
      WorkerActivityName: a.name,
    });
    if (e.worker.previous) {
      const prev = ACTIVITIES[e.worker.previous];
      Object.assign(p, {
        WorkerPreviousActivitySid: prev.sid,
        WorkerPreviousActivityName: prev.name,
        WorkerTimeInPreviousActivity: String(Math.floor(e.worker.inPreviousMs! / 1000)),
        WorkerTimeInPreviousActivityMs: String(e.worker.inPreviousMs!),
      });
    }
  }
  return p;
}

/** The whole scenario as Event Callbacks. */
export const CALLBACKS: readonly CallbackParams[] = SCENARIO.map(callbackOf);
