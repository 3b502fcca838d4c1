// Test doubles shared by the unit tests: a TemplateSrv with the older (non-Scenes) dashboards'
// replace semantics for the cases the plugin relies on (public/app/features/templating/
// template_srv.ts), a BackendSrv answering proxy paths from a table, and a catalog. Scenes
// dashboards are tested against @grafana/scenes itself (testing/scenes.ts).
import {
  CoreApp,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  dateTime,
  type ScopedVars,
  type TypedVariableModel,
} from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse, TemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { DataSource } from '../datasource';
import type { FloorboardOptions } from '../types/options';
import type { FloorboardQuery } from '@floorboard/contract';
import {
  type QueueSnapshot,
  type Snapshot,
  SNAPSHOT_METRICS,
  type SnapshotMetric,
  type SnapshotValue,
} from '../types/wire';

export { CATALOG } from './catalog';

export interface FakeVariable {
  /** Selected value(s); `'$__all'` for "All". */
  current: string | string[];
  /** Every option, what "All" expands to. */
  options?: string[];
  /** The variable's "custom all value": Grafana puts it in unformatted when "All" is chosen. */
  allValue?: string;
}

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::([^}]*))?\}|\[\[(\w+)(?::([^\]]*))?\]\]/g;

export class FakeTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: Record<string, FakeVariable> = {}) {}

  getVariables(): TypedVariableModel[] {
    return Object.entries(this.variables).map(
      ([name, variable]) =>
        ({
          name,
          type: 'custom',
          current: { text: variable.current, value: variable.current },
          options: (variable.options ?? []).map((option) => ({ text: option, value: option, selected: false })),
        }) as unknown as TypedVariableModel
    );
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (target === undefined) {
      return '';
    }
    return target.replace(
      VARIABLE,
      (match: string, plain?: string, braced?: string, bracedFormat?: string, legacy?: string) => {
        const name = plain ?? braced ?? legacy ?? '';
        const scoped = scopedVars?.[name];
        let value: unknown;
        if (scoped) {
          value = scoped.value;
        } else if (this.variables[name]) {
          const variable = this.variables[name]!;
          const current = variable.current;
          const all = current === '$__all' || (Array.isArray(current) && current[0] === '$__all');
          if (all && variable.allValue !== undefined) {
            // template_srv.ts: "skip formatting of custom all values".
            return variable.allValue;
          }
          value = all ? (variable.options ?? []) : current;
        } else {
          return match;
        }
        const chosen = bracedFormat ?? format;
        if (typeof chosen === 'function') {
          return String(chosen(value));
        }
        if (chosen === 'csv' && Array.isArray(value)) {
          return value.join(',');
        }
        if (chosen === 'json') {
          return JSON.stringify(value);
        }
        return Array.isArray(value)
          ? value.length > 1
            ? `{${value.join(',')}}`
            : String(value[0] ?? '')
          : String(value);
      }
    );
  }

  containsTemplate(target?: string): boolean {
    return target !== undefined && new RegExp(VARIABLE.source).test(target);
  }

  updateTimeRange(): void {}
}

/** A failure as BackendSrv reports it. */
export function fetchError(status: number, data: unknown = {}, statusText = ''): FetchError {
  return { status, statusText, data, config: { url: '' } };
}

type Handler = (request: BackendSrvRequest) => unknown;

/**
 * BackendSrv whose `fetch` answers from `routes`, keyed by "METHOD /path" relative to the proxy
 * route. A handler returns the response body or throws a `fetchError(...)`.
 */
export class FakeBackendSrv {
  readonly requests: BackendSrvRequest[] = [];

  constructor(
    private readonly routes: Record<string, Handler>,
    private readonly prefix = '/api/datasources/proxy/uid/floorboard/collector'
  ) {}

  fetch<T>(request: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(request);
    return new Observable<FetchResponse<T>>((subscriber) => {
      const path = request.url.startsWith(this.prefix) ? request.url.slice(this.prefix.length) : request.url;
      const handler = this.routes[`${request.method ?? 'GET'} ${path}`];
      // Answer asynchronously, like the network, so requests of several targets overlap.
      const timer = setTimeout(() => {
        try {
          if (!handler) {
            throw fetchError(404, { error: `no route ${path}` }, 'Not Found');
          }
          const data = handler(request) as T;
          subscriber.next({ data, status: 200, statusText: 'OK', ok: true } as FetchResponse<T>);
          subscriber.complete();
        } catch (error) {
          subscriber.error(error);
        }
      }, 0);
      return () => clearTimeout(timer);
    });
  }

