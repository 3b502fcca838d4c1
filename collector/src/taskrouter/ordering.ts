// The order TaskRouter events happened in: by their own time, then causally within a millisecond,
// then by Sid — the same order whatever order they arrived in (state, facts and worker points all
// rank events with this).
import type { EventRecord } from './record';

/**
 * Events in the same millisecond in the order they must have happened: creations first, endings
 * last (a worker created Offline and put Available in the same ms is Available), then by Sid.
 */
export function causalOrder(eventType: string): number {
  if (eventType.endsWith('.created')) return 1;
  if (/\.(completed|canceled|deleted|system-deleted)$/.test(eventType)) return 8;
  return 5;
}

/** Zero-padded event time, causal order, then Sid: sorts as the events happened, ties broken the same way every time. */
export function eventRank(rec: Pick<EventRecord, 'eventMs' | 'sid'> & { eventType?: string }): string {
  return `${String(rec.eventMs).padStart(15, '0')}:${rec.eventType === undefined ? 5 : causalOrder(rec.eventType)}:${rec.sid}`;
}
