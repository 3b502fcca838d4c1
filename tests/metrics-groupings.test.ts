// Every grouping the catalog allows returns every bucket, in order; day and hour buckets follow the
// query's time zone, including across DST changes (23- and 25-hour days) and in half-hour zones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abandonedTask,
  activityEvent,
  activitySid,
  agentEvent,
  BOB,
  handledTask,
  SUPPORT_QUEUE,
  taskEvent,
  type Agent,
  type Params,
} from '../collector/src/test-helpers/fixtures';
import { postCallback, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import type { Catalog, CatalogEntry, FrameField, GroupBy, MetricQuery, QueryResponse } from '@floorboard/contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (s: string) => Date.parse(s);
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

let n = 0;
const sid = () => 'WT' + (++n).toString(16).padStart(32, '0');
/** A task that is only created (no queue wait): counts in tasks_created and nothing else that matters. */
const created = (ms: number) => taskEvent('task.created', ms, { task: sid(), createdMs: ms });

async function send(c: TestCollector, events: Params[]): Promise<void> {
  for (const p of events) {
    const r = await postCallback(c.url, p);
    expect(r.status, `${p.EventType}: ${await r.clone().text()}`).toBe(204);
  }
}
async function ask(c: TestCollector, q: MetricQuery): Promise<QueryResponse> {
  const r = await fetch(`${c.url}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q) });
  const body = await r.json();
  expect(r.status, `${JSON.stringify(q)} -> ${JSON.stringify(body)}`).toBe(200);
  return body as QueryResponse;
}
const numbers = (r: QueryResponse): FrameField['values'] => r.frames[0]!.fields.find((f) => f.type === 'number')!.values;
async function buckets(c: TestCollector, q: MetricQuery): Promise<Record<string, number | string | null>> {
  const r = await ask(c, q);
  const keys = r.frames[0]!.fields[0]!.values;
  return Object.fromEntries(keys.map((k, i) => [String(k), numbers(r)[i]!]));
}

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.dispose());

describe('every metric with every grouping the catalog allows', () => {
  // Monday 2025-06-02 and Tuesday 2025-06-03, UTC: handled, abandoned and chat tasks, two agents.
  const from = iso('2025-06-02T00:00:00Z');
  const to = iso('2025-06-04T00:00:00Z');
  const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };
  let catalog: CatalogEntry[];

  beforeAll(async () => {
    const chat = { task: sid(), createdMs: iso('2025-06-03T15:00:00Z'), channel: 'chat', queueSid: SUPPORT_QUEUE };
    await send(c, [
      activityEvent('activity.created', from, activitySid('Available'), 'Available', true),
      agentEvent('worker.created', from + HOUR, bob, 'Available'),
      agentEvent('worker.activity.update', iso('2025-06-03T12:00:00Z'), bob, 'Break', { activity: 'Available', seconds: 35 * 3600 }),
      ...handledTask(sid(), iso('2025-06-02T09:00:00Z'), 12, 60, 10),
      ...abandonedTask(sid(), iso('2025-06-03T10:00:00Z'), 30),
      taskEvent('task.created', chat.createdMs, chat),
      taskEvent('task-queue.entered', chat.createdMs, chat),
    ]);
    catalog = ((await (await fetch(`${c.url}/api/catalog`)).json()) as Catalog).metrics;
  });

  it('lists every metric of METRICS.md, each allowing at least one grouping', () => {
    const contract = [
      'tasks_created',
      'tasks_entered',
      'tasks_moved',
      'tasks_received',
      'tasks_handled',
      'tasks_abandoned',
      'tasks_short_abandoned',
      'tasks_completed',
      'reservations_timed_out',
      'reservations_rejected',
      'tasks_timed_out',
      'avg_wait',
      'avg_queue_wait',
      'avg_answer_time',
      'avg_abandon_time',
      'avg_task_duration',
      'avg_handle_time',
      'avg_wrapup_time',
      'service_level',
      'abandon_rate',
      'tasks_waiting',
      'tasks_in_progress',
      'longest_wait',
      'agents_logged_in',
      'agents_available',
      'agents_by_activity',
      'agents_required',
      'staffing_gap',
      'agent_activity_time',
      'agent_tasks_handled',
      'agent_avg_handle_time',
      'agent_occupancy',
      'agent_time_share',
      'dispositions',
      'tasks_by_direction',
      // Beyond METRICS.md: the Agents dashboard's per-agent table needs each agent's activity now.
      'agent_current_activity',
      'waiting_tasks',
      'active_tasks',
    ];
    expect(catalog.map((m) => m.id).sort()).toEqual(contract.sort());
    for (const m of catalog) expect(m.groupBys.length, m.id).toBeGreaterThan(0);
  });

  /** The first (key) field every grouping must give, in order. */
  const expectedKeys: Partial<Record<GroupBy, (string | number)[]>> = {
    time: Array.from({ length: 48 }, (_, i) => from + i * HOUR),
    date: ['2025-06-02', '2025-06-03'],
    day_of_week: WEEKDAYS,
    hour_of_day: HOURS,
    queue: ['Sales', 'Support'],
    channel: ['chat', 'voice'],
  };

  it('answers every (metric, groupBy) pair with all buckets present and no 500', async () => {
    let checked = 0;
    for (const m of catalog) {
      for (const groupBy of m.groupBys) {
        const r = await ask(c, { metric: m.id, from, to, groupBy, interval: '1h', timezone: 'UTC' });
        const where = `${m.id} by ${groupBy}`;
        expect(r.frames.length, where).toBeGreaterThan(0);
        for (const frame of r.frames) {
          const lengths = new Set(frame.fields.map((f) => f.values.length));
          expect(lengths.size, `${where}: fields of unequal length`).toBe(1);
          // A drill-down table's priority column is a plain number; its other numbers are the catalogue's seconds.
          for (const f of frame.fields.filter((x) => x.type === 'number' && !(m.kind === 'drilldown' && x.name === 'priority'))) {
            expect(f.config?.unit, where).toBe(m.unit);
            // Counts are 0 where nothing happened, never null.
            if (m.kind === 'count') for (const v of f.values) expect(typeof v, where).toBe('number');
          }
        }
        const keys = expectedKeys[groupBy];
        const wide = m.kind === 'breakdown' || m.id === 'agents_by_activity';
        if (keys && !(wide && groupBy !== 'queue' && groupBy !== 'channel' && groupBy !== 'time')) {
          expect(r.frames[0]!.fields[0]!.values, where).toEqual(keys);
          if (groupBy === 'queue' || groupBy === 'channel') expect(r.frames[0]!.fields[0]!.name, where).toBe(groupBy);
        }
        if (
          groupBy === 'none' &&
          (m.kind === 'count' || m.kind === 'duration' || m.kind === 'ratio' || m.kind === 'state') &&
          m.id !== 'agents_by_activity'
        ) {
          expect(r.frames[0]!.fields, where).toHaveLength(1);
          expect(r.frames[0]!.fields[0]!.values, where).toHaveLength(1);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('gives worker and activity groupings the agents and activities seen', async () => {
    expect(Object.keys(await buckets(c, { metric: 'agent_tasks_handled', from, to, groupBy: 'worker' }))).toEqual(['alice', 'bob']);
    expect(await buckets(c, { metric: 'agents_by_activity', from, to, groupBy: 'activity' })).toEqual({
      Available: 35 / 48,
      Break: 12 / 48,
    });
  });

  it('time buckets follow the interval: 15m, 1h, 1d', async () => {
    const q = { metric: 'tasks_created', from, to, groupBy: 'time' as const, timezone: 'UTC' };
    expect(numbers(await ask(c, { ...q, interval: '15m' }))).toHaveLength(192);
    expect(numbers(await ask(c, { ...q, interval: '1h' }))).toHaveLength(48);
    expect(await buckets(c, { ...q, interval: '1d' })).toEqual({ [from]: 1, [from + 24 * HOUR]: 2 });
  });
});

describe('two days in America/New_York across the fall-back change (2025-11-02, 25 hours)', () => {
  const tz = 'America/New_York';
  const from = iso('2025-11-01T04:00:00Z'); // Sat 00:00 EDT
  const to = iso('2025-11-04T05:00:00Z'); // Tue 00:00 EST
  beforeAll(async () => {
    await send(c, [
      created(iso('2025-11-01T05:30:00Z')), // Sat 01:30 EDT
      created(iso('2025-11-02T05:30:00Z')), // Sun 01:30 EDT
      created(iso('2025-11-02T06:30:00Z')), // Sun 01:30 EST (the same wall-clock time again)
      created(iso('2025-11-03T04:30:00Z')), // Sun 23:30 EST (Monday in UTC)
      created(iso('2025-11-03T05:30:00Z')), // Mon 00:30 EST
    ]);
    // One task waits from Sunday 00:00 EDT to Sunday 12:00 EST: 13 real hours of a 25-hour day.
    const w = { task: sid(), createdMs: iso('2025-11-02T04:00:00Z'), queueSid: 'WQ' + 'd'.repeat(32), queueName: 'Night' };
    await send(c, [taskEvent('task-queue.entered', w.createdMs, w), taskEvent('task.canceled', iso('2025-11-02T17:00:00Z'), w)]);
  });
  const q = { metric: 'tasks_created', from, to, timezone: tz };

  it('date buckets are local dates: Sunday has both 01:30s and 23:30', async () => {
    expect(await buckets(c, { ...q, groupBy: 'date' })).toEqual({ '2025-11-01': 1, '2025-11-02': 3, '2025-11-03': 1 });
    // The same events by UTC date, for contrast.
    expect(await buckets(c, { ...q, groupBy: 'date', timezone: 'UTC' })).toEqual({
      '2025-11-01': 1,
      '2025-11-02': 2,
      '2025-11-03': 2,
      '2025-11-04': 0,
    });
  });

  it('hour_of_day puts both 01:30s in 01', async () => {
    const r = await ask(c, { ...q, groupBy: 'hour_of_day' });
    expect(r.frames[0]!.fields[0]!.values).toEqual(HOURS);
    const h = await buckets(c, { ...q, groupBy: 'hour_of_day' });
    expect(h).toMatchObject({ '00': 1, '01': 3, '02': 0, '23': 1 });
  });

  it('day_of_week follows local days', async () => {
    expect(await buckets(c, { ...q, groupBy: 'day_of_week' })).toEqual({ Mon: 1, Tue: 0, Wed: 0, Thu: 0, Fri: 0, Sat: 1, Sun: 3 });
  });

  it('a 1d interval starts at local midnights: the Sunday bucket is 25 hours long', async () => {
    const r = await ask(c, { ...q, groupBy: 'time', interval: '1d' });
    const starts = r.frames[0]!.fields[0]!.values as number[];
    expect(starts).toEqual([from, iso('2025-11-02T04:00:00Z'), iso('2025-11-03T05:00:00Z')]);
    expect((starts[2]! - starts[1]!) / HOUR).toBe(25);
    expect(numbers(r)).toEqual([1, 3, 1]);
  });

  it('averages a state over the 25-hour day: 13 hours waiting / 25 = 0.52', async () => {
    const day = {
      metric: 'tasks_waiting',
      from: iso('2025-11-02T04:00:00Z'),
      to: iso('2025-11-03T05:00:00Z'),
      timezone: tz,
      queues: ['Night'],
    };
    expect(numbers(await ask(c, { ...day, groupBy: 'date' }))).toEqual([0.52]);
    expect(numbers(await ask(c, { ...day, groupBy: 'time', interval: '1d' }))).toEqual([0.52]);
    expect((await buckets(c, { ...day, groupBy: 'hour_of_day' }))['01']).toBe(1); // waiting through both 01 hours
  });
});

describe('America/New_York across the spring-forward change (2025-03-09, 23 hours)', () => {
  const tz = 'America/New_York';
  const from = iso('2025-03-08T05:00:00Z');
  const to = iso('2025-03-11T04:00:00Z');
  beforeAll(async () => {
    await send(c, [created(iso('2025-03-09T06:30:00Z')), created(iso('2025-03-09T07:30:00Z'))]); // 01:30 EST, 03:30 EDT
    // Waiting the whole of Sunday: 00:00 EST to Monday 00:00 EDT (23 hours).
    const w = { task: sid(), createdMs: iso('2025-03-09T05:00:00Z'), queueSid: 'WQ' + 'e'.repeat(32), queueName: 'Spring' };
    await send(c, [taskEvent('task-queue.entered', w.createdMs, w), taskEvent('task.canceled', iso('2025-03-10T04:00:00Z'), w)]);
  });

  it('a 1d interval gives 24-, 23- and 24-hour buckets and no 02 hour on the short day', async () => {
    const r = await ask(c, { metric: 'tasks_created', from, to, timezone: tz, groupBy: 'time', interval: '1d' });
    const starts = r.frames[0]!.fields[0]!.values as number[];
    expect(starts.map((s, i) => ((starts[i + 1] ?? to) - s) / HOUR)).toEqual([24, 23, 24]);
    expect(numbers(r)).toEqual([0, 2, 0]);
    expect(await buckets(c, { metric: 'tasks_created', from, to, timezone: tz, groupBy: 'hour_of_day' })).toMatchObject({
      '01': 1,
      '02': 0,
      '03': 1,
    });
  });

  it('a task waiting all of the short Sunday averages exactly 1 on that date', async () => {
    expect(numbers(await ask(c, { metric: 'tasks_waiting', from, to, timezone: tz, groupBy: 'date', queues: ['Spring'] }))).toEqual([
      0, 1, 0,
    ]);
  });
});

describe('America/Santiago: DST starts at midnight (2025-09-07 begins at 01:00)', () => {
  it('gives date buckets 2025-09-06 and 2025-09-07 (23 hours) instead of refusing the query', async () => {
    await send(c, [created(iso('2025-09-06T15:00:00Z')), created(iso('2025-09-07T15:00:00Z'))]);
    const q = { metric: 'tasks_created', from: iso('2025-09-06T04:00:00Z'), to: iso('2025-09-08T03:00:00Z'), timezone: 'America/Santiago' };
    const res = await fetch(`${c.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...q, groupBy: 'date' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await buckets(c, { ...q, groupBy: 'date' })).toEqual({ '2025-09-06': 1, '2025-09-07': 1 });
  });
});

