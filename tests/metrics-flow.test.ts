// Task-flow counts, durations and ratios through the real webhook and POST /api/query, on a
// hand-built hour of a contact center whose every expected number is worked out below.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abandonedTask,
  BOB,
  handledTask,
  reservationFields,
  SUPPORT_QUEUE,
  taskEvent,
  workerFields,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import { postCallback, queryMetric, startTestCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';
import type { FrameField, MetricQuery, QueryResponse } from '@floorboard/contract';

const T0 = Date.UTC(2025, 5, 2, 9, 0, 0); // Monday 2025-06-02 09:00 UTC
const at = (seconds: number) => T0 + seconds * 1000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const W = { from: iso(T0), to: iso(T0 + HOUR) }; // the hour everything below happens in (but H3)

const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };
const alice = workerFields('Available'); // alice, skills: sales

/** Events of one task: `ev(type, secondsAfterCreation, extra)`. */
function task(sid: string, createdMs: number, o: { queueSid?: string; channel?: string; attributes?: string } = {}) {
  const t = { task: sid, createdMs, ...o };
  return (type: string, afterS: number, extra: Params = {}) => taskEvent(type, createdMs + afterS * 1000, t, extra);
}
const sid = (name: string) => 'WT' + Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);

/*
 * The hour (Sales and Support queues; alice answers, bob rejects and lets one time out):
 *   H1 Sales voice  created 0 s, accepted at age 10, wrap-up 70, completed 100      (resolved)
 *   H2 Sales voice  created 60 s, accepted at age 30, wrap-up 150, completed 160    (escalated, set at completion)
 *   A1 Sales voice  created 120 s, canceled at age 3   -> short abandon
 *   A2 Sales voice  created 180 s, canceled at age 40
 *   M  chat, outbound, created 240 s in Sales; bob rejects at 8 s; moved to Support at 15 s; bob's
 *      reservation times out at 25 s; alice accepts at age 32 and (again, second reservation) at 33;
 *      wrap-up 92, completed 100 (disposition "sale")
 *   TO Sales voice  created 300 s; task-queue.timeout at 60 s, workflow.timeout at 60.5 s, canceled at age 61
 * and the next hour:
 *   H3 Sales voice  created 10:10:00, accepted at age 5, completed at 60
 */
function theHour(): Params[] {
  const h2 = task(sid('H2'), at(60), { attributes: JSON.stringify({ direction: 'inbound' }) });
  const h2res = reservationFields(
    { sid: alice.WorkerSid!, name: 'alice', attributes: { skills: ['sales'], languages: ['en'] } },
    'WR' + 'a2'.repeat(16),
  );
  const m = task(sid('M'), at(240), { channel: 'chat', attributes: JSON.stringify({ direction: 'outbound', disposition: 'sale' }) });
  const mSupport = task(sid('M'), at(240), {
    channel: 'chat',
    queueSid: SUPPORT_QUEUE,
    attributes: JSON.stringify({ direction: 'outbound', disposition: 'sale' }),
  });
  const to = task(sid('TO'), at(300));
  return [
    ...handledTask(sid('H1'), at(0), 10, 60, 30),
    h2('task.created', 0),
    h2('task-queue.entered', 0.1),
    h2('reservation.created', 28, h2res),
    h2('reservation.accepted', 30, h2res),
    h2('task.wrapup', 150),
    h2('task.completed', 160, { TaskAttributes: JSON.stringify({ direction: 'inbound', conversations: { outcome: 'escalated' } }) }),
    ...abandonedTask(sid('A1'), at(120), 3),
    ...abandonedTask(sid('A2'), at(180), 40),
    m('task.created', 0),
    m('task-queue.entered', 0),
    m('reservation.created', 5, reservationFields(bob, 'WR' + 'b1'.repeat(16))),
    m('reservation.rejected', 8, reservationFields(bob, 'WR' + 'b1'.repeat(16))),
    m('task-queue.moved', 15),
    mSupport('task-queue.entered', 15),
    mSupport('reservation.created', 20, reservationFields(bob, 'WR' + 'b2'.repeat(16))),
    mSupport('reservation.timeout', 25, reservationFields(bob, 'WR' + 'b2'.repeat(16))),
    mSupport('reservation.created', 30, { ...alice, ReservationSid: 'WR' + 'a3'.repeat(16) }),
    mSupport('reservation.accepted', 32, { ...alice, ReservationSid: 'WR' + 'a3'.repeat(16) }),
    mSupport('reservation.accepted', 33, { ...alice, ReservationSid: 'WR' + 'a4'.repeat(16) }),
    mSupport('task.wrapup', 92),
    mSupport('task.completed', 100),
    to('task.created', 0),
    to('task-queue.entered', 0),
    to('task-queue.timeout', 60),
    to('workflow.timeout', 60.5),
    to('task.canceled', 61, { TaskCanceledReason: 'Task TTL Exceeded' }),
    ...handledTask(sid('H3'), T0 + HOUR + 600_000, 5, 50, 5),
  ];
}

