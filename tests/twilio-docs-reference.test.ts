// Twilio's documentation is the reference: the same morning written in each documented shape (Event
// Callback form, Event Streams CloudEvents, REST Event resources — collector/src/test-helpers/
// twilio-docs/, each file naming its source) goes through the real webhooks (signed with the twilio
// library) and through backfill's REST mapping into three fresh collectors, which must all answer
// the numbers worked out by hand in scenario.ts. Then a batch as a shared sink receives it — a
// TaskRouter event, Twilio's sink test event, another product's event and an event that can't be
// read — is acknowledged, the readable event stored, the unreadable one quarantined, and a replay
// after "an upgrade" stores it exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restEventToRaw, type RestEvent } from '../collector/src/backfill/mapping';
import { normalizeEvent } from '../collector/src/taskrouter/normalize';
import { replayQuarantine } from '../collector/src/quarantine/replay';
import { postBatchBody, postCallback, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import { CALLBACKS } from '../collector/src/test-helpers/twilio-docs/callback';
import { CLOUD_EVENTS, docsExampleEnvelope, type JsonObject } from '../collector/src/test-helpers/twilio-docs/event-streams';
import { REST_EVENTS } from '../collector/src/test-helpers/twilio-docs/rest-event';
import { ev, HAND_WORKED, iso, SCENARIO, T } from '../collector/src/test-helpers/twilio-docs/scenario';
import { OTHER_PRODUCT_EVENT, SINK_TEST_EVENT } from '../collector/src/test-helpers/twilio-docs/sink-test-event';
import type { Health, QueryResponse } from '@floorboard/contract';

const HOUR = 3_600_000;
const window = { from: iso(T), to: iso(T + HOUR) };

const transports = ['callback', 'event-streams', 'backfill'] as const;
type Transport = (typeof transports)[number];
const collectors = {} as Record<Transport, TestCollector>;

async function query(
  c: TestCollector,
  metric: string,
  groupBy: 'none' | 'queue' = 'none',
): Promise<number | Record<string, number | null> | null> {
  const res = await fetch(`${c.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric, ...window, groupBy, ...(metric.startsWith('agents_') ? { options: { stat: 'last' } } : {}) }),
  });
  const body = (await res.json()) as QueryResponse & { error?: string };
  if (!res.ok) throw new Error(`${metric}: ${res.status} ${body.error}`);
  const fields = body.frames[0]!.fields;
  const values = fields.at(-1)!.values as (number | null)[];
  if (groupBy === 'none') return values[0] ?? null;
  const names = fields[0]!.values as string[];
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? null]));
}

const health = async (c: TestCollector) => (await (await fetch(`${c.url}/api/health`)).json()) as Health;

beforeAll(async () => {
  for (const t of transports) collectors[t] = await startTestCollector();
  // Event Callbacks one by one, as TaskRouter posts them.
  for (const p of CALLBACKS) {
    const res = await postCallback(collectors.callback.url, p);
    expect(res.status, `${p.EventType}: ${await res.clone().text()}`).toBe(204);
  }
  // Event Streams: one batch, in the documented envelope (and the pages' literal one for a few).
  const batch = CLOUD_EVENTS.map((ce, i) => (i % 5 === 0 ? docsExampleEnvelope(ce) : ce));
  const res = await postBatchBody(collectors['event-streams'].url, JSON.stringify(batch));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ stored: SCENARIO.length, duplicates: 0, quarantined: 0, ignored: 0 });
  // REST Event resources through backfill's mapping and the same ingest.
  const records = REST_EVENTS.map((r) => normalizeEvent(restEventToRaw(r as RestEvent), 'backfill'));
  expect((await collectors.backfill.ingest.submit(records)).stored).toBe(SCENARIO.length);
}, 60_000);
afterAll(async () => {
  for (const t of transports) await collectors[t]?.dispose();
});

describe.each(transports)('the documented morning via %s', (transport) => {
  const c = () => collectors[transport];

  it('stores every event once, with nothing unreadable', async () => {
    expect(await health(c())).toMatchObject({ eventsStored: SCENARIO.length, quarantinedEvents: 0 });
    const rows = c().db.prepare('SELECT sid, event_ms FROM events ORDER BY event_ms, sid').all() as { sid: string; event_ms: number }[];
    expect(rows.map((r) => r.sid).sort()).toEqual(SCENARIO.map((e) => ev(e.n)).sort());
    // Every event at its own time to the millisecond (not the CloudEvent delivery time).
    for (const e of SCENARIO) expect(rows.find((r) => r.sid === ev(e.n))!.event_ms).toBe(T + e.atS * 1000);
  });

  it('counts the flow as worked out by hand', async () => {
    expect(await query(c(), 'tasks_created')).toBe(HAND_WORKED.tasks_created);
    expect(await query(c(), 'tasks_handled')).toBe(HAND_WORKED.tasks_handled);
    expect(await query(c(), 'tasks_short_abandoned')).toBe(HAND_WORKED.tasks_short_abandoned);
    expect(await query(c(), 'tasks_completed')).toBe(HAND_WORKED.tasks_completed);
    expect(await query(c(), 'tasks_timed_out')).toBe(HAND_WORKED.tasks_timed_out);
    for (const m of ['tasks_entered', 'tasks_moved', 'tasks_received', 'tasks_abandoned'] as const) {
      const { total, ...perQueue } = HAND_WORKED[m];
      expect(await query(c(), m), m).toBe(total);
      expect(await query(c(), m, 'queue'), `${m} by queue`).toEqual(perQueue);
    }
  });

  it('gives the waits: from creation (avg_wait) and in the queue itself (avg_queue_wait)', async () => {
    for (const m of ['avg_wait', 'avg_queue_wait'] as const) {
      const { total, ...perQueue } = HAND_WORKED[m];
      expect(await query(c(), m), m).toBeCloseTo(total, 6);
      expect(await query(c(), m, 'queue'), `${m} by queue`).toEqual(perQueue);
    }
    expect(await query(c(), 'avg_answer_time')).toBe(HAND_WORKED.avg_answer_time);
    expect(await query(c(), 'avg_abandon_time')).toBe(HAND_WORKED.avg_abandon_time);
  });

  it('gives the handling durations and the ratios', async () => {
    expect(await query(c(), 'avg_task_duration')).toBe(HAND_WORKED.avg_task_duration);
    expect(await query(c(), 'avg_handle_time')).toBe(HAND_WORKED.avg_handle_time);
    expect(await query(c(), 'avg_wrapup_time')).toBe(HAND_WORKED.avg_wrapup_time);
    expect(await query(c(), 'service_level')).toBe(HAND_WORKED.service_level);
    expect(await query(c(), 'abandon_rate')).toBeCloseTo(HAND_WORKED.abandon_rate, 9);
  });

  it("counts alice available from the activity's own availability, not its name", async () => {
    expect(await query(c(), 'agents_available')).toBe(HAND_WORKED.agents_available);
    expect(await query(c(), 'agents_logged_in')).toBe(1);
  });
});

describe('a shared sink: TaskRouter, the sink test event, another product, and an event that cannot be read', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startTestCollector();
  });
  afterAll(() => c.dispose());

  const readable = CLOUD_EVENTS[3]!; // task.created of task A
  // A TaskRouter event this version cannot read: its time is written in a way no parser knows yet.
  const unreadable = (() => {
    const ce = structuredClone(CLOUD_EVENTS[4]!) as JsonObject & { data: JsonObject & { payload: JsonObject } };
    delete ce.time;
    ce.data.timestamp = 'a quarter past nine';
    ce.data.payload.timestamp = 'a quarter past nine';
    return ce;
  })();

  it('answers 200, stores the readable event, quarantines the unreadable one, acknowledges the rest', async () => {
    const res = await postBatchBody(c.url, JSON.stringify([readable, SINK_TEST_EVENT, unreadable, OTHER_PRODUCT_EVENT]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0, quarantined: 1, ignored: 2 });
    expect(await health(c)).toMatchObject({ eventsStored: 1, quarantinedEvents: 1 });
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toContain('floorboard_ingest_ignored_events_total{type="com.twilio.eventstreams.test-event"} 1');
    expect(metrics).toContain('floorboard_ingest_ignored_events_total{type="com.twilio.messaging.message.delivered"} 1');
    expect(metrics).toContain('floorboard_ingest_quarantined_total{transport="event-streams"} 1');
    expect(metrics).toContain('floorboard_quarantined_events 1');
    const list = (await (await fetch(`${c.url}/api/quarantine`)).json()) as {
      waiting: number;
      events: { eventSid: string; reason: string; body: string }[];
    };
    expect(list.waiting).toBe(1);
    expect(list.events[0]).toMatchObject({ eventSid: ev(5), reason: expect.stringContaining('a quarter past nine') });
    expect(JSON.parse(list.events[0]!.body)).toEqual(unreadable);
  });

  it('answers the sink test event alone with 200 (Twilio validates the sink with it) and stores nothing', async () => {
    const res = await postBatchBody(c.url, JSON.stringify([SINK_TEST_EVENT]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 0, duplicates: 0, quarantined: 0, ignored: 1 });
    expect((await health(c)).eventsStored).toBe(1);
  });

  it('replays quarantined events with the current parser: those that now read are stored exactly once', async () => {
    // Nothing reads "a quarter past nine" today: a replay keeps it waiting, with the reason.
    expect(await replayQuarantine(c.ingest)).toEqual({ checked: 1, stored: 0, duplicates: 0, ignored: 0, waiting: 1 });
    // What an older Floorboard (one that wanted epoch seconds) would have kept: documented
    // CloudEvents with ISO 8601 times — one new, one whose event has since arrived again.
    c.ingest.storeNow(
      [],
      [
        {
          transport: 'event-streams',
          reason: 'event [0]: Timestamp must be a number',
          eventSid: ev(6),
          body: JSON.stringify(CLOUD_EVENTS[5]),
        },
        { transport: 'event-streams', reason: 'event [0]: Timestamp must be a number', eventSid: ev(4), body: JSON.stringify(readable) },
      ],
    );
    expect((await health(c)).quarantinedEvents).toBe(3);
    const res = await fetch(`${c.url}/api/quarantine/replay`, { method: 'POST' });
    expect(await res.json()).toEqual({ checked: 3, stored: 1, duplicates: 1, ignored: 0, waiting: 1 });
    expect(await health(c)).toMatchObject({ eventsStored: 2, quarantinedEvents: 1 });
    expect(c.db.prepare('SELECT event_type, event_ms, source FROM events WHERE sid = ?').get(ev(6))).toEqual({
      event_type: 'task-queue.entered',
      event_ms: T + 10_000,
      source: 'event-streams',
    });
    // Replaying again changes nothing: stored events are not stored twice, the unreadable one waits.
    expect(await replayQuarantine(c.ingest)).toEqual({ checked: 1, stored: 0, duplicates: 0, ignored: 0, waiting: 1 });
    expect(c.db.prepare('SELECT count(*) FROM events WHERE sid IN (?, ?)').pluck().get(ev(4), ev(6))).toBe(2);
    expect(c.db.prepare('SELECT replay_result FROM quarantine WHERE event_sid = ?').pluck().get(ev(6))).toBe(`read as ${ev(6)}`);
  });
});
