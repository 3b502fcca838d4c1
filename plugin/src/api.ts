// All HTTP between the plugin and the collector. Every request goes to Grafana's data-source proxy
// (`<instance url>/collector/...`, the `routes` entry in plugin.json), which adds the bearer token
// server-side; the browser never sees the token or the collector's address.
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import type { AnnotationsParams, AnnotationsResponse } from './types/annotations';
import type { Catalog, Health, MetricQuery, QueryResponse, Snapshot, VariableValue } from './types/wire';

/** The proxy route's path, as declared in plugin.json. */
export const ROUTE_PATH = 'collector';

/** Why a collector request failed, in terms the user can act on. */
export type FailureReason = 'unreachable' | 'unauthorized' | 'not-found' | 'bad-request' | 'collector-error';

export class CollectorError extends Error {
  constructor(
    message: string,
    readonly reason: FailureReason,
    readonly status?: number
  ) {
    super(message);
    this.name = 'CollectorError';
  }
}

/** Opens a streaming GET through the proxy; `fetch` in the browser, a fake in tests. */
export type StreamFetch = (url: string, init: RequestInit) => Promise<Response>;

type Params = Record<string, string | number | string[]>;

export class CollectorApi {
  /** @param proxyUrl the data-source instance URL (`/api/datasources/proxy/uid/<uid>`). */
  constructor(
    proxyUrl: string,
    private readonly streamFetch: StreamFetch = (url, init) => fetch(url, init)
  ) {
    this.baseUrl = `${proxyUrl.replace(/\/$/, '')}/${ROUTE_PATH}`;
  }

  readonly baseUrl: string;

  health(): Promise<Health> {
    return this.get<Health>('/api/health');
  }

  catalog(): Promise<Catalog> {
    return this.get<Catalog>('/api/catalog');
  }

  queues(): Promise<VariableValue[]> {
    return this.get<VariableValue[]>('/api/queues');
  }

  channels(): Promise<VariableValue[]> {
    return this.get<VariableValue[]>('/api/channels');
  }

  activities(): Promise<VariableValue[]> {
    return this.get<VariableValue[]>('/api/activities');
  }

  /** Agents, optionally only those who belong to the given queues. */
  workers(queues: string[] = []): Promise<VariableValue[]> {
    return this.get<VariableValue[]>('/api/workers', queues.length > 0 ? { queue: queues } : {});
  }

  /** The floor as it stood at `at` (epoch ms): what the live snapshot showed then. */
  snapshotAt(at: number): Promise<Snapshot> {
    return this.get<Snapshot>('/api/snapshot', { at });
  }

  query(body: MetricQuery): Promise<QueryResponse> {
    return this.send<QueryResponse>({ method: 'POST', url: '/api/query', data: body });
  }

  annotations({ from, to, queue, timezone }: AnnotationsParams): Promise<AnnotationsResponse> {
    return this.get<AnnotationsResponse>('/api/annotations', {
      from,
      to,
      ...(queue.length > 0 ? { queue } : {}),
      ...(timezone ? { timezone } : {}),
    });
  }

  /**
   * Opens `GET /api/live` (Server-Sent Events) and returns the body's reader. Plain `fetch` because
   * BackendSrv buffers whole responses; the URL is Grafana's own, so its session cookie authenticates
   * the request and the proxy injects the token.
   */
  async openLive(
    lastEventId: string | undefined,
    signal: AbortSignal
  ): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== undefined) {
      headers['Last-Event-ID'] = lastEventId;
    }
    let response: Response;
    try {
      response = await this.streamFetch(`${this.baseUrl}/api/live`, { headers, signal, credentials: 'same-origin' });
    } catch (error) {
      throw new CollectorError(`Cannot reach the collector: ${errorText(error)}`, 'unreachable');
    }
    if (!response.ok || !response.body) {
      throw failure(response.status, response.statusText, undefined);
    }
    return response.body.getReader();
  }

  private get<T>(path: string, params: Params = {}): Promise<T> {
    return this.send<T>({ method: 'GET', url: path, params });
  }

  private async send<T>(request: {
    method: 'GET' | 'POST';
    url: string;
    params?: Params;
    data?: MetricQuery;
  }): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          ...request,
          url: `${this.baseUrl}${request.url}`,
          params: request.params ? toSearchParams(request.params) : undefined,
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      return response.data;
    } catch (error) {
      if (error instanceof CollectorError) {
        throw error;
      }
      if (isFetchError<unknown>(error)) {
        throw failure(error.status, error.statusText, error.data);
      }
      throw new CollectorError(`Cannot reach the collector: ${errorText(error)}`, 'unreachable');
    }
  }
}

/** BackendSrv serialises arrays as repeated keys (`queue=a&queue=b`), which the collector expects. */
function toSearchParams(params: Params): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, typeof value === 'number' ? String(value) : value])
  );
}

/** Maps an HTTP failure to a reason and a sentence naming what to fix. */
export function failure(status: number, statusText: string | undefined, body: unknown): CollectorError {
  const detail = collectorMessage(body);
  if (status === 401 || status === 403) {
    return new CollectorError(
      `The collector refused the API token (${status}): enter the token set in FLOORBOARD_API_TOKEN`,
      'unauthorized',
      status
    );
  }
  if (status === 404) {
    return new CollectorError(
      `Not found (404)${detail ? `: ${detail}` : ''}: is the URL a Floorboard collector?`,
      'not-found',
      status
    );
  }
  if (status === 400 || status === 422) {
    return new CollectorError(detail ? `Bad query: ${detail}` : `Bad query (${status})`, 'bad-request', status);
  }
  if (status <= 0 || status === 502 || status === 503 || status === 504) {
    const text = statusText ? ` (${status} ${statusText})` : status > 0 ? ` (${status})` : '';
    return new CollectorError(
      `Cannot reach the collector${text}: check its URL and that it is running`,
      'unreachable',
      status
    );
  }
  return new CollectorError(
    `Collector error ${status}${detail ? `: ${detail}` : statusText ? ` ${statusText}` : ''}`,
    'collector-error',
    status
  );
}

/** The `{ error }` the collector answers with, or Grafana's proxy `{ message }`. */
function collectorMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const record = body as { error?: unknown; message?: unknown };
    if (typeof record.error === 'string') {
      return record.error;
    }
    if (typeof record.message === 'string') {
      return record.message;
    }
  }
  return typeof body === 'string' && body.length > 0 && body.length < 300 ? body : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
