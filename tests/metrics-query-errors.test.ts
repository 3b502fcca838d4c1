// Bad metric queries: each is a 400 (or 415 for a body that is not JSON) with `{ error }` naming
// the field to fix; never a 500, and the collector goes on answering good queries. Also: good
// queries on a collector that has stored nothing yet (zeros and nulls, no phantom rows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { Catalog, QueryResponse } from '@floorboard/contract';

const from = '2025-06-02T00:00:00Z';
const to = '2025-06-03T00:00:00Z';
const ok = { metric: 'tasks_handled', from, to };

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ FLOORBOARD_MAX_QUERY_DAYS: '7' });
});
afterAll(() => c.dispose());

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; error: unknown; type: string | null }> {
  const res = await fetch(`${c.url}/api/query`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const type = res.headers.get('content-type');
  const json = (await res.json()) as { error?: unknown };
  return { status: res.status, error: json.error, type };
}

describe('POST /api/query refuses bad queries, naming the field', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown metric', { ...ok, metric: 'tasks_eaten' }, /^metric: .*tasks_eaten/],
    ['a missing metric', { from, to }, /^metric/],
    ['a metric that is not a string', { ...ok, metric: 7 }, /^metric/],
    ['a groupBy the metric does not allow', { ...ok, groupBy: 'worker' }, /^groupBy: .*tasks_handled.*worker/],
    ['a groupBy that does not exist', { ...ok, groupBy: 'month' }, /^groupBy/],
    ['activity grouping of a task state', { ...ok, metric: 'tasks_waiting', groupBy: 'activity' }, /^groupBy/],
    ['from after to', { ...ok, from: to, to: from }, /^from: must be before to/],
    ['from equal to to', { ...ok, to: from }, /^from: must be before to/],
    ['a from that is not a time', { ...ok, from: 'last tuesday' }, /^from: .*last tuesday/],
    ['a boolean from', { ...ok, from: true }, /^from/],
    ['a missing to', { metric: 'tasks_handled', from }, /^to/],
    ['a negative epoch', { ...ok, from: -5 }, /^from/],
    ['an unknown time zone', { ...ok, timezone: 'Mars/Olympus_Mons' }, /^timezone: .*Mars\/Olympus_Mons/],
    ['a time zone that is not a string', { ...ok, timezone: 5 }, /^timezone/],
    ['a range longer than FLOORBOARD_MAX_QUERY_DAYS (7)', { ...ok, to: '2025-06-10T00:00:00Z' }, /^to: .*7 days/],
    ['an interval that is not a duration', { ...ok, groupBy: 'time', interval: 'soon' }, /interval/],
    ['an interval that is a number', { ...ok, groupBy: 'time', interval: 15 }, /^interval/],
    ['too many buckets (1s over a day)', { ...ok, groupBy: 'time', interval: '1s' }, /interval 1s .*buckets/],
    ['stat on a count metric', { ...ok, options: { stat: 'max' } }, /^options\.stat: .*tasks_handled/],
    ['stat last on a duration (avg or max only)', { ...ok, metric: 'avg_wait', options: { stat: 'last' } }, /^options\.stat/],
    [
      'stat on an agent metric without options',
      { ...ok, metric: 'agent_occupancy', groupBy: 'worker', options: { stat: 'max' } },
      /^options\.stat/,
    ],
    ['an unknown stat', { ...ok, metric: 'tasks_waiting', options: { stat: 'median' } }, /^options\.stat/],
    [
      'thresholdSeconds on another metric',
      { ...ok, metric: 'abandon_rate', options: { thresholdSeconds: 20 } },
      /^options\.thresholdSeconds/,
    ],
    ['a negative thresholdSeconds', { ...ok, metric: 'service_level', options: { thresholdSeconds: -1 } }, /^options\.thresholdSeconds/],
    [
      'a thresholdSeconds given as text',
      { ...ok, metric: 'service_level', options: { thresholdSeconds: '20' } },
      /^options\.thresholdSeconds/,
    ],
    ['options that are not an object', { ...ok, options: 'max' }, /^options/],
    ['queues given as one string', { ...ok, queues: 'Sales' }, /^queues/],
    ['an empty queue name', { ...ok, queues: [''] }, /^queues/],
    ['channels that are not strings', { ...ok, channels: [1] }, /^channels/],
  ])('400 for %s', async (_what, body, error) => {
    const r = await post(JSON.stringify(body));
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.error).toMatch(error);
  });

  it.each<[string, string]>([
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
  ])('400 for a JSON body that is %s', async (_what, body) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(typeof r.error).toBe('string');
  });

  it('400 for a body that is not valid JSON', async () => {
    const r = await post('{"metric": "tasks_handled",');
    expect(r.status).toBe(400);
    expect(r.error).toMatch(/JSON/);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('415 for a %s body', async (type) => {
    const r = await post(type === 'text/plain' ? JSON.stringify(ok) : 'metric=tasks_handled', type);
    expect(r.status).toBe(415);
    expect(r.error).toMatch(/Content-Type/);
  });

  it('accepts epoch milliseconds as numbers or digit strings, and keeps answering after all of the above', async () => {
    const res = await fetch(`${c.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ok, from: Date.parse(from), to: String(Date.parse(to)) }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { frames: unknown[] }).frames).toHaveLength(1);
  });

  it('allows exactly FLOORBOARD_MAX_QUERY_DAYS', async () => {
    const res = await fetch(`${c.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ok, to: '2025-06-09T00:00:00Z' }),
    });
    expect(res.status).toBe(200);
  });
});

describe('good queries before any event has arrived', () => {
  it('answers every metric: counts 0, averages and ratios null', async () => {
    const { metrics } = (await (await fetch(`${c.url}/api/catalog`)).json()) as Catalog;
    for (const m of metrics) {
      if (!m.groupBys.includes('none')) continue;
      const res = await fetch(`${c.url}/api/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: m.id, from, to }),
      });
      expect(res.status, m.id).toBe(200);
      const frame = ((await res.json()) as QueryResponse).frames[0]!;
      const values = frame.fields.find((f) => f.type === 'number')!.values;
      if (m.kind === 'count') expect(values, m.id).toEqual([0]);
      if (m.kind === 'duration' || m.kind === 'ratio') expect(values, m.id).toEqual([null]);
    }
  });

  it('lists no activity (not a blank-named one) when no agent is logged in', async () => {
    const res = await fetch(`${c.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metric: 'agents_by_activity', from, to, groupBy: 'activity' }),
    });
    const fields = ((await res.json()) as QueryResponse).frames[0]!.fields;
    expect(fields[0]!.values).not.toContain('');
    expect(fields[0]!.values).toEqual([]);
  });
});
