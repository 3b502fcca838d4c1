// A local fake of the TaskRouter REST API, enough for backfill and verify, answering in the shapes
// of twilio/twilio-oai spec/json/twilio_taskrouter_v1.json (see the reference fixtures in
// collector/src/test-helpers/twilio-docs/rest-event.ts and statistics.ts): the Events list (paged
// with PageToken and next_page_url like Twilio's, filtered by StartDate/EndDate or Minutes; each
// Event's event_data snake_case with text values, as twilio.com/docs/taskrouter/api/event shows it),
// the Workspace and TaskQueue Statistics (cumulative figures computed from the same events by their
// definitions), and the TaskQueues list. Basic auth is checked (account SID + auth token, or API key
// + secret). Pages can be answered 429 with Retry-After, or 503, to exercise retries.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toCloudEvent, type TaskRouterEventParams } from '../collector/src/simulate';
import { PLURAL, RESOURCE_LEVEL } from '../collector/src/test-helpers/twilio-docs/rest-event';

const API = 'https://taskrouter.twilio.com';

export interface FakeTwilioOptions {
  accountSid: string;
  workspaceSid: string;
  authToken: string;
  apiKey?: string;
  apiSecret?: string;
  /** The events the workspace logged (simulator Event Callback params). */
  events: readonly TaskRouterEventParams[];
  /**
   * Answer 429 with `Retry-After: retryAfterSeconds` to these Events-list requests (1-based count
   * of Events requests, retries included).
   */
  throttleRequests?: number[];
  retryAfterSeconds?: number;
  /** Answer 503 (no Retry-After) to these Events-list requests. */
  failRequests?: number[];
  /** Rewrites cumulative statistics before they are sent (to make Twilio disagree with us). */
  alterStatistics?: (scope: { queueSid: string | null; queueName: string | null }, cumulative: Record<string, unknown>) => void;
  /** Clock for `Minutes` (default Date.now). */
  now?: () => number;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** When the answer was sent, epoch ms. */
  at: number;
}

