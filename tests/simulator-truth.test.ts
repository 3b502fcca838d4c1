// The strongest check that the metrics are right: a simulated contact center sent through the real
// signed webhook path, and the collector's answers compared with what really happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentTimeShare,
  avgWaitSeconds,
  createTally,
  runHistory,
  sendCallback,
  serviceLevelPercent,
  simulateEvents,
  type Tally,
} from '../collector/src/simulate';
import { AUTH_TOKEN, PUBLIC_URL, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { QueryResponse } from '@floorboard/contract';

const HOUR = 3_600_000;
// A busy weekday morning, 09:00-13:00 UTC, in the past so every state is settled by "now".
const start = Date.UTC(2026, 10, 17, 9);
const end = start + 4 * HOUR;
let c: TestCollector;
let tally: Tally;

async function byQueue(metric: string): Promise<Map<string, number | null>> {
  const res = await fetch(`${c.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric, from: start, to: end + 2 * HOUR, groupBy: 'queue' }),
  });
  expect(res.status).toBe(200);
  const [frame] = ((await res.json()) as QueryResponse).frames;
  const names = frame!.fields[0]!.values as string[];
  const values = frame!.fields[1]!.values as (number | null)[];
  return new Map(names.map((n, i) => [n, values[i]!]));
}

beforeAll(async () => {
  c = await startTestCollector({ FLOORBOARD_TZ: 'Europe/London' });
  const target = { baseUrl: c.url, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN };
  const opts = { seed: 11, start, end, agents: 30, timezone: 'Europe/London' };
  // Most of the morning through Event Streams batches, the last half hour as single callbacks.
  const cut = end - HOUR / 2;
  await runHistory({ ...opts, end: cut }, target);
  let sent = 0;
  for (const e of simulateEvents({ ...opts, start, end })) {
    if (Number(e.TimestampMs) < cut) continue;
    expect(await sendCallback(c.url, PUBLIC_URL, AUTH_TOKEN, e)).toBe(204);
    sent++;
  }
  expect(sent).toBeGreaterThan(50);
  // Ground truth of the whole morning: the simulation is deterministic, so a third run of it
  // records what the two deliveries above sent.
  tally = createTally();
  for (const e of simulateEvents({ ...opts, start, end }, tally)) void e;
}, 120_000);
afterAll(() => c.dispose());

describe('collector vs ground truth (simulated morning, 30 agents)', () => {
  it('has traffic on several queues', () => {
    expect(tally.total.tasksHandled).toBeGreaterThan(100);
    expect(tally.total.tasksAbandoned).toBeGreaterThan(0);
    expect([...tally.queues.keys()].length).toBeGreaterThanOrEqual(3);
  });

  it('counts tasks handled and abandoned per queue exactly', async () => {
    const handled = await byQueue('tasks_handled');
    const abandoned = await byQueue('tasks_abandoned');
    const short = await byQueue('tasks_short_abandoned');
    for (const [queue, counts] of tally.queues) {
      expect(handled.get(queue), `${queue} handled`).toBe(counts.tasksHandled);
      expect(abandoned.get(queue), `${queue} abandoned`).toBe(counts.tasksAbandoned);
      expect(short.get(queue), `${queue} short abandoned`).toBe(counts.tasksShortAbandoned);
    }
  });

  it('gives the average wait per queue to the second', async () => {
    const wait = await byQueue('avg_wait');
    for (const [queue, counts] of tally.queues) {
      const truth = avgWaitSeconds(counts);
      if (truth === null) expect(wait.get(queue)).toBeNull();
      else expect(wait.get(queue)!, `${queue} avg wait`).toBeCloseTo(truth, 6);
    }
  });

  it('gives the service level per queue as the tally counts it (default SLA: 20 s, abandons missed)', async () => {
    const level = await byQueue('service_level');
    for (const [queue, counts] of tally.queues) {
      const truth = serviceLevelPercent(counts);
      if (truth === null) expect(level.get(queue), queue).toBeNull();
      else expect(level.get(queue)!, `${queue} service level`).toBeCloseTo(truth, 6);
    }
  });

  it('counts tasks queued, moved and completed per queue', async () => {
    const entered = await byQueue('tasks_entered');
    const moved = await byQueue('tasks_moved');
    const completed = await byQueue('tasks_completed');
    for (const [queue, counts] of tally.queues) {
      expect(entered.get(queue), `${queue} entered`).toBe(counts.tasksEntered);
      expect(moved.get(queue), `${queue} moved`).toBe(counts.tasksMoved);
      expect(completed.get(queue), `${queue} completed`).toBe(counts.tasksCompleted);
    }
  });

  it('gives each agent’s time share as the simulator lived it (default taskTypes: outbound = outgoing)', async () => {
    // The middle two hours: every task held then was completed before the simulation stopped.
    const from = start + HOUR;
    const to = end - HOUR;
    const res = await fetch(`${c.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metric: 'agent_time_share', from, to, groupBy: 'worker' }),
    });
    expect(res.status).toBe(200);
    const [frame] = ((await res.json()) as QueryResponse).frames;
    const column = (name: string) => frame!.fields.find((f) => f.name === name)!.values as (number | string | null)[];
    const workers = column('worker') as string[];
    const truth = [...tally.agents].map(([name, t]) => [name, agentTimeShare(t, from, to)] as const).filter(([, s]) => s.logged_in > 0);
    expect(workers.slice().sort()).toEqual(truth.map(([name]) => name).sort());
    const seen = { queued: 0, outgoing: 0, unavailable: 0 };
    for (const [name, share] of truth) {
      const i = workers.indexOf(name);
      for (const [field, value] of Object.entries(share)) expect(column(field)[i], `${name} ${field}`).toBeCloseTo(value!, 6);
      for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k] += share[k]!;
    }
    // The morning exercises every part the simulator has: customer calls, outbound calls (10 %) and pauses.
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(0);
  });
});
