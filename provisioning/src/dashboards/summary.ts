// Summary: every graph of Twilio's TaskRouter dashboards guide, each real-time number beside its
// history, plus service level and abandon rate. All queues together.
import type { Sla } from '@floorboard/contract/sla';
import { barChart, dataAgeStat, liveStat, rangeStat, timeSeries, type PanelContext } from '../panels';
import { dashboard } from '../sdk';
import { baseDashboard, datasourceVariable, finish, slaAnnotations } from './common';

export const SUMMARY_UID = 'floorboard-summary';

const STAT = { w: 4, h: 7 };
const HISTORY = { w: 8, h: 7 };
const HALF = { w: 12, h: 8 };
const THIRD = { w: 8, h: 8 };

export function summaryDashboard(sla: Sla): dashboard.Dashboard {
  const ctx: PanelContext = { sla, slaQueue: null };
  const all: string[] = [];
  const b = baseDashboard({
    uid: SUMMARY_UID,
    title: 'Floorboard — Summary',
    description:
      'The contact center at a glance: live numbers beside their history, waiting time, tasks queued and agents logged in by date, weekday, hour and queue.',
    refresh: '30s',
    time: { from: 'now-7d', to: 'now' },
  })
    .withVariable(datasourceVariable())
    .annotation(slaAnnotations(all));

  b.withRow(new dashboard.RowBuilder('Right now, and how it got here'))
    .withPanel(dataAgeStat(ctx))
    .withPanel(liveStat(ctx, 'tasks_waiting', all, { title: 'Customers waiting now', size: STAT }))
    .withPanel(
      timeSeries(ctx, [{ metric: 'tasks_waiting', groupBy: 'time', stat: 'max' }], {
        title: 'Customers waiting',
        size: HISTORY,
        drillDown: all,
      }),
    )
    .withPanel(liveStat(ctx, 'tasks_in_progress', all, { title: 'Tasks in progress now', size: STAT }))
    .withPanel(timeSeries(ctx, [{ metric: 'tasks_in_progress', groupBy: 'time' }], { title: 'Tasks in progress', size: HISTORY }))
    .withPanel(liveStat(ctx, 'tasks_abandoned', all, { title: 'Tasks abandoned today', size: STAT }))
    .withPanel(timeSeries(ctx, [{ metric: 'tasks_abandoned', groupBy: 'time' }], { title: 'Tasks abandoned', size: HISTORY, bars: true }))
    .withPanel(liveStat(ctx, 'service_level', all, { title: 'Service level today', size: STAT }))
    .withPanel(timeSeries(ctx, [{ metric: 'service_level', groupBy: 'time' }], { title: 'Service level', size: HISTORY }))
    .withPanel(rangeStat(ctx, { metric: 'abandon_rate', groupBy: 'none', live: true }, { title: 'Abandon rate', size: STAT }))
    .withPanel(timeSeries(ctx, [{ metric: 'abandon_rate', groupBy: 'time' }], { title: 'Abandon rate over time', size: HISTORY }))
    .withPanel(liveStat(ctx, 'agents_logged_in', all, { title: 'Agents logged in now', size: STAT }))
    .withPanel(timeSeries(ctx, [{ metric: 'agents_logged_in', groupBy: 'time' }], { title: 'Agents logged in over time', size: HISTORY }));

  b.withRow(new dashboard.RowBuilder('Waiting time'))
    .withPanel(barChart(ctx, { metric: 'avg_wait', groupBy: 'date' }, { title: 'Average waiting time by date', size: HALF }))
    .withPanel(barChart(ctx, { metric: 'avg_wait', groupBy: 'queue' }, { title: 'Average waiting time by queue', size: HALF }))
    .withPanel(barChart(ctx, { metric: 'avg_wait', groupBy: 'day_of_week' }, { title: 'Average waiting time by day of week', size: HALF }))
    .withPanel(barChart(ctx, { metric: 'avg_wait', groupBy: 'hour_of_day' }, { title: 'Average waiting time by hour', size: HALF }));

  b.withRow(new dashboard.RowBuilder('Tasks queued'))
    .withPanel(barChart(ctx, { metric: 'tasks_entered', groupBy: 'hour_of_day' }, { title: 'Tasks queued by hour', size: HALF }))
    .withPanel(barChart(ctx, { metric: 'tasks_entered', groupBy: 'day_of_week' }, { title: 'Tasks queued by day of week', size: HALF }));

  b.withRow(new dashboard.RowBuilder('Agents logged in'))
    .withPanel(
      barChart(ctx, { metric: 'agents_logged_in', groupBy: 'day_of_week' }, { title: 'Agents logged in by day of week', size: THIRD }),
    )
    .withPanel(barChart(ctx, { metric: 'agents_logged_in', groupBy: 'hour_of_day' }, { title: 'Agents logged in by hour', size: THIRD }))
    .withPanel(barChart(ctx, { metric: 'agents_logged_in', groupBy: 'queue' }, { title: 'Agents logged in by queue', size: THIRD }));

  return finish(b);
}