async function send(c: TestCollector, events: Params[]): Promise<void> {
  for (const p of events) {
    const res = await postCallback(c.url, p);
    expect(res.status, `${p.EventType}: ${await res.clone().text()}`).toBe(204);
  }
}

const ask = (c: TestCollector, q: MetricQuery): Promise<QueryResponse> => queryMetric(c.url, q);
const numbers = (r: QueryResponse): FrameField['values'] => r.frames[0]!.fields.find((f) => f.type === 'number')!.values;
/** The single value of a groupBy: none answer. */
const one = async (c: TestCollector, q: MetricQuery) => numbers(await ask(c, q))[0];
/** groupBy: queue / channel / worker answers as { name: value }. */
async function byName(c: TestCollector, q: MetricQuery): Promise<Record<string, number | string | null>> {
  const r = await ask(c, q);
  const names = r.frames[0]!.fields[0]!.values as string[];
  return Object.fromEntries(names.map((n, i) => [n, numbers(r)[i]!]));
}

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
  await send(c, theHour());
});
afterAll(() => c.dispose());

describe('task flow counts over the hour', () => {
  it.each([
    ['tasks_created', 6], // H1 H2 A1 A2 M TO
    ['tasks_entered', 7], // six in Sales, M again in Support
    ['tasks_moved', 1], // M left Sales
    ['tasks_received', 6], // 7 entered - 1 moved
    ['tasks_handled', 3], // H1 H2 M (M's second acceptance does not count again)
    ['tasks_abandoned', 3], // A1 A2 TO: canceled, never accepted
    ['tasks_short_abandoned', 1], // A1: 3 s < 5 s
    ['tasks_completed', 3], // H1 H2 M
    ['reservations_timed_out', 1],
    ['reservations_rejected', 1],
    ['tasks_timed_out', 2], // TO's task-queue.timeout + workflow.timeout
  ])('%s = %d', async (metric, expected) => {
    expect(await one(c, { metric, ...W })).toBe(expected);
  });

  it.each([
    ['tasks_entered', { Sales: 6, Support: 1 }],
    ['tasks_moved', { Sales: 1, Support: 0 }],
    ['tasks_received', { Sales: 5, Support: 1 }], // M counts in Sales' moved and Support's entered
    ['tasks_handled', { Sales: 2, Support: 1 }], // M was answered in Support
    ['tasks_abandoned', { Sales: 3, Support: 0 }],
    ['tasks_completed', { Sales: 2, Support: 1 }],
    ['reservations_rejected', { Sales: 1, Support: 0 }],
    ['reservations_timed_out', { Sales: 0, Support: 1 }],
    ['tasks_timed_out', { Sales: 2, Support: 0 }],
  ])('%s by queue = %j', async (metric, expected) => {
    expect(await byName(c, { metric, ...W, groupBy: 'queue' })).toEqual(expected);
  });

  it('splits by channel: M is the only chat', async () => {
    expect(await byName(c, { metric: 'tasks_created', ...W, groupBy: 'channel' })).toEqual({ chat: 1, voice: 5 });
    expect(await byName(c, { metric: 'tasks_handled', ...W, groupBy: 'channel' })).toEqual({ chat: 1, voice: 2 });
    expect(await one(c, { metric: 'tasks_handled', ...W, channels: ['chat'] })).toBe(1);
  });

  it('counts per agent: alice accepted all three (bob only rejected and timed out)', async () => {
    expect(await byName(c, { metric: 'agent_tasks_handled', ...W, groupBy: 'worker' })).toEqual({ alice: 3, bob: 0 });
  });

  it('gives 0 (not null, not missing) for buckets without events, and takes `from` inclusive, `to` exclusive', async () => {
    const r = await ask(c, { metric: 'tasks_handled', from: iso(T0), to: iso(T0 + 2 * HOUR), groupBy: 'time', interval: '15m' });
    expect(r.frames[0]!.fields[0]!.values).toEqual(Array.from({ length: 8 }, (_, i) => T0 + i * 900_000));
    expect(numbers(r)).toEqual([3, 0, 0, 0, 1, 0, 0, 0]); // H3 accepted 10:10:05
    // Ragged edges (not on a rollup boundary): H1 created at 09:00:00 is before `from`; H3 at 10:10:00 is `to`.
    expect(await one(c, { metric: 'tasks_created', from: iso(at(30)), to: iso(T0 + HOUR + 600_000) })).toBe(5);
    expect(await one(c, { metric: 'tasks_created', from: T0, to: T0 + HOUR + 600_001 })).toBe(7);
  });

  it('never shows a negative number of tasks received when a task moves on in a later bucket', async () => {
    // R enters Sales at 09:55 and moves to Support at 10:05 (another day, to keep the hour above clean).
    const day = T0 + 3 * 24 * HOUR;
    const r = task(sid('R'), day + 55 * 60_000);
    const rs = task(sid('R'), day + 55 * 60_000, { queueSid: SUPPORT_QUEUE });
    await send(c, [
      r('task.created', 0),
      r('task-queue.entered', 0),
      r('task-queue.moved', 600),
      rs('task-queue.entered', 600),
      rs('reservation.accepted', 660, alice),
    ]);
    const hourly = (queue: string) =>
      ask(c, { metric: 'tasks_received', from: day, to: day + 2 * HOUR, groupBy: 'time', interval: '1h', queues: [queue] }).then(numbers);
    const sales = (await hourly('Sales')) as number[];
    // Sales received nothing for good (entered 1 - moved 1); no hour may show -1 task.
    expect(sales.reduce((a, b) => a + b, 0)).toBe(0);
    for (const v of sales) expect(v).toBeGreaterThanOrEqual(0);
    expect(await hourly('Support')).toEqual([0, 1]);
  });
});

