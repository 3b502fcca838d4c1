// The catalogue: every metric of docs/metrics.md with its title, unit, kind, groupings and options.
// The query engine dispatches on `kind`; the plugin builds its editor from this list.
import type { CatalogEntry, CatalogOption, GroupBy } from '../wire';
import { GROUP_BYS, STATS } from '../wire';

const FLOW_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel'];
const STATE_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel'];
const AGENT_STATE_GROUPS: GroupBy[] = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day'];

const durationStat: CatalogOption = { name: 'stat', type: 'enum', values: ['avg', 'max'], default: 'avg', description: 'average or longest in each bucket' };
const stateStat: CatalogOption = { name: 'stat', type: 'enum', values: STATS, default: 'avg', description: 'time-weighted average, peak, or value at the end of each bucket' };
const threshold: CatalogOption = { name: 'thresholdSeconds', type: 'number', description: 'answer-time target in seconds (default: the SLA file, per queue)' };

type Def = Omit<CatalogEntry, 'options' | 'better'> & { options?: CatalogOption[]; better?: CatalogEntry['better'] };

const count = (id: string, title: string, description: string, better: CatalogEntry['better'] = null): Def => ({
  id, title, description, unit: 'short', kind: 'count', groupBys: FLOW_GROUPS, better,
});
const duration = (id: string, title: string, description: string): Def => ({
  id, title, description, unit: 's', kind: 'duration', groupBys: FLOW_GROUPS, options: [durationStat], better: 'lower',
});

