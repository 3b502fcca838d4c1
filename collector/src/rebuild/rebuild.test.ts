// `npx floorboard rebuild` on a stopped collector's database gives the same store and the same
// answers as live derivation: a simulated center is sent to a real collector over signed Event
// Streams batches (a few in flight, so events arrive out of order), the collector is stopped, a copy
// of its database is rebuilt by the command, and both are asked every catalogue metric with every
// grouping over HTTP.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '@floorboard/contract/sla';
import { runRebuildCommand, REBUILD_EXIT } from '../commands/rebuild';
import type { Progress } from '../commands/progress';
import { runHistory } from '../simulate/index';
import { openDb } from '../store/db';
import { DerivedTables, REBUILD_UNFINISHED } from '../store/derived';
import { storeFingerprint } from '../store/fingerprint';
import { migrate, MIGRATIONS } from '../store/migrations';
import { Retention } from '../store/retention';
import {
  AUTH_TOKEN,
  captured,
  PUBLIC_URL,
  removeDir,
  slaFileIn,
  startTestCollector,
  tempDir,
  type TestCollector,
} from '../test-helpers/index';
import { compareAnswers, compareSnapshots, metricBattery } from '../verify/consistency';
import { rebuildDerived } from './index';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 16, 8);
const end = start + 6 * HOUR;

const quietProgress = (seen: number[][]): Progress => ({ update: (done, total) => seen.push([done, total]), stop() {} });

describe('npx floorboard rebuild', () => {
  const liveDir = tempDir();
  const rebuiltDir = tempDir();
  let live: TestCollector | undefined;
  let rebuilt: TestCollector | undefined;
  let sent = 0;

  beforeAll(async () => {
    const c = await startTestCollector({}, liveDir);
    sent = (
      await runHistory(
        { seed: 5, start, end, agents: 12, concurrency: 4 },
        { baseUrl: c.url, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN },
        undefined,
        50,
      )
    ).events;
    await c.stop();
    copyFileSync(join(liveDir, 'floorboard.db'), join(rebuiltDir, 'floorboard.db'));
    slaFileIn(rebuiltDir);
  }, 120_000);

  afterAll(async () => {
    await live?.dispose();
    await rebuilt?.dispose();
    removeDir(liveDir);
    removeDir(rebuiltDir);
  });

  it('recomputes every derived table with a progress bar and reports what it did', async () => {
    const out = captured();
    const err = captured();
    const seen: number[][] = [];
    const code = await runRebuildCommand(
      {},
      { FLOORBOARD_DB: join(rebuiltDir, 'floorboard.db'), FLOORBOARD_SLA: join(rebuiltDir, 'sla.yaml') },
      out.stream,
      err.stream,
      quietProgress(seen),
    );
    expect(err.text()).toBe('');
    expect(code).toBe(REBUILD_EXIT.ok);
    expect(out.text()).toMatch(new RegExp(`^rebuild: ${sent} events, \\d+ tasks re-derived in [\\d.]+ s \\(\\d+ events/s\\)\\n$`));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([sent * 2, sent * 2]);
  });

  it('leaves the store holding exactly what live derivation stored', () => {
    const a = openDb(join(liveDir, 'floorboard.db'), { readonly: true });
    const b = openDb(join(rebuiltDir, 'floorboard.db'), { readonly: true });
    try {
      const fa = storeFingerprint(a);
      const fb = storeFingerprint(b);
      expect(fa.samples!.length).toBeGreaterThan(100);
      expect(fa.intervals!.length).toBeGreaterThan(100);
      for (const table of Object.keys(fa)) expect(fb[table], table).toEqual(fa[table]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('answers every catalogue metric with every grouping, and the snapshot, like live derivation', async () => {
    live = await startTestCollector({}, liveDir);
    rebuilt = await startTestCollector({}, rebuiltDir);
    const battery = metricBattery(start, end + HOUR, { interval: '15m', queues: ['Sales'] });
    expect(battery.length).toBeGreaterThan(30);
    expect(await compareAnswers(live, rebuilt, battery)).toEqual([]);
    expect(await compareSnapshots(live, rebuilt)).toEqual([]);
  }, 60_000);
});

describe('when a rebuild is due', () => {
  let dir = '';
  let path = '';
  let env: Record<string, string> = {};
  beforeEach(async () => {
    dir = tempDir();
    path = join(dir, 'floorboard.db');
    env = { FLOORBOARD_DB: path, FLOORBOARD_SLA: join(dir, 'sla.yaml') };
    const c = await startTestCollector({}, dir);
    await runHistory({ seed: 9, start, end: start + HOUR, agents: 4 }, { baseUrl: c.url, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN });
    await c.stop();
  }, 60_000);
  afterEach(() => removeDir(dir));

  it('a migration that changes a definition schedules one, --check reports it, and a rebuild clears it', async () => {
    const db = openDb(path);
    // The newest migration applied again, as if it had changed a definition.
    const last = MIGRATIONS.at(-1)!;
    db.pragma(`user_version = ${last.version - 1}`);
    migrate(db, [...MIGRATIONS.slice(0, -1), { ...last, sql: 'SELECT 1;', up: undefined, rebuild: true }]);
    expect(db.pragma('user_version', { simple: true })).toBe(last.version);
    const next = last.version;
    expect(new DerivedTables(db).rebuildRequired()).toBe(next);
    db.close();

    const check = captured();
    expect(await runRebuildCommand({ check: true }, env, check.stream, check.stream)).toBe(REBUILD_EXIT.due);
    expect(check.text()).toMatch(new RegExp(`^rebuild: due — schema migration ${next} changed how metrics are derived`));
    expect(await runRebuildCommand({}, env, captured().stream, captured().stream, quietProgress([]))).toBe(REBUILD_EXIT.ok);
    const after = captured();
    expect(await runRebuildCommand({ check: true }, env, after.stream, after.stream)).toBe(REBUILD_EXIT.ok);
    expect(after.text()).toBe('rebuild: not needed — the derived tables match this version\n');
  });

  it('an interrupted rebuild stays due; a database retention pruned is refused unless its history may go', async () => {
    const db = openDb(path);
    const failing = rebuildDerived(db, DEFAULT_SLA, {
      onProgress: () => {
        throw new Error('stopped');
      },
    });
    await expect(failing).rejects.toThrow('stopped');
    // The flag stays set, so the collector warns at every start until a rebuild completes.
    expect(new DerivedTables(db).rebuildRequired()).toBe(REBUILD_UNFINISHED);
    const pruned = await new Retention(db, { days: 31, now: () => end + 40 * 86_400_000 }).prune();
    expect(pruned.eventsDeleted).toBeGreaterThan(0);
    db.close();

    const err = captured();
    expect(await runRebuildCommand({}, env, captured().stream, err.stream, quietProgress([]))).toBe(REBUILD_EXIT.refused);
    expect(err.text()).toMatch(
      /^floorboard: retention pruned the events before .* \(pass --drop-pruned-history to rebuild anyway and lose it\)\n$/,
    );
    const out = captured();
    expect(await runRebuildCommand({ dropPrunedHistory: true }, env, out.stream, captured().stream, quietProgress([]))).toBe(
      REBUILD_EXIT.ok,
    );
    expect(out.text()).toMatch(/^rebuild: \d+ events/);
  });
});