describe('which queue an event counts in', () => {
  const day = T0 + 5 * 24 * HOUR;
  const strip = (p: Params, ...keys: string[]) => Object.fromEntries(Object.entries(p).filter(([k]) => !keys.includes(k)));
  const QUEUE = ['TaskQueueSid', 'TaskQueueName', 'TaskQueueTargetExpression'];

  it("attributes events without a queue to the task's last known queue", async () => {
    const t = task(sid('Q1'), day, { queueSid: SUPPORT_QUEUE });
    await send(c, [
      strip(t('task.created', 0), ...QUEUE),
      t('task-queue.entered', 0),
      strip(t('reservation.accepted', 9, alice), ...QUEUE),
      strip(t('task.completed', 99), ...QUEUE),
    ]);
    const q = { from: day, to: day + HOUR, groupBy: 'queue' as const };
    expect(await byName(c, { metric: 'tasks_handled', ...q })).toEqual({ Sales: 0, Support: 1 });
    expect(await byName(c, { metric: 'tasks_completed', ...q })).toEqual({ Sales: 0, Support: 1 });
  });

  it('takes the queue from TaskQueueSid when an event has no TaskQueueName', async () => {
    // METRICS.md: "Queue is the event's TaskQueueName/TaskQueueSid". Support's name is known from other events.
    const t = task(sid('Q2'), day + HOUR, { queueSid: SUPPORT_QUEUE });
    await send(c, [
      strip(t('task.created', 0), ...QUEUE),
      strip(t('task-queue.entered', 0), 'TaskQueueName'),
      strip(t('reservation.accepted', 9, alice), 'TaskQueueName'),
    ]);
    expect(await byName(c, { metric: 'tasks_entered', from: day + HOUR, to: day + 2 * HOUR, groupBy: 'queue' })).toEqual({
      Sales: 0,
      Support: 1,
    });
    expect(await one(c, { metric: 'tasks_handled', from: day + HOUR, to: day + 2 * HOUR, queues: ['Support'] })).toBe(1);
  });
});

