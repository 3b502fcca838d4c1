// Grafana's data-source proxy as far as the plugin can tell: `<proxy path>/collector/*` is forwarded
// to the collector with the route's bearer token added server-side (plugin.json `routes`), an
// event stream is written to the browser chunk by chunk as it arrives (Go's httputil.ReverseProxy
// flushes `text/event-stream` responses at once), and every proxied request is cut after
// `cutAfterMs` (Grafana's `[dataproxy] timeout`, 30 s by default, bounds the whole response, so a
// long-lived stream is cut mid-body, not closed cleanly).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';

/** Grafana's default `[dataproxy] timeout`. */
export const GRAFANA_PROXY_TIMEOUT_MS = 30_000;

/** Hop-by-hop headers a reverse proxy does not forward (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

export interface ProxyOptions {
  /** The collector's base URL. */
  target: string;
  /** The path prefix the plugin calls (`/api/datasources/proxy/uid/<uid>/collector`). */
  prefix: string;
  /** Bearer token the route adds; the browser never sees it. */
  token?: string;
  /** Cut each proxied response this long after it started; undefined: never. */
  cutAfterMs?: number;
}

export interface ProxiedRequest {
  path: string;
  /** Headers as the browser sent them (the token must not be among them). */
  headers: IncomingHttpHeaders;
  /** Whether the proxy cut this response (rather than it ending by itself). */
  cut: boolean;
}

export interface GrafanaProxy {
  /** Handles the request if it is for the proxy path; returns whether it did. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  requests: ProxiedRequest[];
  /** Stops the cut timers. */
  close(): void;
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) {
      out[name] = value;
    }
  }
  return out;
}

export function grafanaProxy({ target, prefix, token, cutAfterMs }: ProxyOptions): GrafanaProxy {
  const requests: ProxiedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const handle = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = new URL(request.url ?? '/', 'http://grafana');
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return false;
    }
    const path = url.pathname.slice(prefix.length);
    const record: ProxiedRequest = { path, headers: request.headers, cut: false };
    requests.push(record);
    const headers = forwardable(request.headers);
    delete headers.cookie;
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }
    const upstream = httpRequest(
      new URL(`${path}${url.search}`, target),
      { method: request.method, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        const streaming = /^text\/event-stream/.test(String(answer.headers['content-type'] ?? ''));
        if (streaming) {
          // Headers out now, then each chunk the moment it arrives.
          response.flushHeaders();
          answer.on('data', (chunk: Buffer) => response.write(chunk));
          answer.on('end', () => response.end());
        } else {
          answer.pipe(response);
        }
      }
    );
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    if (cutAfterMs !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.writableEnded) {
          record.cut = true;
          upstream.destroy();
          response.destroy();
        }
      }, cutAfterMs);
      timers.add(timer);
      response.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    }
    request.pipe(upstream);
    return true;
  };

  return {
    handle,
    requests,
    close: () => {
      timers.forEach(clearTimeout);
      timers.clear();
    },
  };
}
