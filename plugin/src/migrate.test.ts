import { migrateQuery, migrateVariableQuery, type QueryV0, type QueryV1, type QueryV2Realtime } from './migrate';
import { QUERY_DEFAULTS, type MetricTarget } from '@floorboard/contract';

describe('migrateQuery', () => {
  it('upgrades a v0 prototype query (metricId, short group names, one queue string)', () => {
    const v0: QueryV0 = {
      refId: 'A',
      metricId: 'avg_wait',
      group: 'hour',
      queue: 'Sales',
      channel: 'voice',
      live: true,
    };
    expect(migrateQuery(v0)).toEqual({
      ...QUERY_DEFAULTS.metric,
      refId: 'A',
      metric: 'avg_wait',
      groupBy: 'hour_of_day',
      queues: ['Sales'],
      channels: ['voice'],
      live: true,
    });
  });

  it('maps every v0 grouping and defaults a missing one to time', () => {
    expect(migrateQuery({ refId: 'A', metricId: 'tasks_handled', group: 'day' } as QueryV0)).toMatchObject({
      groupBy: 'day_of_week',
    });
    expect(migrateQuery({ refId: 'A', metricId: 'tasks_handled', group: 'date' } as QueryV0)).toMatchObject({
      groupBy: 'date',
    });
    expect(migrateQuery({ refId: 'A', metricId: 'tasks_handled' } as QueryV0)).toMatchObject({
      groupBy: 'time',
      queues: [],
    });
  });

  it('upgrades a v1 query (no queryType, comma-separated queues, top-level threshold and stat)', () => {
    const v1: QueryV1 = {
      refId: 'B',
      metric: 'service_level',
      groupBy: 'queue',
      queues: 'Sales, Support,',
      threshold: 30,
      stat: 'max',
    };
    expect(migrateQuery(v1)).toEqual({
      ...QUERY_DEFAULTS.metric,
      refId: 'B',
      metric: 'service_level',
      groupBy: 'queue',
      queues: ['Sales', 'Support'],
      options: { thresholdSeconds: 30, stat: 'max' },
    });
  });

  it('upgrades a v2 real-time query to a snapshot query', () => {
    const v2: QueryV2Realtime = { refId: 'C', queryType: 'realtime', value: 'longest_wait', queue: 'Support' };
    expect(migrateQuery(v2)).toEqual({
      queryType: 'snapshot',
      refId: 'C',
      metric: 'longest_wait',
      queues: ['Support'],
    });
  });

  it('keeps a snapshot query at the time range end, and drops an unknown instant', () => {
    const saved = { refId: 'D', queryType: 'snapshot', metric: 'tasks_waiting', queues: [], at: 'range_end' } as const;
    expect(migrateQuery(saved)).toEqual(saved);
    expect(migrateQuery({ ...saved, at: 'yesterday' } as unknown as typeof saved)).not.toHaveProperty('at');
  });

  it('falls back to "customers waiting" for an unknown real-time value', () => {
    expect(migrateQuery({ refId: 'C', queryType: 'realtime', value: 'nonsense' } as QueryV2Realtime)).toMatchObject({
      metric: 'tasks_waiting',
    });
  });

  it('fills a bare new query with defaults and keeps hide', () => {
    expect(migrateQuery({ refId: 'D', hide: true })).toEqual({ ...QUERY_DEFAULTS.metric, refId: 'D', hide: true });
  });

  it('replaces an unknown groupBy with the default', () => {
    expect(
      migrateQuery({
        refId: 'E',
        queryType: 'metric',
        metric: 'avg_wait',
        groupBy: 'fortnight',
      } as unknown as MetricTarget)
    ).toMatchObject({ groupBy: 'time' });
  });

  it('leaves a current query unchanged (idempotent)', () => {
    const current: MetricTarget = {
      ...QUERY_DEFAULTS.metric,
      refId: 'F',
      metric: 'avg_wait',
      groupBy: 'queue',
      interval: '15m',
      queues: ['$queue'],
      channels: ['voice'],
      options: { stat: 'max' },
      live: true,
    };
    expect(migrateQuery(current)).toEqual(current);
    expect(migrateQuery(migrateQuery(current))).toEqual(current);
  });

  it('keeps annotation queries and drops unknown levels', () => {
    expect(
      migrateQuery({ refId: 'G', queryType: 'annotations', queues: ['Sales'], levels: ['warn', 'panic'] } as never)
    ).toEqual({
      queryType: 'annotations',
      refId: 'G',
      queues: ['Sales'],
      levels: ['warn'],
    });
  });
});

describe('migrateVariableQuery', () => {
  it('reads the bare kind string of early variables', () => {
    expect(migrateVariableQuery('workers')).toEqual({ refId: 'FloorboardVariable', kind: 'workers' });
    expect(migrateVariableQuery('')).toEqual({ refId: 'FloorboardVariable', kind: 'queues' });
  });

  it('keeps a current variable query with its queue filter', () => {
    expect(migrateVariableQuery({ refId: 'V', kind: 'workers', queue: '$queue' })).toEqual({
      refId: 'V',
      kind: 'workers',
      queue: '$queue',
    });
  });
});
