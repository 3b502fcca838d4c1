import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../taskrouter/normalize';
import { handledTask, workerActivityUpdate } from '../test-helpers/fixtures';
import { restEventToRaw } from './mapping';
import { retryAfterMs, RetryingRequestClient } from './twilio-client';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const snake = (k: string) => k.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
const RESOURCE_LEVEL = [
  'Sid',
  'EventType',
  'AccountSid',
  'WorkspaceSid',
  'ResourceType',
  'ResourceSid',
  'Timestamp',
  'TimestampMs',
  'EventDescription',
];

/** The REST Event resource TaskRouter would list for an Event Callback's params. */
function rest(p: Record<string, string>, style: 'snake' | 'pascal' | 'camel-instance') {
  const data = Object.fromEntries(
    Object.entries(p)
      .filter(([k]) => !RESOURCE_LEVEL.includes(k))
      .map(([k, v]) => [style === 'pascal' ? k : snake(k), /Age$|Priority$|Ms$/.test(k) ? Number(v) : v]),
  );
  const ms = Number(p.TimestampMs);
  const wire = {
    sid: p.Sid,
    event_type: p.EventType,
    account_sid: p.AccountSid,
    workspace_sid: p.WorkspaceSid,
    resource_type: p.ResourceType,
    resource_sid: p.ResourceSid,
    description: p.EventDescription,
    event_date: new Date(Math.floor(ms / 1000) * 1000).toISOString(),
    event_date_ms: ms,
    event_data: data,
    actor_sid: null,
  };
  if (style !== 'camel-instance') return wire;
  // What the twilio library's EventInstance exposes.
  return {
    sid: wire.sid,
    eventType: wire.event_type,
    accountSid: wire.account_sid,
    workspaceSid: wire.workspace_sid,
    resourceType: wire.resource_type,
    resourceSid: wire.resource_sid,
    description: wire.description,
    eventDate: new Date(wire.event_date),
    eventDateMs: ms,
    eventData: data,
  };
}

/** Everything but where it came from and the raw field bag. */
const facts = (r: ReturnType<typeof normalizeEvent>) => ({ ...r, source: undefined, raw: undefined });

describe('REST Event resource -> event record', () => {
  const callbacks = [...handledTask('WT' + 'a'.repeat(32), T0, 12, 60, 5), workerActivityUpdate(T0 + 1000, 'Offline', 'Available', 30)];

  it.each(['snake', 'pascal', 'camel-instance'] as const)('gives the same record as the webhook delivery (%s)', (style) => {
    for (const p of callbacks)
      expect(facts(normalizeEvent(restEventToRaw(rest(p, style)), 'backfill', T0))).toEqual(facts(normalizeEvent(p, 'callback', T0)));
  });

  it('reads event_data sent as JSON text, and an ISO timestamp inside it as a date', () => {
    const p = callbacks[3]!;
    const r = rest(p, 'snake') as { event_data: Record<string, unknown> };
    const raw = restEventToRaw({
      ...r,
      event_date_ms: undefined,
      event_date: undefined,
      event_data: JSON.stringify({ ...r.event_data, timestamp: new Date(T0).toISOString() }),
    });
    const rec = normalizeEvent(raw, 'backfill', T0);
    expect(rec.eventMs).toBe(T0);
    expect(rec.taskAge).toBe(Number(p.TaskAge));
    expect(rec.queueName).toBe(p.TaskQueueName);
  });

  it('keeps the REST-only fields (actor, resource URL) in raw', () => {
    const raw = restEventToRaw({
      ...rest(callbacks[0]!, 'snake'),
      actor_sid: 'WK' + '1'.repeat(32),
      resource_url: 'https://taskrouter.twilio.com/v1/x',
    });
    expect(raw.ActorSid).toBe('WK' + '1'.repeat(32));
    expect(raw.ResourceUrl).toBe('https://taskrouter.twilio.com/v1/x');
  });
});

describe('twilio client', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(['0.5'])).toBe(500);
    expect(retryAfterMs(new Date(T0 + 3000).toUTCString(), T0)).toBe(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('sends twilio.com requests to the configured origin, path and query kept', () => {
    const c = new RetryingRequestClient({ baseUrl: 'http://127.0.0.1:4010/' });
    expect(c.rewrite('https://taskrouter.twilio.com/v1/Workspaces/WS1/Events?PageToken=PT50')).toBe(
      'http://127.0.0.1:4010/v1/Workspaces/WS1/Events?PageToken=PT50',
    );
    expect(c.rewrite('https://example.com/v1')).toBe('https://example.com/v1');
    expect(new RetryingRequestClient().rewrite('https://taskrouter.twilio.com/v1')).toBe('https://taskrouter.twilio.com/v1');
  });
});
