// Queue groups (SLA file `groups`): a group name wherever a queue name goes — query filters, rows of
// groupBy: queue, agents by queue (each agent once), the snapshot, Prometheus, /api/queues, SLA
// overrides — and a group named like a TaskRouter queue stops start-up, naming both.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROM, type MetricQuery, type Snapshot, type VariableValue } from '@floorboard/contract';
import {
  agentEvent,
  BOB,
  queueFields,
  SALES_QUEUE,
  SUPPORT_QUEUE,
  taskEvent,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import {
  postCallback,
  queryMetric,
  refusedStart,
  startFedCollector,
  startTestCollector,
  tempDir,
  type TestCollector,
} from '../collector/src/test-helpers/harness';

/*
 * 09:00–10:00 UTC, groups: { Front office: [Sales, Support] }, Billing outside it.
 *   Agents from 09:00: alice (sales) Available, dave (sales + support) Available, bob (support) on Break.
 *   Sales:   H1 answered after 10 s; A1 hung up after 30 s; W1 enters at 09:10 and is still waiting.
 *   Support: H2 answered after 25 s; H3 after 5 s; W2 enters at 09:20 and is still waiting.
 *   Billing: H4 answered after 8 s.
 * Front office: handled 3 (H1 H2 H3, not H4); service level (missed) = within 20 s (H1, H3) ÷
 * (3 handled + 1 abandoned) = 50 %; waiting at 10:00: W1 + W2 = 2; agents logged in: alice, dave, bob
 * = 3 (dave serves both queues and counts once; Sales has 2, Support 2); available: alice, dave = 2.
 */
const SLA_YAML = `
groups:
  Front office: [Sales, Support]
queues:
  Front office:
    thresholds: { tasks_waiting: { warn: 1, breach: 3 } }
`;
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
const HOUR = 3_600_000;
const W = { from: T0, to: T0 + HOUR };
const BILLING_QUEUE = 'WQ' + 'f'.repeat(32);

const alice: Agent = { sid: 'WK' + 'c'.repeat(32), name: 'alice', attributes: { skills: ['sales'] } };
const dave: Agent = { sid: 'WK' + '9'.repeat(32), name: 'dave', attributes: { skills: ['sales', 'support'] } };
const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };

let n = 0;
function task(queue: 'Sales' | 'Support' | 'Billing', createdMs: number) {
  const t = { task: 'WT' + (++n).toString(16).padStart(32, '0'), createdMs, queueSid: queue === 'Sales' ? SALES_QUEUE : SUPPORT_QUEUE };
  const extra: Params = queue === 'Billing' ? queueFields('Billing', BILLING_QUEUE, 'skills HAS "billing"') : {};
  return (type: string, afterS: number, more: Params = {}) => taskEvent(type, createdMs + afterS * 1000, t, { ...extra, ...more });
}
function handled(queue: 'Sales' | 'Support' | 'Billing', createdMs: number, waitS: number): Params[] {
  const ev = task(queue, createdMs);
  return [
    ev('task.created', 0),
    ev('task-queue.entered', 0),
    ev('reservation.accepted', waitS, { WorkerSid: alice.sid, WorkerName: 'alice' }),
  ];
}
function waiting(queue: 'Sales' | 'Support', createdMs: number): Params[] {
  const ev = task(queue, createdMs);
  return [ev('task.created', 0), ev('task-queue.entered', 0)];
}
const abandoned = task('Sales', T0 + 300_000);

function scenario(): Params[] {
  return [
    agentEvent('worker.created', T0, alice, 'Available'),
    agentEvent('worker.created', T0, dave, 'Available'),
    agentEvent('worker.created', T0, bob, 'Break'),
    ...handled('Sales', T0 + 60_000, 10),
    abandoned('task.created', 0),
    abandoned('task-queue.entered', 0),
    abandoned('task.canceled', 30),
    ...waiting('Sales', T0 + 600_000),
    ...handled('Support', T0 + 120_000, 25),
    ...handled('Support', T0 + 180_000, 5),
    ...waiting('Support', T0 + 1_200_000),
    ...handled('Billing', T0 + 240_000, 8),
  ];
}

