// The built collector as a real process: start-up errors, graceful stop, and restart after SIGKILL.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handledTask } from '../collector/src/test-helpers/fixtures';
import { AUTH_TOKEN, postCallback, PUBLIC_URL, removeDir, tempDir } from '../collector/src/test-helpers/harness';
import { runCollectorExpectingFailure, spawnCollector } from './process';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
function dbIn(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, 'fb.db');
}
const env = (db: string) => ({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, FLOORBOARD_PUBLIC_URL: PUBLIC_URL, FLOORBOARD_DB: db, FLOORBOARD_SLA: join(db, '..', 'sla.yaml') });

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

  it('keeps every acknowledged event across a SIGKILL and a restart', async () => {
    const db = dbIn();
    const first = await spawnCollector(env(db));
    const events = Array.from({ length: 40 }, (_, i) => handledTask('WT' + i.toString(16).padStart(32, '0'), Date.UTC(2026, 10, 20, 9, i), 10, 60, 5)).flat();
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
