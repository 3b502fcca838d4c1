import { FieldType, getFieldDisplayName } from '@grafana/data';

import { annotationsFrame, findEntry, metricFrames, snapshotFrame } from './frames';
import { CATALOG, SNAPSHOT } from './testing/fakes';
import type { SlaAnnotation } from './types/annotations';
import { DATA_AGE, type MetricTarget, QUERY_DEFAULTS, type SnapshotTarget } from '@floorboard/contract';

function metric(overrides: Partial<MetricTarget> = {}): MetricTarget {
  return { ...QUERY_DEFAULTS.metric, refId: 'A', metric: 'avg_wait', ...overrides };
}

describe('metricFrames', () => {
  it('names series with the catalog title and keeps the unit', () => {
    const [frame] = metricFrames(
      [
        {
          name: 'avg_wait',
          fields: [
            { name: 'time', type: 'time', values: [1, 2] },
            { name: 'avg_wait', type: 'number', values: [42.5, null], labels: {}, config: { unit: 's' } },
          ],
        },
      ],
      metric(),
      findEntry(CATALOG, 'avg_wait')
    );
    expect(frame?.refId).toBe('A');
    expect(frame?.name).toBe('Waiting time');
    const [time, value] = frame!.fields;
    expect(time?.type).toBe(FieldType.time);
    expect(value?.config.unit).toBe('s');
    expect(getFieldDisplayName(value!, frame!)).toBe('Waiting time');
    expect(value?.values).toEqual([42.5, null]);
  });

  it('labels per-queue series with the queue name', () => {
    const frames = metricFrames(
      ['Sales', 'Support'].map((queue) => ({
        name: 'tasks_waiting',
        fields: [
          { name: 'time', type: 'time' as const, values: [1] },
          { name: 'tasks_waiting', type: 'number' as const, values: [3], labels: { queue }, config: {} },
        ],
      })),
      metric({ metric: 'tasks_waiting' }),
      findEntry(CATALOG, 'tasks_waiting')
    );
    expect(frames.map((frame) => getFieldDisplayName(frame.fields[1]!, frame, frames))).toEqual([
      'Customers waiting (Sales)',
      'Customers waiting (Support)',
    ]);
    expect(frames[0]?.fields[1]?.labels).toEqual({ queue: 'Sales' });
    expect(frames[0]?.fields[1]?.config.unit).toBe('short');
  });

  it('names the grouping column in the contact center’s words and bounds percentages', () => {
    const [frame] = metricFrames(
      [
        {
          name: 'service_level',
          fields: [
            { name: 'queue', type: 'string', values: ['Sales', 'Support'] },
            { name: 'service_level', type: 'number', values: [81.2, 93.4], config: { unit: 'percent' } },
          ],
        },
      ],
      metric({ metric: 'service_level', groupBy: 'queue' }),
      findEntry(CATALOG, 'service_level')
    );
    expect(frame?.fields.map((field) => field.name)).toEqual(['Queue', 'Service level']);
    expect(frame?.fields[1]?.config).toMatchObject({ unit: 'percent', min: 0, max: 100 });
  });

  it('falls back to the metric id and the response unit without a catalog', () => {
    const [frame] = metricFrames(
      [
        {
          name: 'x',
          fields: [
            { name: 'hour_of_day', type: 'string', values: ['00'] },
            { name: 'new_metric', type: 'number', values: [1], config: { unit: 'short' } },
          ],
        },
      ],
      metric({ metric: 'new_metric', groupBy: 'hour_of_day' }),
      undefined
    );
    expect(frame?.fields.map((field) => field.name)).toEqual(['Hour', 'new_metric']);
    expect(frame?.fields[1]?.config.unit).toBe('short');
  });
});

describe("metricFrames with the collector's own field names", () => {
  it('names the day, hour and total columns', () => {
    const names = (name: string) =>
      metricFrames(
        [
          {
            name: 'avg_wait',
            fields: [
              { name, type: 'string', values: ['x'] },
              { name: 'avg_wait', type: 'number', values: [1] },
            ],
          },
        ],
        metric(),
        findEntry(CATALOG, 'avg_wait')
      )[0]?.fields[0]?.name;
    expect(['day', 'hour', 'range', 'worker', 'disposition'].map(names)).toEqual([
      'Day',
      'Hour',
      'Period',
      'Agent',
      'Disposition',
    ]);
  });

  it('keeps per-label columns of a wide table and adds the queue to the title', () => {
    const [frame] = metricFrames(
      [
        {
          name: 'dispositions',
          fields: [
            { name: 'queue', type: 'string', values: ['Sales'] },
            {
              name: 'sale',
              type: 'number',
              values: [4],
              labels: { disposition: 'sale' },
              config: { unit: 'short', displayName: 'sale' },
            },
            {
              name: 'dispositions',
              type: 'number',
              values: [2],
              labels: { queue: 'Sales' },
              config: { unit: 'short', displayName: 'Dispositions' },
            },
          ],
        },
      ],
      metric({ metric: 'dispositions', groupBy: 'queue' }),
      undefined
    );
    expect(frame?.fields.map((field) => [field.name, getFieldDisplayName(field, frame!)])).toEqual([
      ['Queue', 'Queue'],
      ['sale', 'sale'],
      ['dispositions', 'Dispositions (Sales)'],
    ]);
  });
});