  /** Requests to one path, in order. */
  to(path: string): BackendSrvRequest[] {
    return this.requests.filter((request) => request.url === `${this.prefix}${path}`);
  }

  asBackendSrv(): BackendSrv {
    return this as unknown as BackendSrv;
  }
}

/** A data source as Grafana would construct it for the proxy URL the fakes answer. */
export function makeDataSource(jsonData: FloorboardOptions = { url: 'http://collector:3300' }): DataSource {
  return new DataSource(instanceSettings(jsonData));
}

/** The instance settings Grafana hands a Floorboard data source for the proxy URL the fakes answer. */
export function instanceSettings(
  jsonData: FloorboardOptions = { url: 'http://collector:3300' }
): DataSourceInstanceSettings<FloorboardOptions> {
  return {
    id: 1,
    uid: 'floorboard',
    type: 'floorboard-taskrouter-datasource',
    name: 'Floorboard',
    url: '/api/datasources/proxy/uid/floorboard',
    jsonData,
    access: 'proxy',
    readOnly: false,
    meta: { id: 'floorboard-taskrouter-datasource' } as DataSourceInstanceSettings['meta'],
  };
}

/** A panel request over 2026-11-20 (UTC) with a 1m auto interval. */
export function makeRequest(
  targets: FloorboardQuery[],
  overrides: Partial<DataQueryRequest<FloorboardQuery>> = {}
): DataQueryRequest<FloorboardQuery> {
  const from = dateTime(Date.UTC(2026, 10, 20, 0, 0, 0));
  const to = dateTime(Date.UTC(2026, 10, 21, 0, 0, 0));
  return {
    requestId: 'Q1',
    app: CoreApp.Dashboard,
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: 'now-24h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'Europe/London',
    startTime: 0,
    ...overrides,
  };
}

/** A queue's (or the total's) snapshot row: `tasks_waiting` as given, every other value 0. */
export function queueSnapshot(
  queue: string | null,
  tasksWaiting: number,
  breach: SnapshotValue['breach'] = 'ok'
): QueueSnapshot {
  const values = Object.fromEntries(
    SNAPSHOT_METRICS.map((name): [SnapshotMetric, SnapshotValue] => [name, { value: 0, breach: 'ok' }])
  ) as QueueSnapshot['values'];
  values.tasks_waiting = { value: tasksWaiting, breach };
  return { queue, queueSid: queue ? `WQ-${queue}` : null, values, agentsByActivity: { Available: 2, Break: 1 } };
}

export const SNAPSHOT: Snapshot = {
  seq: 7,
  at: '2026-11-20T10:00:00.000Z',
  timezone: 'Europe/London',
  dayStart: '2026-11-20T00:00:00.000Z',
  lastEventAt: '2026-11-20T09:59:58.000Z',
  total: queueSnapshot(null, 9, 'warn'),
  queues: [queueSnapshot('Sales', 6, 'breach'), queueSnapshot('Support', 3)],
};

/**
 * The body reader of one `/api/live` connection, fed by the test: `push` text, `end` the stream
 * (a drop), and see whether the plugin `cancel`led it.
 */
export class FakeEventStream {
  private readonly queued: Array<Uint8Array | 'end'> = [];
  private pending?: (result: ReadableStreamReadResult<Uint8Array>) => void;
  cancelled = false;

  push(text: string): void {
    this.deliver(new TextEncoder().encode(text));
  }

  end(): void {
    this.deliver('end');
  }

  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (this.cancelled) {
      return Promise.resolve({ done: true, value: undefined });
    }
    const next = this.queued.shift();
    if (next !== undefined) {
      return Promise.resolve(next === 'end' ? { done: true, value: undefined } : { done: false, value: next });
    }
    return new Promise((resolve) => (this.pending = resolve));
  }

  cancel(): Promise<void> {
    this.cancelled = true;
    this.pending?.({ done: true, value: undefined });
    return Promise.resolve();
  }

  asReader(): ReadableStreamDefaultReader<Uint8Array> {
    return this as unknown as ReadableStreamDefaultReader<Uint8Array>;
  }

  private deliver(item: Uint8Array | 'end'): void {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      pending(item === 'end' ? { done: true, value: undefined } : { done: false, value: item });
    } else {
      this.queued.push(item);
    }
  }
}

/** One SSE message carrying a snapshot, as the collector's `/api/live` writes it. */
export function sseMessage(snapshot: Snapshot): string {
  return `id: ${snapshot.seq}\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
