// The built collector as a real process: start-up errors, graceful stop, and restart after SIGKILL.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handledTask } from '../collector/src/test-helpers/fixtures';
import { AUTH_TOKEN, postCallback, PUBLIC_URL, removeDir, slaFileIn, tempDir } from '../collector/src/test-helpers/harness';
import { COLLECTOR_MAIN, ROOT, runCollectorExpectingFailure, runToExit, spawnCollector } from './process';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
function dbIn(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, 'fb.db');
}
const env = (db: string) => ({
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  FLOORBOARD_PUBLIC_URL: PUBLIC_URL,
  FLOORBOARD_DB: db,
  FLOORBOARD_SLA: slaFileIn(join(db, '..')),
});

describe('collector process', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ FLOORBOARD_TZ: 'Nowhere/Land' }, 'FLOORBOARD_TZ'],
    [{ TWILIO_AUTH_TOKEN: '' }, 'TWILIO_AUTH_TOKEN'],
  ])('stops with one clear line naming the variable: %j', async (bad, name) => {
    const { code, stderr, stdout } = await runCollectorExpectingFailure({ ...env(dbIn()), ...bad });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`^floorboard: ${name} `));
    expect(stderr + stdout).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('stops with one clear line when the SLA file is invalid', async () => {
    const db = dbIn();
    const sla = join(db, '..', 'sla.yaml');
    require('node:fs').writeFileSync(sla, 'serviceLevelSeconds: -3\n');
    const { code, stderr } = await runCollectorExpectingFailure({ ...env(db), FLOORBOARD_SLA: sla });
    expect(code).not.toBe(0);
    expect(stderr.trim()).toMatch(/^floorboard: .*sla\.yaml: serviceLevelSeconds: /);
  });

  it('stops with one line naming FLOORBOARD_SLA when the file it names does not exist', async () => {
    const db = dbIn();
    const missing = join(db, '..', 'no-such-sla.yaml');
    const { code, stderr, stdout } = await runCollectorExpectingFailure({ ...env(db), FLOORBOARD_SLA: missing });
    expect(code).toBe(78);
    expect(stderr).toBe(`floorboard: FLOORBOARD_SLA: no file at ${missing}\n`);
    expect(stdout).not.toMatch(/collector listening/);
  });

  it('without FLOORBOARD_SLA and no ./sla.yaml, starts on the built-in defaults and says so in one info line', async () => {
    const db = dbIn();
    const { FLOORBOARD_SLA: _named, ...rest } = env(db);
    const dir = join(db, '..');
    require('node:fs').rmSync(join(dir, 'sla.yaml'), { force: true });
    const proc = await spawnCollector(rest, dir);
    try {
      const page = await (await fetch(`${proc.url}/`)).text();
      expect(page).toMatch(/built-in defaults \(no file at <code>\.\/sla\.yaml<\/code>/);
      const said = proc
        .output()
        .split('\n')
        .filter((l) => l.includes('SLA'));
      expect(said).toHaveLength(1);
      expect(JSON.parse(said[0]!)).toMatchObject({
        level: 30,
        path: join(dir, 'sla.yaml'),
        msg: 'no SLA file at the default path; using the built-in SLA defaults (FLOORBOARD_SLA names another file)',
      });
      expect(proc.stderr()).toBe('');
    } finally {
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    }
  });

  it('says the same one line when the port is taken, whichever command starts it', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as import('node:net').AddressInfo).port;
    try {
      const db = dbIn();
      const e = { ...env(db), HOST: '127.0.0.1', PORT: String(port) };
      const cli = join(ROOT, 'collector', 'dist', 'cli.js');
      const runs = await Promise.all([
        runToExit([process.execPath, COLLECTOR_MAIN], e), // what `npm start` runs
        runToExit([process.execPath, cli, 'serve', '--port', String(port)], e),
        runToExit([process.execPath, cli, 'demo', '--port', String(port), '--db', db], e),
      ]);
      const expected = `floorboard: port ${port} is already in use on 127.0.0.1 (another collector or demo?): stop it, or choose another port with PORT or --port\n`;
      for (const r of runs) {
        expect(r.stderr).toBe(expected);
        expect(r.code).toBe(1);
      }
    } finally {
      busy.close();
    }
  });

  it('answers the container health check (with the API token when one is set), and fails it in one line when down', async () => {
    const db = dbIn();
    const proc = await spawnCollector({ ...env(db), FLOORBOARD_API_TOKEN: 'health-token' });
    const check = join(ROOT, 'collector', 'bin', 'healthcheck.js');
    const port = new URL(proc.url).port;
    try {
      const ok = await runToExit([process.execPath, check], { PORT: port, HOST: '0.0.0.0', FLOORBOARD_API_TOKEN: 'health-token' });
      expect(ok).toMatchObject({ code: 0, stdout: 'healthy: 0 events stored\n' });
      const wrongToken = await runToExit([process.execPath, check], { PORT: port, FLOORBOARD_API_TOKEN: 'wrong' });
      expect(wrongToken).toMatchObject({ code: 1, stdout: `unhealthy: http://127.0.0.1:${port}/api/health answered 401\n` });
    } finally {
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    }
    const down = await runToExit([process.execPath, check], { PORT: port });
    expect(down).toMatchObject({ code: 1, stdout: `unhealthy: http://127.0.0.1:${port}/api/health did not answer (ECONNREFUSED)\n` });
  });

  it('keeps every acknowledged event across a SIGKILL and a restart', async () => {
    const db = dbIn();
    const first = await spawnCollector(env(db));
    const events = Array.from({ length: 40 }, (_, i) =>
      handledTask('WT' + i.toString(16).padStart(32, '0'), Date.UTC(2026, 10, 20, 9, i), 10, 60, 5),
    ).flat();
    const acked = new Set<string>();
    await Promise.all(
      events.map(async (p) => {
        const res = await postCallback(first.url, p);
        if (res.status === 204) acked.add(p.Sid!);
      }),
    );
    expect(acked.size).toBe(events.length);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await spawnCollector(env(db));
    try {
      const health = (await (await fetch(`${second.url}/api/health`)).json()) as { eventsStored: number };
      expect(health.eventsStored).toBe(acked.size);
      // Retried deliveries after the restart are recognised as duplicates.
      for (const p of events.slice(0, 5)) expect((await postCallback(second.url, p)).status).toBe(204);
      const again = (await (await fetch(`${second.url}/api/health`)).json()) as { eventsStored: number };
      expect(again.eventsStored).toBe(acked.size);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
