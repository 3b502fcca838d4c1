// Raw TaskRouter payloads (Event Callback form fields, Event Streams CloudEvents, REST event_data)
// -> EventRecord. An event is readable when it has a Sid, an event type and a time; anything else
// is optional: a value that can't be read is left out of the record (and of the metrics), kept in
// `raw`, and reported in `issues` — it never loses the event. Unknown fields are kept in `raw`.
import { InputError } from '../errors';
import { FROM_SNAKE, STRING_FIELDS, type EventRecord, type EventSource, type FieldIssue, type RawEvent } from './record';

/** Events before TaskRouter existed or more than a day in the future are clock errors, not data. */
const MIN_EVENT_MS = Date.UTC(2010, 0, 1);
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
/** Ten years, in seconds: longer task ages are corrupt. */
const MAX_AGE_S = 10 * 365 * 24 * 3600;
const MAX_FIELD_CHARS = 256 * 1024;
const SID = /^[A-Za-z0-9_-]{2,64}$/;
const EVENT_TYPE = /^[a-z][a-z0-9._-]{0,63}$/;
/** Plain decimal numbers only: `Number()` alone would also take `0x10`, `0b101`, `1e2` and padding. */
const DECIMAL = /^-?\d{1,20}(\.\d{1,20})?$/;
/** ISO 8601 date-time as Twilio writes it (`2025-01-01T00:00:00.000Z`, `2015-02-07T00:32:41Z`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The event has no readable Sid, type or time: it can't be stored as a TaskRouter event. */
export class UnreadableEventError extends InputError {}

/**
 * A fresh copy of a short string. Parsed form values can be slices of the whole request body, and a
 * Sid or queue name kept in a cache would then keep a 1 MiB body alive with it.
 */
function detached(s: string): string {
  return s.length <= 1024 ? Buffer.from(s, 'utf8').toString('utf8') : s;
}

const clip = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Reads a raw event's optional fields, collecting what could not be read. */
class FieldReader {
  readonly issues: FieldIssue[] = [];
  constructor(private readonly raw: RawEvent) {}

  private fail(field: string, message: string): null {
    this.issues.push({ field, message: `${field} ${message}` });
    return null;
  }

  text(field: string): string | null {
    const v = this.raw[field];
    if (v === undefined || v === null) return null;
    const s = typeof v === 'string' ? v : String(v);
    if (s.length > MAX_FIELD_CHARS) return this.fail(field, `is longer than ${MAX_FIELD_CHARS} characters`);
    return s === '' ? null : detached(s);
  }

  /** A JSON number or a plain decimal string within [min, max]. */
  number(field: string, min: number, max: number): number | null {
    const v = this.raw[field];
    if (v === undefined || v === null || v === '') return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max)
      return this.fail(field, `must be a number between ${min} and ${max} (got ${clip(String(v))})`);
    return n;
  }

  /** A JSON boolean or the text true/false (1/0). */
  bool(field: string): boolean | null {
    const v = this.raw[field];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'boolean') return v;
    const l = String(v).toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
    return this.fail(field, `must be true or false (got ${clip(String(v))})`);
  }

  /** An ISO 8601 date-time, or epoch seconds (up to 10 digits) / milliseconds as a number or digits. */
  date(field: string): number | null {
    const v = this.raw[field];
    if (v === undefined || v === null || v === '') return null;
    const ms = dateMs(v);
    return ms === null ? this.fail(field, `must be an ISO 8601 date or epoch time (got ${clip(String(v))})`) : ms;
  }
}

function dateMs(v: string | number | boolean): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? (v < 1e11 ? v * 1000 : v) : null;
  if (typeof v !== 'string') return null;
  if (/^\d{1,10}(\.\d{1,9})?$/.test(v)) return Number(v) * 1000;
  if (/^\d{11,16}$/.test(v)) return Number(v);
  if (!ISO_DATE.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Where an event's time may be written, most precise first. Extra candidates (the CloudEvent's
 * `data.timestamp` and `time`) come after the event's own fields.
 */
const TIME_FIELDS: readonly { field: string; read: (v: string | number | boolean) => number | null }[] = [
  { field: 'TimestampMs', read: (v) => (typeof v === 'number' || (typeof v === 'string' && /^\d{1,16}$/.test(v)) ? Number(v) : null) },
  { field: 'Timestamp', read: dateMs },
  { field: 'EventDate', read: dateMs },
];

export interface TimeCandidate {
  field: string;
  value: unknown;
}

function eventTime(raw: RawEvent, extra: readonly TimeCandidate[], now: number, issues: FieldIssue[]): number {
  const tried: FieldIssue[] = [];
  const candidates: { field: string; value: unknown; read: (v: string | number | boolean) => number | null }[] = [
    ...TIME_FIELDS.map((t) => ({ ...t, value: raw[t.field] })),
    ...extra.map((c) => ({ ...c, read: dateMs })),
  ];
  for (const c of candidates) {
    if (c.value === undefined || c.value === null || c.value === '') continue;
    const v = c.value;
    const ms = typeof v === 'string' || typeof v === 'number' ? c.read(v) : null;
    let problem: string | null = null;
    if (ms === null || !Number.isFinite(ms)) problem = `${c.field} is not a time (got ${clip(String(v))})`;
    else if (ms < MIN_EVENT_MS || ms > now + FUTURE_SLACK_MS)
      problem = `${c.field} is out of range (${Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : clip(String(v))} is before 2010 or more than a day ahead)`;
    if (problem === null) {
      // A more precise field that was unreadable is an issue, not a loss: a later one gave the time.
      issues.push(...tried);
      return Math.trunc(ms!);
    }
    tried.push({ field: c.field, message: problem });
  }
  throw new UnreadableEventError(
    tried.length ? tried.map((t) => t.message).join('; ') : 'TimestampMs, Timestamp or EventDate is required (the event time)',
  );
}

