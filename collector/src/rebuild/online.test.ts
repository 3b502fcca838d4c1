// The online rebuild on a real collector (real HTTP on an ephemeral port, a real SQLite file): while
// `npx floorboard rebuild --online` runs, signed Event Callbacks keep arriving through the webhook;
// afterwards every acknowledged event is stored and counted once, and the store and every catalogue
// metric × grouping answer exactly as a fresh offline rebuild of the same log does. Also: a second
// request while one runs is refused in one line (409), what a cut-short rebuild leaves is discarded
// at the next start with the old tables serving, and a migration that schedules a rebuild gets one
// at start-up.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RebuildStatus } from '@floorboard/contract';
import { runRebuildCommand, REBUILD_EXIT } from '../commands/rebuild';
import type { Progress } from '../commands/progress';
import { sendBatch, sendCallback, Simulation } from '../simulate/index';
import type { TaskRouterEventParams } from '../simulate/index';
import { openDb } from '../store/db';
import { DerivedTables } from '../store/derived';
import { storeFingerprint } from '../store/fingerprint';
import { migrate, MIGRATIONS } from '../store/migrations';
import { INDEX_SUFFIX, openShadow, rebuildTables, shadowPath, startCopy } from '../store/shadow';
import {
  AUTH_TOKEN,
  captured,
  PUBLIC_URL,
  readDb,
  removeDir,
  startTestCollector,
  tempDir,
  type TestCollector,
} from '../test-helpers/index';
import { compareAnswers, compareSnapshots, metricBattery } from '../verify/consistency';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 16, 8);
const end = start + 8 * HOUR;
const API_TOKEN = 'admin-token-for-tests';

const quietProgress = (seen: string[]): Progress => ({ update: (_d, _t, detail) => seen.push(detail), stop() {} });

