import { LoadingState } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, toArray } from 'rxjs';

import {
  CATALOG,
  FakeBackendSrv,
  FakeEventStream,
  FakeTemplateSrv,
  fetchError,
  makeDataSource,
  makeRequest,
  SNAPSHOT,
  sseMessage,
  until,
} from './testing/fakes';
import { ALL_VALUE, type MetricTarget, QUERY_DEFAULTS } from '@floorboard/contract';
import type { MetricQuery, QueryResponse } from './types/wire';

const templateSrv = new FakeTemplateSrv({
  queue: { current: ['Sales', 'Support'], options: ['Sales', 'Support', 'Billing'] },
  channel: { current: '$__all', options: ['voice', 'chat'], allValue: ALL_VALUE },
  bucket: { current: '15m' },
});

function metric(overrides: Partial<MetricTarget> = {}): MetricTarget {
  return { ...QUERY_DEFAULTS.metric, refId: 'A', metric: 'avg_wait', ...overrides };
}

const AVG_WAIT: QueryResponse = {
  frames: [
    {
      name: 'avg_wait',
      fields: [
        { name: 'time', type: 'time', values: [1763596800000] },
        { name: 'avg_wait', type: 'number', values: [42.5], labels: {}, config: { unit: 's' } },
      ],
    },
  ],
};

function collector(onQuery: (body: MetricQuery) => QueryResponse = () => AVG_WAIT) {
  const backend = new FakeBackendSrv({
    'GET /api/catalog': () => CATALOG,
    'POST /api/query': (request) => onQuery(request.data as MetricQuery),
  });
  setBackendSrv(backend.asBackendSrv());
  return backend;
}

async function run(targets: MetricTarget[], overrides: Parameters<typeof makeRequest>[1] = {}) {
  return lastValueFrom(
    makeDataSource({ url: 'http://collector:3300', timezone: 'America/New_York' })
      .query(makeRequest(targets, overrides))
      .pipe(toArray())
  );
}

beforeEach(() => setTemplateSrv(templateSrv));

