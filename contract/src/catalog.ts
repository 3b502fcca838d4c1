// The catalogue: every metric of docs/metrics.md with its title, unit, kind, groupings and options.
// The collector's engine answers each id (a missing one fails to compile); the plugin builds its
// editor from this list; provisioning checks every generated query against it.
import type { Catalog, CatalogEntry, CatalogOption, GroupBy } from './wire';
import { GROUP_BYS, STATS } from './wire';

const FLOW_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel'];
const STATE_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel'];
const AGENT_STATE_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day'];

const durationStat: CatalogOption = {
  name: 'stat',
  type: 'enum',
  values: ['avg', 'max'],
  default: 'avg',
  description: 'average or longest in each bucket',
};
const stateStat: CatalogOption = {
  name: 'stat',
  type: 'enum',
  values: STATS,
  default: 'avg',
  description: 'time-weighted average, peak, or value at the end of each bucket',
};
const threshold: CatalogOption = {
  name: 'thresholdSeconds',
  type: 'number',
  description: 'answer-time target in seconds (default: the SLA file, per queue)',
};

type Def = Omit<CatalogEntry, 'id' | 'options' | 'better'> & { options?: CatalogOption[]; better?: CatalogEntry['better'] };

const count = (title: string, description: string, better: CatalogEntry['better'] = null): Def => ({
  title,
  description,
  unit: 'short',
  kind: 'count',
  groupBys: FLOW_GROUPS,
  better,
});
const duration = (title: string, description: string): Def => ({
  title,
  description,
  unit: 's',
  kind: 'duration',
  groupBys: FLOW_GROUPS,
  options: [durationStat],
  better: 'lower',
});

