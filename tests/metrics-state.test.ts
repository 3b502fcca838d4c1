// State metrics (time-weighted over each bucket) and agent metrics through the real webhook and
// POST /api/query, with every integral worked out by hand. Times below are minutes after 10:00 UTC.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityEvent,
  activitySid,
  agentEvent,
  ALICE,
  BOB,
  CAROL,
  queueFields,
  reservationFields,
  SUPPORT_QUEUE,
  taskEvent,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import { postCallback, startTestCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';
import type { FrameField, MetricQuery, QueryResponse } from '@floorboard/contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const D = Date.UTC(2025, 5, 3, 10, 0, 0); // tasks: Tuesday 2025-06-03 10:00 UTC
const D2 = Date.UTC(2025, 5, 4, 10, 0, 0); // agents: Wednesday 2025-06-04 10:00 UTC
const iso = (ms: number) => new Date(ms).toISOString();

const alice: Agent = { sid: ALICE, name: 'alice', attributes: { skills: ['sales'], level: 1 } };
const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };
const carol: Agent = { sid: CAROL, name: 'carol', attributes: { skills: ['sales', 'support'], level: 3 } };
const dave: Agent = { sid: 'WK' + '5'.repeat(32), name: 'dave', attributes: { skills: [] } };

const sid = (name: string) => 'WT' + Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
/** A task created at `createdMs`: `ev(type, minutesAfterDayStart, extra)` (base = day). */
function task(name: string, day: number, createdMin: number, queueSid?: string) {
  const t = { task: sid(name), createdMs: day + createdMin * MIN, ...(queueSid ? { queueSid } : {}) };
  return (type: string, min: number, extra: Params = {}) => taskEvent(type, day + min * MIN, t, extra);
}
const res = (agent: Agent, name: string) => reservationFields(agent, 'WR' + Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32));

/*
 * 2025-06-03 (tasks), minutes after 10:00:
 *   Sales   W1 waits 5 -> 20, then in progress 20 -> 40
 *           W2 waits 10 -> 12 (abandoned)
 *           W3 waits from 25, never answered (still waiting now)
 *   Support P1 waits 1 -> 2, in progress 2 -> 11 (wrap-up 8 -> 11 included)
 *           P2 answered at once at 6, in progress 6 -> 20
 */
function taskDay(): Params[] {
  const w1 = task('W1', D, 5);
  const w2 = task('W2', D, 10);
  const w3 = task('W3', D, 25);
  const p1 = task('P1', D, 1, SUPPORT_QUEUE);
  const p2 = task('P2', D, 6, SUPPORT_QUEUE);
  return [
    w1('task.created', 5),
    w1('task-queue.entered', 5),
    w1('reservation.accepted', 20, res(alice, 'w1')),
    w1('task.completed', 40),
    w2('task.created', 10),
    w2('task-queue.entered', 10),
    w2('task.canceled', 12),
    w3('task.created', 25),
    w3('task-queue.entered', 25),
    p1('task.created', 1),
    p1('task-queue.entered', 1),
    p1('reservation.accepted', 2, res(bob, 'p1')),
    p1('task.wrapup', 8),
    p1('task.completed', 11),
    p2('task.created', 6),
    p2('task-queue.entered', 6),
    p2('reservation.accepted', 6, res(bob, 'p2')),
    p2('task.completed', 20),
  ];
}

/*
 * 2025-06-04 (agents), minutes after 10:00; everyone logged in Offline at 09:00:
 *   alice (sales, level 1)           Available 0 -> 10, Break 10 -> 20, Available 20 ->
 *   bob   (support)                  Offline 0 -> 5, Available 5 -> 25, Offline 25 ->
 *   carol (sales + support, level 3) Offline 0 -> 12, Idle 12 -> 17, Lunch 17 ->
 * Available / Break / Offline are known from activity events (Break: ActivityAvailable false);
 * Idle and Lunch are not: Idle is available by the default SLA names, Lunch is logged in, not available.
 * alice handles X (Sales) 2 -> 8; bob handles Y (Support) 6 -> 15.
 */