describe('query: request mapping', () => {
  it('posts the range as epoch milliseconds, the auto interval and the dashboard zone', async () => {
    const backend = collector();
    await run([metric()]);
    const [request] = backend.to('/api/query');
    expect(request?.method).toBe('POST');
    expect(request?.data).toEqual({
      metric: 'avg_wait',
      from: Date.UTC(2026, 10, 20),
      to: Date.UTC(2026, 10, 21),
      groupBy: 'time',
      interval: '1m',
      queues: [],
      channels: [],
      timezone: 'Europe/London',
      options: {},
    });
  });

  it('replaces $__interval from the request and interpolates an interval variable', async () => {
    const backend = collector();
    await run([metric({ refId: 'A' }), metric({ refId: 'B', interval: '$bucket' })], {
      interval: '5m',
      intervalMs: 300_000,
      scopedVars: { __interval: { text: '5m', value: '5m' } },
    });
    expect(backend.to('/api/query').map((request) => (request.data as MetricQuery).interval)).toEqual(['5m', '15m']);
  });

  it('raises a sub-second auto interval to the collector minimum of one second', async () => {
    const backend = collector();
    await run([metric()], { interval: '200ms', intervalMs: 200 });
    expect((backend.to('/api/query')[0]?.data as MetricQuery).interval).toBe('1s');
  });

  it('sends no interval when the metric is not grouped by time', async () => {
    const backend = collector();
    await run([metric({ groupBy: 'queue' })]);
    expect(backend.to('/api/query')[0]?.data).not.toHaveProperty('interval');
  });

  it.each([
    ['utc', 'UTC'],
    ['', 'America/New_York'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['browser', Intl.DateTimeFormat().resolvedOptions().timeZone],
  ])('maps dashboard zone %p to %p', async (zone, expected) => {
    const backend = collector();
    await run([metric()], { timezone: zone });
    expect((backend.to('/api/query')[0]?.data as MetricQuery).timezone).toBe(expected);
  });

  it('expands multi-value variables into queue lists and "All" into an empty list', async () => {
    const backend = collector();
    await run([metric({ queues: ['$queue', 'Billing'], channels: ['$channel'] })]);
    const body = backend.to('/api/query')[0]?.data as MetricQuery;
    expect(body.queues).toEqual(['Sales', 'Support', 'Billing']);
    expect(body.channels).toEqual([]);
  });

  it('passes the options the catalog allows', async () => {
    const backend = collector();
    await run([metric({ metric: 'service_level', options: { thresholdSeconds: 30 } })]);
    expect((backend.to('/api/query')[0]?.data as MetricQuery).options).toEqual({ thresholdSeconds: 30 });
  });
});

describe('query: targets', () => {
  it('runs one request per target in parallel and tags frames with each refId', async () => {
    const backend = collector();
    const responses = await run([metric({ refId: 'A' }), metric({ refId: 'B', metric: 'tasks_handled' })]);
    expect(backend.to('/api/query')).toHaveLength(2);
    expect(responses.map((response) => response.key).sort()).toEqual(['A', 'B']);
    expect(responses.every((response) => response.state === LoadingState.Done)).toBe(true);
    expect(responses.flatMap((response) => response.data.map((frame) => frame.refId)).sort()).toEqual(['A', 'B']);
  });

  it('reports an error on the failing target only', async () => {
    collector((body) => {
      if (body.metric === 'nonsense') {
        throw fetchError(400, { error: 'metric: unknown metric "nonsense"' });
      }
      return AVG_WAIT;
    });
    const responses = await run([metric({ refId: 'A' }), metric({ refId: 'B', metric: 'nonsense' })]);
    const good = responses.find((response) => response.key === 'A');
    const bad = responses.find((response) => response.key === 'B');
    expect(good?.errors).toBeUndefined();
    expect(good?.data).toHaveLength(1);
    expect(bad?.data).toEqual([]);
    expect(bad?.errors).toEqual([{ refId: 'B', status: 400, message: 'Bad query: metric: unknown metric "nonsense"' }]);
  });

  it('skips hidden targets and targets without a metric', async () => {
    const backend = collector();
    const ds = makeDataSource();
    expect(ds.filterQuery(metric({ metric: '' }))).toBe(false);
    expect(ds.filterQuery(metric({ hide: true }))).toBe(false);
    expect(ds.filterQuery(metric())).toBe(true);
    const responses = await run([metric({ refId: 'A', metric: '' }), metric({ refId: 'B', hide: true })]);
    expect(backend.to('/api/query')).toHaveLength(0);
    expect(responses).toEqual([{ data: [] }]);
  });

  it('runs saved queries of older shapes', async () => {
    const backend = collector();
    const v0 = { refId: 'A', metricId: 'avg_wait', group: 'queue', queue: 'Sales' } as unknown as MetricTarget;
    await run([v0]);
    expect(backend.to('/api/query')[0]?.data).toMatchObject({
      metric: 'avg_wait',
      groupBy: 'queue',
      queues: ['Sales'],
    });
  });
});

describe('testDatasource', () => {
  function health(handler: () => unknown) {
    setBackendSrv(new FakeBackendSrv({ 'GET /api/health': handler }).asBackendSrv());
    return makeDataSource().testDatasource();
  }

  it('reports the events stored and the last event time', async () => {
    await expect(
      health(() => ({
        status: 'ok',
        eventsStored: 12345,
        lastEventAt: '2026-11-20T14:03:12.000Z',
        db: { path: 'x', sizeBytes: 1 },
      }))
    ).resolves.toEqual({
      status: 'success',
      message: 'Connected: 12,345 events stored, last event at 2026-11-20 14:03:12',
    });
  });

  it('warns when the collector has no events yet', async () => {
    const result = await health(() => ({
      status: 'ok',
      eventsStored: 0,
      lastEventAt: null,
      db: { path: 'x', sizeBytes: 1 },
    }));
    expect(result.status).toBe('warning');
    expect(result.message).toMatch(/no events yet/);
  });

  it('names the token when the collector answers 401', async () => {
    const result = await health(() => {
      throw fetchError(401, { error: 'missing or invalid bearer token' }, 'Unauthorized');
    });
    expect(result).toEqual({ status: 'error', message: expect.stringMatching(/refused the API token \(401\)/) });
  });

  it('says the collector is unreachable when the proxy cannot connect', async () => {
    const result = await health(() => {
      throw fetchError(502, { message: 'Bad Gateway' }, 'Bad Gateway');
    });
    expect(result).toEqual({
      status: 'error',
      message:
        'Cannot reach the collector at http://collector:3300 (HTTP 502): check the URL and that the collector is running',
    });
  });

  it('asks for a URL before trying', async () => {
    setBackendSrv(new FakeBackendSrv({}).asBackendSrv());
    await expect(makeDataSource({}).testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/collector URL/),
    });
  });
});

