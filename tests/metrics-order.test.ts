// Order independence: the same two days of events, delivered in time order, shuffled (several
// seeds) and with Twilio-style duplicates, give byte-identical answers to every catalog metric
// under each of its groupings and options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityEvent,
  activitySid,
  agentEvent,
  ALICE,
  BOB,
  CAROL,
  reservationFields,
  SUPPORT_QUEUE,
  taskEvent,
  toCloudEvent,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import { postBatchBody, postCallback, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { Catalog, CatalogEntry, MetricQuery } from '@floorboard/contract';

const B = Date.UTC(2025, 5, 2, 8, 0, 0);
const MIN = 60_000;

/** Seeded PRNG (mulberry32): the same "random" contact center every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const agents: Agent[] = [
  { sid: ALICE, name: 'alice', attributes: { skills: ['sales'] } },
  { sid: BOB, name: 'bob', attributes: { skills: ['support'] } },
  { sid: CAROL, name: 'carol', attributes: { skills: ['sales', 'support'] } },
];

/** ~40 hours: every kind of task life, agents changing activity, times with odd milliseconds. */
function contactCenter(): Params[] {
  const r = rng(20250602);
  const between = (a: number, b: number) => a + r() * (b - a);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: Params[] = [
    activityEvent('activity.created', B - 60 * MIN, activitySid('Available'), 'Available', true),
    activityEvent('activity.created', B - 60 * MIN, activitySid('Break'), 'Break', false),
    activityEvent('activity.created', B - 60 * MIN, activitySid('Offline'), 'Offline', false),
  ];
  for (const a of agents) {
    out.push(agentEvent('worker.created', B - 30 * MIN, a, 'Offline'));
    let t = B + between(0, 20) * MIN;
    let prev = 'Offline';
    while (t < B + 40 * 60 * MIN) {
      const next = pick(['Available', 'Available', 'Break', 'Lunch', 'Idle', 'Offline'].filter((x) => x !== prev));
      out.push(agentEvent('worker.activity.update', Math.round(t), a, next, { activity: prev, seconds: 60 }));
      prev = next;
      t += between(20, 150) * MIN + between(0, 999);
    }
  }
  const outcomes = [{ conversations: { outcome: 'resolved' } }, { conversations: { outcome: 'escalated' } }, { disposition: 'sale' }, {}];
  for (let i = 0; i < 42; i++) {
    const created = Math.round(B + i * 50 * MIN + between(0, 40) * MIN + between(0, 999));
    const channel = pick(['voice', 'voice', 'chat', 'sms']);
    const attrs = JSON.stringify({ direction: pick(['inbound', 'inbound', 'outbound']), ...pick(outcomes) });
    const task = 'WT' + (i + 1).toString(16).padStart(32, '0');
    const sales = { task, createdMs: created, channel, attributes: attrs };
    const support = { ...sales, queueSid: SUPPORT_QUEUE };
    const ev = (type: string, afterS: number, t = sales, extra: Params = {}) =>
      out.push(taskEvent(type, created + Math.round(afterS * 1000), t, extra));
    const res = (a: Agent, n: number) => reservationFields(a, 'WR' + (i * 10 + n).toString(16).padStart(32, '0'));
    const agent = pick(agents);
    const wait = between(1, 60);
    ev('task.created', 0);
    ev('task-queue.entered', 0.05);
    switch (i % 6) {
      case 0: // handled in Sales
      case 3: {
        ev('reservation.created', wait - 1.5, sales, res(agent, 1));
        if (i % 6 === 3) ev('reservation.rejected', wait - 1, sales, res(agents[1]!, 2));
        ev('reservation.accepted', wait, sales, res(agent, 1));
        if (i % 6 === 3) ev('reservation.accepted', wait + 0.7, sales, res(agents[2]!, 3)); // accepted again
        const talk = wait + between(30, 400);
        ev('task.wrapup', talk, sales);
        ev('task.completed', talk + between(2, 90), sales);
        break;
      }
      case 1: // abandoned (some short)
        ev('task.canceled', i % 4 === 1 ? between(0.5, 4.9) : wait, sales, { TaskCanceledReason: 'hangup' });
        break;
      case 2: {
        // moved to Support, timed-out reservation, then handled there
        ev('task-queue.moved', wait / 2, sales);
        ev('task-queue.entered', wait / 2, support);
        ev('reservation.created', wait - 3, support, res(agents[1]!, 4));
        ev('reservation.timeout', wait - 1, support, res(agents[1]!, 4));
        ev('reservation.accepted', wait, support, res(agent, 5));
        ev('task.wrapup', wait + between(30, 200), support);
        if (i < 36) ev('task.completed', wait + between(201, 400), support); // the last ones still in wrap-up
        break;
      }
      case 4: // queue and workflow timeouts, then canceled
        ev('task-queue.timeout', 120, sales);
        ev('workflow.timeout', 120.2, sales);
        ev('task.canceled', 120.4, sales);
        break;
      default: // still waiting at the end of the range (the last few), or answered late
        if (i < 36) {
          ev('reservation.accepted', wait * 4, sales, res(agent, 6));
          ev('task.completed', wait * 4 + between(10, 100), sales);
        }
    }
  }
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Shuffled, with a quarter of the events delivered a second time somewhere later (Twilio retries). */
function withDuplicates(items: readonly Params[], seed: number): Params[] {
  const r = rng(seed * 7919);
  const out = shuffled(items, seed);
  for (const e of items) if (r() < 0.25) out.splice(Math.floor(r() * (out.length + 1)), 0, e);
  return out;
}

/** Delivers in this order: runs of events as Event Streams batches, some singly as callbacks. */
async function deliver(c: TestCollector, events: Params[], seed: number): Promise<void> {
  const r = rng(seed + 1);
  for (let i = 0; i < events.length;) {
    const size = 1 + Math.floor(r() * 60);
    const chunk = events.slice(i, i + size);
    i += size;
    if (r() < 0.1) {
      for (const e of chunk) expect((await postCallback(c.url, e)).status).toBe(204);
    } else {
      const res = await postBatchBody(c.url, JSON.stringify(chunk.map(toCloudEvent)));
      expect(res.status, await res.clone().text()).toBe(200);
    }
  }
}

/** Every metric with each grouping it allows, each stat it takes, and a queue filter. */
function battery(catalog: CatalogEntry[]): MetricQuery[] {
  const range = { from: '2025-06-02T08:07:30.250Z', to: '2025-06-04T00:00:00Z', timezone: 'America/New_York', interval: '1h' };
  const out: MetricQuery[] = [];
  // agent_current_activity counts seconds up to the moment it is asked: it differs between any two
  // asks, whatever the delivery order, so it has no place in an order comparison.
  for (const m of catalog.filter((c) => c.id !== 'agent_current_activity')) {
    const stats = m.options.find((o) => o.name === 'stat')?.values ?? [undefined];
    for (const groupBy of m.groupBys) out.push({ metric: m.id, ...range, groupBy });
    // Every other stat, by the first grouping and by time.
    for (const stat of stats.slice(1))
      for (const groupBy of new Set([m.groupBys[0]!, ...m.groupBys.filter((g) => g === 'time')]))
        out.push({ metric: m.id, ...range, groupBy, options: { stat: stat as 'max' } });
    out.push({ metric: m.id, ...range, groupBy: m.groupBys[0], queues: ['Sales', 'Support'] });
    if (m.groupBys.includes('time') && m.kind !== 'count') out.push({ metric: m.id, ...range, groupBy: 'time', interval: '15m' });
  }
  out.push({ metric: 'service_level', ...range, groupBy: 'queue', options: { thresholdSeconds: 30 } });
  return out;
}

async function answers(c: TestCollector, queries: MetricQuery[]): Promise<string[]> {
  return Promise.all(
    queries.map(async (q) => {
      const res = await fetch(`${c.url}/api/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(q),
      });
      return `${res.status} ${await res.text()}`;
    }),
  );
}

const events = contactCenter();
const inOrder = [...events].sort((a, b) => Number(a.TimestampMs) - Number(b.TimestampMs));
const collectors: TestCollector[] = [];
let queries: MetricQuery[];
let baseline: string[];

beforeAll(async () => {
  const base = await startTestCollector({ FLOORBOARD_SYNC: 'normal' });
  collectors.push(base);
  await deliver(base, inOrder, 0);
  queries = battery(((await (await fetch(`${base.url}/api/catalog`)).json()) as Catalog).metrics);
  baseline = await answers(base, queries);
});
afterAll(async () => {
  for (const c of collectors) await c.dispose();
});

describe('order independence', () => {
  it('the in-order delivery answers every query of the battery with 200 and real data', () => {
    expect(events.length).toBeGreaterThan(300);
    const failed = baseline.map((a, i) => [queries[i], a] as const).filter(([, a]) => !a.startsWith('200 '));
    expect(failed).toEqual([]);
    const handled = baseline[queries.findIndex((q) => q.metric === 'tasks_handled' && q.groupBy === 'none')]!;
    expect(JSON.parse(handled.slice(4)).frames[0].fields[0].values[0]).toBeGreaterThan(20);
  });

  it.each([1, 2, 3])('shuffled delivery with duplicates (seed %i) gives identical answers', async (seed) => {
    const c = await startTestCollector({ FLOORBOARD_SYNC: 'normal' });
    collectors.push(c);
    await deliver(c, withDuplicates(events, seed), seed);
    const got = await answers(c, queries);
    const differ = queries
      .map((q, i) => ({ q, want: baseline[i]!, got: got[i]! }))
      .filter((x) => x.want !== x.got)
      .map(
        ({ q, want, got: g }) =>
          `${q.metric} by ${q.groupBy}${q.options ? ' ' + JSON.stringify(q.options) : ''}${q.queues ? ' queues' : ''}${q.interval === '15m' && q.groupBy === 'time' ? ' 15m' : ''}\n  want ${want.slice(0, 400)}\n  got  ${g.slice(0, 400)}`,
      );
    expect(differ, differ.join('\n')).toEqual([]);
  });
});

describe('order independence of sums of fractional seconds', () => {
  // Three Sales calls in one hour with handle times 1.1, 1.2 and 43.3 s (45.6 s in all, 15.2 s on
  // average), three disposition codes, and alice Available for the same three spans. Floating-point
  // sums depend on the order they are added in: (1.1 + 1.2 + 43.3) / 3 is 15.199999999999998 but
  // (43.3 + 1.2 + 1.1) / 3 is 15.200000000000001, so a store that adds in arrival order answers
  // differently for different deliveries of the same events.
  const H = Date.UTC(2025, 5, 5, 9, 0, 0);
  const handle = [1.1, 1.2, 43.3];
  const codes = ['resolved', 'escalated', 'sale'];
  const alice = agents[0]!;
  function hour(): Params[] {
    const out: Params[] = [agentEvent('worker.created', H - 60 * MIN, alice, 'Offline')];
    handle.forEach((h, k) => {
      const created = H + k * 5 * MIN;
      const t = {
        task: 'WT' + 'f'.repeat(30) + String(k).padStart(2, '0'),
        createdMs: created,
        attributes: JSON.stringify({ direction: 'inbound', conversations: { outcome: codes[k % 3] } }),
      };
      const res = reservationFields(alice, 'WR' + 'f'.repeat(30) + String(k).padStart(2, '0'));
      out.push(
        taskEvent('task.created', created, t),
        taskEvent('task-queue.entered', created, t),
        taskEvent('reservation.accepted', created + 5000, t, res),
        taskEvent('task.completed', created + 5000 + Math.round(h * 1000), t),
      );
      const avail = H + 30 * MIN + k * 2 * MIN;
      out.push(
        agentEvent('worker.activity.update', avail, alice, 'Available'),
        agentEvent('worker.activity.update', avail + Math.round(h * 1000), alice, 'Break'),
      );
    });
    return out;
  }
  const hourQueries: MetricQuery[] = [
    { metric: 'avg_handle_time', from: H, to: H + 60 * MIN }, // hourly rollup
    { metric: 'avg_handle_time', from: H - 1, to: H + 60 * MIN + 1 }, // raw samples
    { metric: 'avg_handle_time', from: H, to: H + 60 * MIN, groupBy: 'time', interval: '15m' },
    { metric: 'agent_avg_handle_time', from: H, to: H + 60 * MIN, groupBy: 'worker' },
    { metric: 'agent_activity_time', from: H, to: H + 60 * MIN, groupBy: 'worker' },
    { metric: 'dispositions', from: H, to: H + 60 * MIN },
    { metric: 'tasks_by_direction', from: H, to: H + 60 * MIN },
  ];
  /** Answers per delivery (in order, reversed, two shuffles), per query. */
  const results: string[][] = [];
  beforeAll(async () => {
    const ordered = hour().sort((a, b) => Number(a.TimestampMs) - Number(b.TimestampMs));
    for (const d of [ordered, [...ordered].reverse(), shuffled(ordered, 11), shuffled(ordered, 12)]) {
      const c = await startTestCollector({ FLOORBOARD_SYNC: 'normal' });
      collectors.push(c);
      for (const e of d) expect((await postCallback(c.url, e)).status).toBe(204);
      results.push(await answers(c, hourQueries));
    }
  });
  /** Queries of these metrics whose answer differs between deliveries, with the answers. */
  const differing = (...metrics: string[]) =>
    hourQueries
      .map((q, i) => ({ q, answers: [...new Set(results.map((r) => r[i]!))] }))
      .filter(({ q, answers: a }) => metrics.includes(q.metric) && a.length > 1)
      .map(
        ({ q, answers: a }) =>
          `${q.metric} ${JSON.stringify({ from: q.from, groupBy: q.groupBy })}:\n  ${a.map((x) => x.slice(0, 300)).join('\n  ')}`,
      );

  it('averages 45.6 / 3 = 15.2 s, whatever the arrival order', () => {
    expect(JSON.parse(results[0]![0]!.slice(4)).frames[0].fields[0].values[0]).toBeCloseTo(15.2, 9);
    const d = differing('avg_handle_time', 'agent_avg_handle_time', 'agent_activity_time');
    expect(d, d.join('\n')).toEqual([]);
  });

  it('lists dispositions and directions in the same row order, whatever the arrival order', () => {
    const d = differing('dispositions', 'tasks_by_direction');
    expect(d, d.join('\n')).toEqual([]);
  });
});
