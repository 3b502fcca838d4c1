// The quarantine: authenticated events that could not be read, kept verbatim with the reason so a
// newer parser can store them later (`npx floorboard quarantine replay`). Owns the table's SQL.
import type { Db } from './db';

export type QuarantineTransport = 'callback' | 'event-streams' | 'backfill';

/** An event to keep: exactly what arrived, and why it could not be read. */
export interface QuarantineEntry {
  transport: QuarantineTransport;
  reason: string;
  /** The Sid the event claims, when it has one. */
  eventSid: string | null;
  /** The event as received: a CloudEvent's JSON text, or the form fields as a JSON object. */
  body: string;
}

export interface QuarantinedEvent extends QuarantineEntry {
  id: number;
  receivedMs: number;
  replayedMs: number | null;
  replayResult: string | null;
}

interface Row {
  id: number;
  received_ms: number;
  transport: QuarantineTransport;
  event_sid: string | null;
  reason: string;
  body: string;
  replayed_ms: number | null;
  replay_result: string | null;
}

const fromRow = (r: Row): QuarantinedEvent => ({
  id: r.id,
  receivedMs: r.received_ms,
  transport: r.transport,
  eventSid: r.event_sid,
  reason: r.reason,
  body: r.body,
  replayedMs: r.replayed_ms,
  replayResult: r.replay_result,
});

export class QuarantineLog {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare('INSERT INTO quarantine (received_ms, transport, event_sid, reason, body) VALUES (?, ?, ?, ?, ?)'),
      waiting: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantine WHERE replayed_ms IS NULL'),
      list: db.prepare<[number, number], Row>('SELECT * FROM quarantine WHERE (? = 1 OR replayed_ms IS NULL) ORDER BY id LIMIT ?'),
      replayed: db.prepare('UPDATE quarantine SET replayed_ms = ?, replay_result = ? WHERE id = ?'),
      reason: db.prepare('UPDATE quarantine SET reason = ? WHERE id = ?'),
    };
  }

  /** Keeps entries; call inside the ingest transaction so they commit with the rest of the batch. */
  add(entries: readonly QuarantineEntry[], receivedMs: number): void {
    for (const e of entries) this.s.insert.run(receivedMs, e.transport, e.eventSid, e.reason, e.body);
  }

  /** Events still waiting for a parser that can read them. */
  waitingCount(): number {
    return this.s.waiting.get()!.n;
  }

  /** Oldest first; `all` includes those already replayed. */
  list(opts: { all?: boolean; limit?: number } = {}): QuarantinedEvent[] {
    return this.s.list.all(opts.all ? 1 : 0, opts.limit ?? 1_000_000).map(fromRow);
  }

  /** Marks an entry as done (its event is now stored); call in the transaction that stored it. */
  markReplayed(id: number, result: string, atMs: number): void {
    this.s.replayed.run(atMs, result, id);
  }

  /** Records why an entry still can't be read (the current parser's reason). */
  updateReason(id: number, reason: string): void {
    this.s.reason.run(reason, id);
  }
}
