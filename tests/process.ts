// Real processes for end-to-end tests: the built collector (`collector/dist/index.js`) or any
// command line (npm start, the image's CMD), with their output, exit and process tree (/proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const COLLECTOR_MAIN = join(ROOT, 'collector', 'dist', 'index.js');

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export interface RunningCommand {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Resolves with the first match of `pattern` in the output; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

export interface CommandOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Own process group (pid = group id), so a test can signal the whole group as a terminal's Ctrl-C does. */
  detached?: boolean;
}

/** Starts `argv` with exactly the given environment (plus PATH and HOME). */
export function runCommand(argv: readonly string[], opts: CommandOptions): RunningCommand {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let output = '';
  let err = '';
  const waiters = new Set<() => void>();
  const seen = (d: Buffer) => {
    output += d.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', seen);
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    seen(d);
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(output);
        if (!m) return;
        done();
        resolve(m);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} after ${timeoutMs} ms; output:\n${output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then((code) => {
        if (!waiters.has(check)) return;
        done();
        reject(new Error(`exited (${String(code)}) before ${pattern}; output:\n${output}`));
      });
      check();
    });
  return { child, output: () => output, stderr: () => err, exited, waitFor };
}

/** Starts the collector on an ephemeral port and resolves once it is listening. */
export async function spawnCollector(env: Record<string, string>, cwd?: string): Promise<CollectorProcess> {
  const run = runCommand([process.execPath, COLLECTOR_MAIN], {
    env: { PORT: '0', HOST: '127.0.0.1', FLOORBOARD_LOG_LEVEL: 'info', ...env },
    ...(cwd ? { cwd } : {}),
  });
  const m = await run.waitFor(/"url":"(http:\/\/[^"]+)".*"msg":"collector listening"/, 30_000);
  return { child: run.child, url: m[1]!, stderr: run.stderr, output: run.output, exited: run.exited };
}

/** Runs a command expecting it to end by itself (e.g. refuse to start); resolves with its exit code and output. */
export async function runToExit(
  argv: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    }),
  );
}

/** Runs the collector expecting it to refuse to start; resolves with its exit code and stderr. */
export function runCollectorExpectingFailure(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return runToExit([process.execPath, COLLECTOR_MAIN], env);
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The kernel's short name of the program (`node`, `npm start`, `sh`). */
  comm: string;
  /** R running, S sleeping, Z zombie (ended, not yet reaped), … */
  state: string;
}

function readStat(pid: number): ProcessInfo | null {
  try {
    const m = /^(\d+) \((.*)\) (\S) (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return m ? { pid, comm: m[2]!, state: m[3]!, ppid: Number(m[4]) } : null;
  } catch {
    return null;
  }
}

/** `root` and every process below it now (from /proc), parents before children. */
export function processTree(root: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((p): p is ProcessInfo => p !== null);
  const top = all.find((p) => p.pid === root);
  if (!top) return [];
  const out = [top];
  for (let i = 0; i < out.length; i++) out.push(...all.filter((p) => p.ppid === out[i]!.pid));
  return out;
}

/** Still running: exists and has not ended (a zombie has ended; only its exit status waits to be read). */
export function isRunning(pid: number): boolean {
  const p = readStat(pid);
  return p !== null && p.state !== 'Z' && p.state !== 'X';
}