describe('durations over the hour (seconds)', () => {
  it.each([
    ['avg_wait', 176 / 6, 61], // (10 + 30 + 32 answered; 3 + 40 + 61 abandoned) / 6; longest TO 61
    ['avg_answer_time', 24, 32], // (10 + 30 + 32) / 3
    ['avg_abandon_time', 104 / 3, 61], // (3 + 40 + 61) / 3
    ['avg_task_duration', 120, 160], // ages at completion (100 + 160 + 100) / 3
    ['avg_handle_time', 96, 130], // completed - first accepted: (90 + 130 + 68) / 3
    ['avg_wrapup_time', 16, 30], // completed - wrap-up: (30 + 10 + 8) / 3
  ])('%s averages %d and peaks at %d', async (metric, avg, max) => {
    expect(await one(c, { metric, ...W })).toBeCloseTo(avg, 9);
    expect(await one(c, { metric, ...W, options: { stat: 'max' } })).toBe(max);
  });

  it('is null in buckets with no samples and the bucket average elsewhere', async () => {
    const r = await ask(c, { metric: 'avg_wait', from: iso(T0), to: iso(T0 + 2 * HOUR), groupBy: 'time', interval: '15m' });
    const v = numbers(r);
    expect(v[0]).toBeCloseTo(176 / 6, 9);
    expect(v.slice(1)).toEqual([null, null, null, 5, null, null, null]); // H3 waited 5 s
    expect(
      numbers(
        await ask(c, {
          metric: 'avg_wait',
          from: iso(T0),
          to: iso(T0 + 2 * HOUR),
          groupBy: 'time',
          interval: '15m',
          options: { stat: 'max' },
        }),
      ),
    ).toEqual([61, null, null, null, 5, null, null, null]);
  });

  it('averages handle time per agent (alice 96 s; bob handled nothing: null)', async () => {
    const r = await byName(c, { metric: 'agent_avg_handle_time', ...W, groupBy: 'worker' });
    expect(r.alice).toBeCloseTo(96, 9);
    expect(r.bob).toBeNull();
  });

  it('averages per queue: Sales answered in (10 + 30) / 2 = 20 s, Support 32 s', async () => {
    expect(await byName(c, { metric: 'avg_answer_time', ...W, groupBy: 'queue' })).toEqual({ Sales: 20, Support: 32 });
  });
});

describe('ratios over the hour (percent)', () => {
  it('service level: 1 answered within 20 s / (3 handled + 3 abandoned - 1 short) = 20 %', async () => {
    expect(await one(c, { metric: 'service_level', ...W })).toBeCloseTo(20, 9);
  });

  it('service level with options.thresholdSeconds: 30 s -> H1, H2 within (2/5); 35 s -> all three (3/5)', async () => {
    expect(await one(c, { metric: 'service_level', ...W, options: { thresholdSeconds: 30 } })).toBeCloseTo(40, 9);
    expect(await one(c, { metric: 'service_level', ...W, options: { thresholdSeconds: 35 } })).toBeCloseTo(60, 9);
  });

  it('service level by queue: Sales 1 / (2 + 3 - 1) = 25 %, Support 0 / 1 = 0 %', async () => {
    expect(await byName(c, { metric: 'service_level', ...W, groupBy: 'queue' })).toEqual({ Sales: 25, Support: 0 });
  });

  it('abandon rate: 3 abandoned / (3 handled + 3 abandoned) = 50 % (short abandons included)', async () => {
    expect(await one(c, { metric: 'abandon_rate', ...W })).toBeCloseTo(50, 9);
  });

  it('is null where nothing was handled or abandoned', async () => {
    const r = await ask(c, { metric: 'service_level', from: iso(T0), to: iso(T0 + 2 * HOUR), groupBy: 'time', interval: '1h' });
    expect(numbers(r)).toEqual([20, 100]); // H3 answered in 5 s
    expect(await one(c, { metric: 'abandon_rate', from: iso(T0 - HOUR), to: iso(T0) })).toBeNull();
  });

  it('has no service level when the only abandon is short (denominator 1 - 1 = 0), but a 100 % abandon rate', async () => {
    const onlyA1 = { from: at(120), to: at(125) }; // A1 canceled at 09:02:03, nothing else
    expect(await one(c, { metric: 'tasks_short_abandoned', ...onlyA1 })).toBe(1);
    expect(await one(c, { metric: 'service_level', ...onlyA1 })).toBeNull();
    expect(await one(c, { metric: 'abandon_rate', ...onlyA1 })).toBe(100);
  });

  it('aggregates several queues as one population, not as the mean of per-queue values', async () => {
    const both = { ...W, queues: ['Sales', 'Support'] };
    // Answer time: (10 + 30 + 32) / 3 = 24 s, not (20 + 32) / 2 = 26 s.
    expect(await one(c, { metric: 'avg_answer_time', ...both })).toBeCloseTo(24, 9);
    // Service level: 1 / 5 = 20 %, not (25 % + 0 %) / 2 = 12.5 %.
    expect(await one(c, { metric: 'service_level', ...both })).toBeCloseTo(20, 9);
    expect(await one(c, { metric: 'tasks_handled', ...both })).toBe(3);
    expect(await one(c, { metric: 'tasks_handled', ...W, queues: ['Support'] })).toBe(1);
  });

  it('counts nothing for a queue it has never seen', async () => {
    expect(await one(c, { metric: 'tasks_handled', ...W, queues: ['Nowhere'] })).toBe(0);
    expect(await one(c, { metric: 'avg_wait', ...W, queues: ['Nowhere'] })).toBeNull();
    expect(await byName(c, { metric: 'tasks_handled', ...W, groupBy: 'queue', queues: ['Nowhere', 'Sales'] })).toEqual({
      Nowhere: 0,
      Sales: 2,
    });
  });
});

