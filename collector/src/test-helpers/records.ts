// Comparing records of the same event received on different transports: the facts both carry.
import type { EventRecord } from '../taskrouter/record';

/** Facts only Event Streams (and the REST event_data) carry; an Event Callback has no such fields. */
export const STREAMS_ONLY = ['taskAgeInQueue', 'taskCreatedMs', 'workerAvailable'] as const;

/** A record without how it arrived (`raw`, `source`, `issues`) and without the Event Streams-only facts. */
export function sharedFacts(rec: EventRecord): Record<string, unknown> {
  const { raw: _raw, source: _source, issues: _issues, ...facts } = rec;
  for (const k of STREAMS_ONLY) delete (facts as Record<string, unknown>)[k];
  return facts;
}
