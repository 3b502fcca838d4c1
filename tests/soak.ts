// Crash-and-recover driver for the built collector process: signed Event Callbacks from the
// simulator, many in flight, SIGKILL at chosen points, restart on the same database, re-send what
// was not acknowledged (plus some that were, as Twilio retries do), and a clean replay into a fresh
// collector to compare against. Used by tests/crash-safety.test.ts; run alone for a longer soak:
//   npm run build -w collector && SOAK_EVENTS=50000 npx vite-node tests/soak.ts
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { AUTH_TOKEN, PUBLIC_URL, removeDir, slaFileIn, tempDir } from '../collector/src/test-helpers/harness';
import { sendCallback, simulateEvents, type TaskRouterEventParams } from '../collector/src/simulate';
import { spawnCollector, type CollectorProcess } from './process';

/** A Monday in Europe/London winter time (UTC+0): a busy morning is deterministic whenever the test runs. */
export const SOAK_START = Date.parse('2026-11-16T08:00:00Z');

/**
 * The first `count` events of a deterministic simulation starting at SOAK_START — or whole weeks
 * earlier for large counts (about 50,000 events a week), so no event lies in the future.
 */
export function soakEvents(count: number, seed = 7, agents = 40): TaskRouterEventParams[] {
  const out: TaskRouterEventParams[] = [];
  const start = SOAK_START - Math.floor(count / 50_000) * 7 * 86_400_000;
  for (const e of simulateEvents({ seed, start, end: start + 365 * 86_400_000, agents })) {
    if (out.length >= count) break;
    out.push(e);
  }
  return out;
}

/** Seeded Fisher–Yates (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function collectorEnv(dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    FLOORBOARD_PUBLIC_URL: PUBLIC_URL,
    FLOORBOARD_DB: dbPath,
    FLOORBOARD_SLA: slaFileIn(join(dbPath, '..')),
    ...extra,
  };
}

/** Spawns the collector and measures how long it takes until it listens. */
export async function startTimed(env: Record<string, string>): Promise<{ proc: CollectorProcess; startupMs: number }> {
  const t0 = performance.now();
  const proc = await spawnCollector(env);
  return { proc, startupMs: performance.now() - t0 };
}

export interface DeliveryTally {
  /** POSTs attempted. */
  posts: number;
  /** POSTs answered 2xx. */
  acknowledged: number;
  /** POSTs answered with something else, by status. */
  refused: Record<string, number>;
  /** POSTs that got no answer (connection refused or reset by the kill). */
  unanswered: number;
}

/**
 * Sends `events` with `concurrency` requests in flight. Stops taking new events once `stopWhen`
 * says so (checked after each acknowledgement) and calls `onStop` once, with the number in flight.
 */