let c: TestCollector;
beforeAll(async () => {
  c = await startFedCollector(SLA_YAML, scenario());
});
afterAll(() => c.dispose());

const values = async (q: Omit<MetricQuery, 'from' | 'to'>) =>
  (await queryMetric(c.url, { ...W, ...q } as MetricQuery)).frames[0]!.fields.find((f) => f.type === 'number')!.values;

describe('a group name wherever a queue name goes', () => {
  it('filters flow metrics to its queues', async () => {
    expect(await values({ metric: 'tasks_handled', queues: ['Front office'] })).toEqual([3]);
    expect(await values({ metric: 'service_level', queues: ['Front office'] })).toEqual([50]);
  });

  it('is one row of groupBy: queue beside queues', async () => {
    const q = { groupBy: 'queue' as const, queues: ['Sales', 'Front office', 'Billing'] };
    expect(await values({ metric: 'tasks_handled', ...q })).toEqual([1, 3, 1]);
    expect(await values({ metric: 'service_level', ...q })).toEqual([50, 50, 100]);
    expect(await values({ metric: 'tasks_waiting', ...q, options: { stat: 'last' } })).toEqual([1, 2, 0]);
  });

  it('counts an agent serving two of its queues once', async () => {
    expect(await values({ metric: 'agents_logged_in', queues: ['Front office'] })).toEqual([3]);
    expect(await values({ metric: 'agents_logged_in', queues: ['Sales', 'Support'] })).toEqual([3]);
    const q = { groupBy: 'queue' as const, queues: ['Sales', 'Support', 'Front office'], options: { stat: 'last' as const } };
    expect(await values({ metric: 'agents_logged_in', ...q })).toEqual([2, 2, 3]);
    expect(await values({ metric: 'agents_available', ...q })).toEqual([2, 1, 2]);
  });

  it('/api/queues lists the group after the queues, marked as one', async () => {
    const list = (await (await fetch(`${c.url}/api/queues`)).json()) as VariableValue[];
    expect(list.map((v) => v.name)).toEqual(['Billing', 'Sales', 'Support', 'Front office']);
    expect(list.at(-1)).toEqual({ name: 'Front office', sid: null, group: true, members: ['Sales', 'Support'] });
  });

  it('has its snapshot entry, coloured by its own SLA override, and its Prometheus series', async () => {
    const snap = (await (await fetch(`${c.url}/api/snapshot`)).json()) as Snapshot;
    const front = snap.queues.find((e) => e.queue === 'Front office')!;
    expect(front.group).toBe(true);
    expect(front.values.tasks_waiting).toEqual({ value: 2, breach: 'warn' }); // warn at 1, breach at 3 for the group
    expect(front.values.agents_logged_in.value).toBe(3);
    expect(front.values.agents_available.value).toBe(2);
    expect(snap.total.values.tasks_waiting.value).toBe(2); // the group adds nothing to the total
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(text).toMatch(new RegExp(`^${PROM.tasksWaiting}\\{queue="Front office"\\} 2$`, 'm'));
  });
});

describe('a group named like a queue', () => {
  it('stops start-up with one line naming the group and the queue', async () => {
    const clashDir = tempDir();
    writeFileSync(join(clashDir, 'sla.yaml'), '');
    const first = await startTestCollector({}, clashDir);
    for (const p of handled('Billing', T0, 5)) expect((await postCallback(first.url, p)).status).toBe(204);
    await first.stop();
    writeFileSync(join(clashDir, 'sla.yaml'), 'groups: { Billing: [Sales] }\n');
    expect(await refusedStart(clashDir)).toBe(
      `${join(clashDir, 'sla.yaml')}: groups.Billing: the group "Billing" has the name of the TaskRouter queue "Billing" (${BILLING_QUEUE}); rename the group`,
    );
  });
});
