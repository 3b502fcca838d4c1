// agent_time_share on a hand-worked hour: logged-in share, and logged-in time split into held tasks
// by type (the SLA file's taskTypes expressions over task attributes), unavailable and idle.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricQuery, QueryResponse } from '@floorboard/contract';
import { parseSla } from '@floorboard/contract/sla';
import { agentEvent, agentFields, BOB, taskEvent, type Agent, type Params } from '../collector/src/test-helpers/fixtures';
import { queryMetric, refusedStart, startFedCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';
import { taskClassifier } from '../collector/src/metrics/families/timeshare';

/*
 * 09:00–10:00 UTC.
 * alice (sales): Available 09:00, Break 09:30, Offline 09:50 -> logged in 50 of 60 min = 83.3 %.
 *   Q  direction inbound   held 09:05–09:15                       -> queued
 *   E  direction external  held 09:12–09:18; Q was accepted first,
 *                          so 09:12–09:15 stays queued             -> external 3 min
 *   O  direction outbound  held 09:20–09:25 (Flex's dialer sets it) -> outgoing 5 min
 *   I  direction internal  held 09:32–09:36, on Break               -> internal 4 min
 *   Of her 50 min: queued 10 (20 %), external 3 (6 %), outgoing 5 (10 %), internal 4 (8 %),
 *   idle = Available without a task 30 − 13 − 5 = 12 (24 %), unavailable = Break without a task 20 − 4 = 16 (32 %).
 * bob (support): Available all hour, no task -> logged in 100 %, idle 100 %.
 * The floor: logged in (50 + 60) ÷ (2 × 60) = 91.7 %; queued 10 ÷ 110; idle (12 + 60) ÷ 110.
 */
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
const MIN = 60_000;
const alice: Agent = { sid: 'WK' + 'c'.repeat(32), name: 'alice', attributes: { skills: ['sales'] } };
const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };

let n = 0;
/** A task alice accepts at `fromMin` (in `activity`) and completes at `toMin`, with TaskAttributes.direction. */
function held(direction: string, fromMin: number, toMin: number, activity = 'Available'): Params[] {
  const t = {
    task: 'WT' + (++n).toString(16).padStart(32, '0'),
    createdMs: T0 + fromMin * MIN - 5000,
    attributes: JSON.stringify({ direction }),
  };
  return [
    taskEvent('task.created', t.createdMs, t),
    taskEvent('task-queue.entered', t.createdMs, t),
    taskEvent('reservation.accepted', T0 + fromMin * MIN, t, { ReservationSid: 'WR' + t.task.slice(2), ...agentFields(alice, activity) }),
    taskEvent('task.completed', T0 + toMin * MIN, t),
  ];
}

function scenario(): Params[] {
  return [
    agentEvent('worker.created', T0, alice, 'Available'),
    agentEvent('worker.created', T0, bob, 'Available'),
    ...held('inbound', 5, 15),
    ...held('external', 12, 18),
    ...held('outbound', 20, 25),
    agentEvent('worker.activity.update', T0 + 30 * MIN, alice, 'Break', { activity: 'Available', seconds: 1800 }),
    ...held('internal', 32, 36, 'Break'),
    agentEvent('worker.activity.update', T0 + 50 * MIN, alice, 'Offline', { activity: 'Break', seconds: 1200 }),
  ];
}

let c: TestCollector;
beforeAll(async () => {
  c = await startFedCollector('', scenario());
});
afterAll(() => c.dispose());

const ask = (q: Omit<MetricQuery, 'metric' | 'from' | 'to'>) =>
  queryMetric(c.url, { metric: 'agent_time_share', from: T0, to: T0 + 60 * MIN, ...q });
/** Row `i` of the frame as { field: value }, numbers to 0.01. */
function row(r: QueryResponse, i: number): Record<string, string | number | null> {
  return Object.fromEntries(
    r.frames[0]!.fields.map((f) => {
      const v = f.values[i] as string | number | null;
      return [f.name, typeof v === 'number' ? Math.round(v * 100) / 100 : v];
    }),
  );
}

describe('agent_time_share', () => {
  it('splits each agent’s logged-in time by what they were doing', async () => {
    const r = await ask({ groupBy: 'worker' });
    expect(r.frames[0]!.fields.map((f) => f.name)).toEqual([
      'worker',
      'logged_in',
      'queued',
      'internal',
      'external',
      'outgoing',
      'unavailable',
      'idle',
    ]);
    expect(row(r, 0)).toEqual({
      worker: 'alice',
      logged_in: 83.33,
      queued: 20,
      internal: 8,
      external: 6,
      outgoing: 10,
      unavailable: 32,
      idle: 24,
    });
    expect(row(r, 1)).toEqual({
      worker: 'bob',
      logged_in: 100,
      queued: 0,
      internal: 0,
      external: 0,
      outgoing: 0,
      unavailable: 0,
      idle: 100,
    });
  });

  it('for the whole floor and per queue (agents its target expression matches)', async () => {
    expect(row(await ask({ groupBy: 'none' }), 0)).toEqual({
      logged_in: 91.67,
      queued: 9.09, // 10 of 110 min
      internal: 3.64,
      external: 2.73,
      outgoing: 4.55,
      unavailable: 14.55,
      idle: 65.45, // 72 of 110 min
    });
    const byQueue = await ask({ groupBy: 'queue', queues: ['Sales'] });
    expect(row(byQueue, 0)).toMatchObject({ queue: 'Sales', logged_in: 83.33, queued: 20, idle: 24 });
  });
});

describe('taskTypes', () => {
  it('classes by the SLA file’s expressions, first match wins, anything else queued', () => {
    const classify = taskClassifier(
      parseSla('taskTypes: { internal: \'type == "colleague"\', outgoing: \'direction IN ["outbound", "callback"]\' }'),
    );
    expect(classify(JSON.stringify({ type: 'colleague', direction: 'outbound' }))).toBe('internal');
    expect(classify(JSON.stringify({ direction: 'callback' }))).toBe('outgoing');
    expect(classify(JSON.stringify({ direction: 'external' }))).toBe('external'); // the default external expression stays
    expect(classify(JSON.stringify({ direction: 'inbound' }))).toBe('queued');
    expect(classify('not json')).toBe('queued');
  });

  it('an expression TaskRouter cannot read stops start-up, naming the key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sla.yaml'), "taskTypes: { internal: 'direction == ' }\n");
    expect(await refusedStart(dir)).toMatch(`${join(dir, 'sla.yaml')}: taskTypes.internal: not a TaskRouter expression`);
  });
});
