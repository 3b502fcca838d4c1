// A stand-in collector on an ephemeral loopback port: the catalog, variable lists, a metric query
// answer, health, and `/api/live` as Server-Sent Events. It records what the plugin asked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CATALOG } from '../../src/testing/catalog';
import {
  type Health,
  type MetricQuery,
  type QueryResponse,
  type QueueSnapshot,
  type Snapshot,
  SNAPSHOT_METRICS,
  type SnapshotMetric,
  type SnapshotValue,
  type VariableValue,
} from '../../src/types/wire';

export interface LiveConnection {
  lastEventId: string | undefined;
  closed: boolean;
}

export interface FakeCollector {
  url: string;
  queries: MetricQuery[];
  live: LiveConnection[];
  close(): Promise<void>;
}

const QUEUES: VariableValue[] = [
  { name: 'Sales', sid: 'WQ01' },
  { name: 'Support', sid: 'WQ02' },
  { name: 'Billing', sid: 'WQ03' },
];
const CHANNELS: VariableValue[] = [
  { name: 'voice', sid: 'TC01' },
  { name: 'chat', sid: 'TC02' },
];
export const HEALTH: Health = {
  status: 'ok',
  eventsStored: 1234,
  lastEventAt: '2026-11-20T14:03:12.000Z',
  quarantinedEvents: 0,
  eventsNotProjected: 0,
  db: { path: 'floorboard.db', sizeBytes: 4096 },
};

function row(queue: string | null, tasksWaiting: number): QueueSnapshot {
  const values = Object.fromEntries(
    SNAPSHOT_METRICS.map((name): [SnapshotMetric, SnapshotValue] => [name, { value: 0, breach: 'ok' }])
  ) as QueueSnapshot['values'];
  values.tasks_waiting = { value: tasksWaiting, breach: tasksWaiting > 4 ? 'breach' : 'ok' };
  values.longest_wait = { value: tasksWaiting * 40, breach: 'ok' };
  values.tasks_in_progress = { value: tasksWaiting + 4, breach: 'ok' };
  return { queue, queueSid: queue ? `WQ-${queue}` : null, values, agentsByActivity: { Available: 3 } };
}

export function snapshot(seq: number, salesWaiting: number): Snapshot {
  return {
    seq,
    at: new Date(Date.UTC(2026, 10, 20, 10, 0, seq)).toISOString(),
    timezone: 'Europe/London',
    dayStart: '2026-11-20T00:00:00.000Z',
    lastEventAt: new Date(Date.UTC(2026, 10, 20, 10, 0, seq)).toISOString(),
    total: row(null, salesWaiting + 2),
    queues: [row('Sales', salesWaiting), row('Support', 2)],
  };
}

function answer(query: MetricQuery): QueryResponse {
  if (query.groupBy === 'queue') {
    return {
      frames: [
        {
          name: query.metric,
          fields: [
            { name: 'queue', type: 'string', values: ['Sales', 'Support'] },
            {
              name: query.metric,
              type: 'number',
              values: [81.5, 92.25],
              config: { unit: CATALOG.metrics.find((m) => m.id === query.metric)?.unit ?? 'short' },
            },
          ],
        },
      ],
    };
  }
  const from = Number(query.from);
  return {
    frames: [
      {
        name: query.metric,
        fields: [
          { name: 'time', type: 'time', values: [from, from + 3600_000] },
          {
            name: query.metric,
            type: 'number',
            values: [42.5, 38],
            labels: {},
            config: { unit: CATALOG.metrics.find((m) => m.id === query.metric)?.unit ?? 'short' },
          },
        ],
      },
    ],
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startFakeCollector(): Promise<FakeCollector> {
  const queries: MetricQuery[] = [];
  const live: LiveConnection[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://collector').pathname;
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Accept, Last-Event-ID',
      });
      response.end();
      return;
    }
    const route = `${request.method} ${path}`;
    switch (route) {
      case 'GET /api/health':
        return send(response, 200, HEALTH);
      case 'GET /api/catalog':
        return send(response, 200, CATALOG);
      case 'GET /api/queues':
        return send(response, 200, QUEUES);
      case 'GET /api/channels':
        return send(response, 200, CHANNELS);
      case 'POST /api/query':
        readJson(request).then(
          (body) => {
            queries.push(body as MetricQuery);
            send(response, 200, answer(body as MetricQuery));
          },
          () => send(response, 400, { error: 'body: not JSON' })
        );
        return;
      case 'GET /api/live': {
        const header = request.headers['last-event-id'];
        const connection: LiveConnection = {
          lastEventId: typeof header === 'string' ? header : undefined,
          closed: false,
        };
        live.push(connection);
        response.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-cache',
          'Access-Control-Allow-Origin': '*',
        });
        // The collector's framing: a retry hint, named `snapshot` events with the seq as id, heartbeats.
        const emit = (next: Snapshot) =>
          response.write(`id: ${next.seq}\nevent: snapshot\ndata: ${JSON.stringify(next)}\n\n`);
        response.write('retry: 2000\n\n');
        emit(snapshot(1, 3));
        response.write(': heartbeat\n\n');
        const timer = setTimeout(() => emit(snapshot(2, 6)), 150);
        timers.add(timer);
        response.on('close', () => {
          connection.closed = true;
          clearTimeout(timer);
        });
        return;
      }
      default:
        return send(response, 404, { error: `no route ${route}` });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    live,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
