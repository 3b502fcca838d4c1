// Stopping the collector the way operators do: SIGTERM (systemd, `kill`, `docker stop`) or Ctrl-C
// (SIGINT to the whole process group) sent to the OUTERMOST process of each way to run it — the
// image's CMD, `npm start`, `npm run demo`, `npx floorboard serve`. Each must end within 5 s with
// its shutdown line and exit status 0, the SQLite WAL checkpointed into the database, and no
// process of its tree left running.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, removeDir, tempDir } from '../collector/src/test-helpers/harness';
import { isRunning, processTree, ROOT, runCommand, type ProcessInfo, type RunningCommand } from './process';

const STOP_WITHIN_MS = 5000;
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** The Dockerfile's WORKDIR, ENV and exec-form CMD, as `docker run` would use them. */
function imageCommand(): { workdir: string; env: Record<string, string>; cmd: string[] } {
  const text = readFileSync(join(ROOT, 'collector', 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim());
  const workdir = [...lines]
    .reverse()
    .find((l) => l.startsWith('WORKDIR '))!
    .slice(8)
    .trim();
  const env: Record<string, string> = {};
  for (const l of lines.filter((x) => x.startsWith('ENV ')))
    for (const [, k, v] of l.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[k!] = v!;
  const cmdLine = lines.find((l) => l.startsWith('CMD '));
  expect(cmdLine, 'the Dockerfile has a CMD').toBeDefined();
  const cmd = JSON.parse(cmdLine!.slice(4)) as unknown;
  expect(Array.isArray(cmd), 'CMD is in exec form (a JSON array), so no shell stands between docker and the command').toBe(true);
  return { workdir, env, cmd: cmd as string[] };
}

/** The image's environment with its paths mapped onto this checkout (WORKDIR = the repository root), a temp database and loopback. */
function imageEnv(image: ReturnType<typeof imageCommand>, db: string, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(image.env))
    env[k] = v.startsWith(`${image.workdir}/`) ? join(ROOT, v.slice(image.workdir.length + 1)) : v;
  return { ...env, FLOORBOARD_DB: db, PORT: '0', HOST: '127.0.0.1', ...extra };
}

interface Stopped {
  code: number | NodeJS.Signals | null;
  ms: number;
  tree: ProcessInfo[];
  output: string;
}

/** Waits for `ready`, records the process tree, sends `signal` to the outermost process (or its group), and waits for the end. */
async function stopAfter(run: RunningCommand, ready: RegExp, signal: NodeJS.Signals, group = false): Promise<Stopped> {
  await run.waitFor(ready, 90_000);
  const tree = processTree(run.child.pid!);
  const t0 = performance.now();
  if (group) process.kill(-run.child.pid!, signal);
  else run.child.kill(signal);
  const code = await Promise.race([run.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_WITHIN_MS + 5000))]);
  const ms = performance.now() - t0;
  if (code === 'timeout') for (const p of tree) if (isRunning(p.pid)) process.kill(p.pid, 'SIGKILL');
  // Whatever the outermost process did, the whole tree must be gone within the same 5 s.
  while (tree.some((p) => isRunning(p.pid)) && performance.now() - t0 < STOP_WITHIN_MS) await new Promise((r) => setTimeout(r, 50));
  return { code: code === 'timeout' ? null : code, ms, tree, output: run.output() };
}

function expectCleanStop(s: Stopped, db: string, shutdownLine: RegExp): void {
  expect(s.output, s.output).toMatch(shutdownLine);
  expect(s.ms, 'stopped within 5 s').toBeLessThan(STOP_WITHIN_MS);
  expect(
    s.tree.filter((p) => isRunning(p.pid)).map((p) => `${p.pid} ${p.comm}`),
    'processes left running',
  ).toEqual([]);
  // Closing the last connection checkpoints the WAL into the database and removes it.
  expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0, 'WAL checkpointed').toBe(0);
  expect(statSync(db).size).toBeGreaterThan(0);
}

