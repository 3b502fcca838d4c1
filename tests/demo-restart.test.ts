// `floorboard demo` run twice on one database: the second run closes the tasks the first left open
// (their simulated customers and agents ended with it) and says how many and why.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../collector/src/test-helpers/harness';
import { ROOT, runCommand } from './process';

const dir = tempDir();
afterAll(() => removeDir(dir));
const db = join(dir, 'demo.db');

/**
 * A fixed-offset zone where it is now about midday, so the first run stops with customers waiting or in a
 * call. A larger floor than the default (150 agents: traffic follows head count) keeps a quiet Sunday midday
 * from leaving nobody on the line (with 40 agents it sometimes did).
 */
function middayZone(): string {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12; // -12 … +11 hours
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`; // Etc/GMT-3 is UTC+3
}

function openTasks(): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare<[], { task_sid: string }>(
        'SELECT task_sid FROM tasks WHERE completed_ms IS NULL AND canceled_ms IS NULL AND deleted_ms IS NULL',
      )
      .all()
      .map((r) => r.task_sid);
  } finally {
    d.close();
  }
}

async function demo(): Promise<string> {
  const run = runCommand(
    [
      process.execPath,
      join(ROOT, 'collector', 'dist', 'cli.js'),
      'demo',
      '--days',
      '1',
      '--agents',
      '150',
      '--port',
      '0',
      '--db',
      db,
      '--tz',
      middayZone(),
    ],
    { env: { FLOORBOARD_LOG_LEVEL: 'warn' } },
  );
  await run.waitFor(/live traffic follows/, 90_000);
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  return run.output();
}

describe('demo restart', () => {
  it('closes the tasks the last run left open, and says how many and why', async () => {
    const first = await demo();
    expect(first).toMatch(/loading 1 day of simulated history/);
    const leftOpen = openTasks();
    expect(leftOpen.length).toBeGreaterThan(0);

    const second = await demo();
    expect(second).toMatch(/reusing stored data; simulating the \d+ (minute|hour)s? since the last run/);
    expect(second).toContain(
      `closed ${leftOpen.length} task${leftOpen.length === 1 ? '' : 's'} the last run left waiting or in progress: their simulated customers and agents ended with that run, so each got a task.system-deleted event, as TaskRouter sends when it removes a task`,
    );
    const stillOpen = new Set(openTasks());
    expect(leftOpen.filter((sid) => stillOpen.has(sid))).toEqual([]);
  }, 180_000);
});
