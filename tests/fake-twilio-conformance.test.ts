// The fake TaskRouter REST API answers in the shapes of twilio/twilio-oai (reference fixtures in
// collector/src/test-helpers/twilio-docs/rest-event.ts and statistics.ts): Event resources and list
// pages with the spec's properties and types, event_data as the docs show it (snake_case, text
// values), cumulative statistics with exactly the spec's fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateEvents } from '../collector/src/simulate';
import { PAYLOAD_FIELDS } from '../collector/src/test-helpers/twilio-docs/event-streams';
import { EVENT_PROPERTIES, META_PROPERTIES, REST_EVENTS } from '../collector/src/test-helpers/twilio-docs/rest-event';
import { DURATION, QUEUE_CUMULATIVE, WORKSPACE_CUMULATIVE } from '../collector/src/test-helpers/twilio-docs/statistics';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio';

const ACCOUNT = 'AC' + 'e1'.repeat(16);
const WORKSPACE = 'WS' + 'e2'.repeat(16);
const TOKEN = 'fake-rest-token';
const start = Date.UTC(2026, 10, 17, 8);
const events = [...simulateEvents({ seed: 3, start, end: start + 2 * 3_600_000, agents: 12 })];
const auth = { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}` };
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Keys equal to the reference's, each value of the documented type (null allowed: the spec makes every property nullable). */
function checkShape(obj: Record<string, unknown>, reference: Record<string, string>, where: string): void {
  expect(Object.keys(obj).sort(), where).toEqual(Object.keys(reference).sort());
  for (const [k, v] of Object.entries(obj)) if (v !== null) expect(jsonType(v), `${where}.${k}`).toBe(reference[k]);
}

let api: FakeTwilio;
beforeAll(async () => {
  api = await startFakeTwilio({ accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: TOKEN, events });
});
afterAll(() => api.close());

const get = async (path: string) => (await (await fetch(`${api.url}${path}`, { headers: auth })).json()) as Record<string, unknown>;

describe('the fake TaskRouter REST API', () => {
  it('lists Events as twilio-oai ListEventResponse, each resource with exactly the spec properties', async () => {
    const page = await get(`/v1/Workspaces/${WORKSPACE}/Events?StartDate=${new Date(start).toISOString()}&PageSize=1000`);
    checkShape(page.meta as Record<string, unknown>, META_PROPERTIES, 'meta');
    const list = page.events as Record<string, unknown>[];
    expect(list.length).toBe(events.length);
    const documented = new Set(Object.values(PAYLOAD_FIELDS).flatMap((g) => Object.keys(g)));
    for (const e of list) {
      checkShape(e, EVENT_PROPERTIES, String(e.event_type));
      expect(e.event_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const [k, v] of Object.entries(e.event_data as Record<string, unknown>)) {
        expect(documented.has(k), `${String(e.event_type)}: event_data.${k}`).toBe(true);
        expect(typeof v, `${String(e.event_type)}: event_data.${k}`).toBe('string');
      }
    }
  });

  it('writes event_data like the reference fixture of the same event family', async () => {
    const page = await get(`/v1/Workspaces/${WORKSPACE}/Events?StartDate=${new Date(start).toISOString()}&PageSize=1000`);
    const list = page.events as { event_type: string; event_data: Record<string, string> }[];
    for (const reference of REST_EVENTS) {
      const type = String(reference.event_type);
      const ours = list.find((e) => e.event_type === type);
      if (!ours) continue;
      checkShape(ours as unknown as Record<string, unknown>, EVENT_PROPERTIES, type);
      const theirs = reference.event_data as Record<string, string>;
      const shared = Object.keys(ours.event_data).filter((k) => k in theirs);
      expect(shared.length, type).toBeGreaterThan(3);
    }
  });

  it('answers workspace and queue CumulativeStatistics with exactly the spec fields', async () => {
    const window = `StartDate=${new Date(start).toISOString()}&EndDate=${new Date(start + 2 * 3_600_000).toISOString()}`;
    const ws = await get(`/v1/Workspaces/${WORKSPACE}/CumulativeStatistics?${window}`);
    checkShape(ws, WORKSPACE_CUMULATIVE, 'workspace');
    checkShape(ws.wait_duration_until_accepted as Record<string, unknown>, DURATION, 'wait_duration_until_accepted');
    const queues = ((await get(`/v1/Workspaces/${WORKSPACE}/TaskQueues`)).task_queues as { sid: string }[]).map((q) => q.sid);
    expect(queues.length).toBeGreaterThan(1);
    for (const sid of queues) {
      const q = await get(`/v1/Workspaces/${WORKSPACE}/TaskQueues/${sid}/CumulativeStatistics?${window}`);
      checkShape(q, QUEUE_CUMULATIVE, sid);
      // In-queue waits never exceed waits from creation.
      const inQueue = q.wait_duration_in_queue_until_accepted as { max: number };
      expect(inQueue.max).toBeLessThanOrEqual((q.wait_duration_until_accepted as { max: number }).max);
    }
  });
});
