import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHistory, runLive, sendBatch, sendCallback, simulateEvents } from './index';
import type { CloudEvent, TaskRouterEventParams } from './index';

const TOKEN = 'test-auth-token-0123456789abcdef';
/** The URL the collector believes Twilio called (behind a proxy), distinct from where we connect. */
const PUBLIC_URL = 'https://floorboard.example.com';

interface Received {
  callbacks: Array<Record<string, string>>;
  batches: CloudEvent[][];
}

/** A stand-in collector that checks Twilio signatures the way the real one must. */
function startCollector(received: Received): Promise<Server> {
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      const url = PUBLIC_URL + (req.url ?? '');
      let valid = false;
      if (req.url === '/webhooks/taskrouter' && req.headers['content-type'] === 'application/x-www-form-urlencoded') {
        const params = Object.fromEntries(new URLSearchParams(body));
        valid = twilio.validateRequest(TOKEN, signature, url, params);
        if (valid) received.callbacks.push(params);
      } else if (req.url?.startsWith('/webhooks/event-streams?') && req.headers['content-type'] === 'application/json') {
        valid = twilio.validateRequestWithBody(TOKEN, signature, url, body);
        if (valid) received.batches.push(JSON.parse(body) as CloudEvent[]);
      }
      res.statusCode = valid ? 204 : 403;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const received: Received = { callbacks: [], batches: [] };
let server: Server;
let baseUrl: string;
const target = (): { baseUrl: string; publicUrl: string; authToken: string } => ({ baseUrl, publicUrl: PUBLIC_URL, authToken: TOKEN });

beforeAll(async () => {
  server = await startCollector(received);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.callbacks.length = 0;
  received.batches.length = 0;
});

const start = Date.parse('2026-11-16T10:00:00Z');
const sample = (n: number): TaskRouterEventParams[] => {
  const out: TaskRouterEventParams[] = [];
  for (const e of simulateEvents({ seed: 11, start, end: start + 3_600_000 })) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
};

describe('sendCallback', () => {
  it('posts a form-encoded event Twilio-signed for the public URL', async () => {
    const [event] = sample(300).filter((e) => e.EventType === 'task.created');
    expect(await sendCallback(baseUrl, PUBLIC_URL, TOKEN, event!)).toBe(204);
    expect(received.callbacks).toEqual([{ ...event }]);
  });

  it('is rejected when signed with the wrong token', async () => {
    const [event] = sample(1);
    expect(await sendCallback(baseUrl, PUBLIC_URL, 'wrong-token', event!)).toBe(403);
    expect(received.callbacks).toHaveLength(0);
  });
});

describe('sendBatch', () => {
  it('posts CloudEvents signed over bodySHA256', async () => {
    const events = sample(200);
    expect(await sendBatch(baseUrl, `${PUBLIC_URL}/`, TOKEN, events)).toBe(204);
    expect(received.batches).toHaveLength(1);
    expect(received.batches[0]!.map((c) => c.data.sid)).toEqual(events.map((e) => e.Sid));
  });

  it('is rejected when signed with the wrong token', async () => {
    expect(await sendBatch(baseUrl, PUBLIC_URL, 'wrong-token', sample(5))).toBe(403);
  });
});

describe('runHistory', () => {
  it('delivers every simulated event in batches and reports progress', async () => {
    const opts = { seed: 12, start, end: start + 2 * 3_600_000 };
    const expected = [...simulateEvents(opts)].map((e) => e.Sid);
    const progress: number[] = [];
    const result = await runHistory(
      opts,
      target(),
      (doneMs, totalMs, events) => {
        expect(totalMs).toBe(2 * 3_600_000);
        progress.push(doneMs);
        expect(events).toBeLessThanOrEqual(expected.length);
      },
      250,
    );
    expect(result.events).toBe(expected.length);
    const delivered = received.batches.flat().map((c) => c.data.sid);
    expect(delivered.sort()).toEqual([...expected].sort());
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(2 * 3_600_000);
  });

  it('fails loudly when the collector refuses a batch', async () => {
    await expect(runHistory({ seed: 12, start, end: start + 600_000 }, { ...target(), authToken: 'wrong' })).rejects.toThrow(/403/);
  });
});

describe('runLive', () => {
  it('plays the simulation as signed callbacks, paced by speed', async () => {
    const opts = { seed: 13, start, end: start + 10 * 60_000 };
    const expected = [...simulateEvents(opts)].map((e) => e.Sid);
    const statuses: number[] = [];
    const began = Date.now();
    // 10 simulated minutes at 600× take about a second.
    await runLive({ ...opts, speed: 600, onEvent: (_e, status) => statuses.push(status) }, target(), new AbortController().signal);
    expect(Date.now() - began).toBeGreaterThan(800);
    expect(received.callbacks.map((c) => c.Sid)).toEqual(expected);
    expect(statuses.every((s) => s === 204)).toBe(true);
  });

  it('fast-forwards the past of the same simulation, then plays on live from now', async () => {
    const controller = new AbortController();
    const before = Date.now();
    const progress: number[] = [];
    await runLive(
      {
        seed: 15,
        speed: 3_600, // an hour a second, so the first live event is due soon even at night
        backfillFrom: before - 2 * 3_600_000,
        onBackfillProgress: (doneMs, totalMs) => progress.push(doneMs / totalMs),
        onEvent: () => controller.abort(),
      },
      target(),
      controller.signal,
    );
    const backfilled = received.batches.flat();
    expect(backfilled.length).toBeGreaterThan(45);
    expect(backfilled[0]!.type).toBe('com.twilio.taskrouter.activity.created');
    expect(Date.parse(backfilled.at(-1)!.time)).toBeLessThan(Date.now());
    expect(progress.at(-1)).toBeLessThanOrEqual(1);
    // The first live event comes after every backfilled one, from the same run (no second announcement).
    expect(received.callbacks).toHaveLength(1);
    expect(Number(received.callbacks[0]!.TimestampMs)).toBeGreaterThanOrEqual(before);
    expect(received.callbacks[0]!.EventType).not.toBe('activity.created');
  });

  it('starts now and stops when aborted', async () => {
    const controller = new AbortController();
    const before = Date.now();
    const live = runLive(
      {
        seed: 14,
        speed: 1,
        onEvent: () => {
          if (received.callbacks.length >= 20) controller.abort();
        },
      },
      target(),
      controller.signal,
    );
    await live;
    expect(received.callbacks.length).toBeGreaterThanOrEqual(20);
    expect(Number(received.callbacks[0]!.TimestampMs)).toBeGreaterThanOrEqual(before);
    expect(Number(received.callbacks[0]!.TimestampMs)).toBeLessThan(before + 5_000);
  });
});