const statusOf = async (url: string): Promise<RebuildStatus> =>
  (await (await fetch(`${url}/api/admin/rebuild`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as RebuildStatus;

async function waitForRebuild(url: string): Promise<RebuildStatus> {
  for (let i = 0; i < 1200; i++) {
    const s = await statusOf(url);
    if (s.state === 'done' || s.state === 'failed') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the rebuild did not end within a minute');
}

/** A simulated center (seeded): 8 hours of 40 agents' events (~6,800), in the order Twilio would send them. */
const simulated = (): TaskRouterEventParams[] => [...new Simulation({ seed: 21, start, end, agents: 40 }).events()];

async function sendBatches(url: string, events: TaskRouterEventParams[]): Promise<void> {
  for (let i = 0; i < events.length; i += 200) {
    const status = await sendBatch(url, PUBLIC_URL, AUTH_TOKEN, events.slice(i, i + 200));
    if (status < 200 || status > 299) throw new Error(`batch answered ${status}`);
  }
}

describe('npx floorboard rebuild --online', () => {
  const dir = tempDir();
  const refDir = tempDir();
  const path = join(dir, 'floorboard.db');
  let c: TestCollector | undefined;
  let ref: TestCollector | undefined;
  const events = simulated();
  const before = events.slice(0, Math.floor(events.length * 0.6));
  const during = events.slice(before.length);
  let ackedDuring = 0;
  let rebuilt: RebuildStatus | undefined;

  beforeAll(async () => {
    c = await startTestCollector({ FLOORBOARD_API_TOKEN: API_TOKEN }, dir);
    await sendBatches(c.url, before);
  }, 120_000);

  afterAll(async () => {
    await c?.stop();
    await ref?.stop();
    removeDir(dir);
    removeDir(refDir);
  });

  it('rebuilds while signed Event Callbacks keep arriving, and refuses a second rebuild meanwhile in one line', async () => {
    const url = c!.url;
    const out = captured();
    const err = captured();
    const phases: string[] = [];
    // Event Callbacks, four in flight, through the real webhook, from before the rebuild starts until they are all sent.
    let next = 0;
    const phasesSeen = new Set<string>();
    const sender = async () => {
      while (next < during.length) {
        const e = during[next++]!;
        const status = await sendCallback(url, PUBLIC_URL, AUTH_TOKEN, e);
        expect(status).toBe(204);
        const s = c!.rebuild.status();
        if (s.state === 'running') {
          ackedDuring++;
          phasesSeen.add(s.phase!);
        }
      }
    };
    const sending = [sender(), sender(), sender(), sender()];
    const command = runRebuildCommand(
      { online: { url, pollMs: 5 } },
      { FLOORBOARD_DB: path, FLOORBOARD_API_TOKEN: API_TOKEN, FLOORBOARD_SLA: join(dir, 'sla.yaml') },
      out.stream,
      err.stream,
      quietProgress(phases),
    );
    // Wait for the command's request to have started the rebuild.
    while ((await statusOf(url)).state !== 'running') await new Promise((r) => setTimeout(r, 5));
    const second = await fetch(`${url}/api/admin/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(second.status).toBe(409);
    const refusal = ((await second.json()) as { error: string }).error;
    expect(refusal).toMatch(/^a rebuild is already running \(.+\); GET \/api\/admin\/rebuild shows its progress$/);
    const again = captured();
    const env = { FLOORBOARD_DB: path, FLOORBOARD_API_TOKEN: API_TOKEN };
    expect(await runRebuildCommand({ online: { url } }, env, captured().stream, again.stream, quietProgress([]))).toBe(
      REBUILD_EXIT.running,
    );
    expect(again.text()).toMatch(/^floorboard: a rebuild is already running \(.+\); GET \/api\/admin\/rebuild shows its progress\n$/);

    const [code] = await Promise.all([command, ...sending]);
    expect(err.text()).toBe('');
    expect(code).toBe(REBUILD_EXIT.ok);
    expect(out.text()).toMatch(
      /^rebuild: \d+ events, \d+ tasks re-derived online in [\d.]+ s \(\d+ events\/s\); the collector answers from the rebuilt tables\n$/,
    );
    // The progress bar ended full; events were acknowledged while the rebuild derived from the log.
    expect(phases.at(-1)).toBe('switching the answers');
    expect([...phasesSeen].filter((p) => p === 'state' || p === 'facts').length).toBeGreaterThan(0);
    rebuilt = await statusOf(url);
    expect(rebuilt).toMatchObject({ state: 'done', trigger: 'request', error: null });
    // The webhook kept acknowledging during the rebuild.
    expect(ackedDuring).toBeGreaterThan(20);
  }, 120_000);

  it('stores every acknowledged event once, projected, with nothing of the rebuild left behind', () => {
    const db = c!.db;
    const stored = db
      .prepare<[], { n: number; d: number; max: number }>('SELECT count(*) AS n, count(DISTINCT sid) AS d, max(id) AS max FROM events')
      .get()!;
    expect(stored.n).toBe(events.length);
    expect(stored.d).toBe(events.length);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'projected_id'").pluck().get()).toBe(stored.max);
    expect(new DerivedTables(db).rebuildRequired()).toBeNull();
    expect(existsSync(shadowPath(path))).toBe(false);
    expect(readDb(path, rebuildTables)).toEqual([]);
    // The swapped-in indexes carry the alternate name (a migration gets their own names back: below).
    expect(
      db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name GLOB '*${INDEX_SUFFIX}'`).pluck().get(),
    ).toBeGreaterThan(0);
  });

  it('holds and answers exactly what a fresh offline rebuild of the same log does, for every metric and grouping', async () => {
    await c!.stop();
    copyFileSync(path, join(refDir, 'floorboard.db'));
    copyFileSync(join(dir, 'sla.yaml'), join(refDir, 'sla.yaml'));
    const code = await runRebuildCommand(
      {},
      { FLOORBOARD_DB: join(refDir, 'floorboard.db'), FLOORBOARD_SLA: join(refDir, 'sla.yaml') },
      captured().stream,
      captured().stream,
      quietProgress([]),
    );
    expect(code).toBe(REBUILD_EXIT.ok);
    const online = readDb(path, storeFingerprint);
    const offline = readDb(join(refDir, 'floorboard.db'), storeFingerprint);
    expect(online.samples!.length).toBeGreaterThan(100);
    for (const table of Object.keys(offline)) expect(online[table], table).toEqual(offline[table]);

    c = await startTestCollector({ FLOORBOARD_API_TOKEN: API_TOKEN }, dir);
    ref = await startTestCollector({ FLOORBOARD_API_TOKEN: API_TOKEN }, refDir);
    const battery = metricBattery(start, end + HOUR, { interval: '15m', queues: ['Sales'] });
    expect(battery.length).toBeGreaterThan(30);
    const a = { url: c.url, apiToken: API_TOKEN };
    const b = { url: ref.url, apiToken: API_TOKEN };
    expect(await compareAnswers(a, b, battery)).toEqual([]);
    expect(await compareSnapshots(a, b)).toEqual([]);
  }, 120_000);

  it('a migration that changes a definition starts an online rebuild at start-up; it finds its indexes by their own names', async () => {
    await c!.stop();
    const before = readDb(path, storeFingerprint);
    const db = openDb(path);
    const last = MIGRATIONS.at(-1)!;
    db.pragma(`user_version = ${last.version - 1}`);
    migrate(db, [...MIGRATIONS.slice(0, -1), { ...last, sql: 'SELECT 1;', up: undefined, rebuild: true }]);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name GLOB '*${INDEX_SUFFIX}'`).pluck().get()).toBe(0);
    expect(new DerivedTables(db).rebuildRequired()).toBe(last.version);
    db.close();

    c = await startTestCollector({ FLOORBOARD_API_TOKEN: API_TOKEN }, dir);
    expect(c.rebuild.status()).toMatchObject({ state: 'running', trigger: 'migration' });
    expect(await waitForRebuild(c.url)).toMatchObject({ state: 'done', trigger: 'migration' });
    expect(new DerivedTables(c.db).rebuildRequired()).toBeNull();
    await c.stop();
    expect(readDb(path, storeFingerprint)).toEqual(before);
  }, 120_000);

  it('what a cut-short rebuild left is discarded at the next start, and the old tables serve', async () => {
    const before = readDb(path, storeFingerprint);
    // A rebuild cut short half-way through its copy: the shadow file and part of the new tables.
    const db = openDb(path);
    const shadow = openShadow(db);
    shadow.exec("INSERT INTO main.dims (kind, name) VALUES ('queue', 'only in the shadow')");
    const copy = startCopy(shadow);
    copy.step(1);
    shadow.close();
    db.close();
    expect(existsSync(shadowPath(path))).toBe(true);
    expect(readDb(path, rebuildTables).length).toBeGreaterThan(5);

    c = await startTestCollector({ FLOORBOARD_API_TOKEN: API_TOKEN }, dir);
    expect(c.rebuild.status().state).toBe('idle');
    expect(existsSync(shadowPath(path))).toBe(false);
    expect(readDb(path, rebuildTables)).toEqual([]);
    await c.stop();
    expect(readDb(path, storeFingerprint)).toEqual(before);
    c = undefined;
  }, 60_000);
});
