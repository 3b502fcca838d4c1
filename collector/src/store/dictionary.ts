// The event log's dictionaries (migration 8): every Sid and name an event carries is stored once
// and referenced by a small integer id, and every JSON payload (task and worker attributes, the
// fields no column holds) is stored once per distinct text, found again by a 48-bit hash of it.
// Ids created inside a transaction that rolls back must be forgotten: call `forget()` then.
import { createHash } from 'node:crypto';
import type { Db } from './db';
import { Lru } from './lru';

/**
 * A Twilio Sid: two capital letters and 32 hex digits. Source: Twilio's TaskRouter Event resource
 * reference (twilio.com/docs/taskrouter/api/event, from twilio-oai's TaskRouter v1 spec): `sid`
 * `^EV[0-9a-fA-F]{32}$`, `resource_sid` `^[a-zA-Z]{2}[0-9a-fA-F]{32}$`, every one 34 long; Twilio
 * writes the hex in lower case, so only that form is packed (any other spelling is kept as text).
 */
const CANONICAL_SID = /^[A-Z]{2}[0-9a-f]{32}$/;

/**
 * How a Sid is stored: a canonical one as 18 bytes (its two letters, then the 16 bytes its hex
 * spells), anything else as its text. Text and blobs never compare equal in SQLite, so the mapping
 * is one-to-one and a unique index on it is unique on the Sid.
 */
export function sidKey(sid: string): Buffer | string {
  if (!CANONICAL_SID.test(sid)) return sid;
  const b = Buffer.allocUnsafe(18);
  b.write(sid.slice(0, 2), 0, 'latin1');
  b.write(sid.slice(2), 2, 'hex');
  return b;
}

/** The Sid a stored key spells (the inverse of `sidKey`). */
export function sidText(key: Buffer | string): string {
  return typeof key === 'string' ? key : key.toString('latin1', 0, 2) + key.toString('hex', 2);
}

/** The event's own Sid (`EV` + 32 hex) as 16 bytes in the log row; any other form as its text. */
const CANONICAL_EVENT_SID = /^EV[0-9a-f]{32}$/;
export function eventSidKey(sid: string): Buffer | string {
  return CANONICAL_EVENT_SID.test(sid) ? Buffer.from(sid.slice(2), 'hex') : sid;
}
export function eventSidText(key: Buffer | string): string {
  return typeof key === 'string' ? key : 'EV' + key.toString('hex');
}

/** SQL spelling a stored Sid key `x` as text (the view and set-based migration use it). */
export const SQL_SID_TEXT = (x: string) =>
  `CASE WHEN typeof(${x}) = 'blob' THEN CAST(substr(${x}, 1, 2) AS TEXT) || lower(hex(substr(${x}, 3))) ELSE ${x} END`;
/** SQL turning a Sid's text `x` into its stored key (the inverse of SQL_SID_TEXT). */
export const SQL_SID_KEY = (x: string) =>
  `CASE WHEN length(${x}) = 34 AND substr(${x}, 1, 2) GLOB '[A-Z][A-Z]' AND substr(${x}, 3) NOT GLOB '*[^0-9a-f]*'
     THEN unhex(hex(substr(${x}, 1, 2)) || substr(${x}, 3)) ELSE ${x} END`;
export const SQL_EVENT_SID_TEXT = (x: string) => `CASE WHEN typeof(${x}) = 'blob' THEN 'EV' || lower(hex(${x})) ELSE ${x} END`;
/** 48 bits of the MD5 of a payload's text: a content address (collisions are told apart by the text). */
export function payloadHash(text: string): number {
  return createHash('md5').update(text).digest().readUIntBE(0, 6);
}

/** Values <-> ids of one dictionary table (`names` or `sids`), with a bounded cache each way. */
class Dictionary<V extends string | Buffer> {
  private readonly ids: Lru<string, number>;
  private readonly values: Lru<number, string>;
  private readonly insert;
  private readonly select;
  private readonly byId;

