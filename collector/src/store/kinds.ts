// The kinds of metric facts the store holds: samples (countable occurrences) and intervals (spans of
// a state). Their stored ids are in facts.ts and never change (stored-kinds.test.ts).

export const SAMPLE_KINDS = [
  'created',
  'entered',
  'moved',
  'timed_out',
  'res_rejected',
  'res_timed_out',
  'handled',
  'handled_in_sl',
  'abandoned',
  'abandoned_short',
  'completed',
  'handle_time',
  'wrapup_time',
  'received',
  'queue_wait',
  'abandoned_in_sl',
] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export const INTERVAL_KINDS = ['waiting', 'in_progress'] as const;
export type IntervalKind = (typeof INTERVAL_KINDS)[number];