/** Every metric, in catalogue order. Adding one here makes the engine fail to compile until a family answers it. */
const DEFS = {
  tasks_created: count('Tasks created', 'task.created events.'),
  tasks_entered: count('Tasks queued', 'Tasks entering a queue (task-queue.entered).'),
  tasks_moved: count('Tasks moved', 'Tasks that left a queue for another (task-queue.moved), counted in the queue they left.'),
  tasks_received: count('Tasks received', 'Tasks queued minus tasks moved on to another queue, per queue.'),
  tasks_handled: count('Tasks handled', 'Tasks accepted by an agent (reservation.accepted), each task once.', 'higher'),
  tasks_abandoned: count('Tasks abandoned', 'Tasks canceled (caller hung up) before any agent accepted them.', 'lower'),
  tasks_short_abandoned: count('Short abandons', "Abandoned within the SLA file's shortAbandonSeconds (default 5 s)."),
  tasks_completed: count('Tasks completed', 'task.completed events.'),
  reservations_timed_out: count('Reservations timed out', 'Offers to agents that were not answered (reservation.timeout).', 'lower'),
  reservations_rejected: count('Reservations rejected', 'Offers that agents declined (reservation.rejected).', 'lower'),
  tasks_timed_out: count('Tasks timed out', 'Queue and workflow timeouts (task-queue.timeout + workflow.timeout).', 'lower'),
  avg_wait: duration('Waiting time', 'Task age when answered or abandoned, in seconds: how long customers waited.'),
  avg_queue_wait: duration(
    'Time in queue',
    'Time in this queue until answered or abandoned, counted from entering it (task_age_in_queue, else from TaskQueueEnteredDate; Twilio: wait_duration_in_queue_until_accepted). A task moved between queues counts only its time in the last one. Waiting time (avg_wait) counts from task creation instead (Twilio: wait_duration_until_accepted).',
  ),
  avg_answer_time: duration('Answer time', 'Task age when an agent accepted it (average speed of answer).'),
  avg_abandon_time: duration('Abandon time', 'How long abandoning customers waited before hanging up.'),
  avg_task_duration: duration('Call duration', 'Task age at completion: waiting plus talk plus wrap-up.'),
  avg_handle_time: duration('Handle time', 'From acceptance to completion: talk plus wrap-up.'),
  avg_wrapup_time: duration('Wrap-up time', 'From wrap-up to completion.'),
  service_level: {
    title: 'Service level',
    unit: 'percent',
    kind: 'ratio',
    groupBys: FLOW_GROUPS,
    better: 'higher',
    options: [threshold],
    description:
      "Handled within the answer target as a percentage; how abandoned tasks count (missed, excluded, met within the target) is the SLA file's serviceLevelAbandons, per queue.",
  },
  abandon_rate: {
    title: 'Abandon rate',
    unit: 'percent',
    kind: 'ratio',
    groupBys: FLOW_GROUPS,
    better: 'lower',
    description: 'Abandoned as a percentage of handled plus abandoned.',
  },
  tasks_waiting: {
    title: 'Customers waiting',
    unit: 'short',
    kind: 'state',
    groupBys: STATE_GROUPS,
    options: [stateStat],
    better: 'lower',
    description: 'Tasks in a queue not yet accepted, canceled or completed, at every instant.',
  },
  tasks_in_progress: {
    title: 'Tasks in progress',
    unit: 'short',
    kind: 'state',
    groupBys: STATE_GROUPS,
    options: [stateStat],
    description: 'Tasks accepted and not yet completed (wrap-up included).',
  },
  longest_wait: {
    title: 'Longest wait',
    unit: 's',
    kind: 'state',
    groupBys: STATE_GROUPS,
    options: [stateStat],
    better: 'lower',
    description: 'Age of the oldest waiting task, at every instant.',
  },
  agents_logged_in: {
    title: 'Agents logged in',
    unit: 'short',
    kind: 'state',
    groupBys: AGENT_STATE_GROUPS,
    options: [stateStat],
    description: "Agents in any activity but an offline one. By queue: agents the queue's target expression matches.",
  },
  agents_available: {
    title: 'Agents available',
    unit: 'short',
    kind: 'state',
    groupBys: AGENT_STATE_GROUPS,
    options: [stateStat],
    better: 'higher',
    description: 'Agents in an available activity.',
  },
  agents_required: {
    title: 'Agents required',
    unit: 'short',
    kind: 'state',
    groupBys: AGENT_STATE_GROUPS,
    options: [stateStat],
    description:
      "Erlang C: the fewest agents that meet the service-level target (serviceLevelTargetPercent, default 80 %, within the queue's answer target) for the tasks entering over the last staffing.arrivalWindowMinutes (30) at the handle time of the last staffing.ahtWindowMinutes (60). 0 without arrivals; empty while no handle time is known.",
  },
  staffing_gap: {
    title: 'Staffing gap',
    unit: 'short',
    kind: 'state',
    groupBys: AGENT_STATE_GROUPS,
    options: [stateStat],
    better: 'lower',
    description: 'Agents required minus agents available: above 0 the queue is short of that many agents, below 0 it has spare ones.',
  },
  agents_by_activity: {
    title: 'Agents by activity',
    unit: 'short',
    kind: 'state',
    groupBys: ['activity', 'time', 'none'],
    options: [stateStat],
    description: 'Logged-in agents per activity name.',
  },
  agent_current_activity: {
    title: 'Current activity',
    unit: 's',
    kind: 'agent',
    groupBys: ['worker'],
    description:
      "Each agent's activity at the range's end (now, or a past instant) and the seconds spent in it by then (agents that are offline included).",
  },
  agent_activity_time: {
    title: 'Time in activity',
    unit: 's',
    kind: 'agent',
    groupBys: ['worker', 'activity'],
    description: 'Seconds each agent spent in each activity within the range (open activities count up to now).',
  },
  agent_tasks_handled: {
    title: 'Tasks handled by agent',
    unit: 'short',
    kind: 'agent',
    groupBys: ['worker', 'none', 'time', 'queue'],
    description: 'Tasks each agent accepted.',
  },
  agent_avg_handle_time: {
    title: 'Agent handle time',
    unit: 's',
    kind: 'agent',
    groupBys: ['worker', 'none', 'queue'],
    options: [durationStat],
    description: 'Average handle time (acceptance to completion) per agent.',
  },
  agent_occupancy: {
    title: 'Occupancy',
    unit: 'percent',
    kind: 'agent',
    groupBys: ['worker', 'none', 'queue'],
    description: 'Time with an accepted task as a percentage of time logged in.',
  },
  agent_time_share: {
    title: 'Time share',
    unit: 'percent',
    kind: 'agent',
    groupBys: ['worker', 'none', 'queue'],
    description:
      "Where agents' time goes: logged in as a share of the range, and as shares of logged-in time: holding an accepted task (acceptance to completion, wrap-up included) by type — queued, internal, external, outgoing (the SLA file's taskTypes expressions over task attributes; with several tasks at once, the one accepted first) — unavailable (no task, not available) and idle (available, no task).",
  },
  dispositions: {
    title: 'Dispositions',
    unit: 'short',
    kind: 'breakdown',
    groupBys: ['none', 'queue', 'channel'],
    description: 'Completed tasks per disposition code from TaskAttributes (paths in the SLA file).',
  },
  tasks_by_direction: {
    title: 'Tasks by direction',
    unit: 'short',
    kind: 'breakdown',
    groupBys: ['none', 'queue', 'channel'],
    description: 'Tasks created per TaskAttributes.direction (inbound / outbound) and channel.',
  },
  waiting_tasks: {
    title: 'Customers waiting (each task)',
    unit: 's',
    kind: 'drilldown',
    groupBys: ['none'],
    description:
      "Each task waiting at the range's end: Sid, queue, channel, priority, age and time in this queue (s), and only the task attributes the SLA file lists under drillDownAttributes.",
  },
  active_tasks: {
    title: 'In progress (each task)',
    unit: 's',
    kind: 'drilldown',
    groupBys: ['none'],
    description: "Each task in progress at the range's end: Sid, queue, channel, agent, age and seconds since it was accepted.",
  },
} satisfies Record<string, Def>;

export type MetricId = keyof typeof DEFS;
/** A catalogue entry whose id is known to the engine. */
export type Metric = CatalogEntry & { id: MetricId };

export const METRIC_IDS = Object.keys(DEFS) as MetricId[];
export const CATALOG: readonly Metric[] = METRIC_IDS.map((id) => ({ id, options: [], better: null, ...DEFS[id] }));
const byId = new Map<string, Metric>(CATALOG.map((m) => [m.id, m]));

export function metricById(id: string): Metric | undefined {
  return byId.get(id);
}

/** `GET /api/catalog`: every metric and every grouping. */
export function catalog(): Catalog {
  return { metrics: [...CATALOG], groupBys: GROUP_BYS };
}
