// A small metric catalog in the collector's `GET /api/catalog` shape, for unit and browser tests.
// No Grafana imports, so the browser test's node-side fake collector can serve it too.
import type { Catalog } from '../types/wire';

export const CATALOG: Catalog = {
  groupBys: ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel', 'worker', 'activity'],
  metrics: [
    {
      id: 'tasks_handled',
      title: 'Tasks handled',
      description: 'Tasks an agent accepted',
      unit: 'short',
      kind: 'count',
      groupBys: ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel'],
      options: [],
      better: 'higher',
    },
    {
      id: 'avg_wait',
      title: 'Waiting time',
      description: 'How long customers waited before an answer or hanging up',
      unit: 's',
      kind: 'duration',
      groupBys: ['none', 'time', 'queue', 'day_of_week', 'hour_of_day', 'channel'],
      options: [
        { name: 'stat', type: 'enum', values: ['avg', 'max'], default: 'avg', description: 'Average or longest' },
      ],
      better: 'lower',
    },
    {
      id: 'service_level',
      title: 'Service level',
      description: 'Share of tasks answered within the target',
      unit: 'percent',
      kind: 'ratio',
      groupBys: ['none', 'time', 'queue', 'date'],
      options: [
        { name: 'thresholdSeconds', type: 'number', default: 20, description: 'Answered within this many seconds' },
      ],
      better: 'higher',
    },
    {
      id: 'tasks_waiting',
      title: 'Customers waiting',
      description: 'Tasks in a queue not yet answered',
      unit: 'short',
      kind: 'state',
      groupBys: ['none', 'time', 'queue'],
      options: [
        {
          name: 'stat',
          type: 'enum',
          values: ['avg', 'max', 'last'],
          default: 'avg',
          description: 'How to summarise each bucket',
        },
      ],
      better: 'lower',
    },
    {
      id: 'agent_tasks_handled',
      title: 'Tasks handled per agent',
      description: 'Reservations each agent accepted',
      unit: 'short',
      kind: 'agent',
      groupBys: ['worker'],
      options: [],
      better: 'higher',
    },
  ],
};
