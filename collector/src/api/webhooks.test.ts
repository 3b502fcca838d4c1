import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import twilio from 'twilio';
import {
  abandonedTask,
  activityEvent,
  AVAILABLE,
  handledTask,
  OFFLINE,
  taskEvent,
  toCloudEvent,
  workerActivityUpdate,
  workerEvent,
} from '../test-helpers/fixtures';
import { EventLog } from '../store/events';
import { AUTH_TOKEN, postBatchBody, postCallback, PUBLIC_URL, startTestCollector, type TestCollector } from '../test-helpers/harness';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
let n = 0;
const taskSid = () => 'WT' + (++n).toString(16).padStart(32, '0');

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.dispose());

async function health(): Promise<{ eventsStored: number; lastEventAt: string | null; quarantinedEvents: number }> {
  return (await fetch(`${c.url}/api/health`)).json() as Promise<{
    eventsStored: number;
    lastEventAt: string | null;
    quarantinedEvents: number;
  }>;
}
const stored = async () => (await health()).eventsStored;
const row = (sid: string) => c.db.prepare('SELECT * FROM events WHERE sid = ?').get(sid) as Record<string, unknown> | undefined;

/** Every event family METRICS.md lists, as TaskRouter would post them. */
function everyFamily(): Record<string, string>[] {
  const t = taskSid();
  const moved = { task: taskSid(), createdMs: T0 };
  return [
    activityEvent('activity.created', T0, AVAILABLE, 'Available', true),
    activityEvent('activity.updated', T0 + 1, OFFLINE, 'Offline', false),
    activityEvent('activity.deleted', T0 + 2, 'WA' + '9'.repeat(32), 'Gone', false),
    workerEvent('worker.created', T0, 'Offline'),
    workerActivityUpdate(T0 + 5, 'Offline', 'Available', 5),
    workerEvent('worker.attributes.update', T0 + 6, 'Available'),
    ...handledTask(t, T0 + 10_000, 12, 90, 20),
    taskEvent('task.updated', T0 + 10_500, { task: t, createdMs: T0 + 10_000 }, { TaskPriority: '5' }),
    ...abandonedTask(taskSid(), T0 + 20_000, 3),
    taskEvent('task-queue.timeout', T0 + 30_000, moved),
    taskEvent('task-queue.moved', T0 + 30_000, moved),
    taskEvent('workflow.timeout', T0 + 31_000, moved),
    taskEvent('workflow.entered', T0 + 100, moved),
    taskEvent('reservation.rejected', T0 + 32_000, moved, { ReservationSid: 'WR' + 'f'.repeat(32) }),
    taskEvent('reservation.timeout', T0 + 33_000, moved, { ReservationSid: 'WR' + 'e'.repeat(32) }),
    taskEvent('reservation.canceled', T0 + 34_000, moved, { ReservationSid: 'WR' + 'd'.repeat(32) }),
    taskEvent('reservation.rescinded', T0 + 35_000, moved, { ReservationSid: 'WR' + 'c'.repeat(32) }),
    taskEvent('task.deleted', T0 + 40_000, moved),
    taskEvent('task.system-deleted', T0 + 41_000, { task: taskSid(), createdMs: T0 }),
    workerEvent('worker.deleted', T0 + 50_000, 'Offline', 'WK' + '7'.repeat(32)),
  ];
}

