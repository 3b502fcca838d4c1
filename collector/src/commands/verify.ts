// `npx floorboard verify --since 1h [--tolerance 1] [--url http://collector]`: our numbers for the
// window (from the database, read-only, or from a running collector with --url) against TaskRouter's
// cumulative statistics, printed side by side. Exit 0 when every row is within tolerance, 1 when
// some differ, 2 when the check could not run.
import { QueryEngine } from '../metrics/engine';
import { openDb } from '../store/db';
import { Dims } from '../store/dims';
import { restSetup } from './rest-setup';
import { engineSource, formatTable, httpSource, verify, type MetricSource } from '../verify/index';
import { failer } from './database-config';

export interface VerifyArgs {
  since?: string;
  from?: string;
  to?: string;
  /** Percent (default 1). */
  tolerance?: string;
  /** Ask a running collector instead of reading the database file. */
  url?: string;
  /** TaskRouter API origin override (a fake or proxy). */
  apiUrl?: string;
  queues?: string[];
}

export const VERIFY_EXIT = { ok: 0, differs: 1, failed: 2, usage: 64, config: 78 } as const;

export async function runVerifyCommand(
  args: VerifyArgs,
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const fail = failer(err);
  const setup = restSetup('verify', args, env, err, VERIFY_EXIT);
  if (typeof setup === 'number') return setup;
  const { cfg, sla, twilio, window } = setup;
  const tolerancePercent = args.tolerance === undefined ? 1 : Number(args.tolerance);
  if (!(tolerancePercent >= 0)) return fail(VERIFY_EXIT.usage, `--tolerance: "${args.tolerance}" is not a percentage`);

  let close = () => {};
  let source: MetricSource;
  if (args.url) source = httpSource({ url: args.url, apiToken: cfg.apiToken });
  else {
    const db = openDb(cfg.dbPath, { readonly: true });
    close = () => db.close();
    source = engineSource(new QueryEngine(db, new Dims(db), sla), { defaultTimezone: cfg.timezone, maxQueryDays: cfg.maxQueryDays });
  }
  try {
    const result = await verify({
      source,
      twilio: { ...twilio, ...(args.apiUrl ? { baseUrl: args.apiUrl } : {}) },
      ...window,
      tolerancePercent,
      queues: args.queues,
    });
    const bad = result.rows.filter((r) => !r.ok).length;
    out.write(`${formatTable(result.rows)}\n`);
    out.write(
      `verify ${new Date(result.from).toISOString()} .. ${new Date(result.to).toISOString()}: ${result.rows.length - bad} of ${result.rows.length} within ${tolerancePercent}%${bad ? `, ${bad} differ` : ''}\n`,
    );
    return result.ok ? VERIFY_EXIT.ok : VERIFY_EXIT.differs;
  } catch (e) {
    return fail(VERIFY_EXIT.failed, `verify failed: ${(e as Error).message}`);
  } finally {
    close();
  }
}