describe('query: live metric', () => {
  it('re-runs the query over a window sliding to now when the contact center changes', async () => {
    const backend = collector();
    const ds = makeDataSource();
    const stream = new FakeEventStream();
    jest.spyOn(ds.api, 'openLive').mockResolvedValue(stream.asReader());
    const states: Array<LoadingState | undefined> = [];
    const subscription = ds
      .query(makeRequest([metric({ live: true })]))
      .subscribe((response) => states.push(response.state));

    await until(() => states.length === 1);
    const before = Date.now();
    stream.push(sseMessage(SNAPSHOT));
    await until(() => states.length === 2, 4000);
    subscription.unsubscribe();

    const bodies = backend.to('/api/query').map((request) => request.data as MetricQuery);
    expect(bodies).toHaveLength(2);
    expect(Number(bodies[1]!.to)).toBeGreaterThanOrEqual(before);
    expect(Number(bodies[1]!.to) - Number(bodies[1]!.from)).toBe(24 * 3600 * 1000);
    expect(states).toEqual([LoadingState.Streaming, LoadingState.Streaming]);
    expect(stream.cancelled).toBe(true);
  });
});

describe('query: SLA breaches', () => {
  it('asks /api/annotations for the range, queues and zone, and keeps the chosen levels', async () => {
    const backend = new FakeBackendSrv({
      'GET /api/catalog': () => CATALOG,
      'GET /api/annotations': () => ({
        annotations: [
          {
            time: 1,
            timeEnd: 2,
            title: 'Sales: Longest wait breached its target',
            text: 'Longest wait reached 95 s (breach at 60 s)',
            tags: ['floorboard', 'sla', 'breach'],
            queue: 'Sales',
            metric: 'longest_wait',
            level: 'breach',
          },
          {
            time: 3,
            title: 'Sales: Customers waiting near its target',
            text: '…',
            tags: [],
            queue: 'Sales',
            metric: 'tasks_waiting',
            level: 'warn',
          },
        ],
      }),
    });
    setBackendSrv(backend.asBackendSrv());
    const target = { ...QUERY_DEFAULTS.annotations, refId: 'Anno', queues: ['$queue'] };
    const [response] = await lastValueFrom(
      makeDataSource()
        .query(makeRequest([target], { timezone: 'utc' }))
        .pipe(toArray())
    );
    expect(backend.to('/api/annotations')[0]?.params).toEqual({
      from: String(Date.UTC(2026, 10, 20)),
      to: String(Date.UTC(2026, 10, 21)),
      queue: ['Sales', 'Support'],
      timezone: 'UTC',
    });
    expect(response?.data[0]?.length).toBe(1);
  });

  it('says so when the collector has no annotations endpoint', async () => {
    setBackendSrv(new FakeBackendSrv({ 'GET /api/catalog': () => CATALOG }).asBackendSrv());
    const target = { ...QUERY_DEFAULTS.annotations, refId: 'Anno' };
    const [response] = await lastValueFrom(
      makeDataSource()
        .query(makeRequest([target]))
        .pipe(toArray())
    );
    expect(response?.errors?.[0]).toMatchObject({ refId: 'Anno', status: 404 });
  });
});

describe('query: the floor at the time range end', () => {
  it('asks /api/snapshot?at= for the range end once, and shows that moment’s numbers and colours without streaming', async () => {
    const backend = new FakeBackendSrv({
      'GET /api/catalog': () => CATALOG,
      'GET /api/snapshot': () => SNAPSHOT,
    });
    setBackendSrv(backend.asBackendSrv());
    const target = {
      ...QUERY_DEFAULTS.snapshot,
      refId: 'S',
      metric: 'tasks_waiting' as const,
      queues: ['Sales'],
      at: 'range_end' as const,
    };
    const responses = await lastValueFrom(
      makeDataSource()
        .query(makeRequest([target]))
        .pipe(toArray())
    );
    expect(backend.to('/api/snapshot').map((r) => r.params)).toEqual([{ at: String(Date.UTC(2026, 10, 21)) }]);
    const [response] = responses;
    expect(response?.state).toBe(LoadingState.Done);
    const field = response?.data[0]?.fields?.[1];
    expect(field?.values).toEqual([6]);
    expect(field?.labels).toMatchObject({ queue: 'Sales', breach: 'breach' });
  });
});