describe('snapshotFrame', () => {
  const target: SnapshotTarget = { ...QUERY_DEFAULTS.snapshot, refId: 'L' };

  it('shows the total when no queue is selected, with its SLA state', () => {
    const frame = snapshotFrame(SNAPSHOT, target, [], CATALOG);
    expect(frame.fields.map((field) => field.type)).toEqual([FieldType.time, FieldType.number]);
    expect(frame.fields[0]?.values).toEqual([Date.parse(SNAPSHOT.at)]);
    const total = frame.fields[1]!;
    expect(total.values).toEqual([9]);
    expect(total.labels).toEqual({ breach: 'warn' });
    expect(getFieldDisplayName(total, frame)).toBe('Customers waiting');
  });

  it('gives one number per selected queue, null for a queue with no data yet', () => {
    const frame = snapshotFrame(SNAPSHOT, target, ['Sales', 'Support', 'Billing'], CATALOG);
    const numbers = frame.fields.slice(1);
    expect(numbers.map((field) => getFieldDisplayName(field, frame))).toEqual([
      'Customers waiting (Sales)',
      'Customers waiting (Support)',
      'Customers waiting (Billing)',
    ]);
    expect(numbers.map((field) => field.values[0])).toEqual([6, 3, null]);
    expect(numbers.map((field) => field.labels?.breach)).toEqual(['breach', 'ok', 'ok']);
  });

  it('uses built-in titles and units when the catalog is unavailable', () => {
    const frame = snapshotFrame(SNAPSHOT, { ...target, metric: 'service_level' }, [], undefined);
    expect(getFieldDisplayName(frame.fields[1]!, frame)).toBe('Service level today');
    expect(frame.fields[1]?.config.unit).toBe('percent');
  });

  it('gives the age of the newest event in seconds, one number whatever the queues, none before the first', () => {
    const age: SnapshotTarget = { ...target, metric: DATA_AGE };
    const now = Date.parse('2026-11-20T10:00:30.000Z');
    const frame = snapshotFrame(SNAPSHOT, age, ['Sales', 'Support'], CATALOG, now);
    expect(
      frame.fields.slice(1).map((field) => [getFieldDisplayName(field, frame), field.values[0], field.config.unit])
    ).toEqual([['Newest event', 32, 's']]);
    expect(snapshotFrame({ ...SNAPSHOT, lastEventAt: null }, age, [], CATALOG, now).fields[1]?.values).toEqual([null]);
    // An event stamped ahead of this clock is "just now", not a negative age.
    expect(snapshotFrame(SNAPSHOT, age, [], CATALOG, Date.parse('2026-11-20T09:00:00.000Z')).fields[1]?.values).toEqual(
      [0]
    );
  });

  it('lists agents per activity', () => {
    const frame = snapshotFrame(SNAPSHOT, { ...target, metric: 'agents_by_activity' }, ['Sales'], CATALOG);
    expect(frame.fields.slice(1).map((field) => [getFieldDisplayName(field, frame), field.values[0]])).toEqual([
      ['Available (Sales)', 2],
      ['Break (Sales)', 1],
    ]);
  });
});

describe('annotationsFrame', () => {
  const annotations: SlaAnnotation[] = [
    {
      time: 1000,
      timeEnd: 5000,
      title: 'Sales: Longest wait over target',
      text: 'Longest wait 95 s (target 60 s)',
      tags: ['sla', 'Sales'],
      queue: 'Sales',
      metric: 'longest_wait',
      level: 'breach',
    },
    {
      time: 2000,
      title: 'Support: Waiting near target',
      text: '50 s',
      tags: ['sla'],
      queue: null,
      metric: 'avg_wait',
      level: 'warn',
    },
  ];

  it('keeps only the chosen levels and colours them', () => {
    const frame = annotationsFrame(annotations, { ...QUERY_DEFAULTS.annotations, refId: 'Anno', levels: ['breach'] });
    expect(frame.length).toBe(1);
    expect(frame.fields.find((field) => field.name === 'title')?.values).toEqual(['Sales: Longest wait over target']);
    expect(frame.fields.find((field) => field.name === 'color')?.values).toEqual(['red']);
  });

  it('labels the all-queues total', () => {
    const frame = annotationsFrame(annotations, {
      ...QUERY_DEFAULTS.annotations,
      refId: 'Anno',
      levels: ['warn', 'breach'],
    });
    expect(frame.fields.find((field) => field.name === 'queue')?.values).toEqual(['Sales', 'All queues']);
    expect(frame.fields.find((field) => field.name === 'timeEnd')?.values).toEqual([5000, null]);
  });
});
