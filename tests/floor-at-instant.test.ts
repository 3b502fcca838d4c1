// The floor at any past instant (GET /api/snapshot?at=) and the drill-down tables behind its numbers
// (waiting_tasks, active_tasks, agent_current_activity at the query's `to`), checked against a small
// scenario worked by hand. Event shapes: collector/src/test-helpers/fixtures.ts (Twilio's Event
// Callback parameters, twilio.com/docs/taskrouter/api/event); a move carries the queue left in
// PreviousTaskQueueSid/Name as the simulator does (previous_task_queue_* of Event Streams).
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResponse, QueueSnapshot, Snapshot } from '@floorboard/contract';
import {
  agentEvent,
  queueFields,
  reservationFields,
  SALES_QUEUE,
  SUPPORT_QUEUE,
  taskEvent,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import { postCallback, startTestCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';

const S = 1000;
const DAY = 86_400_000;
/** Yesterday 10:00 UTC: the whole scenario lies in one (UTC) day, before now, whenever the test runs. */
const B = Math.floor(Date.now() / DAY) * DAY - 14 * 3600 * S;
/** A phone number in an attribute the SLA file does not list: it must never leave the collector. */
const PHONE = '+15555550123';

const alice: Agent = { sid: 'WK' + 'a1'.repeat(16), name: 'alice', attributes: { skills: ['sales'] } };
const bob: Agent = { sid: 'WK' + 'b2'.repeat(16), name: 'bob', attributes: { skills: ['sales'] } };
const attributes = JSON.stringify({ direction: 'inbound', from: PHONE, customer: { phone: PHONE } });
const t1 = { task: 'WT' + '1'.repeat(32), createdMs: B, attributes };
const t2 = { task: 'WT' + '2'.repeat(32), createdMs: B + 30 * S, attributes };
const support = queueFields('Support', SUPPORT_QUEUE, 'skills HAS "support"');

// By hand: t1 waits in Sales from B until alice accepts at B+60s, completes at B+300s. t2 waits in
// Sales from B+30s, moves to Support at B+120s, hangs up at B+600s. alice goes on Break at B+400s.
const EVENTS: Params[] = [
  agentEvent('worker.created', B - 600 * S, alice, 'Available'),
  agentEvent('worker.created', B - 600 * S, bob, 'Available'),
  taskEvent('task.created', B, t1),
  taskEvent('task-queue.entered', B, t1),
  taskEvent('task.created', B + 30 * S, t2),
  taskEvent('task-queue.entered', B + 30 * S, t2),
  taskEvent('reservation.accepted', B + 60 * S, t1, {
    ...reservationFields(alice, 'WR' + '1'.repeat(32)),
    TaskAssignmentStatus: 'assigned',
  }),
  taskEvent('task-queue.moved', B + 120 * S, t2, { ...support, PreviousTaskQueueSid: SALES_QUEUE, PreviousTaskQueueName: 'Sales' }),
  taskEvent('task-queue.entered', B + 120 * S, t2, support),
  taskEvent('task.completed', B + 300 * S, t1, { TaskAssignmentStatus: 'completed' }),
  agentEvent('worker.activity.update', B + 400 * S, alice, 'Break', { activity: 'Available', seconds: 1000 }),
  taskEvent('task.canceled', B + 600 * S, t2, { ...support, TaskAssignmentStatus: 'canceled', TaskCanceledReason: 'hangup' }),
];

let c: TestCollector;
const logLines: string[] = [];
const answers: string[] = [];

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(c.url + path);
  const text = await res.text();
  answers.push(text);
  return { status: res.status, body: JSON.parse(text) as unknown };
}
async function floorAt(at: number | string): Promise<Snapshot> {
  const r = await get(`/api/snapshot?at=${encodeURIComponent(String(at))}`);
  expect(r.status).toBe(200);
  return r.body as Snapshot;
}
async function query(metric: string, to: number, extra: Record<string, unknown> = {}): Promise<QueryResponse> {
  const res = await fetch(`${c.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric, from: to - 3600 * S, to, ...extra }),
  });
  const text = await res.text();
  answers.push(text);
  expect(res.status).toBe(200);
  return JSON.parse(text) as QueryResponse;
}
/** A table frame as rows of {field name: value}. */
function rows(r: QueryResponse): Record<string, unknown>[] {
  const f = r.frames[0]!.fields;
  return (f[0]?.values ?? []).map((_v, i) => Object.fromEntries(f.map((x) => [x.name, x.values[i]])));
}
const value = (s: QueueSnapshot, m: keyof QueueSnapshot['values']) => s.values[m].value;
const queue = (s: Snapshot, name: string) => s.queues.find((q) => q.queue === name)!;

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'sla.yaml'), 'drillDownAttributes: [direction]\n');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  c = await startTestCollector({ FLOORBOARD_LOG_LEVEL: 'trace' }, dir, pino({ level: 'trace' }, sink));
  for (const e of EVENTS) expect((await postCallback(c.url, e)).status).toBe(204);
});
afterAll(() => c.dispose());

describe('GET /api/snapshot?at= — the floor at a past instant, worked by hand', () => {
  it('before any task: two agents available, nobody waiting', async () => {
    const s = await floorAt(new Date(B - 60 * S).toISOString());
    expect(s.at).toBe(new Date(B - 60 * S).toISOString());
    expect(value(s.total, 'tasks_waiting')).toBe(0);
    expect(value(s.total, 'longest_wait')).toBe(0);
    expect(value(s.total, 'agents_logged_in')).toBe(2);
    expect(value(s.total, 'agents_available')).toBe(2);
    expect(s.total.agentsByActivity).toEqual({ Available: 2 });
    expect(value(queue(s, 'Sales'), 'agents_available')).toBe(2);
    expect(s.lastEventAt).toBe(new Date(B - 600 * S).toISOString());
  });

  it('before t1 is accepted: two waiting in Sales, the longest for 45 s', async () => {
    const s = await floorAt(B + 45 * S);
    expect(value(queue(s, 'Sales'), 'tasks_waiting')).toBe(2);
    expect(value(queue(s, 'Sales'), 'longest_wait')).toBe(45);
    expect(value(s.total, 'tasks_in_progress')).toBe(0);
    expect(value(s.total, 'tasks_handled')).toBe(0);
    expect(s.dayStart).toBe(new Date(B - 10 * 3600 * S).toISOString());
  });

  it('after t1 is accepted: one waiting (60 s, amber), one in progress, one handled today outside the service level', async () => {
    const s = await floorAt(B + 90 * S);
    const sales = queue(s, 'Sales');
    expect(value(sales, 'tasks_waiting')).toBe(1);
    expect(sales.values.longest_wait).toEqual({ value: 60, breach: 'warn' });
    expect(value(sales, 'tasks_in_progress')).toBe(1);
    expect(value(sales, 'tasks_handled')).toBe(1);
    expect(value(sales, 'avg_wait')).toBe(60);
    expect(sales.values.service_level).toEqual({ value: 0, breach: 'breach' });
  });

  it('after t2 moves: it waits in Support (for 130 s since it was created, red), Sales has nobody waiting', async () => {
    const s = await floorAt(B + 160 * S);
    expect(value(queue(s, 'Sales'), 'tasks_waiting')).toBe(0);
    expect(queue(s, 'Support').values.longest_wait).toEqual({ value: 130, breach: 'breach' });
    expect(value(queue(s, 'Support'), 'tasks_waiting')).toBe(1);
    expect(value(s.total, 'tasks_waiting')).toBe(1);
    expect(value(s.total, 'tasks_in_progress')).toBe(1);
  });

  it('after alice goes on a break (t1 completed): one agent available of two logged in, nobody in progress', async () => {
    const s = await floorAt(B + 450 * S);
    expect(value(s.total, 'agents_logged_in')).toBe(2);
    expect(value(s.total, 'agents_available')).toBe(1);
    expect(s.total.agentsByActivity).toEqual({ Available: 1, Break: 1 });
    expect(value(s.total, 'tasks_in_progress')).toBe(0);
    expect(value(s.total, 'tasks_waiting')).toBe(1);
  });

  it('now: the same floor /api/snapshot answers', async () => {
    const live = (await get('/api/snapshot')).body as Snapshot;
    const then = await floorAt(Date.now());
    const same = (s: Snapshot) => ({ total: s.total, queues: s.queues, dayStart: s.dayStart, lastEventAt: s.lastEventAt });
    expect(same(then)).toEqual(same(live));
    expect(same(await floorAt('now'))).toEqual(same(live));
  });

  it('refuses an unparseable time, a future one and one before the log begins, with one clear line', async () => {
    const bad = await get('/api/snapshot?at=half-past-ten');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^at: .*not an ISO 8601 time or epoch milliseconds/);
    const future = await get(`/api/snapshot?at=${Date.now() + 3600 * S}`);
    expect(future.status).toBe(400);
    expect((future.body as { error: string }).error).toMatch(/in the future/);
    const early = await get(`/api/snapshot?at=${new Date(B - DAY).toISOString()}`);
    expect(early.status).toBe(410);
    expect((early.body as { error: string }).error).toMatch(/before the oldest stored event/);
    const pruned = await get(`/api/snapshot?at=${Date.now() - 500 * DAY}`);
    expect(pruned.status).toBe(410);
    expect((pruned.body as { error: string }).error).toMatch(/past retention: events older than 400 days/);
  });
});

describe('drill-down tables at the query’s `to`', () => {
  it('waiting_tasks lists each waiting task with its age, time in queue and only the listed attributes', async () => {
    const r = await query('waiting_tasks', B + 45 * S);
    expect(r.frames[0]!.fields.map((f) => f.name)).toEqual([
      'task',
      'queue',
      'channel',
      'priority',
      'age',
      'time_in_queue',
      'attributes.direction',
    ]);
    expect(rows(r)).toEqual([
      { task: t1.task, queue: 'Sales', channel: 'voice', priority: 0, age: 45, time_in_queue: 45, 'attributes.direction': 'inbound' },
      { task: t2.task, queue: 'Sales', channel: 'voice', priority: 0, age: 15, time_in_queue: 15, 'attributes.direction': 'inbound' },
    ]);
  });

  it('after the move: time in this queue counts from the move, age from creation; the queue filter applies', async () => {
    expect(rows(await query('waiting_tasks', B + 160 * S, { queues: ['Sales'] }))).toEqual([]);
    const [row] = rows(await query('waiting_tasks', B + 160 * S, { queues: ['Support'] }));
    expect(row).toMatchObject({ task: t2.task, queue: 'Support', age: 130, time_in_queue: 40 });
  });

  it('active_tasks lists the task in progress with its agent and the time since it was accepted', async () => {
    expect(rows(await query('active_tasks', B + 90 * S))).toEqual([
      { task: t1.task, queue: 'Sales', channel: 'voice', agent: 'alice', age: 90, since_accepted: 30 },
    ]);
    expect(rows(await query('active_tasks', B + 350 * S))).toEqual([]);
  });

  it('agent_current_activity at a past `to`: each agent’s activity then and the seconds in it', async () => {
    const r = rows(await query('agent_current_activity', B + 450 * S, { groupBy: 'worker' }));
    expect(r).toEqual([
      { worker: 'alice', activity: 'Break', agent_current_activity: 50 },
      { worker: 'bob', activity: 'Available', agent_current_activity: 1050 },
    ]);
  });

  it('a phone number in an attribute the SLA file does not list never appears in any answer or log line', async () => {
    for (const m of ['waiting_tasks', 'active_tasks']) for (const at of [B + 45 * S, B + 90 * S, B + 160 * S]) await query(m, at);
    await get('/api/snapshot');
    for (const path of ['/api/workers', '/api/queues', '/api/health']) await get(path);
    const metrics = await fetch(`${c.url}/metrics`);
    answers.push(await metrics.text());
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.some((a) => a.includes(t1.task))).toBe(true);
    expect(logLines.length).toBeGreaterThan(EVENTS.length);
    for (const text of [...answers, ...logLines]) expect(text).not.toContain(PHONE.slice(1));
  });
});
