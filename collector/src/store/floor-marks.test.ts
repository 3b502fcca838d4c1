// The floor's hourly checkpoints answer "which intervals were open at T" exactly as a scan of every
// interval does — for intervals added and removed in any order, open ones, ones longer than the
// "long" cut-off, instants on an hour, and a database upgraded from before the checkpoints existed.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../test-helpers/harness';
import { openDb, type Db } from './db';
import { FactStore, OPEN_END, type IntervalRow } from './facts';
import { IntervalStore } from './intervals';
import { LONG_MS, MARK_MS } from './floor-marks';
import { MIGRATIONS } from './migrations';

const dir = tempDir();
afterAll(() => removeDir(dir));

const H = MARK_MS;
const T0 = Date.UTC(2026, 10, 1);

/** A small deterministic generator (the test must fail the same way twice). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function randomIntervals(n: number, seed: number): IntervalRow[] {
  const r = lcg(seed);
  return Array.from({ length: n }, (_v, i) => {
    const start = T0 + Math.floor(r() * 60 * 86_400_000);
    const kind = 1 + Math.floor(r() * 3);
    const u = r();
    // Mostly minutes long; some hours, some open, a few longer than the long cut-off, some on an hour.
    const end =
      u < 0.1
        ? OPEN_END
        : u < 0.15
          ? start + LONG_MS + Math.floor(r() * 10 * 86_400_000)
          : u < 0.25
            ? Math.ceil(start / H) * H
            : start + Math.floor(r() * (u < 0.8 ? 1_800_000 : 30 * H));
    return { ref: `r${i}`, kind, queue: 1, channel: 0, worker: i, label: 0, start_ms: start, end_ms: end, origin_ms: start };
  });
}

/** What a scan of every interval says was open at `at`: the definition the checkpoints must meet. */
function scan(db: Db, kind: number, at: number): number[] {
  return db
    .prepare<[number, number, number], { worker: number }>('SELECT worker FROM intervals WHERE kind = ? AND start_ms <= ? AND end_ms > ?')
    .all(kind, at, at)
    .map((r) => r.worker)
    .sort((a, b) => a - b);
}

function instants(seed: number): number[] {
  const r = lcg(seed);
  const out = [T0 - 1, T0 + 70 * 86_400_000];
  for (let i = 0; i < 150; i++) out.push(T0 + Math.floor(r() * 62 * 86_400_000));
  for (let i = 0; i < 30; i++) out.push(T0 + Math.floor(r() * 62 * 24) * H); // exactly on an hour
  return out;
}

function expectSameFloor(db: Db): void {
  const store = new IntervalStore(db);
  for (const at of instants(5))
    for (const kind of [1, 2, 3]) {
      const got = store
        .openAt(kind, at)
        .map((r) => r.worker)
        .sort((a, b) => a - b);
      expect(got, `kind ${kind} at ${new Date(at).toISOString()}`).toEqual(scan(db, kind, at));
    }
}

describe('floor checkpoints', () => {
  it('give the intervals open at any instant, as intervals come and go', () => {
    const db = openDb(join(dir, 'kept.db'));
    const facts = new FactStore(db);
    const rows = randomIntervals(1500, 1);
    db.transaction(() => {
      const ids = rows.map((r) => facts.addInterval(`WT${r.worker}`, r));
      // Remove every third again, and close some open ones: the checkpoints must follow.
      rows.forEach((r, i) => {
        if (i % 3 === 0) facts.removeInterval({ ...r, id: ids[i]! });
        else if (r.end_ms === OPEN_END && i % 2 === 0) {
          facts.removeInterval({ ...r, id: ids[i]! });
          facts.addInterval(`WT${r.worker}`, { ...r, end_ms: r.start_ms + 5 * H + 17 });
        }
      });
      facts.flush();
    })();
    expect(db.prepare('SELECT count(*) AS n FROM floor_marks WHERE mark_ms = -1').get()).not.toEqual({ n: 0 });
    expectSameFloor(db);
    db.close();
  });

  it('are built for the intervals of a database stored before they existed', () => {
    const path = join(dir, 'upgraded.db');
    const old = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version < 5)) old.exec(m.sql);
    old.pragma('user_version = 4');
    const insert = old.prepare(
      'INSERT INTO intervals (owner, ref, kind, queue, channel, worker, label, start_ms, end_ms, origin_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    old.transaction(() => {
      for (const r of randomIntervals(1500, 2))
        insert.run(`WT${r.worker}`, r.ref, r.kind, r.queue, r.channel, r.worker, r.label, r.start_ms, r.end_ms, r.origin_ms);
    })();
    old.close();
    const db = openDb(path);
    expectSameFloor(db);
    db.close();
  });
});