export async function deliver(
  url: string,
  events: readonly TaskRouterEventParams[],
  acked: Set<string>,
  opts: { concurrency: number; stopWhen?: () => boolean; onStop?: (inFlight: number) => void },
): Promise<DeliveryTally> {
  const tally: DeliveryTally = { posts: 0, acknowledged: 0, refused: {}, unanswered: 0 };
  let next = 0;
  let inFlight = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < events.length) {
      const e = events[next++]!;
      tally.posts++;
      inFlight++;
      try {
        const status = await sendCallback(url, PUBLIC_URL, AUTH_TOKEN, e);
        if (status >= 200 && status < 300) {
          tally.acknowledged++;
          acked.add(e.Sid);
        } else tally.refused[status] = (tally.refused[status] ?? 0) + 1;
      } catch {
        tally.unanswered++;
      } finally {
        inFlight--;
      }
      if (!stopped && opts.stopWhen?.()) {
        stopped = true;
        opts.onStop?.(inFlight);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return tally;
}

export interface KillPoint {
  /** Fraction of all events acknowledged when the kill was due. */
  fraction: number;
  /** Distinct events acknowledged when SIGKILL was sent. */
  ackedAtKill: number;
  /** Requests in flight (sent, not answered) at the kill. */
  inFlightAtKill: number;
  /** How the process ended (the signal). */
  exitedWith: string;
  /** Events in the database when the collector came back, read from the file. */
  storedAfterRestart: number;
  /** Acknowledged events missing from the database after the restart (must be 0). */
  acknowledgedButMissing: number;
  /**
   * Events the log held beyond the projector's position when the process died (killed between the
   * log's commit and the projector's); the restart projects them. -1 when the file could not be read.
   */
  unprojectedAtKill: number;
}

export interface CrashReport {
  events: number;
  posts: number;
  acknowledgedPosts: number;
  distinctAcknowledged: number;
  /** Already-acknowledged events sent again after a restart (Twilio retries). */
  retriedAcknowledged: number;
  unanswered: number;
  refused: Record<string, number>;
  kills: KillPoint[];
  /** Spawn-to-listening time of each (re)start on the crash database, ms. */
  startupMs: number[];
}

/**
 * Delivers every event to a collector on `dbPath`, SIGKILLing it when each fraction of `killAt`
 * has been acknowledged and restarting it on the same file; after each restart re-sends all that
 * is not yet acknowledged plus `retries` acknowledged ones. Resolves with the report and the last
 * collector, still running.
 */
export async function crashAndRecover(opts: {
  events: readonly TaskRouterEventParams[];
  dbPath: string;
  killAt: readonly number[];
  concurrency?: number;
  retries?: number;
  seed?: number;
}): Promise<{ report: CrashReport; collector: CollectorProcess }> {
  const { events, dbPath } = opts;
  const concurrency = opts.concurrency ?? 16;
  const acked = new Set<string>();
  const report: CrashReport = {
    events: events.length,
    posts: 0,
    acknowledgedPosts: 0,
    distinctAcknowledged: 0,
    retriedAcknowledged: 0,
    unanswered: 0,
    refused: {},
    kills: [],
    startupMs: [],
  };
  const add = (t: DeliveryTally) => {
    report.posts += t.posts;
    report.acknowledgedPosts += t.acknowledged;
    report.unanswered += t.unanswered;
    for (const [k, v] of Object.entries(t.refused)) report.refused[k] = (report.refused[k] ?? 0) + v;
  };
  let round = 0;
  for (let segment = 0; ; segment++) {
    const { proc, startupMs } = await startTimed(collectorEnv(dbPath));
    report.startupMs.push(startupMs);
    const previousKill = report.kills[segment - 1];
    if (previousKill) {
      // Read the file the restarted collector opened (WAL: a second reader is fine).
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      const stored = new Set(db.prepare('SELECT sid FROM events').pluck().all() as string[]);
      db.close();
      previousKill.storedAfterRestart = stored.size;
      previousKill.acknowledgedButMissing = [...acked].filter((sid) => !stored.has(sid)).length;
    }
    const killFraction = opts.killAt[segment];
    const pending = events.filter((e) => !acked.has(e.Sid));
    const retried =
      segment === 0
        ? []
        : shuffled(
            events.filter((e) => acked.has(e.Sid)),
            (opts.seed ?? 1) + segment,
          ).slice(0, opts.retries ?? 25);
    report.retriedAcknowledged += retried.length;
    // Retries go first, mixed into the stream as Twilio would deliver them.
    const batch = shuffled([...retried, ...pending], (opts.seed ?? 1) * 31 + segment);
    if (killFraction === undefined) {
      // Last segment: deliver everything, retrying what was refused or unanswered.
      for (round = 0; round < 5 && events.some((e) => !acked.has(e.Sid)); round++)
        add(await deliver(proc.url, round === 0 ? batch : events.filter((e) => !acked.has(e.Sid)), acked, { concurrency }));
      report.distinctAcknowledged = acked.size;
      return { report, collector: proc };
    }
    const threshold = Math.ceil(killFraction * events.length);
    let kill: KillPoint | undefined;
    add(
      await deliver(proc.url, batch, acked, {
        concurrency,
        stopWhen: () => acked.size >= threshold,
        onStop: (inFlight) => {
          kill = {
            fraction: killFraction,
            ackedAtKill: acked.size,
            inFlightAtKill: inFlight,
            exitedWith: '',
            storedAfterRestart: -1,
            acknowledgedButMissing: -1,
            unprojectedAtKill: -1,
          };
          proc.child.kill('SIGKILL');
        },
      }),
    );
    if (!kill) {
      proc.child.kill('SIGKILL');
      kill = {
        fraction: killFraction,
        ackedAtKill: acked.size,
        inFlightAtKill: 0,
        exitedWith: '',
        storedAfterRestart: -1,
        acknowledgedButMissing: -1,
        unprojectedAtKill: -1,
      };
    }
    kill.exitedWith = String(await proc.exited);
    kill.unprojectedAtKill = unprojected(dbPath);
    report.kills.push(kill);
  }
}

/** Events logged past the projector's position in a stopped collector's file. */
function unprojected(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare("SELECT count(*) FROM events WHERE id > (SELECT value FROM meta WHERE key = 'projected_id')")
        .pluck()
        .get() as number;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}

/** Sends every event, shuffled, to a fresh collector (the clean replay to compare with). */
export async function cleanReplay(
  url: string,
  events: readonly TaskRouterEventParams[],
  seed: number,
  concurrency = 16,
): Promise<DeliveryTally> {
  const acked = new Set<string>();
  const tally = await deliver(url, shuffled(events, seed), acked, { concurrency });
  if (acked.size !== events.length) throw new Error(`clean replay: only ${acked.size} of ${events.length} events acknowledged`);
  return tally;
}

export async function stopGracefully(proc: CollectorProcess): Promise<number | NodeJS.Signals | null> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}

