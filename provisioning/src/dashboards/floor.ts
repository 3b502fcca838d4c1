// Floor at a moment: the wallboard's numbers and the tasks and agents behind them as they stood at
// the time picker's end — now by default, or any past instant (after an incident: "what did the
// floor look like at 10:32?"). The drill-down links of "Customers waiting", "Longest wait" and "In
// progress" open it filtered to their queue.
import type { Sla } from '@floorboard/contract/sla';
import { activityBars, dataAgeStat, FLOOR_UID, listTable, liveStat, type PanelContext } from '../panels';
import { dashboard } from '../sdk';
import { baseDashboard, datasourceVariable, finish, queueVariable } from './common';

export { FLOOR_UID };

const NUMBER = { w: 3, h: 5 };

export function floorDashboard(sla: Sla): dashboard.Dashboard {
  const ctx: PanelContext = { sla, slaQueue: null };
  const selected = ['$queue'];
  const b = baseDashboard({
    uid: FLOOR_UID,
    title: 'Floorboard — Floor at a moment',
    description:
      "The floor as it stood at the end of the time range (set the picker's end to any past instant): customers waiting, longest wait, in progress, agents, today so far, and the tasks and agents behind them.",
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
  })
    .withVariable(datasourceVariable())
    .withVariable(queueVariable());

  const at = { atRangeEnd: true } as const;
  b.withRow(new dashboard.RowBuilder('The floor at the end of the time range'))
    .withPanel(dataAgeStat(ctx, true))
    .withPanel(liveStat(ctx, 'tasks_waiting', selected, { title: 'Customers waiting', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'longest_wait', selected, { title: 'Longest wait', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'tasks_in_progress', selected, { title: 'In progress', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'agents_logged_in', selected, { title: 'Agents logged in', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'agents_available', selected, { title: 'Agents available', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'tasks_handled', selected, { title: 'Handled that day', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'service_level', selected, { title: 'Service level that day', size: NUMBER, ...at }))
    .withPanel(liveStat(ctx, 'tasks_abandoned', selected, { title: 'Abandoned that day', size: NUMBER, ...at }))
    .withPanel(activityBars(ctx, selected, { title: 'Agents by state', size: { w: 24, h: 5 }, ...at }));

  b.withRow(new dashboard.RowBuilder('Behind the numbers'))
    .withPanel(
      listTable(
        ctx,
        { metric: 'waiting_tasks', groupBy: 'none', queues: selected },
        { title: 'Customers waiting', size: { w: 24, h: 9 }, rowField: 'task', sortBy: 'Waiting for' },
      ),
    )
    .withPanel(
      listTable(
        ctx,
        { metric: 'active_tasks', groupBy: 'none', queues: selected },
        { title: 'In progress', size: { w: 14, h: 9 }, rowField: 'task', sortBy: 'Since accepted' },
      ),
    )
    .withPanel(
      listTable(
        ctx,
        { metric: 'agent_current_activity', groupBy: 'worker', queues: selected },
        { title: 'Agents', size: { w: 10, h: 9 }, rowField: 'worker' },
      ),
    );
  return finish(b);
}
