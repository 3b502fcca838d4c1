// The kind ids in SQLite are part of every database already written: renumbering one would make
// old samples count as something else after an upgrade. These tables are frozen on purpose.
import { describe, expect, it } from 'vitest';
import { INTERVAL_KIND_ID, SAMPLE_KIND_ID } from './facts';
import { INTERVAL_KINDS, SAMPLE_KINDS } from './kinds';

describe('stored kind ids', () => {
  it('never change: sample kinds', () => {
    expect(SAMPLE_KIND_ID).toEqual({
      created: 1,
      entered: 2,
      moved: 3,
      timed_out: 4,
      res_rejected: 5,
      res_timed_out: 6,
      handled: 7,
      handled_in_sl: 8,
      abandoned: 9,
      abandoned_short: 10,
      completed: 11,
      handle_time: 12,
      wrapup_time: 13,
      received: 14,
      queue_wait: 15,
      abandoned_in_sl: 16,
    });
  });

  it('never change: interval kinds', () => {
    expect(INTERVAL_KIND_ID).toEqual({ waiting: 1, in_progress: 2, agent: 3 });
  });

  it('give every kind derived from events its own id', () => {
    expect(Object.keys(SAMPLE_KIND_ID).sort()).toEqual([...SAMPLE_KINDS].sort());
    expect(new Set(Object.values(SAMPLE_KIND_ID)).size).toBe(SAMPLE_KINDS.length);
    for (const k of INTERVAL_KINDS) expect(INTERVAL_KIND_ID[k]).toBeGreaterThan(0);
  });
});