const DEFS: Def[] = [
  count('tasks_created', 'Tasks created', 'task.created events.'),
  count('tasks_entered', 'Tasks queued', 'Tasks entering a queue (task-queue.entered).'),
  count('tasks_moved', 'Tasks moved', 'Tasks that left a queue for another (task-queue.moved), counted in the queue they left.'),
  count('tasks_received', 'Tasks received', 'Tasks queued minus tasks moved on to another queue, per queue.'),
  count('tasks_handled', 'Tasks handled', 'Tasks accepted by an agent (reservation.accepted), each task once.', 'higher'),
  count('tasks_abandoned', 'Tasks abandoned', 'Tasks canceled (caller hung up) before any agent accepted them.', 'lower'),
  count('tasks_short_abandoned', 'Short abandons', 'Abandoned within the SLA file\'s shortAbandonSeconds (default 5 s).'),
  count('tasks_completed', 'Tasks completed', 'task.completed events.'),
  count('reservations_timed_out', 'Reservations timed out', 'Offers to agents that were not answered (reservation.timeout).', 'lower'),
  count('reservations_rejected', 'Reservations rejected', 'Offers that agents declined (reservation.rejected).', 'lower'),
  count('tasks_timed_out', 'Tasks timed out', 'Queue and workflow timeouts (task-queue.timeout + workflow.timeout).', 'lower'),
  duration('avg_wait', 'Waiting time', 'Task age when answered or abandoned, in seconds: how long customers waited.'),
  duration('avg_queue_wait', 'Time in queue', 'Time in this queue until answered or abandoned, counted from entering it (task_age_in_queue, else from TaskQueueEnteredDate; Twilio: wait_duration_in_queue_until_accepted). A task moved between queues counts only its time in the last one. Waiting time (avg_wait) counts from task creation instead (Twilio: wait_duration_until_accepted).'),
  duration('avg_answer_time', 'Answer time', 'Task age when an agent accepted it (average speed of answer).'),
  duration('avg_abandon_time', 'Abandon time', 'How long abandoning customers waited before hanging up.'),
  duration('avg_task_duration', 'Call duration', 'Task age at completion: waiting plus talk plus wrap-up.'),
  duration('avg_handle_time', 'Handle time', 'From acceptance to completion: talk plus wrap-up.'),
  duration('avg_wrapup_time', 'Wrap-up time', 'From wrap-up to completion.'),
  {
    id: 'service_level', title: 'Service level', unit: 'percent', kind: 'ratio', groupBys: FLOW_GROUPS, better: 'higher', options: [threshold],
    description: 'Handled within the answer target, as a percentage of handled plus abandoned (short abandons excluded).',
  },
  {
    id: 'abandon_rate', title: 'Abandon rate', unit: 'percent', kind: 'ratio', groupBys: FLOW_GROUPS, better: 'lower',
    description: 'Abandoned as a percentage of handled plus abandoned.',
  },
  { id: 'tasks_waiting', title: 'Customers waiting', unit: 'short', kind: 'state', groupBys: STATE_GROUPS, options: [stateStat], better: 'lower', description: 'Tasks in a queue not yet accepted, canceled or completed, at every instant.' },
  { id: 'tasks_in_progress', title: 'Tasks in progress', unit: 'short', kind: 'state', groupBys: STATE_GROUPS, options: [stateStat], description: 'Tasks accepted and not yet completed (wrap-up included).' },
  { id: 'longest_wait', title: 'Longest wait', unit: 's', kind: 'state', groupBys: STATE_GROUPS, options: [stateStat], better: 'lower', description: 'Age of the oldest waiting task, at every instant.' },
  { id: 'agents_logged_in', title: 'Agents logged in', unit: 'short', kind: 'state', groupBys: AGENT_STATE_GROUPS, options: [stateStat], description: 'Agents in any activity but an offline one. By queue: agents the queue\'s target expression matches.' },
  { id: 'agents_available', title: 'Agents available', unit: 'short', kind: 'state', groupBys: AGENT_STATE_GROUPS, options: [stateStat], better: 'higher', description: 'Agents in an available activity.' },
  { id: 'agents_by_activity', title: 'Agents by activity', unit: 'short', kind: 'state', groupBys: ['activity', 'time', 'none'], options: [stateStat], description: 'Logged-in agents per activity name.' },
  { id: 'agent_current_activity', title: 'Current activity', unit: 's', kind: 'agent', groupBys: ['worker'], description: 'Each agent\'s activity now and the seconds spent in it so far (agents that are offline included).' },
  { id: 'agent_activity_time', title: 'Time in activity', unit: 's', kind: 'agent', groupBys: ['worker', 'activity'], description: 'Seconds each agent spent in each activity within the range (open activities count up to now).' },
  { id: 'agent_tasks_handled', title: 'Tasks handled by agent', unit: 'short', kind: 'agent', groupBys: ['worker', 'none', 'time', 'queue'], description: 'Tasks each agent accepted.' },
  { id: 'agent_avg_handle_time', title: 'Agent handle time', unit: 's', kind: 'agent', groupBys: ['worker', 'none', 'queue'], options: [durationStat], description: 'Average handle time (acceptance to completion) per agent.' },
  { id: 'agent_occupancy', title: 'Occupancy', unit: 'percent', kind: 'agent', groupBys: ['worker', 'none', 'queue'], description: 'Time with an accepted task as a percentage of time logged in.' },
  { id: 'dispositions', title: 'Dispositions', unit: 'short', kind: 'breakdown', groupBys: ['none', 'queue', 'channel'], description: 'Completed tasks per disposition code from TaskAttributes (paths in the SLA file).' },
  { id: 'tasks_by_direction', title: 'Tasks by direction', unit: 'short', kind: 'breakdown', groupBys: ['none', 'queue', 'channel'], description: 'Tasks created per TaskAttributes.direction (inbound / outbound) and channel.' },
];

export const CATALOG: readonly CatalogEntry[] = DEFS.map((d) => ({ options: [], better: null, ...d }));
export const METRIC_IDS = CATALOG.map((m) => m.id);
const byId = new Map(CATALOG.map((m) => [m.id, m]));

export function metricById(id: string): CatalogEntry | undefined {
  return byId.get(id);
}

export function catalog() {
  return { metrics: CATALOG, groupBys: GROUP_BYS };
}
