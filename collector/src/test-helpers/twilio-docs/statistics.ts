// Reference fixture: TaskRouter cumulative statistics (what `verify` compares with).
// Sources: twilio/twilio-oai spec/json/twilio_taskrouter_v1.json, schemas
// `taskrouter.v1.workspace.workspace_cumulative_statistics`,
// `taskrouter.v1.workspace.task_queue.task_queue_cumulative_statistics` and the `…_statistics`
// wrappers (`{ account_sid, workspace_sid, [task_queue_sid,] cumulative, realtime, url }`);
// https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics.
// What they settle: wait_duration_until_accepted is counted "from the time the Tasks were created";
// wait_duration_in_queue_until_accepted "from the time the Tasks entered the TaskQueue" (queues
// only); both are `{ avg, min, max, total }` in seconds; avg_task_acceptance_time is seconds from
// creation to acceptance; tasks_moved counts "Tasks moved from one queue to another".
export const SOURCES = [
  'twilio/twilio-oai spec/json/twilio_taskrouter_v1.json (workspace_cumulative_statistics, task_queue_cumulative_statistics)',
  'https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics',
] as const;

const COMMON = {
  account_sid: 'string',
  avg_task_acceptance_time: 'number',
  start_time: 'string',
  end_time: 'string',
  reservations_created: 'number',
  reservations_accepted: 'number',
  reservations_rejected: 'number',
  reservations_timed_out: 'number',
  reservations_canceled: 'number',
  reservations_rescinded: 'number',
  split_by_wait_time: 'object',
  wait_duration_until_accepted: 'object',
  wait_duration_until_canceled: 'object',
  tasks_canceled: 'number',
  tasks_completed: 'number',
  tasks_deleted: 'number',
  tasks_moved: 'number',
  workspace_sid: 'string',
  url: 'string',
} as const;

export const WORKSPACE_CUMULATIVE = { ...COMMON, tasks_created: 'number', tasks_timed_out_in_workflow: 'number' } as const;
export const QUEUE_CUMULATIVE = {
  ...COMMON,
  task_queue_sid: 'string',
  tasks_entered: 'number',
  wait_duration_in_queue_until_accepted: 'object',
} as const;
export const DURATION = { avg: 'number', min: 'number', max: 'number', total: 'number' } as const;
