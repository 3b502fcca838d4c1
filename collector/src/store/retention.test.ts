import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../taskrouter/normalize';
import { simulateEvents, type TaskRouterEventParams } from '../simulate';
import { postCallback, startTestCollector, type TestCollector } from '../test-helpers/harness';
import type { MetricQuery } from '@floorboard/contract';
import { SQL_SID_TEXT } from './dictionary';
import { MIN_RETENTION_DAYS, Retention } from './retention';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
/** Night to mid-morning 500 days ago (past a 400-day horizon; calls still open at the end) and a morning yesterday. */
const OLD = (() => {
  let d = Math.floor((NOW - 500 * DAY) / DAY) * DAY;
  while (new Date(d).getUTCDay() !== 1) d -= DAY; // a Monday: the same traffic whenever the test runs
  return d;
})();
const RECENT = Math.floor((NOW - DAY) / DAY) * DAY + 9 * HOUR;
const oldEvents = [...simulateEvents({ seed: 3, start: OLD, end: OLD + 11 * HOUR, agents: 25 })];
const recentEvents = [...simulateEvents({ seed: 4, start: RECENT, end: RECENT + HOUR, agents: 25 })];
/** Delivered by webhook while pruning runs. */
const liveEvents = [...simulateEvents({ seed: 5, start: RECENT + 2 * HOUR, end: RECENT + 2.5 * HOUR, agents: 25 })];

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
  await c.ingest.submit([...oldEvents, ...recentEvents].map((e) => normalizeEvent(e, 'callback')));
});
afterAll(() => c.dispose());