function agentDay(): Params[] {
  const x = task('X', D2, 1.5);
  const y = task('Y', D2, 5.5, SUPPORT_QUEUE);
  const at = (min: number) => D2 + min * MIN;
  const move = (a: Agent, min: number, from: string, to: string, sinceMin: number) =>
    agentEvent('worker.activity.update', at(min), a, to, { activity: from, seconds: (min - sinceMin) * 60 });
  return [
    activityEvent('activity.created', at(-120), activitySid('Available'), 'Available', true),
    activityEvent('activity.created', at(-120), activitySid('Break'), 'Break', false),
    activityEvent('activity.created', at(-120), activitySid('Offline'), 'Offline', false),
    ...[alice, bob, carol].map((a) => agentEvent('worker.created', at(-60), a, 'Offline')),
    move(alice, 0, 'Offline', 'Available', -60),
    move(alice, 10, 'Available', 'Break', 0),
    move(alice, 20, 'Break', 'Available', 10),
    move(bob, 5, 'Offline', 'Available', -60),
    move(bob, 25, 'Available', 'Offline', 5),
    move(carol, 12, 'Offline', 'Idle', -60),
    move(carol, 17, 'Idle', 'Lunch', 12),
    x('task.created', 1.5),
    x('task-queue.entered', 1.5),
    x('reservation.accepted', 2, res(alice, 'x')),
    x('task.completed', 8),
    y('task.created', 5.5),
    y('task-queue.entered', 5.5),
    y('reservation.accepted', 6, res(bob, 'y')),
    y('task.completed', 15),
  ];
}

/** A VIP queue (sales skill and level >= 2: only carol), seen on another day. */
function vipQueue(): Params[] {
  const vip = queueFields('VIP', 'WQ' + 'c'.repeat(32), 'skills HAS "sales" AND level >= 2');
  const day = Date.UTC(2025, 5, 1, 8, 0, 0);
  const t = { task: sid('V'), createdMs: day };
  return [
    taskEvent('task.created', day, t, vip),
    taskEvent('task-queue.entered', day, t, vip),
    taskEvent('task.canceled', day + 30_000, t, vip),
  ];
}

