// `npx floorboard rebuild [--db path] [--check] [--drop-pruned-history] [--online [--url U]]`:
// recomputes every derived table (state, task facts, samples, intervals, rollups, worker points) from
// the event log with this version's definitions, on a stopped collector's database — or, with
// `--online`, has a running collector do it while it serves (rebuild-online.ts) — with a progress bar
// on stderr and one report line on stdout. `--check` only says whether a rebuild is due. Returns the
// exit code.
import { existsSync } from 'node:fs';
import { loadSlaFile, SlaError } from '@floorboard/contract/sla';
import { PrunedHistoryError, rebuildDerived, type RebuildResult } from '../rebuild/index';
import { openDb } from '../store/db';
import { DerivedTables, describeRebuildRequired, REBUILD_HOW } from '../store/derived';
import { progressBar, type Progress } from './progress';
import { runOnlineRebuild } from './rebuild-online';
import { databaseConfig, failer } from './database-config';

export interface RebuildArgs {
  /** Ask the running collector at this URL to rebuild while it serves (`--online`). */
  online?: { url: string; pollMs?: number };
  /** Only report whether a rebuild is due (exit 1 when it is). */
  check?: boolean;
  /** Rebuild even though retention pruned old events (their history is lost). */
  dropPrunedHistory?: boolean;
}

export const REBUILD_EXIT = { ok: 0, due: 1, failed: 2, refused: 3, running: 4, config: 78 } as const;

export function formatRebuild(r: RebuildResult): string {
  const seconds = r.durationMs / 1000;
  return `rebuild: ${r.events} events, ${r.tasks} tasks re-derived in ${seconds.toFixed(1)} s (${r.eventsPerSecond} events/s)`;
}

export async function runRebuildCommand(
  args: RebuildArgs,
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  progress: Progress = progressBar('rebuild'),
): Promise<number> {
  const fail = failer(err);
  const cfg = databaseConfig(env, err, REBUILD_EXIT.config);
  if (typeof cfg === 'number') return cfg;
  // `--check` reads the database file itself, online or not.
  if (args.online && !args.check)
    return runOnlineRebuild(
      { ...args.online, dropPrunedHistory: args.dropPrunedHistory ?? false, ...(cfg.apiToken ? { apiToken: cfg.apiToken } : {}) },
      out,
      err,
      progress,
    );
  if (!existsSync(cfg.dbPath)) return fail(REBUILD_EXIT.config, `no database at ${cfg.dbPath} (FLOORBOARD_DB or --db names it)`);
  let db;
  try {
    db = openDb(cfg.dbPath, { sync: cfg.sync });
  } catch (e) {
    return fail(REBUILD_EXIT.failed, `cannot open ${cfg.dbPath}: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    if (args.check) {
      const reason = new DerivedTables(db).rebuildRequired();
      out.write(
        reason === null
          ? 'rebuild: not needed — the derived tables match this version\n'
          : `rebuild: due — ${describeRebuildRequired(reason)}; ${REBUILD_HOW}\n`,
      );
      return reason === null ? REBUILD_EXIT.ok : REBUILD_EXIT.due;
    }
    const { sla } = loadSlaFile(cfg.slaPath, cfg.slaPathExplicit);
    const result = await rebuildDerived(db, sla, {
      dropPrunedHistory: args.dropPrunedHistory ?? false,
      onProgress: (p) => progress.update(p.done, p.total, p.phase === 'state' ? 'state and agent activity' : 'task facts'),
    });
    progress.stop();
    out.write(`${formatRebuild(result)}\n`);
    return REBUILD_EXIT.ok;
  } catch (e) {
    progress.stop();
    if (e instanceof SlaError) return fail(REBUILD_EXIT.config, e.message);
    if (e instanceof PrunedHistoryError) return fail(REBUILD_EXIT.refused, e.message);
    return fail(REBUILD_EXIT.failed, `rebuild failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    db.close();
  }
}
