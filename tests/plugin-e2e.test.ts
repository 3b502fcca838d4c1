// @vitest-environment jsdom
// End to end across the parts: a real collector fed by the simulator through its signed webhooks,
// and the plugin's own DataSource whose getBackendSrv() is real HTTP to that collector (the
// data-source proxy path mapped to the collector, as Grafana's proxy would). Every metric in the
// catalog, with every grouping it allows, must come back as non-empty, correctly typed frames.
// Grafana's packages read window.matchMedia when they load: stub it before importing them.
Object.defineProperty(window, 'matchMedia', {
  value: () => ({ matches: false, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {} }),
});
import type { DataFrame, DataQueryRequest } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { firstValueFrom, Observable, lastValueFrom, filter, take, timeout, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHistory } from '../collector/src/simulate';
import { AUTH_TOKEN, PUBLIC_URL, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { Catalog } from '@floorboard/contract';
import type { DataSource } from '../plugin/src/datasource';
import { DATA_AGE, type FloorboardQuery, type MetricTarget } from '@floorboard/contract';

const grafanaData = () => import('@grafana/data');

const PROXY = '/api/datasources/proxy/uid/floorboard/collector';
const HOUR = 3_600_000;
const end = Date.now() - 5 * 60_000;
const start = end - 6 * HOUR;
let c: TestCollector;
let ds: DataSource;
let catalog: Catalog;

/** BackendSrv.fetch as real HTTP: the proxy path goes to the collector, query params and JSON bodies as Grafana sends them. */
function httpBackendSrv(base: string): BackendSrv {
  const fetchOne = <T>(req: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((sub) => {
      const url = new URL(base + req.url.replace(PROXY, ''));
      for (const [k, v] of Object.entries((req.params ?? {}) as Record<string, string | string[]>))
        for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
      const ctrl = new AbortController();
      fetch(url, {
        method: req.method ?? 'GET',
        headers: req.data !== undefined ? { 'content-type': 'application/json' } : {},
        body: req.data !== undefined ? JSON.stringify(req.data) : undefined,
        signal: ctrl.signal,
      })
        .then(async (res) => {
          const data = (await res.json()) as T;
          if (!res.ok) sub.error({ status: res.status, statusText: res.statusText, data, config: req });
          else {
            sub.next({
              data,
              status: res.status,
              statusText: res.statusText,
              ok: true,
              headers: res.headers,
              redirected: false,
              type: 'basic',
              url: String(url),
              config: req,
            });
            sub.complete();
          }
        })
        .catch((err: unknown) => sub.error(err));
      return () => ctrl.abort();
    });
  return { fetch: fetchOne } as unknown as BackendSrv;
}

let g: Awaited<ReturnType<typeof grafanaData>>;

function request(targets: FloorboardQuery[]): DataQueryRequest<FloorboardQuery> {
  const { CoreApp, dateTime } = g;
  return {
    requestId: 'e2e',
    app: CoreApp.Dashboard,
    interval: '15m',
    intervalMs: 15 * 60_000,
    range: { from: dateTime(start), to: dateTime(end), raw: { from: 'now-6h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'Europe/London',
    startTime: Date.now(),
  };
}

beforeAll(async () => {
  c = await startTestCollector({ FLOORBOARD_TZ: 'Europe/London' });
  await runHistory(
    { seed: 5, start, end, agents: 25, timezone: 'Europe/London' },
    { baseUrl: c.url, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN },
  );
  // Live fetches (SSE) go through the browser's fetch to the same proxy path.
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) =>
    nodeFetch(typeof input === 'string' && input.startsWith(PROXY) ? c.url + input.slice(PROXY.length) : input, init)) as typeof fetch;
  g = await grafanaData();
  const { setBackendSrv, setTemplateSrv } = await import('@grafana/runtime');
  const { DataSource } = await import('../plugin/src/datasource');
  const { FakeTemplateSrv } = await import('../plugin/src/testing/fakes');
  setBackendSrv(httpBackendSrv(c.url));
  setTemplateSrv(new FakeTemplateSrv() as never);
  ds = new DataSource({
    id: 1,
    uid: 'floorboard',
    type: 'floorboard-taskrouter-datasource',
    name: 'Floorboard',
    url: '/api/datasources/proxy/uid/floorboard',
    jsonData: { url: 'http://collector:3300', timezone: 'Europe/London' },
    access: 'proxy',
    readOnly: false,
    meta: { id: 'floorboard-taskrouter-datasource' } as never,
  });
  catalog = (await (await fetch(`${c.url}/api/catalog`)).json()) as Catalog;
}, 120_000);
afterAll(() => c.dispose());

describe('plugin DataSource against a real collector', () => {
  it('Save & test reports the events stored', async () => {
    const result = await ds.testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/events stored/);
  });

  it('answers every catalog metric with every grouping as typed, non-empty frames', async () => {
    const targets: MetricTarget[] = catalog.metrics.flatMap((m) =>
      m.groupBys.map((groupBy, i) => ({
        refId: `${m.id}-${i}`,
        queryType: 'metric',
        metric: m.id,
        groupBy,
        interval: '$__interval',
        queues: [],
        channels: [],
        options: {},
        live: false,
      })),
    );
    // One response per target (Grafana merges them by key): gather them all.
    const responses = await lastValueFrom(ds.query(request(targets)).pipe(toArray()));
    const response = { data: responses.flatMap((r) => r.data), errors: responses.flatMap((r) => r.errors ?? (r.error ? [r.error] : [])) };
    expect(response.errors).toEqual([]);
    for (const t of targets) {
      const frames = response.data.filter((f: DataFrame) => f.refId === t.refId) as DataFrame[];
      expect(frames.length, `${t.refId} has frames`).toBeGreaterThan(0);
      const metric = catalog.metrics.find((m) => m.id === t.metric)!;
      for (const frame of frames) {
        // A drill-down table lists the tasks open at the range's end: it may have none then.
        const table = metric.kind === 'drilldown';
        if (!table) expect(frame.length, `${t.refId} has rows`).toBeGreaterThan(0);
        const numbers = frame.fields.filter((f) => f.type === g.FieldType.number && !(table && f.name === 'priority'));
        expect(numbers.length, `${t.refId} has a number field`).toBeGreaterThan(0);
        for (const f of numbers) {
          expect(f.config.unit, `${t.refId} unit`).toBe(metric.unit);
          for (const v of f.values) expect(v === null || typeof v === 'number', `${t.refId} value ${String(v)}`).toBe(true);
        }
        if (t.groupBy === 'time') expect(frame.fields[0]!.type).toBe(g.FieldType.time);
      }
    }
    // Real numbers, not just shapes: the simulated hours had handled calls.
    const handled = response.data.find((f: DataFrame) => f.refId === 'tasks_handled-0') as DataFrame;
    expect(handled.fields.find((f) => f.type === g.FieldType.number)!.values[0]).toBeGreaterThan(5);
  }, 60_000);

  it("streams the age of the newest event (data freshness), as the collector's health reports it", async () => {
    const { lastEventAt } = (await (await fetch(`${c.url}/api/health`)).json()) as { lastEventAt: string };
    const live = ds.query(request([{ refId: 'F', queryType: 'snapshot', metric: DATA_AGE, queues: [] }]));
    const first = await firstValueFrom(
      live.pipe(
        filter((r) => r.state === g.LoadingState.Streaming && r.data.length > 0),
        take(1),
        timeout(10_000),
      ),
    );
    const field = (first.data[0] as DataFrame).fields.find((f) => f.type === g.FieldType.number)!;
    expect(field.config.unit).toBe('s');
    // The simulated history ends five minutes ago.
    expect(Math.abs((field.values[0] as number) - (Date.now() - Date.parse(lastEventAt)) / 1000)).toBeLessThanOrEqual(2);
    expect(field.values[0] as number).toBeGreaterThanOrEqual(290);
  }, 20_000);

  it('streams live snapshot values', async () => {
    const live = ds.query(request([{ refId: 'W', queryType: 'snapshot', metric: 'agents_logged_in', queues: [] }]));
    const first = await firstValueFrom(
      live.pipe(
        filter((r) => r.state === g.LoadingState.Streaming && r.data.length > 0),
        take(1),
        timeout(10_000),
      ),
    );
    const field = (first.data[0] as DataFrame).fields.find((f) => f.type === g.FieldType.number)!;
    expect(typeof field.values[0]).toBe('number');
  }, 20_000);
});