async function send(c: TestCollector, events: Params[]): Promise<void> {
  for (const p of events) {
    const r = await postCallback(c.url, p);
    expect(r.status, `${p.EventType}: ${await r.clone().text()}`).toBe(204);
  }
}
async function ask(c: TestCollector, q: MetricQuery): Promise<QueryResponse> {
  const r = await fetch(`${c.url}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q) });
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(200);
  return body as QueryResponse;
}
const numbers = (r: QueryResponse, frame = 0): FrameField['values'] => r.frames[frame]!.fields.find((f) => f.type === 'number')!.values;
async function byName(c: TestCollector, q: MetricQuery): Promise<Record<string, number | string | null>> {
  const r = await ask(c, q);
  const names = r.frames[0]!.fields[0]!.values as string[];
  return Object.fromEntries(names.map((n, i) => [n, numbers(r)[i]!]));
}
/** Values rounded to 9 decimals, so hand fractions (28 / 15) compare exactly. */
const r9 = (vs: FrameField['values']) => vs.map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v));
const f9 = (...vs: (number | null)[]) => r9(vs);

const taskWindow = { from: iso(D), to: iso(D + 30 * MIN) };
const agentWindow = { from: iso(D2), to: iso(D2 + 30 * MIN) };
const quarters = { groupBy: 'time', interval: '15m' } as const;

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
  await send(c, [...taskDay(), ...agentDay(), ...vipQueue()]);
});
afterAll(() => c.dispose());

describe('tasks_waiting', () => {
  const sales = { ...taskWindow, ...quarters, queues: ['Sales'] };

  it('averages overlapping waits over time: (5x1 + 2x2 + 3x1) / 15 = 0.8, then (5x1 + 5x1) / 15', async () => {
    // 10:00-10:15: W1 from 5, W2 10-12 -> 0 for 5 min, 1 for 5, 2 for 2, 1 for 3.
    // 10:15-10:30: W1 until 20, nobody 20-25, W3 from 25.
    expect(r9(numbers(await ask(c, { metric: 'tasks_waiting', ...sales })))).toEqual(f9(0.8, 10 / 15));
  });

  it('peaks at 2 then 1 (stat max) and ends each quarter with 1 waiting (stat last: W3 is still waiting at `to`)', async () => {
    expect(numbers(await ask(c, { metric: 'tasks_waiting', ...sales, options: { stat: 'max' } }))).toEqual([2, 1]);
    expect(numbers(await ask(c, { metric: 'tasks_waiting', ...sales, options: { stat: 'last' } }))).toEqual([1, 1]);
  });

  it('averages the whole half hour as one bucket: 22 task-minutes / 30 minutes', async () => {
    expect(r9(numbers(await ask(c, { metric: 'tasks_waiting', ...taskWindow, queues: ['Sales'] })))).toEqual(f9(22 / 30));
  });

  it('splits by queue (Support: P1 waited 1 minute) and channel', async () => {
    const q = await byName(c, { metric: 'tasks_waiting', ...taskWindow, groupBy: 'queue' });
    expect(r9(Object.values(q))).toEqual(f9(22 / 30, 1 / 30, 0));
    expect(Object.keys(q)).toEqual(['Sales', 'Support', 'VIP']);
    expect(r9(Object.values(await byName(c, { metric: 'tasks_waiting', ...taskWindow, groupBy: 'channel' })))).toEqual(f9(23 / 30));
  });

  it('names a requested channel it has never seen, with 0 (as flow metrics do)', async () => {
    const q = { ...taskWindow, groupBy: 'channel' as const, channels: ['voice', 'fax'] };
    expect(Object.keys(await byName(c, { metric: 'tasks_created', ...q }))).toEqual(['voice', 'fax']);
    const r = await byName(c, { metric: 'tasks_waiting', ...q });
    expect(Object.keys(r)).toEqual(['voice', 'fax']);
    expect(r.fax).toBe(0);
  });

  it('counts a task still waiting up to now, and leaves buckets after now empty (null)', async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const v = numbers(
      await ask(c, { metric: 'tasks_waiting', from: hour - HOUR, to: hour + 2 * HOUR, groupBy: 'time', interval: '1h', queues: ['Sales'] }),
    );
    expect(v[0]).toBe(1); // W3, waiting since 2025-06-03 10:25
    expect(v[2]).toBeNull(); // the hour after this one has not happened yet
  });
});

describe('longest_wait', () => {
  const sales = { ...taskWindow, ...quarters, queues: ['Sales'] };

  it('averages the oldest age over each quarter', async () => {
    // 10:00-10:15: 0 for 5 min; W1 0->300 s (mean 150) x5, 300->420 (mean 360) x2, 420->600 (mean 510) x3 = 3000 -> /15 = 200 s
    // 10:15-10:30: W1 600->900 (mean 750) x5, 0 x5, W3 0->300 (mean 150) x5 = 4500 -> /15 = 300 s
    expect(numbers(await ask(c, { metric: 'longest_wait', ...sales }))).toEqual([200, 300]);
  });

  it('peaks at the age just before the oldest task is answered (600 s at 10:15, 900 s at 10:20)', async () => {
    expect(numbers(await ask(c, { metric: 'longest_wait', ...sales, options: { stat: 'max' } }))).toEqual([600, 900]);
    expect(numbers(await ask(c, { metric: 'longest_wait', ...sales, options: { stat: 'last' } }))).toEqual([600, 300]);
  });

  it('over a bucket of one growing wait gives the midpoint (avg) and the age at the end (max)', async () => {
    const q = { metric: 'longest_wait', from: iso(D + 25 * MIN), to: iso(D + 30 * MIN), queues: ['Sales'] };
    expect(numbers(await ask(c, q))).toEqual([150]);
    expect(numbers(await ask(c, { ...q, options: { stat: 'max' } }))).toEqual([300]);
  });
});

describe('a task moved between queues', () => {
  // MV: created 10:40 in Sales, moved to Support at 10:50, answered there at 10:54, completed 10:58.
  beforeAll(async () => {
    const mv = task('MV', D, 40);
    const mvSupport = task('MV', D, 40, SUPPORT_QUEUE);
    await send(c, [
      mv('task.created', 40),
      mv('task-queue.entered', 40),
      mv('task-queue.moved', 50),
      mvSupport('task-queue.entered', 50),
      mvSupport('reservation.accepted', 54, res(bob, 'mv')),
      mvSupport('task.completed', 58),
    ]);
  });

  it('waits without a gap across the move: 1 task all along 10:40-10:54 (Sales then Support)', async () => {
    const q = { metric: 'tasks_waiting', from: iso(D + 40 * MIN), to: iso(D + 54 * MIN), queues: ['Support'] };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(4 / 14));
    const both = { ...q, queues: ['Sales', 'Support'] };
    // W3 waits in Sales all along too: 1 + 1.
    expect(numbers(await ask(c, both))).toEqual([2]);
    expect(numbers(await ask(c, { ...both, options: { stat: 'max' } }))).toEqual([2]);
  });

  it('ages the moved task from its creation in the new queue: 600 -> 840 s, mean 720', async () => {
    const q = { metric: 'longest_wait', from: iso(D + 50 * MIN), to: iso(D + 54 * MIN), queues: ['Support'] };
    expect(numbers(await ask(c, q))).toEqual([720]);
    expect(numbers(await ask(c, { ...q, options: { stat: 'max' } }))).toEqual([840]);
  });
});

describe('tasks_in_progress', () => {
  it('includes wrap-up until completion: Support (9 + 9) / 15 = 1.2, then 5 / 15', async () => {
    const q = { metric: 'tasks_in_progress', ...taskWindow, ...quarters, queues: ['Support'] };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(1.2, 5 / 15));
    expect(numbers(await ask(c, { ...q, options: { stat: 'max' } }))).toEqual([2, 1]);
    expect(numbers(await ask(c, { ...q, options: { stat: 'last' } }))).toEqual([1, 0]);
  });

  it('counts a task still in progress at `to` (W1, answered at 10:20, completed at 10:40)', async () => {
    const q = { metric: 'tasks_in_progress', ...taskWindow, ...quarters, queues: ['Sales'] };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(0, 10 / 15));
    expect(numbers(await ask(c, { ...q, options: { stat: 'last' } }))).toEqual([0, 1]);
  });
});

describe('agents_logged_in / agents_available / agents_by_activity', () => {
  it('agents_logged_in: (15 + 10 + 3) / 15 then (15 + 10 + 15) / 15 agents', async () => {
    const q = { metric: 'agents_logged_in', ...agentWindow, ...quarters };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(28 / 15, 40 / 15));
    expect(numbers(await ask(c, { ...q, options: { stat: 'max' } }))).toEqual([3, 3]);
    expect(numbers(await ask(c, { ...q, options: { stat: 'last' } }))).toEqual([3, 2]); // bob logged off at 10:25
  });

  it('agents_available: Break and Lunch are not available, Idle is (default SLA names)', async () => {
    // 10:00-10:15: alice 10 + bob 10 + carol (Idle) 3 = 23; 10:15-10:30: alice 10 + bob 10 + carol 2 = 22.
    const q = { metric: 'agents_available', ...agentWindow, ...quarters };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(23 / 15, 22 / 15));
    expect(numbers(await ask(c, { ...q, options: { stat: 'max' } }))).toEqual([2, 2]);
    expect(numbers(await ask(c, { ...q, options: { stat: 'last' } }))).toEqual([2, 1]);
  });

  it('agents_by_activity: agent-minutes per logged-in activity over the half hour', async () => {
    const r = await byName(c, { metric: 'agents_by_activity', ...agentWindow, groupBy: 'activity' });
    expect(Object.keys(r)).toEqual(['Available', 'Break', 'Idle', 'Lunch']); // no Offline
    expect(r9(Object.values(r) as number[])).toEqual(f9(40 / 30, 10 / 30, 5 / 30, 13 / 30));
  });

  it("agents_by_activity over time: one series per activity, alice's Break split across the 10:15 edge", async () => {
    const r = await ask(c, { metric: 'agents_by_activity', ...agentWindow, ...quarters });
    const series = Object.fromEntries(r.frames.map((f) => [f.name, r9(f.fields[1]!.values)]));
    expect(series).toEqual({ Available: f9(20 / 15, 20 / 15), Break: f9(5 / 15, 5 / 15), Idle: f9(3 / 15, 2 / 15), Lunch: f9(0, 13 / 15) });
    expect(r.frames[0]!.fields[0]!.values).toEqual([D2, D2 + 15 * MIN]);
  });

  it('counts an agent still logged in up to now', async () => {
    const now = Date.now();
    await send(c, [
      agentEvent('worker.created', now - 20 * MIN, dave, 'Offline'),
      agentEvent('worker.activity.update', now - 10 * MIN, dave, 'Available', { activity: 'Offline', seconds: 600 }),
    ]);
    const q = { from: now - HOUR, to: now + HOUR };
    const t = await ask(c, { metric: 'agent_activity_time', ...q, groupBy: 'worker' });
    const [workers, activities] = t.frames[0]!.fields;
    const i = workers!.values.findIndex((w, k) => w === 'dave' && activities!.values[k] === 'Available');
    expect(numbers(t)[i]).toBeGreaterThanOrEqual(600);
    expect(numbers(t)[i]).toBeLessThan(660);
    // Available right now: dave, and alice (Available since 2025-06-04 10:20, never changed since).
    expect(numbers(await ask(c, { metric: 'agents_available', ...q, options: { stat: 'last' } }))).toEqual([2]);
  });
});

describe('agents by queue (target expressions matched against worker attributes)', () => {
  it('lists every queue with its matching agents: Sales = alice + carol, Support = bob + carol, VIP = carol', async () => {
    const r = await byName(c, { metric: 'agents_logged_in', ...agentWindow, groupBy: 'queue' });
    // Half-hour averages: alice 30 + carol 18 = 48; bob 20 + carol 18 = 38; carol 18.
    expect(Object.keys(r)).toEqual(['Sales', 'Support', 'VIP']);
    expect(r9(Object.values(r) as number[])).toEqual(f9(48 / 30, 38 / 30, 18 / 30));
  });

  it('counts an agent in two of the chosen queues once', async () => {
    const q = { metric: 'agents_logged_in', ...agentWindow, queues: ['Sales', 'Support'] };
    expect(r9(numbers(await ask(c, q)))).toEqual(f9(68 / 30));
    expect(r9(numbers(await ask(c, { ...q, metric: 'agents_available', queues: ['Sales'] })))).toEqual(f9(25 / 30)); // alice 20 + carol 5
  });
});

describe('agent metrics', () => {
  it('agent_activity_time: seconds per agent and activity', async () => {
    const r = await ask(c, { metric: 'agent_activity_time', ...agentWindow, groupBy: 'worker' });
    const [w, a] = r.frames[0]!.fields;
    const rows = w!.values.map((name, i) => `${name}/${a!.values[i]}=${numbers(r)[i]}`);
    expect(rows).toEqual([
      'alice/Available=1200',
      'alice/Break=600',
      'bob/Available=1200',
      'bob/Offline=600',
      'carol/Idle=300',
      'carol/Lunch=780',
      'carol/Offline=720',
    ]);
  });

  it("agent_activity_time by activity, and for one queue's agents only", async () => {
    expect(await byName(c, { metric: 'agent_activity_time', ...agentWindow, groupBy: 'activity' })).toEqual({
      Available: 2400,
      Break: 600,
      Idle: 300,
      Lunch: 780,
      Offline: 1320,
    });
    expect(await byName(c, { metric: 'agent_activity_time', ...agentWindow, groupBy: 'activity', queues: ['VIP'] })).toEqual({
      Idle: 300,
      Lunch: 780,
      Offline: 720,
    });
  });

  it('agent_tasks_handled and agent_avg_handle_time per agent', async () => {
    expect(await byName(c, { metric: 'agent_tasks_handled', ...agentWindow, groupBy: 'worker' })).toEqual({
      alice: 1,
      bob: 1,
      carol: 0,
      dave: 0,
    });
    expect(await byName(c, { metric: 'agent_avg_handle_time', ...agentWindow, groupBy: 'worker' })).toEqual({
      alice: 360,
      bob: 540,
      carol: null,
      dave: null,
    });
    expect(numbers(await ask(c, { metric: 'agent_avg_handle_time', ...agentWindow }))).toEqual([450]);
    expect(numbers(await ask(c, { metric: 'agent_avg_handle_time', ...agentWindow, options: { stat: 'max' } }))).toEqual([540]);
  });

  it('agent_occupancy: busy / logged in x 100 per agent, per queue and overall', async () => {
    // alice 6 / 30 min, bob 9 / 20, carol 0 / 18.
    expect(await byName(c, { metric: 'agent_occupancy', ...agentWindow, groupBy: 'worker' })).toEqual({ alice: 20, bob: 45, carol: 0 });
    expect(r9(numbers(await ask(c, { metric: 'agent_occupancy', ...agentWindow })))).toEqual(f9((15 / 68) * 100));
    const q = await byName(c, { metric: 'agent_occupancy', ...agentWindow, groupBy: 'queue' });
    expect(r9(Object.values(q) as number[])).toEqual(f9((6 / 48) * 100, (9 / 38) * 100, 0)); // Sales, Support, VIP
  });
});

describe('activity classes from the SLA file and ActivityAvailable', () => {
  let s: TestCollector;
  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sla.yaml'), 'offlineActivities: [Offline, Logged Out]\navailableActivities: [Ready, Idle]\n');
    s = await startTestCollector({}, dir);
    const agents = ['Ready', 'Logged Out', 'Idle', 'Tea', 'Break', 'Offline'].map((activity, i) => ({
      activity,
      agent: { sid: 'WK' + String(i).repeat(32), name: `agent${i}`, attributes: {} },
    }));
    await send(s, [
      activityEvent('activity.created', D2 - HOUR, activitySid('Idle'), 'Idle', false), // listed available, but TaskRouter says not
      activityEvent('activity.created', D2 - HOUR, activitySid('Tea'), 'Tea', true), // not listed, TaskRouter says available
      ...agents.map(({ activity, agent }) => agentEvent('worker.created', D2, agent, activity)),
    ]);
  });
  afterAll(() => s.dispose());

  it("treats the file's offline names as logged out: Ready, Idle, Tea, Break are logged in (4)", async () => {
    expect(numbers(await ask(s, { metric: 'agents_logged_in', ...agentWindow }))).toEqual([4]);
    expect(Object.keys(await byName(s, { metric: 'agents_by_activity', ...agentWindow, groupBy: 'activity' }))).toEqual([
      'Break',
      'Idle',
      'Ready',
      'Tea',
    ]);
  });

  it("lets ActivityAvailable win over the file's names: available are Ready (file) and Tea (TaskRouter), not Idle", async () => {
    expect(numbers(await ask(s, { metric: 'agents_available', ...agentWindow }))).toEqual([2]);
  });
});