export interface FakeTwilio {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

interface Indexed {
  params: TaskRouterEventParams;
  ms: number;
  resource: Record<string, unknown>;
}

/** Simulator params -> the REST Event resource TaskRouter's Events list returns. */
export function restEvent(p: TaskRouterEventParams, workspaceSid: string): Record<string, unknown> {
  const ms = Number(p.TimestampMs);
  // The same facts Event Streams carries, snake_case, every value as text (as the docs' example).
  const eventData: Record<string, string> = {};
  for (const [k, v] of Object.entries(toCloudEvent(p).data.payload)) if (!RESOURCE_LEVEL.has(k)) eventData[k] = String(v);
  return {
    account_sid: p.AccountSid,
    actor_sid: p.WorkerSid ?? null,
    actor_type: p.WorkerSid ? 'worker' : 'system',
    actor_url: null,
    description: p.EventDescription,
    event_data: eventData,
    event_date: new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    event_date_ms: ms,
    event_type: p.EventType,
    resource_sid: p.ResourceSid,
    resource_type: p.ResourceType,
    resource_url: `${API}/v1/Workspaces/${workspaceSid}/${PLURAL[p.ResourceType] ?? 'Resources'}/${p.ResourceSid}`,
    sid: p.Sid,
    source: 'twilio',
    source_ip_address: '127.0.0.1',
    url: `${API}/v1/Workspaces/${workspaceSid}/Events/${p.Sid}`,
    workspace_sid: workspaceSid,
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

function date(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw Object.assign(new Error(`${name} is not a valid ISO 8601 date`), { status: 400 });
  return ms;
}

/** Cumulative statistics of `events` by TaskRouter's definitions; `queueSid` null = the workspace. */
export function cumulativeStatistics(
  events: readonly TaskRouterEventParams[],
  from: number,
  to: number,
  queueSid: string | null,
): Record<string, unknown> {
  const inWindow = events.filter((e) => {
    const ms = Number(e.TimestampMs);
    // A move belongs to the queue the task left (previous_task_queue_*).
    const queue = e.EventType === 'task-queue.moved' ? e.PreviousTaskQueueSid : e.TaskQueueSid;
    return ms >= from && ms <= to && (queueSid === null || queue === queueSid);
  });
  const ages = (type: string) => inWindow.filter((e) => e.EventType === type).map((e) => Number(e.TaskAge));
  const duration = (xs: number[]) =>
    xs.length === 0
      ? { avg: 0, min: 0, max: 0, total: 0 }
      : {
          avg: Math.round(xs.reduce((s, x) => s + x, 0) / xs.length),
          min: Math.min(...xs),
          max: Math.max(...xs),
          total: xs.reduce((s, x) => s + x, 0),
        };
  const n = (type: string) => inWindow.filter((e) => e.EventType === type).length;
  const accepted = ages('reservation.accepted');
  // Time in the queue at acceptance: from when the task entered the queue it was accepted from.
  const inQueue = inWindow
    .filter((e) => e.EventType === 'reservation.accepted')
    .map((e) => Math.floor((Number(e.TimestampMs) - Date.parse(e.TaskQueueEnteredDate!)) / 1000));
  const common = {
    avg_task_acceptance_time: duration(accepted).avg,
    start_time: new Date(from).toISOString(),
    end_time: new Date(to).toISOString(),
    reservations_created: n('reservation.created'),
    reservations_accepted: n('reservation.accepted'),
    reservations_rejected: n('reservation.rejected'),
    reservations_timed_out: n('reservation.timeout'),
    reservations_canceled: n('reservation.canceled'),
    reservations_rescinded: n('reservation.rescinded'),
    tasks_canceled: n('task.canceled'),
    tasks_completed: n('task.completed'),
    tasks_deleted: n('task.deleted'),
    tasks_moved: n('task-queue.moved'),
    wait_duration_until_accepted: duration(accepted),
    wait_duration_until_canceled: duration(ages('task.canceled')),
    split_by_wait_time: null,
  };
  if (queueSid === null) return { ...common, tasks_created: n('task.created'), tasks_timed_out_in_workflow: n('workflow.timeout') };
  return { ...common, tasks_entered: n('task-queue.entered'), wait_duration_in_queue_until_accepted: duration(inQueue) };
}

export function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const indexed: Indexed[] = opts.events
    .map((p) => ({ params: p, ms: Number(p.TimestampMs), resource: restEvent(p, opts.workspaceSid) }))
    // Newest first, as TaskRouter lists them; ties by Sid so pages are stable.
    .sort((a, b) => b.ms - a.ms || (a.params.Sid < b.params.Sid ? -1 : 1));
  const queues = new Map<string, string>();
  for (const e of opts.events)
    if (e.TaskQueueSid && e.TaskQueueName && !queues.has(e.TaskQueueSid)) queues.set(e.TaskQueueSid, e.TaskQueueName);
  const credentials = new Set([`${opts.accountSid}:${opts.authToken}`, ...(opts.apiKey ? [`${opts.apiKey}:${opts.apiSecret ?? ''}`] : [])]);
  const requests: FakeRequest[] = [];
  let eventRequests = 0;
  const ws = `/v1/Workspaces/${opts.workspaceSid}`;

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL, query: Record<string, string>): void => {
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !credentials.has(Buffer.from(auth[1]!, 'base64').toString('utf8'))) return twilioError(res, 401, 20003, 'Authenticate');
    if (req.method !== 'GET') return twilioError(res, 405, 20004, 'Method not allowed');
    const window = () => {
      const now = (opts.now ?? Date.now)();
      const start = date(query.StartDate, 'StartDate');
      const end = date(query.EndDate, 'EndDate') ?? now;
      const minutes = query.Minutes !== undefined ? Number(query.Minutes) : 15;
      return { from: start ?? end - minutes * 60_000, to: end };
    };

    if (url.pathname === `${ws}/Events`) {
      eventRequests++;
      if (opts.throttleRequests?.includes(eventRequests))
        return twilioError(res, 429, 20429, 'Too Many Requests', { 'retry-after': String(opts.retryAfterSeconds ?? 1) });
      if (opts.failRequests?.includes(eventRequests)) return twilioError(res, 503, 20503, 'Service Unavailable');
      if (query.Page !== undefined && query.PageToken === undefined)
        return twilioError(res, 400, 20001, 'Page is not supported on this resource; use PageToken');
      const { from, to } = window();
      const size = Math.min(1000, Math.max(1, Number(query.PageSize ?? 50) || 50));
      const offset = query.PageToken ? Number(/^PT(\d+)$/.exec(query.PageToken)?.[1] ?? NaN) : 0;
      if (!Number.isInteger(offset)) return twilioError(res, 400, 20001, 'Invalid PageToken');
      const matching = indexed.filter((e) => e.ms >= from && e.ms <= to);
      const page = matching.slice(offset, offset + size);
      const pageNo = Math.floor(offset / size);
      const base = new URLSearchParams({
        ...(query.StartDate ? { StartDate: query.StartDate } : {}),
        ...(query.EndDate ? { EndDate: query.EndDate } : {}),
        PageSize: String(size),
      });
      const link = (p: number, token?: string) => `${API}${ws}/Events?${base}&Page=${p}${token ? `&PageToken=${token}` : ''}`;
      return json(res, 200, {
        events: page.map((e) => e.resource),
        meta: {
          first_page_url: link(0),
          key: 'events',
          next_page_url: offset + size < matching.length ? link(pageNo + 1, `PT${offset + size}`) : null,
          page: pageNo,
          page_size: size,
          previous_page_url: offset > 0 ? link(pageNo - 1, `PT${Math.max(0, offset - size)}`) : null,
          url: link(pageNo, query.PageToken),
        },
      });
    }

    if (url.pathname === `${ws}/Statistics` || url.pathname === `${ws}/CumulativeStatistics`) {
      const { from, to } = window();
      const cumulative = cumulativeStatistics(opts.events, from, to, null);
      opts.alterStatistics?.({ queueSid: null, queueName: null }, cumulative);
      const body = { account_sid: opts.accountSid, workspace_sid: opts.workspaceSid, url: `${API}${url.pathname}` };
      return json(
        res,
        200,
        url.pathname.endsWith('/CumulativeStatistics') ? { ...body, ...cumulative } : { ...body, cumulative, realtime: {} },
      );
    }

    if (url.pathname === `${ws}/TaskQueues`) {
      const list = [...queues].map(([sid, name]) => ({
        account_sid: opts.accountSid,
        sid,
        friendly_name: name,
        workspace_sid: opts.workspaceSid,
        target_workers: null,
        url: `${API}${ws}/TaskQueues/${sid}`,
        links: {},
      }));
      return json(res, 200, {
        task_queues: list,
        meta: {
          key: 'task_queues',
          page: 0,
          page_size: 1000,
          next_page_url: null,
          previous_page_url: null,
          url: `${API}${ws}/TaskQueues`,
          first_page_url: `${API}${ws}/TaskQueues`,
        },
      });
    }

    const stats = new RegExp(`^${ws}/TaskQueues/(WQ[0-9a-fA-F]{32})/(Statistics|CumulativeStatistics)$`).exec(url.pathname);
    if (stats) {
      const queueSid = stats[1]!;
      if (!queues.has(queueSid)) return twilioError(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
      const { from, to } = window();
      const cumulative = cumulativeStatistics(opts.events, from, to, queueSid);
      opts.alterStatistics?.({ queueSid, queueName: queues.get(queueSid)! }, cumulative);
      const body = {
        account_sid: opts.accountSid,
        workspace_sid: opts.workspaceSid,
        task_queue_sid: queueSid,
        url: `${API}${url.pathname}`,
      };
      return json(res, 200, stats[2] === 'CumulativeStatistics' ? { ...body, ...cumulative } : { ...body, cumulative, realtime: {} });
    }
    return twilioError(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    res.on('finish', () => requests.push({ method: req.method ?? '', path: url.pathname, query, status: res.statusCode, at: Date.now() }));
    try {
      handle(req, res, url, query);
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      twilioError(res, status, 20001, (err as Error).message);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
