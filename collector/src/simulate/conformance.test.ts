// The simulator speaks Twilio's documented shapes: every kind of payload it emits, on both
// transports, is compared with the reference fixtures written from Twilio's documentation
// (test-helpers/twilio-docs/): the same field names, the same JSON types, the same nesting.
import { describe, expect, it } from 'vitest';
import { CALLBACK_FIELDS, SOURCE as CALLBACK_SOURCE } from '../test-helpers/twilio-docs/callback';
import { CLOUD_EVENTS, DATA_FIELDS, DATASCHEMA, ENVELOPE_FIELDS, PAYLOAD_FIELDS } from '../test-helpers/twilio-docs/event-streams';
import { fieldGroups } from '../test-helpers/twilio-docs/scenario';
import { simulateEvents, SIMULATED_EVENT_TYPES, toCloudEvent } from './index';

const start = Date.UTC(2026, 10, 17, 0);
const events = [...simulateEvents({ seed: 5, start, end: start + 86_400_000, agents: 25 })];
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Field -> JSON type of everything the reference documents for an event type. */
function documentedPayload(eventType: string): Map<string, string> {
  return new Map(fieldGroups(eventType).flatMap((g) => Object.entries(PAYLOAD_FIELDS[g])));
}
function documentedCallback(eventType: string): Set<string> {
  return new Set(fieldGroups(eventType).flatMap((g) => [...CALLBACK_FIELDS[g]]));
}

/** Differences between an object and a {field: type} reference: unknown fields and wrong types. */
function mismatches(obj: Record<string, unknown>, reference: Map<string, string>, where: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const want = reference.get(k);
    if (want === undefined) out.push(`${where}.${k} is not documented`);
    else if (jsonType(v) !== want) out.push(`${where}.${k} is ${jsonType(v)}, documented ${want}`);
  }
  return out;
}

describe('conformance with the reference fixtures', () => {
  it('emits every event type it claims, a day holding each', () => {
    const seen = new Set(events.map((e) => e.EventType));
    for (const t of SIMULATED_EVENT_TYPES) expect(seen, t).toContain(t);
  });

  it(`Event Callbacks: only documented parameters for each type, every one text, the common ones always (${CALLBACK_SOURCE})`, () => {
    const problems = new Set<string>();
    for (const e of events) {
      const documented = documentedCallback(e.EventType);
      for (const [k, v] of Object.entries(e)) {
        if (!documented.has(k)) problems.add(`${e.EventType}: ${k} is not documented`);
        if (typeof v !== 'string') problems.add(`${e.EventType}: ${k} is not text`);
      }
      for (const k of CALLBACK_FIELDS.common) if (e[k] === undefined) problems.add(`${e.EventType}: ${k} missing`);
    }
    expect([...problems]).toEqual([]);
  });

  it('Event Streams: the documented envelope and data wrapper exactly, and only documented payload fields with their JSON types', () => {
    const problems = new Set<string>();
    const envelope = new Map(Object.entries(ENVELOPE_FIELDS));
    const data = new Map(Object.entries(DATA_FIELDS));
    for (const e of events) {
      const ce = toCloudEvent(e) as unknown as Record<string, unknown>;
      const wrapper = ce.data as Record<string, unknown>;
      const payload = wrapper.payload as Record<string, unknown>;
      const where = e.EventType;
      expect(Object.keys(ce).sort(), where).toEqual([...envelope.keys()].sort());
      expect(Object.keys(wrapper).sort(), where).toEqual([...data.keys()].sort());
      for (const p of [
        ...mismatches(ce, envelope, `${where} envelope`),
        ...mismatches(wrapper, data, `${where} data`),
        ...mismatches(payload, documentedPayload(e.EventType), `${where} payload`),
      ])
        problems.add(p);
      expect(ce.dataschema).toBe(DATASCHEMA);
      expect(ce.type).toBe(`com.twilio.taskrouter.${e.EventType}`);
      expect(payload.eventtype).toBe(e.EventType);
      expect(payload.sid).toBe(wrapper.sid);
      expect(Date.parse(payload.timestamp as string)).toBe(Number(e.TimestampMs));
    }
    expect([...problems]).toEqual([]);
  });

  it('Event Streams: each family carries the fields its reference fixture does (the ones the simulator can know)', () => {
    // The fixture of each family, as Twilio documents it, against the simulator's events of that family.
    const optional = new Set([
      'task_completed_reason',
      'task_canceled_reason',
      'reason',
      'task_version',
      'worker_version',
      'reservation_version',
      'worker_previous_activity_sid',
      'worker_previous_activity_name',
      'worker_time_in_previous_activity',
      'worker_time_in_previous_activity_ms',
    ]);
    for (const fixture of CLOUD_EVENTS) {
      const payload = (fixture.data as { payload: Record<string, unknown> }).payload;
      const type = payload.eventtype as string;
      const simulated = events.find((e) => e.EventType === type);
      if (!simulated) continue;
      const ours = toCloudEvent(simulated).data.payload as Record<string, unknown>;
      const missing = Object.keys(payload).filter((k) => !(k in ours) && !optional.has(k));
      expect(missing, type).toEqual([]);
      for (const k of Object.keys(ours)) if (k in payload) expect(jsonType(ours[k]), `${type}.${k}`).toBe(jsonType(payload[k]));
    }
  });

  it('the reference fixtures themselves follow the documented field tables', () => {
    const problems: string[] = [];
    for (const ce of CLOUD_EVENTS) {
      const payload = (ce.data as { payload: Record<string, unknown> }).payload;
      problems.push(...mismatches(payload, documentedPayload(payload.eventtype as string), String(payload.eventtype)));
    }
    expect(problems).toEqual([]);
  });
});
