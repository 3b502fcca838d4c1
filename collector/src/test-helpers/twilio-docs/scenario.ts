// The facts of one small morning on a contact-center floor, shared by the reference fixtures so the
// same events can be written in each transport's documented shape (Event Callback form, Event
// Streams CloudEvent, REST Event resource) and the same numbers worked out by hand for all three.
// No format lives here: only Sids, names and times.

export const T = Date.UTC(2026, 10, 20, 9, 0, 0);
/** `T + s` seconds, epoch ms. */
export const at = (s: number): number => T + s * 1000;
export const iso = (ms: number): string => new Date(ms).toISOString();

export const ACCOUNT_SID = 'AC' + '0a'.repeat(16);
export const WORKSPACE_SID = 'WS' + '0b'.repeat(16);
export const WORKSPACE_NAME = 'Floor One';
export const WORKFLOW = { sid: 'WW' + '0c'.repeat(16), name: 'Default Fifo Workflow' };
export const QUEUES = {
  sales: { sid: 'WQ' + '1a'.repeat(16), name: 'Sales', target: 'skills HAS "sales"' },
  support: { sid: 'WQ' + '1b'.repeat(16), name: 'Support', target: 'skills HAS "support"' },
} as const;
export const CHANNELS = {
  voice: { sid: 'TC' + '2a'.repeat(16), name: 'voice' },
  chat: { sid: 'TC' + '2b'.repeat(16), name: 'chat' },
} as const;
export const ACTIVITIES = {
  offline: { sid: 'WA' + '3a'.repeat(16), name: 'Offline', available: false },
  /** Named nothing the SLA file knows: only the event's own availability says agents here can take tasks. */
  ready: { sid: 'WA' + '3b'.repeat(16), name: 'Ready for calls', available: true },
} as const;
export const ALICE = { sid: 'WK' + '4a'.repeat(16), name: 'alice', attributes: '{"skills":["sales","support"],"languages":["en"]}' };

export interface ScenarioTask {
  sid: string;
  channel: keyof typeof CHANNELS;
  createdS: number;
  attributes: string;
}
export const TASK_A: ScenarioTask = {
  sid: 'WT' + '5a'.repeat(16),
  channel: 'voice',
  createdS: 10,
  attributes: '{"direction":"inbound","from":"+15550100","conversations":{"outcome":"resolved"}}',
};
export const TASK_B: ScenarioTask = {
  sid: 'WT' + '5b'.repeat(16),
  channel: 'chat',
  createdS: 60,
  attributes: '{"direction":"inbound","channelType":"web"}',
};
export const TASK_C: ScenarioTask = {
  sid: 'WT' + '5c'.repeat(16),
  channel: 'voice',
  createdS: 200,
  attributes: '{"direction":"inbound","from":"+15550199"}',
};
export const RESERVATION_A = 'WR' + '6a'.repeat(16);

/** Event Sid of the n-th event of the scenario (EV + 32 hex), the same on every transport. */
export const ev = (n: number): string => 'EV' + n.toString(16).padStart(32, '0');

/**
 * What happened, in order. `queue` is where the task is at the event; `previousQueue` (moves only)
 * the queue it left; `ageS` the task's age and `inQueueS` its time in the current queue, seconds.
 */
export interface ScenarioEvent {
  n: number;
  type: string;
  atS: number;
  task?: ScenarioTask;
  queue?: keyof typeof QUEUES;
  previousQueue?: keyof typeof QUEUES;
  enteredQueueS?: number;
  status?: string;
  reason?: string;
  reservation?: boolean;
  worker?: { activity: keyof typeof ACTIVITIES; previous?: keyof typeof ACTIVITIES; inPreviousMs?: number };
  activity?: keyof typeof ACTIVITIES;
}

