// An online rebuild cut short by SIGKILL, on the built collector process: the tables that served
// before keep serving, and the restart is clean — the shadow file and any half-copied tables are gone,
// the store is what it was before the rebuild began, and a rebuild asked for again completes with the
// same store (what live derivation stored).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RebuildStatus } from '@floorboard/contract';
import { runHistory } from '../collector/src/simulate/index';
import { storeFingerprint } from '../collector/src/store/fingerprint';
import { rebuildTables, shadowPath } from '../collector/src/store/shadow';
import { AUTH_TOKEN, PUBLIC_URL, readDb, removeDir, tempDir } from '../collector/src/test-helpers/harness';
import { spawnCollector, type CollectorProcess } from './process';
import { collectorEnv, stopGracefully } from './soak';

const API_TOKEN = 'admin-token-for-tests';
const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 16, 8);

const dirs: string[] = [];
const running: CollectorProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  dirs.forEach(removeDir);
});

const admin = async (url: string, method: 'GET' | 'POST'): Promise<{ status: number; body: RebuildStatus }> => {
  const res = await fetch(`${url}/api/admin/rebuild`, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: res.status, body: (await res.json()) as RebuildStatus };
};

describe('an online rebuild killed half-way', () => {
  it('leaves the old tables serving and a clean restart; asked again, it completes with the same store', async () => {
    const dir = tempDir('floorboard-rebuild-crash-');
    dirs.push(dir);
    const dbPath = join(dir, 'floorboard.db');
    const env = collectorEnv(dbPath, { FLOORBOARD_API_TOKEN: API_TOKEN });
    const first = await spawnCollector(env);
    running.push(first);
    const { events } = await runHistory(
      { seed: 4, start, end: start + 8 * HOUR, agents: 40 },
      { baseUrl: first.url, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN },
    );
    expect(events).toBeGreaterThan(3000);
    const before = readDb(dbPath, storeFingerprint);
    expect(before.samples!.length).toBeGreaterThan(1000);

    expect((await admin(first.url, 'POST')).status).toBe(202);
    // Killed once the rebuild is past its first pass: deriving task facts, catching up or copying.
    let seen: RebuildStatus;
    do seen = (await admin(first.url, 'GET')).body;
    while (seen.state === 'running' && (seen.phase === 'state' || seen.phase === null));
    expect(seen.state).toBe('running');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(existsSync(shadowPath(dbPath))).toBe(true);

    const second = await spawnCollector(env);
    running.push(second);
    expect(existsSync(shadowPath(dbPath))).toBe(false);
    expect(readDb(dbPath, rebuildTables)).toEqual([]);
    expect((await admin(second.url, 'GET')).body.state).toBe('idle');
    expect(readDb(dbPath, storeFingerprint)).toEqual(before);

    expect((await admin(second.url, 'POST')).status).toBe(202);
    let end: RebuildStatus;
    do {
      await new Promise((r) => setTimeout(r, 50));
      end = (await admin(second.url, 'GET')).body;
    } while (end.state === 'running');
    expect(end).toMatchObject({ state: 'done', trigger: 'request', events, error: null });
    expect(await stopGracefully(second)).toBe(0);
    expect(readDb(dbPath, rebuildTables)).toEqual([]);
    expect(readDb(dbPath, storeFingerprint)).toEqual(before);
  }, 180_000);
});