function newDb(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir, 'floorboard.db');
}

const SERVE_STOPPED = /"msg":"collector stopped"/;
const LISTENING = /"msg":"collector listening"/;
const DEMO_STARTED = /Floorboard demo — collector on http/;

describe('the image (collector/Dockerfile CMD, run as a process tree without Docker)', () => {
  it('with TWILIO_AUTH_TOKEN: node itself receives SIGTERM and stops cleanly', async () => {
    const image = imageCommand();
    const db = newDb();
    const run = runCommand(image.cmd, { env: imageEnv(image, db, { TWILIO_AUTH_TOKEN: AUTH_TOKEN }), cwd: ROOT });
    const s = await stopAfter(run, LISTENING, 'SIGTERM');
    // The shell only chose the command and exec'd it: the process docker signals is node.
    expect(s.tree.map((p) => p.comm)).toEqual(['node']);
    expect(s.code).toBe(0);
    expect(s.output).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
    expectCleanStop(s, db, SERVE_STOPPED);
  });

  it('without TWILIO_AUTH_TOKEN (the demo): stops cleanly while loading its history', async () => {
    const image = imageCommand();
    const db = newDb();
    const run = runCommand(image.cmd, { env: imageEnv(image, db, {}), cwd: ROOT });
    const s = await stopAfter(run, /loading 30 days of simulated history/, 'SIGTERM');
    expect(s.tree.map((p) => p.comm)).toEqual(['node']);
    expect(s.code).toBe(0);
    expectCleanStop(s, db, /demo stopped/);
  });
});

describe('npm', () => {
  const env = (db: string) => ({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, FLOORBOARD_DB: db, PORT: '0', HOST: '127.0.0.1' });

  it('npm start: SIGTERM to npm reaches node (the script execs it), exit 0', async () => {
    const db = newDb();
    const s = await stopAfter(runCommand(['npm', 'start'], { env: env(db) }), LISTENING, 'SIGTERM');
    // npm runs the start script's shell, which exec'd node: npm → node, no shell in between.
    expect(s.tree.filter((p) => !p.comm.startsWith('npm')).map((p) => p.comm)).toEqual(['node']);
    expect(s.code).toBe(0);
    expectCleanStop(s, db, SERVE_STOPPED);
  });

  it('npm start: Ctrl-C (SIGINT to the process group, so node gets it twice) stops once, cleanly', async () => {
    const db = newDb();
    const s = await stopAfter(runCommand(['npm', 'start'], { env: env(db), detached: true }), LISTENING, 'SIGINT', true);
    expect(s.code).toBe(0);
    expect(s.output.match(/"msg":"shutting down"/g)).toHaveLength(1);
    expectCleanStop(s, db, SERVE_STOPPED);
  });

  it('npm run demo: SIGTERM to npm stops the demo cleanly', async () => {
    const db = newDb();
    const run = runCommand(['npm', 'run', 'demo', '--', '--days', '1', '--port', '0', '--db', db], {
      env: { FLOORBOARD_LOG_LEVEL: 'warn' },
    });
    const s = await stopAfter(run, DEMO_STARTED, 'SIGTERM');
    expect(s.code).toBe(0);
    expectCleanStop(s, db, /demo stopped/);
  });

  it('npx floorboard serve: npm kills its shell, and the collector notices and stops cleanly', async () => {
    const db = newDb();
    const s = await stopAfter(runCommand(['npx', 'floorboard', 'serve'], { env: env(db) }), LISTENING, 'SIGTERM');
    // npx runs `sh -c floorboard …`; npm forwards SIGTERM to that shell only, which dies of it,
    // and npm then ends by the same signal (its own behaviour). The collector sees its parent go.
    expect(s.code).toBe('SIGTERM');
    expect(s.output).toMatch(/"msg":"shutting down"/);
    expectCleanStop(s, db, SERVE_STOPPED);
  });
});
