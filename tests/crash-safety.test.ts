// Crash safety of the built collector process: thousands of signed Event Callbacks, 16 in flight,
// SIGKILL at several points, restart on the same database, re-send what was not acknowledged plus
// retries of what was. Every acknowledged event must be stored exactly once, and every derived
// number must equal a clean replay of the same events into a fresh collector.
// FLOORBOARD_SOAK=1 (or SOAK_EVENTS=N) makes the run larger; the figures are printed either way.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../collector/src/test-helpers/harness';
import { openDb } from '../collector/src/store/db';
import { storeFingerprint } from '../collector/src/store/fingerprint';
import { askAll, compareAnswers, compareSnapshots, differences, metricBattery } from '../collector/src/verify/consistency';
import { cleanReplay, collectorEnv, crashAndRecover, soakEvents, startTimed, stopGracefully } from './soak';
import type { CollectorProcess } from './process';

const EVENTS = Number(process.env.SOAK_EVENTS ?? (process.env.FLOORBOARD_SOAK === '1' ? 40_000 : 3_000));
const KILL_AT = [0.2, 0.5, 0.8];
const HOUR = 3_600_000;

const dirs: string[] = [];
const running: CollectorProcess[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  dirs.forEach(removeDir);
});

describe('crash safety', () => {
  it(
    `keeps every acknowledged event exactly once across ${KILL_AT.length} SIGKILLs and derives the same numbers as a clean replay`,
    async () => {
      const dir = tempDir('floorboard-crash-');
      dirs.push(dir);
      const crashDb = join(dir, 'crash.db');
      const cleanDb = join(dir, 'clean.db');
      const events = soakEvents(EVENTS);
      const sids = new Set(events.map((e) => e.Sid));
      expect(sids.size).toBe(events.length);

      const { report, collector } = await crashAndRecover({
        events,
        dbPath: crashDb,
        killAt: KILL_AT,
        concurrency: 16,
        retries: 25,
        seed: 3,
      });
      running.push(collector);
      // Each kill happened mid-stream, with requests in flight, and nothing acknowledged was lost.
      expect(report.kills).toHaveLength(KILL_AT.length);
      for (const k of report.kills) {
        expect(k.exitedWith).toBe('SIGKILL');
        expect(k.inFlightAtKill).toBeGreaterThan(0);
        expect(k.acknowledgedButMissing).toBe(0);
        expect(k.storedAfterRestart).toBeGreaterThanOrEqual(k.ackedAtKill);
        // How many logged events the projector had not folded yet (the restart projects them once).
        expect(k.unprojectedAtKill).toBeGreaterThanOrEqual(0);
      }
      expect(report.distinctAcknowledged).toBe(events.length);
      expect(report.refused).toEqual({}); // no 4xx/5xx: every failure was the kill itself
      expect(report.retriedAcknowledged).toBeGreaterThan(0);

      // The clean run: the same events, shuffled, into a fresh collector (synchronous=NORMAL: the
      // reference needs no power-loss durability, and it halves the replay time).
      const clean = (await startTimed(collectorEnv(cleanDb, { FLOORBOARD_SYNC: 'normal' }))).proc;
      running.push(clean);
      await cleanReplay(clean.url, events, 11);

      const first = Number(events[0]!.TimestampMs);
      const last = Number(events[events.length - 1]!.TimestampMs);
      const aligned = metricBattery(Math.floor(first / HOUR) * HOUR, Math.ceil((last + 1) / HOUR) * HOUR, { queues: ['Sales', 'Support'] });
      // Ragged edges read raw samples instead of rollups: compare those too.
      const ragged = metricBattery(first + 7 * 60_000 + 123, last - 13 * 60_000, { interval: '5m' });
      const battery = [...aligned, ...ragged];
      // Same numbers, in the same order, for every query of the battery.
      const answerDiffs = await compareAnswers({ url: collector.url }, { url: clean.url }, battery);
      expect(answerDiffs.map((d) => d.what)).toEqual([]);
      expect(await compareSnapshots({ url: collector.url }, { url: clean.url })).toEqual([]);
      // The battery is not vacuous: every query is answered, and it saw handled tasks.
      const statuses = (await askAll({ url: clean.url }, battery)).map(
        (a, i) => `${a.status} ${battery[i]!.metric}/${battery[i]!.groupBy ?? 'none'}`,
      );
      expect(statuses.filter((s) => !s.startsWith('200'))).toEqual([]);
      const handled = (await (
        await fetch(`${clean.url}/api/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metric: 'tasks_handled', from: first, to: last + 1 }),
        })
      ).json()) as { frames: { fields: { values: number[] }[] }[] };
      expect(handled.frames[0]!.fields[0]!.values[0]).toBeGreaterThan(100);

      expect(await stopGracefully(collector)).toBe(0);
      expect(await stopGracefully(clean)).toBe(0);

      const a = openDb(crashDb, { readonly: true });
      const b = openDb(cleanDb, { readonly: true });
      try {
        const [stored, distinct] = a.prepare('SELECT count(*), count(DISTINCT sid) FROM events').raw().get() as [number, number];
        expect(distinct).toBe(stored);
        expect(stored).toBe(events.length);
        const storedSids = a.prepare('SELECT sid FROM events').pluck().all() as string[];
        expect(storedSids.filter((s) => !sids.has(s))).toEqual([]);
        expect(a.prepare("SELECT value FROM meta WHERE key = 'events_stored'").pluck().get() as number).toBe(stored);
        // State tables and facts (dimension ids resolved to names) equal the clean run's.
        expect(differences(storeFingerprint(a), storeFingerprint(b))).toEqual([]);

        // Start-up on the resulting database reads persisted state; it does not replay events.
        const restart = await startTimed(collectorEnv(crashDb));
        running.push(restart.proc);
        const health = (await (await fetch(`${restart.proc.url}/api/health`)).json()) as { eventsStored: number };
        expect(health.eventsStored).toBe(stored);
        expect(await stopGracefully(restart.proc)).toBe(0);
        const emptyStart = await startTimed(collectorEnv(join(dir, 'empty.db')));
        running.push(emptyStart.proc);
        await stopGracefully(emptyStart.proc);

        const figures = {
          events: events.length,
          posts: report.posts,
          acknowledgedPosts: report.acknowledgedPosts,
          distinctAcknowledged: report.distinctAcknowledged,
          retriedAcknowledged: report.retriedAcknowledged,
          unanswered: report.unanswered,
          refused: report.refused,
          stored,
          kills: report.kills,
          startupMs: report.startupMs.map(Math.round),
          restartOnFinalDbMs: Math.round(restart.startupMs),
          startOnEmptyDbMs: Math.round(emptyStart.startupMs),
          queriesCompared: aligned.length + ragged.length,
        };
        process.stdout.write(`crash-safety figures ${JSON.stringify(figures)}\n`);
        // Restart cost does not grow with the events stored (no replay): within a second of an empty start.
        expect(restart.startupMs).toBeLessThan(emptyStart.startupMs + 1000);
      } finally {
        a.close();
        b.close();
      }
    },
    EVENTS > 10_000 ? 1_800_000 : 120_000,
  );
});
