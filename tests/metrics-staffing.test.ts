// Live staffing (Erlang C): agents_required and staffing_gap per queue and per group, over time, in
// the snapshot and as Prometheus gauges, on a hand-built half hour ending at a whole minute X.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROM, type MetricQuery, type Snapshot } from '@floorboard/contract';
import { agentEvent, BOB, CAROL, SUPPORT_QUEUE, taskEvent, type Agent, type Params } from '../collector/src/test-helpers/fixtures';
import { queryMetric, startFedCollector, type TestCollector } from '../collector/src/test-helpers/harness';

/*
 * Agents (since X − 2 h): alice (sales) Available, dave (sales + support) Available, bob (support)
 * Available, carol (sales) on Break (logged in, not available).
 * Sales: 100 tasks enter between X − 29 min and X − 57 s (every 17 s); the first two are answered
 *   after 5 s and completed 180 s later. At X: λ = 100 per 30 min, AHT = 180 s, so A = 10 erlangs and
 *   80 % within 20 s needs 14 agents (the textbook example: 1 − C(14, 10)·e^(−4·20/180) = 88.8 %).
 *   Available: alice and dave -> gap 14 − 2 = 12.
 * Support: 10 tasks enter, none completes -> no handle time known -> no estimate (null).
 * Group "Front office" = Sales + Support: 110 arrivals, AHT 180 s -> A = 11 erlangs -> 15 agents
 *   (C(15, 11) by the direct sum gives 87.8 % within 20 s; 14 agents give less than 80 %).
 *   Available: alice, dave (once, though he serves both queues) and bob -> gap 15 − 3 = 12.
 * Three hours before X nothing had arrived: 0 agents required.
 */
const SLA_YAML = `
groups:
  Front office: [Sales, Support]
`;

const alice: Agent = { sid: 'WK' + 'c'.repeat(32), name: 'alice', attributes: { skills: ['sales'] } };
const dave: Agent = { sid: 'WK' + '9'.repeat(32), name: 'dave', attributes: { skills: ['sales', 'support'] } };
const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };
const carol: Agent = { sid: CAROL, name: 'carol', attributes: { skills: ['sales'] } };

let X = 0;
let n = 0;
const sid = () => 'WT' + (++n).toString(16).padStart(32, '0');

function scenario(): Params[] {
  const events: Params[] = [];
  for (const [a, activity] of [
    [alice, 'Available'],
    [dave, 'Available'],
    [bob, 'Available'],
    [carol, 'Break'],
  ] as const)
    events.push(agentEvent('worker.created', X - 7_200_000, a, activity));
  for (let k = 0; k < 100; k++) {
    const entered = X - 1_740_000 + k * 17_000;
    const t = { task: sid(), createdMs: entered };
    events.push(taskEvent('task-queue.entered', entered, t));
    if (k < 2) {
      const res = { ReservationSid: 'WR' + t.task.slice(2), WorkerSid: alice.sid, WorkerName: alice.name };
      events.push(taskEvent('reservation.accepted', entered + 5_000, t, res));
      events.push(taskEvent('task.completed', entered + 185_000, t));
    }
  }
  for (let k = 0; k < 10; k++) {
    const entered = X - 1_200_000 + k * 60_000;
    events.push(taskEvent('task-queue.entered', entered, { task: sid(), createdMs: entered, queueSid: SUPPORT_QUEUE }));
  }
  return events;
}

let c: TestCollector;
beforeAll(async () => {
  // Every arrival must stay inside the live 30-minute window until the checks end: start early in a minute.
  if (Date.now() % 60_000 > 40_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 50));
  X = Math.floor(Date.now() / 60_000) * 60_000;
  c = await startFedCollector(SLA_YAML, scenario());
}, 90_000);
afterAll(() => c.dispose());

const value = async (q: Omit<MetricQuery, 'from' | 'to'>, from = X, to = X + 1) =>
  (await queryMetric(c.url, { ...q, from, to } as MetricQuery)).frames[0]!.fields.find((f) => f.type === 'number')!.values[0];

describe('agents required and the staffing gap, over time', () => {
  it('Sales at X: 100 arrivals in 30 min at 180 s need 14 agents; 2 available -> 12 short', async () => {
    expect(await value({ metric: 'agents_required', queues: ['Sales'] })).toBe(14);
    expect(await value({ metric: 'staffing_gap', queues: ['Sales'] })).toBe(12);
  });

  it('Support has arrivals but no handle time yet: no estimate', async () => {
    expect(await value({ metric: 'agents_required', queues: ['Support'] })).toBeNull();
    expect(await value({ metric: 'staffing_gap', queues: ['Support'] })).toBeNull();
  });

  it('a group is one population: 110 arrivals need 15 agents; dave counts once -> 12 short', async () => {
    expect(await value({ metric: 'agents_required', queues: ['Front office'] })).toBe(15);
    expect(await value({ metric: 'staffing_gap', queues: ['Front office'] })).toBe(12);
    const r = await queryMetric(c.url, {
      metric: 'agents_required',
      groupBy: 'queue',
      queues: ['Sales', 'Front office'],
      from: X,
      to: X + 1,
    });
    expect(r.frames[0]!.fields[0]!.values).toEqual(['Sales', 'Front office']);
    expect(r.frames[0]!.fields[1]!.values).toEqual([14, 15]);
  });

  it('nothing arrived: 0 agents required', async () => {
    expect(await value({ metric: 'agents_required', queues: ['Sales'] }, X - 3 * 3_600_000, X - 3 * 3_600_000 + 1)).toBe(0);
  });

  it('per time bucket: the peak of the minute ending at X is the estimate at X', async () => {
    const r = await queryMetric(c.url, {
      metric: 'agents_required',
      groupBy: 'time',
      interval: '1m',
      queues: ['Sales'],
      options: { stat: 'max' },
      from: X - 3 * 3_600_000,
      to: X + 1,
    });
    const times = r.frames[0]!.fields[0]!.values as number[];
    const values = r.frames[0]!.fields[1]!.values as (number | null)[];
    expect(values[times.indexOf(X)]).toBe(14);
    expect(values[0]).toBe(0);
    // Before the first completion (X − 29 min + 185 s) arrivals had no handle time: no estimate.
    expect(values[times.indexOf(X - 28 * 60_000)]).toBeNull();
  });
});

describe('staffing live', () => {
  it('the snapshot carries both per queue and group, the group marked as one', async () => {
    const snap = (await (await fetch(`${c.url}/api/snapshot`)).json()) as Snapshot;
    const entry = (q: string) => snap.queues.find((e) => e.queue === q)!;
    expect(entry('Sales').values.agents_required.value).toBe(14);
    expect(entry('Sales').values.staffing_gap).toEqual({ value: 12, breach: 'breach' });
    expect(entry('Support').values.agents_required.value).toBeNull();
    expect(entry('Front office').group).toBe(true);
    expect(entry('Front office').values.agents_available.value).toBe(3);
    expect(entry('Front office').values.staffing_gap.value).toBe(12);
  });

  it('Prometheus exports them as gauges per queue and group', async () => {
    const text = await (await fetch(`${c.url}/metrics`)).text();
    const gauge = (name: string, q: string) => new RegExp(`^${name}\\{queue="${q}"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect(gauge(PROM.agentsRequired, 'Sales')).toBe('14');
    expect(gauge(PROM.staffingGap, 'Sales')).toBe('12');
    expect(gauge(PROM.staffingGap, 'Front office')).toBe('12');
    expect(Number(gauge(PROM.agentsRequired, 'Support'))).toBeNaN(); // prom-client writes NaN as `Nan`
  });
});
