// Service-level variants (SLA file `serviceLevelAbandons`, per queue) and per-queue short abandons,
// hand-worked on a small scenario, through every consumer: POST /api/query (one queue, several
// queues, by queue, a threshold chosen in the query), the live snapshot and the Prometheus gauge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_QUEUE, taskEvent, workerFields, type Params } from '../collector/src/test-helpers/fixtures';
import { queryMetric, startFedCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import { PROM, type MetricQuery, type Snapshot } from '@floorboard/contract';

/*
 * sla.yaml below: Sales counts abandons within T (20 s, not short: < 5 s) as met; Support leaves
 * abandons out and calls anything under 10 s a short abandon.
 *
 *   Sales   (met_within_threshold, T 20 s, short < 5 s)
 *     handled at 10 s (in T), handled at 30 s; abandoned at 3 s (short), 15 s (within T), 40 s
 *     handled 2, in T 1; abandoned 3, short 1, within T and not short 1
 *     -> (1 + 1) ÷ (2 + 3 − 1) = 2 ÷ 4 = 50 %        (today's `missed` would give 1 ÷ 4 = 25 %)
 *   Support (excluded, T 20 s, short < 10 s)
 *     handled at 5 s, 12 s (in T), 25 s; abandoned at 8 s (short), 50 s
 *     -> 2 ÷ 3 = 66.7 %                               (`missed` would give 2 ÷ (3 + 2 − 1) = 50 %)
 *   Both queues: numerators and denominators summed by each queue's rule -> (2 + 2) ÷ (4 + 3) = 57.1 %
 *   Threshold 12 s chosen in the query: Sales in T: handled 10 s; abandoned 15 s no longer within ->
 *     1 ÷ 4 = 25 %; Support in T: 5 s and 12 s -> 2 ÷ 3 = 66.7 %
 */
const SLA_YAML = `
serviceLevelSeconds: 20
shortAbandonSeconds: 5
queues:
  Sales:
    serviceLevelAbandons: met_within_threshold
  Support:
    serviceLevelAbandons: excluded
    shortAbandonSeconds: 10
`;

const NOW = Date.now();
// Five minutes ago, so the snapshot's "today" and Prometheus' rolling hour both hold every task; a
// zone 12 hours behind UTC keeps local midnight out of the way when the test runs just after it.
const ZONE = new Date(NOW).getUTCHours() < 1 ? 'Etc/GMT+12' : 'UTC';
const BASE = NOW - 5 * 60_000;
let n = 0;
const sid = () => 'WT' + (++n).toString(16).padStart(32, '0');

function handled(queueSid: string | undefined, waitS: number): Params[] {
  const t = { task: sid(), createdMs: BASE, queueSid };
  const res = { ReservationSid: 'WR' + t.task.slice(2), ...workerFields('Available') };
  return [
    taskEvent('task.created', BASE, t),
    taskEvent('task-queue.entered', BASE, t),
    taskEvent('reservation.accepted', BASE + waitS * 1000, t, res),
  ];
}
function abandoned(queueSid: string | undefined, waitS: number): Params[] {
  const t = { task: sid(), createdMs: BASE, queueSid };
  return [
    taskEvent('task.created', BASE, t),
    taskEvent('task-queue.entered', BASE, t),
    taskEvent('task.canceled', BASE + waitS * 1000, t, { TaskCanceledReason: 'hangup' }),
  ];
}

let c: TestCollector;
beforeAll(async () => {
  const events = [
    ...handled(undefined, 10),
    ...handled(undefined, 30),
    ...abandoned(undefined, 3),
    ...abandoned(undefined, 15),
    ...abandoned(undefined, 40),
    ...handled(SUPPORT_QUEUE, 5),
    ...handled(SUPPORT_QUEUE, 12),
    ...handled(SUPPORT_QUEUE, 25),
    ...abandoned(SUPPORT_QUEUE, 8),
    ...abandoned(SUPPORT_QUEUE, 50),
  ];
  c = await startFedCollector(SLA_YAML, events, { FLOORBOARD_TZ: ZONE });
});
afterAll(() => c.dispose());

const W = { from: new Date(BASE - 60_000).toISOString(), to: new Date(NOW + 60_000).toISOString() };
const values = async (q: MetricQuery) =>
  (await queryMetric(c.url, q)).frames[0]!.fields.find((f) => f.type === 'number')!.values as (number | null)[];

describe('service level by each queue’s abandon rule', () => {
  it('met_within_threshold: Sales counts the 15 s abandon as met (50 %, not 25 %)', async () => {
    expect(await values({ metric: 'service_level', ...W, queues: ['Sales'] })).toEqual([50]);
  });

  it('excluded, with its own short-abandon limit: Support 2 of 3 handled (66.7 %)', async () => {
    const [v] = await values({ metric: 'service_level', ...W, queues: ['Support'] });
    expect(v).toBeCloseTo(200 / 3, 6);
    expect(await values({ metric: 'tasks_short_abandoned', ...W, groupBy: 'queue' })).toEqual([1, 1]); // 3 s < 5; 8 s < 10
  });

  it('several queues: numerators and denominators summed by each queue’s own rule (4 ÷ 7)', async () => {
    const [both] = await values({ metric: 'service_level', ...W });
    expect(both).toBeCloseTo(400 / 7, 6);
    const byQueue = await values({ metric: 'service_level', ...W, groupBy: 'queue' });
    expect(byQueue[0]).toBe(50);
    expect(byQueue[1]).toBeCloseTo(200 / 3, 6);
    const series = await values({ metric: 'service_level', ...W, groupBy: 'time', interval: '1h' });
    expect(series.filter((v) => v !== null).map((v) => Math.round(v! * 1000) / 1000)).toEqual([Math.round(400_000 / 7) / 1000]);
  });

  it('a threshold chosen in the query applies to abandons within T as well', async () => {
    const byQueue = await values({ metric: 'service_level', ...W, groupBy: 'queue', options: { thresholdSeconds: 12 } });
    expect(byQueue[0]).toBe(25);
    expect(byQueue[1]).toBeCloseTo(200 / 3, 6);
  });

  it('the snapshot uses the same rules (one decimal)', async () => {
    const snap = (await (await fetch(`${c.url}/api/snapshot`)).json()) as Snapshot;
    const sl = (q: string) => snap.queues.find((e) => e.queue === q)!.values.service_level.value;
    expect(sl('Sales')).toBe(50);
    expect(sl('Support')).toBe(66.7);
    expect(snap.total.values.service_level.value).toBe(57.1);
  });

  it('the Prometheus gauge uses the same rules', async () => {
    const text = await (await fetch(`${c.url}/metrics`)).text();
    const gauge = (q: string) => Number(new RegExp(`^${PROM.serviceLevelPercent}\\{queue="${q}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(gauge('Sales')).toBe(50);
    expect(gauge('Support')).toBeCloseTo(200 / 3, 6);
  });
});
