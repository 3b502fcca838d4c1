// GET /api/erlang over real HTTP: the calculator's answer and its one-line 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../test-helpers/harness';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.dispose());

const get = (qs: string) => fetch(`${c.url}/api/erlang?${qs}`);

describe('GET /api/erlang', () => {
  it('answers agents required with N−1 and N+1 beside it', async () => {
    const res = await get('arrivalsPerHour=200&ahtSeconds=180&targetPercent=80&thresholdSeconds=20');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { alternatives: { agents: number; serviceLevelPercent: number }[] };
    expect(body).toMatchObject({ trafficErlangs: 10, agentsRequired: 14 });
    expect(body.serviceLevelPercent).toBeCloseTo(88.84, 2);
    for (const key of ['probabilityOfWaitPercent', 'asaSeconds', 'occupancyPercent']) expect(typeof body[key]).toBe('number');
    expect(body.alternatives.map((a) => a.agents)).toEqual([13, 15]);
  });

  it('needs 0 agents for no arrivals', async () => {
    const body = (await (await get('arrivalsPerHour=0&ahtSeconds=300&targetPercent=80&thresholdSeconds=20')).json()) as {
      agentsRequired: number;
    };
    expect(body.agentsRequired).toBe(0);
  });

  it.each([
    ['ahtSeconds=180&targetPercent=80&thresholdSeconds=20', 'arrivalsPerHour is required'],
    ['arrivalsPerHour=ten&ahtSeconds=180&targetPercent=80&thresholdSeconds=20', 'arrivalsPerHour must be a plain non-negative number'],
    ['arrivalsPerHour=200&ahtSeconds=0&targetPercent=80&thresholdSeconds=20', 'ahtSeconds must be greater than 0'],
    ['arrivalsPerHour=200&ahtSeconds=-5&targetPercent=80&thresholdSeconds=20', 'ahtSeconds must be a plain non-negative number'],
    ['arrivalsPerHour=200&ahtSeconds=180&targetPercent=100&thresholdSeconds=20', 'targetPercent must be between 0 and 100, exclusive'],
    ['arrivalsPerHour=200&ahtSeconds=180&targetPercent=0&thresholdSeconds=20', 'targetPercent must be between 0 and 100, exclusive'],
    ['arrivalsPerHour=200&ahtSeconds=180&targetPercent=80', 'thresholdSeconds is required'],
    ['arrivalsPerHour=200&arrivalsPerHour=300&ahtSeconds=180&targetPercent=80&thresholdSeconds=20', 'arrivalsPerHour must be given once'],
    ['arrivalsPerHour=999999999999&ahtSeconds=3600&targetPercent=80&thresholdSeconds=20', 'erlangs; at most 100000 are answered'],
  ])('400 for %s', async (qs, message) => {
    const res = await get(qs);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
  });
});