describe('Europe/London fall-back (2025-10-26)', () => {
  it('puts 01:30 BST and 01:30 GMT both in hour 01 of 2025-10-26', async () => {
    await send(c, [created(iso('2025-10-26T00:30:00Z')), created(iso('2025-10-26T01:30:00Z'))]);
    const q = { metric: 'tasks_created', from: iso('2025-10-25T23:00:00Z'), to: iso('2025-10-27T00:00:00Z'), timezone: 'Europe/London' };
    expect(await buckets(c, { ...q, groupBy: 'date' })).toEqual({ '2025-10-26': 2 });
    expect((await buckets(c, { ...q, groupBy: 'hour_of_day' }))['01']).toBe(2);
  });
});

describe('Asia/Kolkata (UTC+05:30): hours at half past, read from 15-minute rollups', () => {
  it('splits 10:15 UTC (15:45 IST) and 10:35 UTC (16:05 IST) into hours 15 and 16, and 19:00 UTC into the next date', async () => {
    await send(c, [created(iso('2025-06-10T10:15:00Z')), created(iso('2025-06-10T10:35:00Z')), created(iso('2025-06-10T19:00:00Z'))]);
    const q = { metric: 'tasks_created', from: iso('2025-06-09T18:30:00Z'), to: iso('2025-06-11T18:30:00Z'), timezone: 'Asia/Kolkata' };
    expect(await buckets(c, { ...q, groupBy: 'hour_of_day' })).toMatchObject({ '15': 1, '16': 1, '00': 1, '10': 0 });
    expect(await buckets(c, { ...q, groupBy: 'date' })).toEqual({ '2025-06-10': 2, '2025-06-11': 1 });
    // A 1d interval starts at local midnight, 18:30 UTC.
    expect(Object.keys(await buckets(c, { ...q, groupBy: 'time', interval: '1d' }))).toEqual([
      String(iso('2025-06-09T18:30:00Z')),
      String(iso('2025-06-10T18:30:00Z')),
    ]);
  });
});

