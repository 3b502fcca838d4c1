// The normalised TaskRouter event record both transports (and backfill) produce, and the table of
// TaskRouter fields that map onto its typed columns.

export type EventSource = 'callback' | 'event-streams' | 'backfill' | 'simulator';

/** Raw event as received, with Event Callback (PascalCase) keys; unknown fields are kept. */
export type RawEvent = Record<string, string | number | boolean | null>;

/** One TaskRouter event, normalised. Times are epoch milliseconds, durations seconds unless noted. */
export interface EventRecord {
  sid: string;
  eventType: string;
  /** The event's own time (the most precise of TimestampMs, Timestamp, EventDate, the CloudEvent's times), epoch ms. */
  eventMs: number;
  source: EventSource;
  accountSid: string | null;
  workspaceSid: string | null;
  resourceType: string | null;
  resourceSid: string | null;
  taskSid: string | null;
  /** Seconds since the task was created, at the event. */
  taskAge: number | null;
  taskPriority: number | null;
  taskAssignmentStatus: string | null;
  taskCanceledReason: string | null;
  taskCompletedReason: string | null;
  channel: string | null;
  queueSid: string | null;
  queueName: string | null;
  queueTargetExpression: string | null;
  /** When the task entered its current queue, epoch ms. */
  queueEnteredMs: number | null;
  /** Seconds the task has been in its current queue, at the event (Event Streams `task_age_in_queue`). */
  taskAgeInQueue: number | null;
  /** When the task was created, epoch ms (`TaskDateCreated`). */
  taskCreatedMs: number | null;
  /** On `task-queue.moved`: the queue the task left (`task_queue_*` is the one it moved to). */
  previousQueueSid: string | null;
  previousQueueName: string | null;
  workflowSid: string | null;
  workflowName: string | null;
  reservationSid: string | null;
  workerSid: string | null;
  workerName: string | null;
  workerActivitySid: string | null;
  workerActivityName: string | null;
  workerPreviousActivitySid: string | null;
  workerPreviousActivityName: string | null;
  /** Time the worker spent in the previous activity, milliseconds. */
  workerTimeInPreviousActivityMs: number | null;
  /** Whether the worker's current activity makes it available (Event Streams `worker_available`). */
  workerAvailable: boolean | null;
  activitySid: string | null;
  activityName: string | null;
  activityAvailable: boolean | null;
  /** TaskAttributes as received (JSON text, kept as text even when it is not valid JSON). */
  taskAttributes: string | null;
  workerAttributes: string | null;
  description: string | null;
  /** Every field received, including ones not mapped to a column. */
  raw: RawEvent;
  /** Optional fields whose value could not be read: kept in `raw`, left out of the columns and metrics. */
  issues: FieldIssue[];
}

/** An optional field whose value was unreadable (the event itself was stored). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** TaskRouter string fields mapped one-to-one onto record properties. */
export const STRING_FIELDS = {
  AccountSid: 'accountSid',
  WorkspaceSid: 'workspaceSid',
  ResourceType: 'resourceType',
  ResourceSid: 'resourceSid',
  TaskSid: 'taskSid',
  TaskAssignmentStatus: 'taskAssignmentStatus',
  TaskCanceledReason: 'taskCanceledReason',
  TaskCompletedReason: 'taskCompletedReason',
  TaskChannelUniqueName: 'channel',
  TaskQueueSid: 'queueSid',
  TaskQueueName: 'queueName',
  TaskQueueTargetExpression: 'queueTargetExpression',
  WorkflowSid: 'workflowSid',
  WorkflowName: 'workflowName',
  PreviousTaskQueueSid: 'previousQueueSid',
  PreviousTaskQueueName: 'previousQueueName',
  ReservationSid: 'reservationSid',
  WorkerSid: 'workerSid',
  WorkerName: 'workerName',
  WorkerActivitySid: 'workerActivitySid',
  WorkerActivityName: 'workerActivityName',
  WorkerPreviousActivitySid: 'workerPreviousActivitySid',
  WorkerPreviousActivityName: 'workerPreviousActivityName',
  ActivitySid: 'activitySid',
  ActivityName: 'activityName',
  TaskAttributes: 'taskAttributes',
  WorkerAttributes: 'workerAttributes',
  EventDescription: 'description',
} as const satisfies Record<string, keyof EventRecord>;

/** Every TaskRouter field METRICS.md names, in Event Callback spelling. */
export const KNOWN_FIELDS = [
  'Sid',
  'EventType',
  'Timestamp',
  'TimestampMs',
  'EventDate',
  'WorkspaceName',
  'TaskAge',
  'TaskPriority',
  'TaskQueueEnteredDate',
  'TaskAgeInQueue',
  'TaskDateCreated',
  'TaskChannelSid',
  'WorkerAvailable',
  'WorkerTimeInPreviousActivity',
  'WorkerTimeInPreviousActivityMs',
  'ActivityAvailable',
  ...Object.keys(STRING_FIELDS),
] as const;

/** `TaskQueueName` -> `task_queue_name`: how Event Streams spells the same fields. */
export function snakeCase(pascal: string): string {
  return pascal.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

/**
 * Event Streams / REST `event_data` (snake_case) name -> Event Callback name, for the known fields.
 * Event Streams spells the event type `eventtype` (one word).
 */
export const FROM_SNAKE: ReadonlyMap<string, string> = new Map([
  ...KNOWN_FIELDS.map((f) => [snakeCase(f), f] as const),
  ['eventtype', 'EventType'],
]);
