// Queues: the selected queues side by side, then one repeated row per queue with its live numbers
// and history (waiting, agents, tasks received / handled / abandoned, durations, time-outs).
import type { Sla } from '@floorboard/contract/sla';
import { activityBars, dataAgeStat, DIMENSION_FIELD, liveStat, metricTable, timeSeries, type PanelContext } from '../panels';
import { dashboard } from '../sdk';
import { baseDashboard, datasourceVariable, finish, queueVariable, slaAnnotations } from './common';

export const QUEUES_UID = 'floorboard-queues';

const STAT = { w: 4, h: 6 };
const THIRD = { w: 8, h: 8 };
const HALF = { w: 12, h: 8 };

export function queuesDashboard(sla: Sla): dashboard.Dashboard {
  // Repeated rows are clones, so one set of thresholds serves every queue: the SLA defaults.
  const ctx: PanelContext = { sla, slaQueue: null };
  const selected = ['$queue'];
  const b = baseDashboard({
    uid: QUEUES_UID,
    title: 'Floorboard — Queues',
    description:
      'Each queue: customers waiting, waiting time, agents (and agents required by Erlang C), tasks received, handled and abandoned, durations, service level and time-outs.',
    refresh: '30s',
    time: { from: 'now/d', to: 'now' },
  })
    .withVariable(datasourceVariable())
    .withVariable(queueVariable())
    .annotation(slaAnnotations(selected));

  b.withRow(new dashboard.RowBuilder('Selected queues'))
    .withPanel(dataAgeStat(ctx))
    .withPanel(
      metricTable(
        ctx,
        [
          { metric: 'tasks_waiting', groupBy: 'queue', queues: selected, stat: 'last', header: 'Waiting now' },
          { metric: 'longest_wait', groupBy: 'queue', queues: selected, stat: 'max', header: 'Longest wait (peak)' },
          { metric: 'tasks_received', groupBy: 'queue', queues: selected },
          { metric: 'tasks_handled', groupBy: 'queue', queues: selected },
          { metric: 'tasks_abandoned', groupBy: 'queue', queues: selected },
          { metric: 'service_level', groupBy: 'queue', queues: selected },
          { metric: 'abandon_rate', groupBy: 'queue', queues: selected },
          { metric: 'avg_wait', groupBy: 'queue', queues: selected, header: 'Average waiting time' },
          { metric: 'avg_abandon_time', groupBy: 'queue', queues: selected, header: 'Average abandon time' },
          { metric: 'avg_task_duration', groupBy: 'queue', queues: selected, header: 'Average call duration' },
          { metric: 'avg_handle_time', groupBy: 'queue', queues: selected },
          { metric: 'avg_wrapup_time', groupBy: 'queue', queues: selected },
          { metric: 'tasks_timed_out', groupBy: 'queue', queues: selected },
          { metric: 'agents_logged_in', groupBy: 'queue', queues: selected, header: 'Logged-in agents (avg)' },
          { metric: 'agents_required', groupBy: 'queue', queues: selected, stat: 'last', header: 'Agents required now' },
          { metric: 'staffing_gap', groupBy: 'queue', queues: selected, stat: 'last', header: 'Agents short now' },
        ],
        { title: 'Queues side by side', size: { w: 24, h: 9 }, rowField: DIMENSION_FIELD.queue, sortBy: 'Waiting now' },
      ),
    );

  b.withRow(new dashboard.RowBuilder('$queue').repeat('queue'))
    .withPanel(liveStat(ctx, 'tasks_waiting', selected, { title: 'Customers waiting now', size: STAT }))
    .withPanel(liveStat(ctx, 'longest_wait', selected, { title: 'Longest wait now', size: STAT }))
    .withPanel(liveStat(ctx, 'service_level', selected, { title: 'Service level today', size: STAT }))
    .withPanel(liveStat(ctx, 'agents_logged_in', selected, { title: 'Logged-in agents now', size: STAT }))
    .withPanel(liveStat(ctx, 'agents_available', selected, { title: 'Agents available now', size: STAT }))
    .withPanel(activityBars(ctx, selected, { title: 'Agent states', size: STAT }))
    .withPanel(liveStat(ctx, 'agents_required', selected, { title: 'Agents required now', size: STAT }))
    .withPanel(liveStat(ctx, 'staffing_gap', selected, { title: 'Agents short now', size: STAT }))
    .withPanel(
      timeSeries(
        ctx,
        [
          { metric: 'agents_required', groupBy: 'time', queues: selected },
          { metric: 'agents_available', groupBy: 'time', queues: selected },
        ],
        { title: 'Agents required (Erlang C) and available', size: { w: 16, h: 6 } },
      ),
    )
    .withPanel(timeSeries(ctx, [{ metric: 'avg_wait', groupBy: 'time', queues: selected }], { title: 'Waiting time', size: THIRD }))
    .withPanel(
      timeSeries(ctx, [{ metric: 'tasks_waiting', groupBy: 'time', queues: selected, stat: 'max' }], {
        title: 'Customers waiting',
        size: THIRD,
        drillDown: selected,
      }),
    )
    .withPanel(
      timeSeries(
        ctx,
        [
          { metric: 'agents_logged_in', groupBy: 'time', queues: selected },
          { metric: 'agents_available', groupBy: 'time', queues: selected },
        ],
        { title: 'Logged-in agents', size: THIRD },
      ),
    )
    .withPanel(
      timeSeries(
        ctx,
        [
          { metric: 'tasks_received', groupBy: 'time', queues: selected },
          { metric: 'tasks_handled', groupBy: 'time', queues: selected },
          { metric: 'tasks_abandoned', groupBy: 'time', queues: selected },
        ],
        { title: 'Tasks received, handled and abandoned', size: THIRD, bars: true },
      ),
    )
    .withPanel(timeSeries(ctx, [{ metric: 'service_level', groupBy: 'time', queues: selected }], { title: 'Service level', size: THIRD }))
    .withPanel(
      timeSeries(ctx, [{ metric: 'longest_wait', groupBy: 'time', queues: selected, stat: 'max' }], {
        title: 'Longest wait',
        size: THIRD,
        drillDown: selected,
      }),
    )
    .withPanel(
      timeSeries(ctx, [{ metric: 'avg_abandon_time', groupBy: 'time', queues: selected }], { title: 'Average abandon time', size: THIRD }),
    )
    .withPanel(
      timeSeries(ctx, [{ metric: 'avg_task_duration', groupBy: 'time', queues: selected }], {
        title: 'Average call duration',
        size: THIRD,
      }),
    )
    .withPanel(
      timeSeries(
        ctx,
        [
          { metric: 'avg_handle_time', groupBy: 'time', queues: selected },
          { metric: 'avg_wrapup_time', groupBy: 'time', queues: selected },
        ],
        { title: 'Handle and wrap-up time', size: THIRD },
      ),
    )
    .withPanel(
      timeSeries(ctx, [{ metric: 'tasks_timed_out', groupBy: 'time', queues: selected, interval: '1h' }], {
        title: 'Timed-out calls per hour',
        size: HALF,
        bars: true,
      }),
    )
    .withPanel(timeSeries(ctx, [{ metric: 'abandon_rate', groupBy: 'time', queues: selected }], { title: 'Abandon rate', size: HALF }));

  return finish(b);
}
