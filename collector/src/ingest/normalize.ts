// Raw TaskRouter payloads (Event Callback form fields or Event Streams CloudEvents) -> EventRecord.
// Validation lives here: anything a metric relies on is checked, and a bad field is an InputError
// that names it. Unknown fields are kept in `raw`, never rejected.
import { InputError } from '../errors';
import { FROM_SNAKE, STRING_FIELDS, type EventRecord, type EventSource, type RawEvent } from './record';

/** Events before TaskRouter existed or more than a day in the future are clock errors, not data. */
const MIN_EVENT_MS = Date.UTC(2010, 0, 1);
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
/** Ten years, in seconds: longer task ages are corrupt. */
const MAX_AGE_S = 10 * 365 * 24 * 3600;
const MAX_FIELD_CHARS = 256 * 1024;
const SID = /^[A-Za-z0-9_-]{2,64}$/;
const EVENT_TYPE = /^[a-z][a-z0-9._-]{0,63}$/;

/**
 * A fresh copy of a short string. Parsed form values can be slices of the whole request body, and a
 * Sid or queue name kept in a cache would then keep a 1 MiB body alive with it.
 */
function detached(s: string): string {
  return s.length <= 1024 ? Buffer.from(s, 'utf8').toString('utf8') : s;
}

function text(raw: RawEvent, field: string): string | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : String(v);
  if (s.length > MAX_FIELD_CHARS) throw new InputError(`${field} is longer than ${MAX_FIELD_CHARS} characters`);
  return s === '' ? null : detached(s);
}

/** Plain decimal numbers only: `Number()` alone would also take `0x10`, `0b101`, `1e2` and padding. */
const DECIMAL = /^-?\d{1,20}(\.\d{1,20})?$/;

function number(raw: RawEvent, field: string, min: number, max: number): number | null {
  const s = text(raw, field);
  if (s === null) return null;
  const n = DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InputError(`${field} must be a number between ${min} and ${max} (got "${s.slice(0, 40)}")`);
  return n;
}

function bool(raw: RawEvent, field: string): boolean | null {
  const s = text(raw, field);
  if (s === null) return null;
  const l = s.toLowerCase();
  if (l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  throw new InputError(`${field} must be true or false (got "${s.slice(0, 40)}")`);
}

function date(raw: RawEvent, field: string): number | null {
  const s = text(raw, field);
  if (s === null) return null;
  const ms = /^\d+$/.test(s) ? Number(s) * (s.length <= 10 ? 1000 : 1) : Date.parse(s);
  if (!Number.isFinite(ms)) throw new InputError(`${field} must be a date (got "${s.slice(0, 40)}")`);
  return ms;
}

function eventTime(raw: RawEvent, now: number): number {
  let ms: number | null = number(raw, 'TimestampMs', 0, Number.MAX_SAFE_INTEGER);
  let field = 'TimestampMs';
  if (ms === null) {
    const s = number(raw, 'Timestamp', 0, Number.MAX_SAFE_INTEGER / 1000);
    if (s !== null) [ms, field] = [Math.round(s * 1000), 'Timestamp'];
  }
  if (ms === null) [ms, field] = [date(raw, 'EventDate'), 'EventDate'];
  if (ms === null) throw new InputError('TimestampMs, Timestamp or EventDate is required (the event time)');
  if (ms < MIN_EVENT_MS || ms > now + FUTURE_SLACK_MS)
    throw new InputError(`${field} is out of range (${new Date(ms).toISOString()} is before 2010 or more than a day ahead)`);
  return Math.trunc(ms);
}

/** Normalises one event given with Event Callback field names. */
export function normalizeEvent(raw: RawEvent, source: EventSource, now = Date.now()): EventRecord {
  const sid = text(raw, 'Sid');
  if (sid === null) throw new InputError('Sid is required');
  if (!SID.test(sid)) throw new InputError('Sid must be 2-64 letters, digits, "-" or "_"');
  const eventType = text(raw, 'EventType');
  if (eventType === null) throw new InputError('EventType is required');
  if (!EVENT_TYPE.test(eventType)) throw new InputError(`EventType "${eventType.slice(0, 40)}" is not a TaskRouter event type`);

  const record = {
    sid,
    eventType,
    eventMs: eventTime(raw, now),
    source,
    taskAge: number(raw, 'TaskAge', 0, MAX_AGE_S),
    taskPriority: number(raw, 'TaskPriority', -1e12, 1e12),
    queueEnteredMs: date(raw, 'TaskQueueEnteredDate'),
    workerTimeInPreviousActivityMs:
      number(raw, 'WorkerTimeInPreviousActivityMs', 0, MAX_AGE_S * 1000) ??
      ((s) => (s === null ? null : s * 1000))(number(raw, 'WorkerTimeInPreviousActivity', 0, MAX_AGE_S)),
    activityAvailable: bool(raw, 'ActivityAvailable'),
    raw,
  } as EventRecord;
  for (const [field, key] of Object.entries(STRING_FIELDS)) (record as unknown as Record<string, string | null>)[key] = text(raw, field);
  return record;
}

/** Event Streams payload (snake_case) -> Event Callback spelling, keeping unknown keys as they are. */
export function fromSnakeCase(payload: Record<string, unknown>): RawEvent {
  const out: RawEvent = {};
  for (const [key, value] of Object.entries(payload)) {
    const name = FROM_SNAKE.get(key) ?? key;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else out[name] = JSON.stringify(value);
  }
  return out;
}

const CLOUD_EVENT_PREFIX = 'com.twilio.taskrouter.';

/** One CloudEvent of an Event Streams batch -> record. `index` names the element in errors. */
export function normalizeCloudEvent(value: unknown, index: number, now = Date.now()): EventRecord {
  const where = `event [${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where} must be a CloudEvent object`);
  const ce = value as Record<string, unknown>;
  if (typeof ce.type !== 'string' || !ce.type.startsWith(CLOUD_EVENT_PREFIX))
    throw new InputError(`${where}: type must start with "${CLOUD_EVENT_PREFIX}"`);
  const data = ce.data as Record<string, unknown> | undefined;
  const payload = data && typeof data === 'object' ? (data.payload ?? data) : undefined;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new InputError(`${where}: data.payload must be an object`);
  const raw = fromSnakeCase(payload as Record<string, unknown>);
  raw.EventType ??= ce.type.slice(CLOUD_EVENT_PREFIX.length);
  if (raw.Sid === undefined && typeof ce.id === 'string') raw.Sid = ce.id;
  if (raw.TimestampMs === undefined && raw.Timestamp === undefined && raw.EventDate === undefined && typeof ce.time === 'string')
    raw.EventDate = ce.time;
  try {
    return normalizeEvent(raw, 'event-streams', now);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${where}: ${err.message}`, err.status);
    throw err;
  }
}