export function vmRssKb(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  const { openDb } = await import('../collector/src/store/db');
  const { compareAnswers, compareSnapshots, metricBattery, differences } = await import('../collector/src/verify/consistency');
  const { storeFingerprint } = await import('../collector/src/store/fingerprint');
  const count = Number(process.env.SOAK_EVENTS ?? 50_000);
  const killAt = (process.env.SOAK_KILLS ?? '0.1,0.25,0.4,0.55,0.7,0.85').split(',').map(Number);
  const dir = tempDir('floorboard-soak-');
  try {
    const t0 = performance.now();
    const events = soakEvents(count);
    const span = [Number(events[0]!.TimestampMs), Number(events[events.length - 1]!.TimestampMs)] as const;
    process.stdout.write(
      `soak: ${events.length} events, ${new Date(span[0]).toISOString()} .. ${new Date(span[1]).toISOString()}, kills at ${killAt.join(', ')}\n`,
    );
    const crashDb = join(dir, 'crash.db');
    const { report, collector } = await crashAndRecover({ events, dbPath: crashDb, killAt, retries: 200 });
    const driveS = (performance.now() - t0) / 1000;
    const { proc: clean } = await startTimed(collectorEnv(join(dir, 'clean.db')));
    await cleanReplay(clean.url, events, 99);
    const from = Math.floor(span[0] / 3_600_000) * 3_600_000;
    const to = Math.min(from + 400 * 86_400_000, Math.ceil((span[1] + 1) / 3_600_000) * 3_600_000);
    const diffs = [
      ...(await compareAnswers({ url: collector.url }, { url: clean.url }, metricBattery(from, to, { interval: '1h' }))),
      ...(await compareSnapshots({ url: collector.url }, { url: clean.url })),
    ];
    await stopGracefully(collector);
    await stopGracefully(clean);
    const a = openDb(crashDb, { readonly: true });
    const b = openDb(join(dir, 'clean.db'), { readonly: true });
    const [stored, distinct] = a.prepare('SELECT count(*), count(DISTINCT sid) FROM events').raw().get() as [number, number];
    const storeDiffs = differences(storeFingerprint(a), storeFingerprint(b));
    a.close();
    b.close();
    const restart = await startTimed(collectorEnv(crashDb));
    await stopGracefully(restart.proc);
    process.stdout.write(
      `${JSON.stringify({ ...report, startupMs: report.startupMs.map(Math.round), stored, distinct, driveSeconds: Math.round(driveS), restartOnFinalDbMs: Math.round(restart.startupMs), answerDifferences: diffs.length, storeDifferences: storeDiffs.slice(0, 10) }, null, 1)}\n`,
    );
    if (stored !== events.length || distinct !== stored || diffs.length || storeDiffs.length) {
      for (const d of diffs.slice(0, 5)) process.stdout.write(`DIFF ${d.what}\n`);
      process.exitCode = 1;
    }
  } finally {
    removeDir(dir);
  }
}

// Run directly (vite-node); when imported by a Vitest test file, VITEST is set and nothing runs.
if (!process.env.VITEST) void main();
