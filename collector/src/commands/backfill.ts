// `npx floorboard backfill --since 2h | --from ISO [--to ISO]`: opens the collector's database with
// the same ingest pipeline the server uses, reads the missing window from TaskRouter, shows progress
// on stderr (the CLI's shared progress bar) and ends with one report line on stdout. Returns the
// process exit code.
import pino from 'pino';
import { createContext } from '../context';
import { progressBar, type Progress } from './progress';
import { restSetup } from './rest-setup';
import { backfill, formatBackfillReport } from '../backfill/index';
import { failer } from './database-config';

export interface BackfillArgs {
  since?: string;
  from?: string;
  to?: string;
  /** Events per page (1–1000). */
  pageSize?: string;
  /** Send TaskRouter API requests to this origin instead of https://taskrouter.twilio.com (a fake or proxy). */
  apiUrl?: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 64, config: 78 } as const;

export async function runBackfillCommand(
  args: BackfillArgs,
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  progress: Progress = progressBar('backfill'),
): Promise<number> {
  const fail = failer(err);
  const setup = restSetup('backfill', args, env, err, EXIT);
  if (typeof setup === 'number') return setup;
  const { cfg, sla, twilio, window } = setup;
  const pageSize = args.pageSize === undefined ? undefined : Number(args.pageSize);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000))
    return fail(EXIT.usage, `--page-size: "${args.pageSize}" is not a whole number from 1 to 1000`);

  const log = pino(
    { level: cfg.logLevel === 'info' || cfg.logLevel === 'debug' || cfg.logLevel === 'trace' ? 'warn' : cfg.logLevel, base: undefined },
    pino.destination(2),
  );
  const collector = createContext({ cfg, log, sla });
  try {
    const result = await backfill({
      ingest: collector.ingest,
      twilio: { ...twilio, ...(args.apiUrl ? { baseUrl: args.apiUrl } : {}) },
      ...window,
      pageSize,
      log,
      onProgress: (p) =>
        progress.update(
          Math.round(p.covered * 1000),
          1000,
          `${p.pages} pages, ${p.fetched} events, ${p.stored} new, ${p.duplicates} duplicates${p.retries ? `, ${p.retries} retries` : ''}`,
        ),
    });
    progress.stop();
    out.write(`${formatBackfillReport(result)}\n`);
    return EXIT.ok;
  } catch (e) {
    progress.stop();
    return fail(EXIT.failed, `backfill failed: ${(e as Error).message}`);
  } finally {
    await collector.ingest.drain();
    collector.close();
  }
}