describe('POST /webhooks/taskrouter (Event Callback)', () => {
  it('stores every event family with typed columns and answers 204', async () => {
    const before = await stored();
    const events = everyFamily();
    for (const p of events) {
      const res = await postCallback(c.url, p);
      expect(res.status, `${p.EventType}: ${await res.clone().text()}`).toBe(204);
    }
    expect(await stored()).toBe(before + events.length);
    const accepted = events.find((e) => e.EventType === 'reservation.accepted')!;
    expect(row(accepted.Sid!)).toMatchObject({
      event_type: 'reservation.accepted',
      event_ms: Number(accepted.TimestampMs),
      task_age: 12,
      queue_name: 'Sales',
      channel: 'voice',
      worker_name: 'alice',
      source: 'callback',
    });
    const activity = events.find((e) => e.EventType === 'activity.created')!;
    expect(row(activity.Sid!)).toMatchObject({ activity_name: 'Available', activity_available: 1 });
    // Every event comes back from the compact log whole, as received, the fields no column holds included.
    const log = new EventLog(c.db);
    for (const p of events) expect(log.raw(p.Sid!), p.EventType).toEqual(p);
  });

  it('keeps task attributes that are not JSON as text', async () => {
    const p = taskEvent('task.created', T0, { task: taskSid(), createdMs: T0, attributes: '{"broken": ' });
    expect((await postCallback(c.url, p)).status).toBe(204);
    expect(row(p.Sid!)!.task_attributes).toBe('{"broken": ');
  });

  it('answers 204 to a duplicate Sid (a Twilio retry) and stores nothing new', async () => {
    const p = taskEvent('task.created', T0, { task: taskSid(), createdMs: T0 });
    expect((await postCallback(c.url, p)).status).toBe(204);
    const before = await stored();
    expect((await postCallback(c.url, p)).status).toBe(204);
    expect((await postCallback(c.url, { ...p, TaskAge: '99' })).status).toBe(204);
    expect(await stored()).toBe(before);
    expect(row(p.Sid!)!.task_age).toBe(0);
  });

  it('reports the latest event time in health', async () => {
    const late = T0 + 86_400_000;
    await postCallback(c.url, taskEvent('task.created', late, { task: taskSid(), createdMs: late }));
    expect((await health()).lastEventAt).toBe(new Date(late).toISOString());
  });
});

