// The event log's bounds as of an instant (what GET /api/snapshot?at= reads besides the intervals):
// exact for events stored out of time order, and each one index seek, never a scan of the log — the
// time index was once dropped while these reads needed it (migration 9 restores it).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../test-helpers/harness';
import { openDb } from './db';
import { normalizeEvent } from '../taskrouter/normalize';
import { EventLog } from './events';
import { FIRST_EVENT_SQL, FloorStore, LAST_EVENT_AT_SQL } from './floor';

const dir = tempDir();
afterAll(() => removeDir(dir));

describe('the event log at an instant', () => {
  const db = openDb(join(dir, 'floor.db'));
  afterAll(() => db.close());
  const floor = new FloorStore(db);

  it('gives the newest event at or before an instant and the oldest event, whatever order they were stored in', () => {
    expect(floor.lastEventAtOrBefore(Date.UTC(2026, 10, 20))).toBe(0);
    expect(floor.firstEventMs()).toBeNull();
    const log = new EventLog(db);
    const at = (h: number, m: number) => Date.UTC(2026, 10, 20, h, m);
    // Arrival order is not time order: a late event lands after newer ones.
    db.transaction(() =>
      [at(10, 5), at(10, 40), at(9, 15), at(10, 20)].forEach((ms, i) =>
        log.append(
          normalizeEvent({ Sid: `EV${String(i).padStart(32, '0')}`, EventType: 'task.created', TimestampMs: String(ms) }, 'callback'),
          at(11, i),
        ),
      ),
    )();
    expect(floor.lastEventAtOrBefore(at(10, 30))).toBe(at(10, 20));
    expect(floor.lastEventAtOrBefore(at(10, 20))).toBe(at(10, 20));
    expect(floor.lastEventAtOrBefore(at(9, 59))).toBe(at(9, 15));
    expect(floor.lastEventAtOrBefore(at(9, 0))).toBe(0);
    expect(floor.firstEventMs()).toBe(at(9, 15));
  });

  it('reads both through the time index (one seek), not a scan of the log', () => {
    const plan = (sql: string, ...params: number[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(LAST_EVENT_AT_SQL, 0)).toMatch(/^SEARCH event_log USING COVERING INDEX event_log_by_time/);
    expect(plan(FIRST_EVENT_SQL)).toMatch(/^SEARCH event_log USING COVERING INDEX event_log_by_time/);
  });
});