describe('agent_activity_time rows', () => {
  it("keeps each agent's rows together, sorted by agent then activity (bob before bobby)", async () => {
    const day = iso('2025-06-20T10:00:00Z');
    const bobby: Agent = { sid: 'WK' + '4'.repeat(32), name: 'bobby', attributes: {} };
    const bob: Agent = { sid: BOB, name: 'bob', attributes: { skills: ['support'] } };
    await send(c, [
      agentEvent('worker.created', day - HOUR, bobby, 'Offline'),
      agentEvent('worker.activity.update', day, bobby, 'Available'),
      agentEvent('worker.activity.update', day + 10 * MIN, bobby, 'Offline'),
      agentEvent('worker.activity.update', day, bob, 'Available'),
      agentEvent('worker.activity.update', day + 20 * MIN, bob, 'Offline'),
    ]);
    const r = await ask(c, { metric: 'agent_activity_time', from: day, to: day + 30 * MIN, groupBy: 'worker' });
    const [w, a] = r.frames[0]!.fields;
    expect(w!.values.map((name, i) => `${name}/${a!.values[i]}=${numbers(r)[i]}`)).toEqual([
      'bob/Available=1200',
      'bob/Offline=600',
      'bobby/Available=600',
      'bobby/Offline=1200',
    ]);
  });
});