describe('bad input gets a clear JSON answer and stores nothing', () => {
  let before = 0;
  beforeEach(async () => {
    before = await stored();
  });
  const expectRejected = async (res: Response, status: number, mentions: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: string };
    expect(body.error).toContain(mentions);
    expect(body.error).not.toMatch(/\n|at .*\.ts:/);
    expect(await stored()).toBe(before);
  };
  const p = () => taskEvent('task.created', T0, { task: taskSid(), createdMs: T0 });

  it('400 when the signature header is absent', async () => {
    await expectRejected(await postCallback(c.url, p(), { 'x-twilio-signature': '' }), 400, 'X-Twilio-Signature');
  });

  it('403 when the signature is wrong, made with another token, or made for another URL', async () => {
    const params = p();
    await expectRejected(await postCallback(c.url, params, { 'x-twilio-signature': 'AAAA' }), 403, 'does not match');
    const otherToken = twilio.getExpectedTwilioSignature('another-token', PUBLIC_URL + '/webhooks/taskrouter', params);
    await expectRejected(await postCallback(c.url, params, { 'x-twilio-signature': otherToken }), 403, 'does not match');
    const otherUrl = twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'https://elsewhere.example/webhooks/taskrouter', params);
    await expectRejected(await postCallback(c.url, params, { 'x-twilio-signature': otherUrl }), 403, 'does not match');
  });

  it('403 when a signed body is tampered with', async () => {
    const params = p();
    const sig = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + '/webhooks/taskrouter', params);
    await expectRejected(await postCallback(c.url, { ...params, TaskAge: '1' }, { 'x-twilio-signature': sig }), 403, 'does not match');
  });

  it.each([
    ['Sid', 'Sid is required'],
    ['EventType', 'EventType is required'],
    ['TimestampMs', 'TimestampMs, Timestamp or EventDate'],
  ])('quarantines a signed event without %s (202, kept verbatim with the reason), storing nothing', async (field, message) => {
    const params = p();
    delete params[field];
    if (field === 'TimestampMs') delete params.Timestamp;
    const waiting = (await health()).quarantinedEvents;
    const res = await postCallback(c.url, params);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ stored: 0, quarantined: 1, reason: expect.stringContaining(message) });
    expect(await stored()).toBe(before);
    expect((await health()).quarantinedEvents).toBe(waiting + 1);
    const kept = c.db.prepare('SELECT transport, reason, body FROM quarantine ORDER BY id DESC LIMIT 1').get() as {
      transport: string;
      reason: string;
      body: string;
    };
    expect(kept).toMatchObject({ transport: 'callback', reason: expect.stringContaining(message) });
    expect(JSON.parse(kept.body)).toEqual(params);
  });

  it('415 for the wrong content type', async () => {
    const res = await fetch(`${c.url}/webhooks/taskrouter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(p()),
    });
    await expectRejected(res, 415, 'Content-Type');
    const streams = await fetch(`${c.url}/webhooks/event-streams`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '[]',
    });
    await expectRejected(streams, 415, 'Content-Type');
  });

  it('413 for a body over 1 MiB, and the process keeps serving', async () => {
    const params = { ...p(), TaskAttributes: JSON.stringify({ notes: 'x'.repeat(1_100_000) }) };
    await expectRejected(await postCallback(c.url, params), 413, '1 MiB');
    expect((await postCallback(c.url, p())).status).toBe(204);
  });

  it('400 for an Event Streams body that is not a batch, none of it stored', async () => {
    await expectRejected(await postBatchBody(c.url, '[{"type": '), 400, 'not valid JSON');
    await expectRejected(await postBatchBody(c.url, '[]'), 400, 'empty');
  });

  it('403 for an Event Streams batch whose body does not match its signature', async () => {
    const body = JSON.stringify([toCloudEvent(p())]);
    const res = await postBatchBody(c.url, body, 'wrong-token');
    await expectRejected(res, 403, 'does not match');
  });

  it('404 JSON for an unknown path, never an HTML page', async () => {
    const res = await fetch(`${c.url}/webhooks/nowhere`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no such endpoint: POST /webhooks/nowhere' });
  });
});

describe('POST /webhooks/event-streams', () => {
  it('commits a whole batch in one go, normalised like the callback, skipping duplicates', async () => {
    const events = everyFamily();
    const before = await stored();
    const body = JSON.stringify(events.map(toCloudEvent));
    const res = await postBatchBody(c.url, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: events.length, duplicates: 0, quarantined: 0, ignored: 0 });
    expect(await stored()).toBe(before + events.length);
    const accepted = events.find((e) => e.EventType === 'reservation.accepted')!;
    expect(row(accepted.Sid!)).toMatchObject({
      event_type: 'reservation.accepted',
      task_age: 12,
      queue_name: 'Sales',
      source: 'event-streams',
    });
    const again = await postBatchBody(c.url, body);
    expect(await again.json()).toEqual({ stored: 0, duplicates: events.length, quarantined: 0, ignored: 0 });
  });

  it('commits the readable events of a batch, quarantines the unreadable one and answers 200', async () => {
    const good = toCloudEvent(taskEvent('task.created', T0, { task: taskSid(), createdMs: T0 })) as { data: { sid: string } };
    const bad = { type: 'com.twilio.taskrouter.task.created', data: { payload: {} } };
    const res = await postBatchBody(c.url, JSON.stringify([good, bad]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0, quarantined: 1, ignored: 0 });
    expect(row(good.data.sid)).toBeDefined();
    const kept = c.db.prepare('SELECT transport, reason, body FROM quarantine ORDER BY id DESC LIMIT 1').get() as {
      transport: string;
      reason: string;
      body: string;
    };
    expect(kept).toMatchObject({ transport: 'event-streams', reason: expect.stringContaining('event [1]') });
    expect(JSON.parse(kept.body)).toEqual(bad);
  });
});

describe('unsigned mode', () => {
  it('accepts unsigned events only when FLOORBOARD_ALLOW_UNSIGNED=1', async () => {
    const u = await startTestCollector({ TWILIO_AUTH_TOKEN: '', FLOORBOARD_ALLOW_UNSIGNED: '1' });
    try {
      const params = taskEvent('task.created', T0, { task: taskSid(), createdMs: T0 });
      const res = await fetch(`${u.url}/webhooks/taskrouter`, { method: 'POST', body: new URLSearchParams(params) });
      expect(res.status).toBe(204);
      const db = new Database(u.cfg.dbPath, { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
      db.close();
    } finally {
      await u.dispose();
    }
  });
});

describe('Event Streams sink credentials', () => {
  it('accepts a batch with the configured Basic credentials, and refuses wrong ones', async () => {
    const s = await startTestCollector({ FLOORBOARD_EVENT_STREAMS_AUTH: 'floorboard:s3cret-sink' });
    try {
      const body = JSON.stringify([toCloudEvent(taskEvent('task.created', T0, { task: taskSid(), createdMs: T0 }))]);
      const post = (user: string) =>
        fetch(`${s.url}/webhooks/event-streams`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(user).toString('base64')}` },
          body,
        });
      const ok = await post('floorboard:s3cret-sink');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ stored: 1, duplicates: 0, quarantined: 0, ignored: 0 });
      const bad = await post('floorboard:guess');
      expect(bad.status).toBe(401);
      expect(((await bad.json()) as { error: string }).error).toContain('FLOORBOARD_EVENT_STREAMS_AUTH');
      // Without credentials the Twilio signature is still required.
      const unsigned = await fetch(`${s.url}/webhooks/event-streams`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(unsigned.status).toBe(400);
    } finally {
      await s.dispose();
    }
  });
});
