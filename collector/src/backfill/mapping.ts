// TaskRouter REST Event resources (GET /v1/Workspaces/{ws}/Events) -> the raw Event Callback
// parameters `normalizeEvent` reads, so a backfilled event becomes the same record as the webhook
// delivery of the same event (same Sid, type, time and facts) and is recognised as its duplicate.
import { FROM_SNAKE, KNOWN_FIELDS, type RawEvent } from '../taskrouter/record';

/**
 * One Event resource as the twilio library hands it over (`EventInstance`, camelCase) or as the
 * JSON wire format has it (snake_case); both spellings are read.
 */
export interface RestEvent {
  sid?: string;
  eventType?: string;
  eventDate?: Date | string | null;
  /** Event time, epoch ms. */
  eventDateMs?: number | string | null;
  resourceType?: string | null;
  resourceSid?: string | null;
  resourceUrl?: string | null;
  /** The facts of the event, keys in snake_case (`task_queue_name`) or PascalCase (`TaskQueueName`). */
  eventData?: unknown;
  accountSid?: string | null;
  workspaceSid?: string | null;
  description?: string | null;
  actorSid?: string | null;
  actorType?: string | null;
  [wire: string]: unknown;
}

const PASCAL = new Set<string>(KNOWN_FIELDS);

/** Reads `name` in camelCase or its snake_case wire spelling. */
function field(ev: RestEvent, camel: string): unknown {
  const v = ev[camel];
  if (v !== undefined && v !== null) return v;
  return ev[camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())];
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** `event_data` -> Event Callback names; unknown keys are kept as they are, objects as JSON text. */
function eventData(data: unknown): RawEvent {
  let obj = data;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj);
    } catch {
      return {};
    }
  }
  const out: RawEvent = {};
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return out;
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    if (value === undefined) continue;
    const name = FROM_SNAKE.get(key) ?? (PASCAL.has(key) ? key : (FROM_SNAKE.get(key.toLowerCase()) ?? key));
    out[name] = scalar(value);
  }
  return out;
}

/** The resource as JSON (the library's EventInstance holds a client reference; keep the data only). */
export function restEventJson(ev: RestEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ev))
    if (!k.startsWith('_') && typeof v !== 'function') out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

/** A REST Event resource -> raw Event Callback parameters (resource-level fields win over event_data). */
export function restEventToRaw(ev: RestEvent): RawEvent {
  const raw = eventData(field(ev, 'eventData'));
  const set = (name: string, value: unknown) => {
    const v = scalar(value ?? null);
    if (v !== null && v !== '') raw[name] = v;
  };
  set('Sid', field(ev, 'sid'));
  set('EventType', field(ev, 'eventType'));
  set('AccountSid', field(ev, 'accountSid'));
  set('WorkspaceSid', field(ev, 'workspaceSid'));
  set('ResourceType', field(ev, 'resourceType'));
  set('ResourceSid', field(ev, 'resourceSid'));
  if (raw.EventDescription === undefined) set('EventDescription', field(ev, 'description'));
  set('ActorSid', field(ev, 'actorSid'));
  set('ActorType', field(ev, 'actorType'));
  set('ResourceUrl', field(ev, 'resourceUrl'));
  // The event time: event_date_ms (exact), else event_date (whole seconds). A `timestamp` inside
  // event_data written as an ISO date (Event Streams v4 style) is a date, not epoch seconds.
  const ms = field(ev, 'eventDateMs');
  const date = field(ev, 'eventDate');
  if (ms !== undefined && ms !== null && ms !== '') {
    raw.TimestampMs = String(ms);
    delete raw.Timestamp;
  } else if (typeof raw.Timestamp === 'string' && !/^\d+(\.\d+)?$/.test(raw.Timestamp)) {
    raw.EventDate ??= raw.Timestamp;
    delete raw.Timestamp;
  }
  if (date !== undefined && date !== null) set('EventDate', date);
  return raw;
}
