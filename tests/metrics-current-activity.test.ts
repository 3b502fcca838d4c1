// The per-agent table's "current activity and time in it".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALICE, workerActivityUpdate, workerEvent } from '../collector/src/test-helpers/fixtures';
import { postCallback, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { QueryResponse } from '@floorboard/contract';

let c: TestCollector;
const now = Date.now();
beforeAll(async () => {
  c = await startTestCollector();
  for (const e of [
    workerEvent('worker.created', now - 3_600_000, 'Offline'),
    workerActivityUpdate(now - 600_000, 'Offline', 'Available', 3000, ALICE),
  ])
    expect((await postCallback(c.url, e)).status).toBe(204);
});
afterAll(() => c.dispose());

it('lists each agent with the activity they are in now and the seconds spent in it', async () => {
  const res = await fetch(`${c.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric: 'agent_current_activity', from: now - 3_600_000, to: now, groupBy: 'worker' }),
  });
  const [frame] = ((await res.json()) as QueryResponse).frames;
  expect(frame!.fields.map((f) => f.name)).toEqual(['worker', 'activity', 'agent_current_activity']);
  expect(frame!.fields[0]!.values).toEqual(['alice']);
  expect(frame!.fields[1]!.values).toEqual(['Available']);
  // Available for ten minutes (give or take the test's own run time).
  expect(frame!.fields[2]!.values[0]).toBeGreaterThanOrEqual(600);
  expect(frame!.fields[2]!.values[0]).toBeLessThan(660);
});