describe('breakdowns over the hour', () => {
  it('counts completed tasks per disposition (conversations.outcome, else disposition)', async () => {
    const r = await ask(c, { metric: 'dispositions', ...W });
    const [labels, counts] = [r.frames[0]!.fields[0]!.values, numbers(r)];
    expect(Object.fromEntries(labels.map((l, i) => [l, counts[i]]))).toEqual({ resolved: 1, escalated: 1, sale: 1 });
  });

  it('lays dispositions out per channel, one column per code', async () => {
    const r = await ask(c, { metric: 'dispositions', ...W, groupBy: 'channel' });
    const cols = Object.fromEntries(r.frames[0]!.fields.map((f) => [f.name, f.values]));
    expect(cols).toEqual({ channel: ['chat', 'voice'], escalated: [0, 1], resolved: [0, 1], sale: [1, 0] });
  });

  it('counts created tasks per direction and channel', async () => {
    const r = await ask(c, { metric: 'tasks_by_direction', ...W });
    const [dir, ch] = r.frames[0]!.fields;
    const rows = dir!.values.map((d, i) => `${d}/${ch!.values[i]}=${numbers(r)[i]}`).sort();
    expect(rows).toEqual(['inbound/voice=5', 'outbound/chat=1']);
    const q = await ask(c, { metric: 'tasks_by_direction', ...W, groupBy: 'queue' });
    expect(Object.fromEntries(q.frames[0]!.fields.map((f) => [f.name, f.values]))).toEqual({
      queue: ['Sales', 'Support'],
      inbound: [5, 0],
      outbound: [1, 0],
    });
  });
});

describe('the SLA file: per-queue answer target and short-abandon limit', () => {
  let s: TestCollector;
  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'sla.yaml'),
      'serviceLevelSeconds: 20\nshortAbandonSeconds: 5\nqueues:\n  Support:\n    serviceLevelSeconds: 40\n    shortAbandonSeconds: 10\n',
    );
    s = await startTestCollector({}, dir);
    const sales = (name: string) => task(sid(name), T0);
    const support = (name: string) => task(sid(name), T0, { queueSid: SUPPORT_QUEUE });
    const events: Params[] = [];
    // Answered at 30 s in each queue; abandoned at 7 s in each queue.
    for (const [ev, name] of [
      [sales, 'S1'],
      [support, 'S2'],
    ] as const)
      events.push(ev(name)('task.created', 0), ev(name)('task-queue.entered', 0), ev(name)('reservation.accepted', 30, alice));
    for (const [ev, name] of [
      [sales, 'S3'],
      [support, 'S4'],
    ] as const)
      events.push(ev(name)('task.created', 0), ev(name)('task-queue.entered', 0), ev(name)('task.canceled', 7));
    await send(s, events);
  });
  afterAll(() => s.dispose());

  it('counts a 7 s abandon short in Support (< 10 s) but not in Sales (>= 5 s)', async () => {
    expect(await byName(s, { metric: 'tasks_short_abandoned', ...W, groupBy: 'queue' })).toEqual({ Sales: 0, Support: 1 });
  });

  it('judges each queue by its own target: Sales 0 / 2 = 0 %, Support 1 / (2 - 1) = 100 %, together 1 / 3', async () => {
    expect(await byName(s, { metric: 'service_level', ...W, groupBy: 'queue' })).toEqual({ Sales: 0, Support: 100 });
    expect(await one(s, { metric: 'service_level', ...W })).toBeCloseTo(100 / 3, 9);
  });

  it('lets options.thresholdSeconds override the file for every queue', async () => {
    expect(await one(s, { metric: 'service_level', ...W, options: { thresholdSeconds: 30 } })).toBeCloseTo(200 / 3, 9); // both answers
    expect(await one(s, { metric: 'service_level', ...W, options: { thresholdSeconds: 20 } })).toBe(0); // Support's 40 s no longer applies
  });
});