  constructor(
    db: Db,
    table: 'names' | 'sids',
    private readonly encode: (text: string) => V,
    private readonly decode: (stored: V) => string,
    capacity: number,
  ) {
    this.ids = new Lru(capacity);
    this.values = new Lru(capacity);
    this.insert = db.prepare<[V]>(`INSERT INTO ${table} (value) VALUES (?)`);
    this.select = db.prepare<[V], { id: number }>(`SELECT id FROM ${table} WHERE value = ?`);
    this.byId = db.prepare<[number], { value: V }>(`SELECT value FROM ${table} WHERE id = ?`);
  }

  /** The id of `text`, adding it (inside the caller's transaction) when new; null for null. */
  id(text: string | null): number | null {
    if (text === null) return null;
    let id = this.ids.get(text);
    if (id !== undefined) return id;
    const key = this.encode(text);
    id = this.select.get(key)?.id ?? Number(this.insert.run(key).lastInsertRowid);
    this.ids.set(text, id);
    return id;
  }

  /** The id of `text` when it is stored, else undefined (for reads: never adds). */
  find(text: string): number | undefined {
    const id = this.ids.get(text) ?? this.select.get(this.encode(text))?.id;
    if (id !== undefined) this.ids.set(text, id);
    return id;
  }

  /** The text of an id; null for null. */
  text(id: number | null): string | null {
    if (id === null) return null;
    let v = this.values.get(id);
    if (v !== undefined) return v;
    const row = this.byId.get(id);
    if (!row) throw new Error(`event log dictionary is missing id ${id}: the database is damaged`);
    v = this.decode(row.value);
    this.values.set(id, v);
    return v;
  }

  forget(): void {
    this.ids.clear();
    this.values.clear();
  }
}

/** JSON payloads stored once per distinct text (content-addressed by `payloadHash`). */
class Payloads {
  private readonly ids = new Lru<string, number>(20_000);
  private readonly texts = new Lru<number, string>(20_000);
  private readonly insert;
  private readonly candidates;
  private readonly byId;

  constructor(db: Db) {
    this.insert = db.prepare<[number, string]>('INSERT INTO payloads (hash, body) VALUES (?, ?)');
    this.candidates = db.prepare<[number], { id: number; body: string }>('SELECT id, body FROM payloads WHERE hash = ?');
    this.byId = db.prepare<[number], { body: string }>('SELECT body FROM payloads WHERE id = ?');
  }

  id(text: string | null): number | null {
    if (text === null) return null;
    let id = this.ids.get(text);
    if (id !== undefined) return id;
    const hash = payloadHash(text);
    id = this.candidates.all(hash).find((c) => c.body === text)?.id ?? Number(this.insert.run(hash, text).lastInsertRowid);
    this.ids.set(text, id);
    return id;
  }

  text(id: number | null): string | null {
    if (id === null) return null;
    let t = this.texts.get(id);
    if (t !== undefined) return t;
    t = this.byId.get(id)?.body;
    if (t === undefined) throw new Error(`event log payload ${id} is missing: the database is damaged`);
    this.texts.set(id, t);
    return t;
  }

  forget(): void {
    this.ids.clear();
    this.texts.clear();
  }
}

const shared = new WeakMap<Db, LogDictionaries>();

/**
 * The three dictionaries of the event log; one per connection (`of`), so that every reader and
 * writer on it forgets the ids of a rolled-back transaction together.
 */
export class LogDictionaries {
  static of(db: Db): LogDictionaries {
    let d = shared.get(db);
    if (!d) shared.set(db, (d = new LogDictionaries(db)));
    return d;
  }

  /** Event types, sources, names, reasons, description templates: few distinct values. */
  readonly names: Dictionary<string>;
  /** Every Sid an event references (tasks, reservations, workers, queues…). */
  readonly sids: Dictionary<Buffer | string>;
  readonly payloads: Payloads;

  private constructor(db: Db) {
    this.names = new Dictionary(
      db,
      'names',
      (t) => t,
      (t) => t,
      50_000,
    );
    this.sids = new Dictionary<Buffer | string>(db, 'sids', sidKey, sidText, 200_000);
    this.payloads = new Payloads(db);
  }

  /** Forgets every cached id: after a rolled-back transaction some may not exist any more. */
  forget(): void {
    this.names.forget();
    this.sids.forget();
    this.payloads.forget();
  }
}
