// Re-reading quarantined events with the current parser: each is read the way its transport's
// events are (form fields, CloudEvent, REST Event resource); those that now read are stored —
// exactly once: the event log is unique on Sid and the entry is marked done in the same
// transaction — and those that still don't keep waiting with the current reason.
import { restEventToRaw, type RestEvent } from '../backfill/mapping';
import { normalizeEvent, readCloudEvent, UnreadableEventError, type CloudEventOutcome } from '../taskrouter/normalize';
import type { RawEvent } from '../taskrouter/record';
import type { IngestService } from '../ingest/service';
import type { QuarantinedEvent } from '../store/quarantine';

/** What the current parser makes of one quarantined event. */
export function reread(entry: Pick<QuarantinedEvent, 'transport' | 'body'>, now = Date.now()): CloudEventOutcome {
  let value: unknown;
  try {
    value = JSON.parse(entry.body);
  } catch {
    return { kind: 'unreadable', reason: 'the kept body is not JSON', sid: null };
  }
  if (entry.transport === 'event-streams') return readCloudEvent(value, 0, now);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'unreadable', reason: 'the kept body is not an object', sid: null };
  try {
    const raw = entry.transport === 'backfill' ? restEventToRaw(value as RestEvent) : (value as RawEvent);
    return { kind: 'event', record: normalizeEvent(raw, entry.transport, now) };
  } catch (err) {
    if (err instanceof UnreadableEventError) return { kind: 'unreadable', reason: err.message, sid: null };
    throw err;
  }
}

export interface ReplayResult {
  /** Quarantined events looked at. */
  checked: number;
  /** Now read and newly stored. */
  stored: number;
  /** Now read, but an event with the same Sid was already stored (delivered again meanwhile). */
  duplicates: number;
  /** Now recognised as not TaskRouter events: acknowledged, not stored. */
  ignored: number;
  /** Still unreadable: kept, with the current reason. */
  waiting: number;
}

/** Replays every waiting quarantined event through the ingest pipeline. */
export async function replayQuarantine(ingest: IngestService, now = Date.now()): Promise<ReplayResult> {
  const result: ReplayResult = { checked: 0, stored: 0, duplicates: 0, ignored: 0, waiting: 0 };
  for (const entry of ingest.quarantine.list()) {
    result.checked++;
    const out = reread(entry, now);
    if (out.kind === 'unreadable') {
      result.waiting++;
      ingest.quarantine.updateReason(entry.id, out.reason);
      continue;
    }
    if (out.kind === 'ignored') {
      result.ignored++;
      await ingest.submit([], [], [{ id: entry.id, result: `ignored: ${out.type}` }]);
      continue;
    }
    // One transaction per entry: the event is stored (or found stored) and the entry marked done together.
    const r = await ingest.submit([out.record], [], [{ id: entry.id, result: `read as ${out.record.sid}` }]);
    result.stored += r.stored;
    result.duplicates += r.duplicates;
  }
  return result;
}
