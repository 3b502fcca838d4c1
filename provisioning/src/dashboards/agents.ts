// Agents: who is in which state now and over time, a per-agent table (tasks handled, handle time,
// occupancy), time in each activity, time shares, dispositions.
import type { Sla } from '@floorboard/contract/sla';
import {
  activityBars,
  dataAgeStat,
  DIMENSION_FIELD,
  donut,
  liveStat,
  matrixTable,
  metricTable,
  timeSeries,
  type PanelContext,
} from '../panels';
import { dashboard } from '../sdk';
import { baseDashboard, datasourceVariable, finish, queueVariable } from './common';

export const AGENTS_UID = 'floorboard-agents';

export function agentsDashboard(sla: Sla): dashboard.Dashboard {
  const ctx: PanelContext = { sla, slaQueue: null };
  const selected = ['$queue'];
  const b = baseDashboard({
    uid: AGENTS_UID,
    title: 'Floorboard — Agents',
    description:
      "Agents by state now and over time, per-agent tasks handled, handle time and occupancy, time in each activity, where agents' time goes (logged in; queued, internal, external and outgoing calls; unavailable; idle), and dispositions. The queue filter keeps the agents whose attributes match the queue's target expression.",
    refresh: '10s',
    time: { from: 'now/d', to: 'now' },
  })
    .withVariable(datasourceVariable())
    .withVariable(queueVariable());

  b.withRow(new dashboard.RowBuilder('Now'))
    .withPanel(dataAgeStat(ctx))
    .withPanel(liveStat(ctx, 'agents_logged_in', selected, { title: 'Agents logged in now', size: { w: 4, h: 7 } }))
    .withPanel(liveStat(ctx, 'agents_available', selected, { title: 'Agents available now', size: { w: 4, h: 7 } }))
    .withPanel(activityBars(ctx, selected, { title: 'Agents by state now', size: { w: 16, h: 7 } }))
    .withPanel(
      timeSeries(ctx, [{ metric: 'agents_by_activity', groupBy: 'time', queues: selected }], {
        title: 'Agents by state over time',
        size: { w: 24, h: 8 },
        stacked: true,
      }),
    );

  b.withRow(new dashboard.RowBuilder('Per agent'))
    .withPanel(
      metricTable(
        ctx,
        [
          { metric: 'agent_current_activity', groupBy: 'worker', queues: selected, header: 'In current activity for' },
          { metric: 'agent_tasks_handled', groupBy: 'worker', queues: selected, header: 'Tasks handled' },
          { metric: 'agent_avg_handle_time', groupBy: 'worker', queues: selected, header: 'Handle time' },
          { metric: 'agent_occupancy', groupBy: 'worker', queues: selected },
        ],
        { title: 'Agents', size: { w: 24, h: 10 }, rowField: DIMENSION_FIELD.worker, sortBy: 'Tasks handled' },
      ),
    )
    .withPanel(
      matrixTable(
        ctx,
        { metric: 'agent_activity_time', groupBy: 'worker', queues: selected },
        { title: 'Time in each activity', size: { w: 16, h: 10 }, rowField: DIMENSION_FIELD.worker, columnField: DIMENSION_FIELD.activity },
      ),
    )
    .withPanel(
      donut(
        ctx,
        { metric: 'agent_activity_time', groupBy: 'activity', queues: selected },
        { title: 'Time in activity, all agents', size: { w: 8, h: 10 } },
      ),
    )
    .withPanel(
      // One frame with a column per share: logged in, queued, internal, external, outgoing, unavailable, idle.
      metricTable(ctx, [{ metric: 'agent_time_share', groupBy: 'worker', queues: selected }], {
        title: 'Where agents’ time goes',
        size: { w: 24, h: 9 },
        rowField: DIMENSION_FIELD.worker,
        sortBy: 'Logged in',
      })
        .unit('percent')
        .decimals(1),
    );

  b.withRow(new dashboard.RowBuilder('Outcomes'))
    .withPanel(donut(ctx, { metric: 'dispositions', groupBy: 'none', queues: selected }, { title: 'Dispositions', size: { w: 12, h: 9 } }))
    .withPanel(
      donut(
        ctx,
        { metric: 'tasks_by_direction', groupBy: 'none', queues: selected },
        { title: 'Tasks by direction', size: { w: 12, h: 9 } },
      ),
    );

  return finish(b);
}
