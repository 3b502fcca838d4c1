// The log first, the projector behind it: whatever stops the process between the log's commit and
// the projector's, the next start projects what was left exactly once; an event no projection can
// fold stays in the log and does not hold the rest back. Stores are compared with a clean run by
// their fingerprint (state, samples, intervals, rollups, worker points; dimension ids resolved).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '@floorboard/contract/sla';
import { MetricsProjection } from '../metrics/projection';
import { simulateEvents } from '../simulate/index';
import { openDb, type Db } from '../store/db';
import { EventLog, type LoggedRecord } from '../store/events';
import { storeFingerprint } from '../store/fingerprint';
import { StateProjection } from '../store/state';
import { normalizeEvent } from '../taskrouter/normalize';
import type { EventRecord } from '../taskrouter/record';
import { removeDir, tempDir } from '../test-helpers/harness';
import { rebuildDerived } from '../rebuild/index';
import { IngestService, type Projection } from './service';

const start = Date.UTC(2026, 10, 16, 8);
const records: EventRecord[] = [...simulateEvents({ seed: 4, start, end: start + 4 * 3_600_000, agents: 12 })].map((e) =>
  normalizeEvent(e, 'simulator', start + 5 * 3_600_000),
);
const dir = tempDir();
afterAll(() => removeDir(dir));

const ingestOn = (db: Db, extra: Projection[] = []) =>
  new IngestService(db, [new StateProjection(db), new MetricsProjection(db, DEFAULT_SLA), ...extra]);

function storeAll(db: Db, recs: EventRecord[]): void {
  const ingest = ingestOn(db);
  for (let i = 0; i < recs.length; i += 200) ingest.storeNow(recs.slice(i, i + 200));
}

/** What the ingest transaction leaves on disk when the process dies before the projector's commit. */
function logOnly(db: Db, recs: EventRecord[]): void {
  const log = new EventLog(db);
  db.transaction(() => {
    for (const r of recs) log.append(r, start);
    log.flushTotals();
  })();
}

const clean = (() => {
  const db = openDb(join(dir, 'clean.db'));
  storeAll(db, records);
  const fingerprint = storeFingerprint(db);
  db.close();
  return fingerprint;
})();

describe('the projector', () => {
  it('projects at start what a stop between the two commits left behind, exactly once', () => {
    expect(records.length).toBeGreaterThan(500);
    const path = join(dir, 'stopped.db');
    const half = Math.floor(records.length / 2);
    let db = openDb(path);
    storeAll(db, records.slice(0, half));
    logOnly(db, records.slice(half));
    const projected = db.prepare("SELECT value FROM meta WHERE key = 'projected_id'").pluck().get() as number;
    expect(new EventLog(db).lastPosition() - projected).toBe(records.length - half);
    db.close();

    db = openDb(path);
    const ingest = ingestOn(db); // start-up: the projector catches up
    expect(ingest.projector.lag()).toBe(0);
    // Deliveries of the same events again (Twilio retries) change nothing.
    storeAll(db, records.slice(half - 50, half + 50));
    expect(storeFingerprint(db)).toEqual(clean);
    db.close();
  });

  it('rolls a failed batch back whole, skips only the event no projection can fold, and reports it', async () => {
    const db = openDb(join(dir, 'defect.db'));
    const bad = records[records.length - 1]!.sid;
    const failures: (string | null)[] = [];
    const breaking: Projection = {
      apply(rec: LoggedRecord) {
        if (rec.sid === bad) throw new Error('a defect');
      },
    };
    const ingest = ingestOn(db, [breaking]);
    ingest.on('projectionFailed', (sid) => failures.push(sid));
    ingest.storeNow(records);
    expect(failures).toEqual([bad]);
    expect(ingest.projector.lag()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(records.length);
    // Every other event was projected: the store is that of a run without the failed one …
    const without = openDb(join(dir, 'without.db'));
    storeAll(
      without,
      records.filter((r) => r.sid !== bad),
    );
    const { events: _a, ...projected } = storeFingerprint(db);
    const { events: _b, ...expected } = storeFingerprint(without);
    expect(projected).toEqual(expected);
    without.close();
    // … and the failed one is kept in the log: after a fix, a rebuild derives it too.
    await rebuildDerived(db, DEFAULT_SLA);
    expect(storeFingerprint(db)).toEqual(clean);
    db.close();
  });
});