export const SCENARIO: readonly ScenarioEvent[] = [
  { n: 1, type: 'activity.created', atS: -7200, activity: 'offline' },
  { n: 2, type: 'activity.created', atS: -7200, activity: 'ready' },
  { n: 3, type: 'worker.activity.update', atS: 0, worker: { activity: 'ready', previous: 'offline', inPreviousMs: 3_600_250 } },
  // Task A: voice, answered in Sales after 18 s, talk until 208 s, wrap-up until 238 s.
  { n: 4, type: 'task.created', atS: 10, task: TASK_A, queue: 'sales', enteredQueueS: 10, status: 'pending' },
  { n: 5, type: 'workflow.entered', atS: 10, task: TASK_A, queue: 'sales', enteredQueueS: 10, status: 'pending' },
  { n: 6, type: 'task-queue.entered', atS: 10, task: TASK_A, queue: 'sales', enteredQueueS: 10, status: 'pending' },
  {
    n: 7,
    type: 'reservation.created',
    atS: 25,
    task: TASK_A,
    queue: 'sales',
    enteredQueueS: 10,
    status: 'reserved',
    reservation: true,
    worker: { activity: 'ready' },
  },
  {
    n: 8,
    type: 'reservation.accepted',
    atS: 28,
    task: TASK_A,
    queue: 'sales',
    enteredQueueS: 10,
    status: 'assigned',
    reservation: true,
    worker: { activity: 'ready' },
  },
  { n: 9, type: 'task.wrapup', atS: 208, task: TASK_A, queue: 'sales', enteredQueueS: 10, status: 'wrapping' },
  {
    n: 10,
    type: 'task.completed',
    atS: 238,
    task: TASK_A,
    queue: 'sales',
    enteredQueueS: 10,
    status: 'completed',
    reason: 'Task completed',
  },
  // Task B: chat, times out of Sales after 60 s, moves to Support, hangs up there 30 s later.
  { n: 11, type: 'task.created', atS: 60, task: TASK_B, queue: 'sales', enteredQueueS: 60, status: 'pending' },
  { n: 12, type: 'task-queue.entered', atS: 60, task: TASK_B, queue: 'sales', enteredQueueS: 60, status: 'pending' },
  { n: 13, type: 'task-queue.timeout', atS: 120, task: TASK_B, queue: 'sales', enteredQueueS: 60, status: 'pending' },
  {
    n: 14,
    type: 'task-queue.moved',
    atS: 120,
    task: TASK_B,
    queue: 'support',
    previousQueue: 'sales',
    enteredQueueS: 120,
    status: 'pending',
  },
  { n: 15, type: 'task-queue.entered', atS: 120, task: TASK_B, queue: 'support', enteredQueueS: 120, status: 'pending' },
  { n: 16, type: 'task.canceled', atS: 150, task: TASK_B, queue: 'support', enteredQueueS: 120, status: 'canceled', reason: 'hangup' },
  // Task C: voice, the caller hangs up after 3 s (a short abandon).
  { n: 17, type: 'task.created', atS: 200, task: TASK_C, queue: 'sales', enteredQueueS: 200, status: 'pending' },
  { n: 18, type: 'task-queue.entered', atS: 200, task: TASK_C, queue: 'sales', enteredQueueS: 200, status: 'pending' },
  { n: 19, type: 'task.canceled', atS: 203, task: TASK_C, queue: 'sales', enteredQueueS: 200, status: 'canceled', reason: 'hangup' },
];

/**
 * The numbers worked out by hand from SCENARIO for the hour from T (service level threshold 20 s,
 * short abandon under 5 s, the SLA file's defaults). Waits: A 18 s (18 s in Sales), B 90 s (30 s
 * in Support), C 3 s (3 s in Sales).
 */
export const HAND_WORKED = {
  tasks_created: 3,
  tasks_entered: { total: 4, Sales: 3, Support: 1 },
  tasks_moved: { total: 1, Sales: 1, Support: 0 },
  tasks_received: { total: 3, Sales: 2, Support: 1 },
  tasks_handled: 1,
  tasks_abandoned: { total: 2, Sales: 1, Support: 1 },
  tasks_short_abandoned: 1,
  tasks_completed: 1,
  tasks_timed_out: 1,
  avg_wait: { total: 37, Sales: 10.5, Support: 90 },
  avg_queue_wait: { total: 17, Sales: 10.5, Support: 30 },
  avg_answer_time: 18,
  avg_abandon_time: 46.5,
  avg_task_duration: 228,
  avg_handle_time: 210,
  avg_wrapup_time: 30,
  /** handled within 20 s (1) / (handled 1 + abandoned 2 - short 1) */
  service_level: 50,
  abandon_rate: (2 / 3) * 100,
  /** alice, in "Ready for calls" (available by the event, not by name) from T on */
  agents_available: 1,
} as const;

/** The field groups an event type carries (the Events reference's "Field Data" column). */
export type FieldGroup = 'common' | 'task' | 'moved' | 'reservation' | 'worker' | 'workerActivity' | 'activity';
export function fieldGroups(eventType: string): FieldGroup[] {
  if (eventType.startsWith('activity.')) return ['common', 'activity'];
  if (eventType.startsWith('reservation.')) return ['common', 'task', 'reservation', 'worker'];
  if (eventType === 'worker.activity.update') return ['common', 'worker', 'workerActivity'];
  if (eventType.startsWith('worker.')) return ['common', 'worker'];
  if (eventType === 'task-queue.moved') return ['common', 'task', 'moved'];
  return ['common', 'task'];
}

/** The event's ResourceType and ResourceSid: the object it is most relevant to. */
export function resourceOf(e: ScenarioEvent): [string, string] {
  if (e.activity) return ['activity', ACTIVITIES[e.activity].sid];
  if (e.type.startsWith('worker.')) return ['worker', ALICE.sid];
  if (e.reservation) return ['reservation', RESERVATION_A];
  if (e.type.startsWith('task-queue.')) return ['taskqueue', QUEUES[e.queue!].sid];
  if (e.type.startsWith('workflow.')) return ['workflow', WORKFLOW.sid];
  return ['task', e.task!.sid];
}
