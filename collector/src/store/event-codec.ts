// How the event log stores the two texts that carry the same facts over and over (migration 8):
//  - EventDescription ("Reservation WR… for Task WT… and Worker Alice accepted") as a template in
//    which the event's own Sids and names are placeholders, so all events of one kind share it;
//  - the received fields no column holds (Timestamp, WorkspaceName, TaskChannelSid…) as a JSON
//    template in which a value that is only another rendering of a column (TimestampMs is the event
//    time as text, TaskAge the age as a number…) is a placeholder, so the template repeats too.
// Both are exact: decoding gives back the very text and values received.
import type { LoggedRecord } from './events';

type Rec = Omit<LoggedRecord, 'description'>;

/** Record fields a description may name, each with its placeholder letter (never renumber: stored). */
export const DESCRIBED = [
  ['a', 'taskSid'],
  ['b', 'reservationSid'],
  ['c', 'workerSid'],
  ['d', 'resourceSid'],
  ['e', 'queueSid'],
  ['f', 'activitySid'],
  ['g', 'workerActivitySid'],
  ['h', 'workflowSid'],
  ['i', 'workerName'],
  ['j', 'queueName'],
  ['k', 'workerActivityName'],
  ['l', 'workerPreviousActivityName'],
  ['m', 'activityName'],
  ['n', 'workflowName'],
  ['o', 'previousQueueName'],
] as const satisfies readonly (readonly [string, keyof Rec])[];
const DESCRIBED_BY_CODE = new Map<string, keyof Rec>(DESCRIBED);
const MARK = '\u0001';

/**
 * The description as a template: each occurrence of a field's value (tried in the order above, so
 * a Sid before a name) becomes MARK + the field's letter. Null when the text already holds MARK
 * (it is then stored as it is).
 */
export function describeTemplate(text: string, rec: Rec): string | null {
  if (text.includes(MARK)) return null;
  const fields: [string, string][] = [];
  for (const [code, key] of DESCRIBED) {
    const v = rec[key];
    if (typeof v === 'string' && v.length > 0 && text.includes(v)) fields.push([code, v]);
  }
  if (fields.length === 0) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    const hit = fields.find(([, v]) => text.startsWith(v, i));
    if (hit) {
      out += MARK + hit[0];
      i += hit[1].length;
    } else out += text[i++];
  }
  return out;
}

/** The description a template spells for this event. */
export function describe(template: string, rec: Rec): string {
  const parts = template.split(MARK);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    out += String(rec[DESCRIBED_BY_CODE.get(p[0]!)!] ?? '') + p.slice(1);
  }
  return out;
}

type Json = string | number | boolean | null;

const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15 ? undefined : new Date(ms).toISOString());
const str = (x: number | null) => (x === null || !Number.isSafeInteger(x) ? undefined : String(x));
const num = (x: number | null) => (x === null ? undefined : x);
const bool = (x: boolean | null) => (x === null ? undefined : x);

/**
 * Renderings of a column a received field may be (the transports spell the same fact as text,
 * number or ISO 8601). Codes are stored in templates: never change or reuse one.
 */