/**
 * Normalises one event given with Event Callback field names. Throws UnreadableEventError when the
 * Sid, event type or time can't be read; every other field is optional.
 */
export function normalizeEvent(
  raw: RawEvent,
  source: EventSource,
  now = Date.now(),
  extraTimes: readonly TimeCandidate[] = [],
): EventRecord {
  const f = new FieldReader(raw);
  const sid = f.text('Sid');
  if (sid === null) throw new UnreadableEventError('Sid is required');
  if (!SID.test(sid)) throw new UnreadableEventError(`Sid ${clip(sid)} must be 2-64 letters, digits, "-" or "_"`);
  const eventType = f.text('EventType');
  if (eventType === null) throw new UnreadableEventError('EventType is required');
  if (!EVENT_TYPE.test(eventType)) throw new UnreadableEventError(`EventType ${clip(eventType)} is not a TaskRouter event type`);
  const issues = f.issues;
  const eventMs = eventTime(raw, extraTimes, now, issues);
  const timeInPreviousS = f.number('WorkerTimeInPreviousActivity', 0, MAX_AGE_S);

  const record = {
    sid,
    eventType,
    eventMs,
    source,
    taskAge: f.number('TaskAge', 0, MAX_AGE_S),
    taskPriority: f.number('TaskPriority', -1e12, 1e12),
    queueEnteredMs: f.date('TaskQueueEnteredDate'),
    taskAgeInQueue: f.number('TaskAgeInQueue', 0, MAX_AGE_S),
    taskCreatedMs: f.date('TaskDateCreated'),
    workerTimeInPreviousActivityMs:
      f.number('WorkerTimeInPreviousActivityMs', 0, MAX_AGE_S * 1000) ?? (timeInPreviousS === null ? null : timeInPreviousS * 1000),
    workerAvailable: f.bool('WorkerAvailable'),
    activityAvailable: f.bool('ActivityAvailable'),
    raw,
    issues,
  } as EventRecord;
  for (const [field, key] of Object.entries(STRING_FIELDS)) (record as unknown as Record<string, string | null>)[key] = f.text(field);
  return record;
}

/** Event Streams payload / REST event_data (snake_case) -> Event Callback spelling, keeping unknown keys as they are. */
export function fromSnakeCase(payload: Record<string, unknown>): RawEvent {
  const out: RawEvent = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    const name = FROM_SNAKE.get(key) ?? key;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else out[name] = JSON.stringify(value);
  }
  return out;
}

export const TASKROUTER_TYPE_PREFIX = 'com.twilio.taskrouter.';

/** What one element of an Event Streams batch turned out to be. */
export type CloudEventOutcome =
  | { kind: 'event'; record: EventRecord }
  /** Not a TaskRouter event (the sink test event, another product): acknowledged, not stored. */
  | { kind: 'ignored'; type: string }
  /** Claims to be (or may be) a TaskRouter event but can't be read: quarantined with the reason. */
  | { kind: 'unreadable'; reason: string; sid: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `data` as an object: Kinesis-style deliveries carry it as JSON text. */
function dataObject(data: unknown): Record<string, unknown> | null {
  if (isObject(data)) return data;
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * One CloudEvent of an Event Streams batch. Twilio's TaskRouter CloudEvents wrap the event in
 * `data` (sid, name, timestamp, …) and its facts in `data.payload` (snake_case, ISO 8601 times).
 * `index` names the element in reasons.
 */
export function readCloudEvent(value: unknown, index: number, now = Date.now()): CloudEventOutcome {
  const where = `event [${index}]`;
  if (!isObject(value)) return { kind: 'unreadable', reason: `${where} is not a CloudEvent object`, sid: null };
  const type = value.type;
  if (typeof type !== 'string' || type === '') return { kind: 'unreadable', reason: `${where} has no CloudEvent type`, sid: null };
  if (!type.startsWith(TASKROUTER_TYPE_PREFIX)) return { kind: 'ignored', type };
  const data = dataObject(value.data);
  const payload =
    data === null ? null : isObject(data.payload) ? data.payload : typeof data.payload === 'string' ? dataObject(data.payload) : null;
  if (data === null || payload === null)
    return { kind: 'unreadable', reason: `${where}: data.payload must be an object (TaskRouter.WDSEvent)`, sid: null };
  const raw = fromSnakeCase(payload);
  raw.EventType ??= type.slice(TASKROUTER_TYPE_PREFIX.length);
  if (raw.Sid === undefined && typeof data.sid === 'string') raw.Sid = data.sid;
  if (raw.Sid === undefined && typeof value.id === 'string') raw.Sid = value.id;
  const extraTimes: TimeCandidate[] = [
    { field: 'data.timestamp', value: data.timestamp },
    { field: 'time', value: value.time },
  ];
  try {
    return { kind: 'event', record: normalizeEvent(raw, 'event-streams', now, extraTimes) };
  } catch (err) {
    if (err instanceof UnreadableEventError)
      return { kind: 'unreadable', reason: `${where}: ${err.message}`, sid: typeof raw.Sid === 'string' ? raw.Sid.slice(0, 64) : null };
    throw err;
  }
}

/** One CloudEvent that must be a readable TaskRouter event (tests, tools); throws an InputError otherwise. */
export function normalizeCloudEvent(value: unknown, index: number, now = Date.now()): EventRecord {
  const out = readCloudEvent(value, index, now);
  if (out.kind === 'event') return out.record;
  if (out.kind === 'ignored') throw new InputError(`event [${index}]: type ${clip(out.type)} is not a TaskRouter event`);
  throw new UnreadableEventError(out.reason);
}