const ask = async (q: MetricQuery) =>
  (await (
    await fetch(`${c.url}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q) })
  ).json()) as unknown;

/** Questions about the old morning, on whole hours (answered from rollups and intervals). */
function oldBattery(): MetricQuery[] {
  const from = OLD - HOUR;
  const to = OLD + 12 * HOUR;
  return [
    ...[
      'tasks_created',
      'tasks_handled',
      'tasks_abandoned',
      'tasks_completed',
      'avg_wait',
      'avg_handle_time',
      'service_level',
      'abandon_rate',
    ].flatMap((metric) => [
      { metric, from, to },
      { metric, from, to, groupBy: 'queue' as const },
      { metric, from, to, groupBy: 'time' as const, interval: '1h' },
      { metric, from, to, groupBy: 'hour_of_day' as const },
    ]),
    { metric: 'dispositions', from, to, groupBy: 'queue' },
    { metric: 'tasks_waiting', from, to, groupBy: 'time', interval: '15m' },
    { metric: 'agents_logged_in', from, to, groupBy: 'time', interval: '15m' },
    { metric: 'tasks_in_progress', from, to, groupBy: 'queue' },
  ];
}

const count = (sql: string, ...params: unknown[]) =>
  c.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

describe('retention', () => {
  it('refuses a horizon TaskRouter could still deliver events from', () => {
    expect(() => new Retention(c.db, { days: 30 })).toThrow(/at least 31 days/);
    expect(MIN_RETENTION_DAYS).toBeGreaterThan(30);
  });

  it('prunes nothing while paused (an online rebuild is reading the log)', async () => {
    const stored = c.ingest.log.counts().eventsStored;
    const result = await new Retention(c.db, { days: 400, paused: () => true }).prune();
    expect(result.eventsDeleted).toBe(0);
    expect(c.ingest.log.counts().eventsStored).toBe(stored);
  });

  it('prunes old events and samples in small batches while ingest goes on, and old answers stay the same', async () => {
    const cutoff = NOW - 400 * DAY;
    const before = await Promise.all(oldBattery().map(ask));
    const oldTasks = new Set(oldEvents.map((e) => e.TaskSid).filter(Boolean));
    const openOld = c.db
      .prepare(`SELECT task_sid FROM tasks WHERE completed_ms IS NULL AND canceled_ms IS NULL AND deleted_ms IS NULL`)
      .pluck()
      .all()
      .filter((t) => oldTasks.has(t as string)) as string[];
    expect(openOld.length).toBeGreaterThan(0); // the simulation ends with calls still open
    const keptOld = oldEvents.filter((e) => e.TaskSid && openOld.includes(e.TaskSid)).length;
    const rollupsBefore = count('SELECT count(*) FROM rollup');
    const intervalsBefore = count('SELECT count(*) FROM intervals');
    const tasksBefore = count('SELECT count(*) FROM tasks');

    // Prune with webhooks arriving one after another meanwhile; measure how long each waits.
    let prunedCalls = 0;
    const retention = new Retention(c.db, { days: 400, batchSize: 100, onPruned: () => (prunedCalls++, c.metrics.reset()) });
    const latencies: number[] = [];
    const statuses: number[] = [];
    let done = false;
    const pruning = retention.prune().finally(() => (done = true));
    let sentDuringPrune = 0;
    for (const p of liveEvents) {
      const t0 = performance.now();
      statuses.push((await postCallback(c.url, p as TaskRouterEventParams)).status);
      latencies.push(performance.now() - t0);
      if (!done) sentDuringPrune++;
    }
    const result = await pruning;
    process.stdout.write(
      `retention figures ${JSON.stringify({ ...result, liveEvents: liveEvents.length, sentDuringPrune, slowestIngestMs: Math.round(Math.max(...latencies)) })}\n`,
    );
    expect(statuses.filter((s) => s !== 204)).toEqual([]);
    expect(sentDuringPrune).toBeGreaterThan(0);

    expect(result.cutoffMs).toBeGreaterThan(cutoff - 60_000);
    expect(result.batches).toBeGreaterThan(1);
    expect(result.eventsDeleted).toBe(oldEvents.length - keptOld);
    expect(result.tasksKept).toBe(openOld.length);
    expect(result.samplesDeleted).toBeGreaterThan(0);
    // Old events are gone except the open tasks'; recent and live ones are all there.
    expect(count('SELECT count(*) FROM events WHERE event_ms < ?', result.cutoffMs)).toBe(keptOld);
    expect(count('SELECT count(*) FROM events WHERE event_ms >= ?', result.cutoffMs)).toBe(recentEvents.length + liveEvents.length);
    expect(
      count(
        `SELECT count(*) FROM samples s WHERE ms < ? AND (SELECT ${SQL_SID_TEXT('value')} FROM sids WHERE id = s.task) NOT IN (SELECT value FROM json_each(?))`,
        result.cutoffMs,
        JSON.stringify(openOld),
      ),
    ).toBe(0);
    // Health counts what is stored.
    const health = (await (await fetch(`${c.url}/api/health`)).json()) as { eventsStored: number };
    expect(health.eventsStored).toBe(count('SELECT count(*) FROM events'));
    // Rollups, intervals and state were not touched by pruning (live ingest only adds).
    expect(count('SELECT count(*) FROM rollup')).toBeGreaterThanOrEqual(rollupsBefore);
    expect(count('SELECT count(*) FROM intervals')).toBeGreaterThanOrEqual(intervalsBefore);
    expect(count('SELECT count(*) FROM tasks')).toBe(tasksBefore + new Set(liveEvents.map((e) => e.TaskSid).filter(Boolean)).size);
    // Every answer about the old morning is unchanged.
    expect(await Promise.all(oldBattery().map(ask))).toEqual(before);
    expect((before[4] as { frames: { fields: { values: number[] }[] }[] }).frames[0]!.fields[0]!.values[0]).toBeGreaterThan(100);

    expect(prunedCalls).toBe(1);
    // Nothing left to do the second time.
    const again = await retention.prune();
    expect(prunedCalls).toBe(1);
    expect(again.eventsDeleted).toBe(0);
    expect(again.tasksKept).toBe(openOld.length);
  });
});