const DERIVED: Record<string, (r: Rec) => Json | undefined> = {
  'ms.n': (r) => r.eventMs,
  'ms.s': (r) => String(r.eventMs),
  'ms.S': (r) => String(Math.floor(r.eventMs / 1000)),
  'ms.i': (r) => iso(r.eventMs),
  'age.n': (r) => num(r.taskAge),
  'age.s': (r) => str(r.taskAge),
  'pri.n': (r) => num(r.taskPriority),
  'pri.s': (r) => str(r.taskPriority),
  'aiq.n': (r) => num(r.taskAgeInQueue),
  'aiq.s': (r) => str(r.taskAgeInQueue),
  'qe.i': (r) => iso(r.queueEnteredMs),
  'qe.s': (r) => str(r.queueEnteredMs),
  'tc.i': (r) => iso(r.taskCreatedMs),
  'tc.s': (r) => str(r.taskCreatedMs),
  'wtp.n': (r) => num(r.workerTimeInPreviousActivityMs),
  'wtp.s': (r) => str(r.workerTimeInPreviousActivityMs),
  'wtps.n': (r) => (r.workerTimeInPreviousActivityMs === null ? undefined : r.workerTimeInPreviousActivityMs / 1000),
  'wtps.s': (r) => str(r.workerTimeInPreviousActivityMs === null ? null : r.workerTimeInPreviousActivityMs / 1000),
  'wa.b': (r) => bool(r.workerAvailable),
  'wa.s': (r) => (r.workerAvailable === null ? undefined : String(r.workerAvailable)),
  'aa.b': (r) => bool(r.activityAvailable),
  'aa.s': (r) => (r.activityAvailable === null ? undefined : String(r.activityAvailable)),
};
const DERIVED_CODES = Object.keys(DERIVED);
/** A placeholder value starts with NUL; a received string that does is kept after NUL + '='. */
const REF = '\u0000';

/** Where each transport's field usually comes from: tried first (any other rendering is still found). */
const HINTS: Record<string, readonly string[]> = {
  Timestamp: ['ms.S', 'ms.i'],
  TimestampMs: ['ms.s', 'ms.n'],
  EventDate: ['ms.i'],
  TaskAge: ['age.s', 'age.n'],
  TaskPriority: ['pri.s', 'pri.n'],
  TaskAgeInQueue: ['aiq.n', 'aiq.s'],
  TaskQueueEnteredDate: ['qe.i'],
  TaskDateCreated: ['tc.i'],
  WorkerTimeInPreviousActivity: ['wtps.s', 'wtps.n'],
  WorkerTimeInPreviousActivityMs: ['wtp.s', 'wtp.n'],
  WorkerAvailable: ['wa.b', 'wa.s'],
  ActivityAvailable: ['aa.s', 'aa.b'],
};
/** A string another rendering could spell: a number, a boolean word or an ISO 8601 time. */
const RENDERABLE = /^(-?\d+(\.\d+)?|true|false|\d{4}-\d\d-\d\dT[\d:.]+Z)$/;

/** The leftover fields as a JSON template (null when there are none). */
export function restTemplate(rest: Record<string, Json>, rec: Rec): string | null {
  const keys = Object.keys(rest);
  if (keys.length === 0) return null;
  const rendered = new Map<string, Json | undefined>();
  const render = (code: string) => {
    if (!rendered.has(code)) rendered.set(code, DERIVED[code]!(rec));
    return rendered.get(code);
  };
  // No prototype: a received field may be called `__proto__` or `constructor`.
  const out = Object.create(null) as Record<string, Json>;
  for (const k of keys) {
    const v = rest[k]!;
    let code: string | undefined;
    if (v !== null && (typeof v !== 'string' || RENDERABLE.test(v)))
      code = (Object.hasOwn(HINTS, k) ? HINTS[k]! : []).find((c) => render(c) === v) ?? DERIVED_CODES.find((c) => render(c) === v);
    out[k] = code !== undefined ? REF + code : typeof v === 'string' && v.startsWith(REF) ? REF + '=' + v : v;
  }
  return JSON.stringify(out);
}

/** The leftover fields a template spells for this event. */
export function restOf(template: string | null, rec: Rec): Record<string, Json> {
  if (template === null) return {};
  const out = JSON.parse(template) as Record<string, Json>;
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== 'string' || !v.startsWith(REF)) continue;
    if (v.startsWith(REF + '=')) out[k] = v.slice(2);
    else {
      const render = Object.hasOwn(DERIVED, v.slice(1)) ? DERIVED[v.slice(1)] : undefined;
      if (!render)
        throw new Error(
          `event log template names an unknown rendering ${JSON.stringify(v.slice(1))}: the database is newer than this collector`,
        );
      out[k] = render(rec) as Json;
    }
  }
  return out;
}
