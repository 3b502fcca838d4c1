// Starts the collector from the environment and stops it cleanly on SIGTERM/SIGINT. A bad
// configuration or SLA file stops the process with one clear line, never a stack trace.
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startCollector } from './server';
import { SlaError } from '@floorboard/contract/sla';

export async function runServe(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig(env);
  } catch (err) {
    fail(err);
  }
  const log = createLogger(cfg.logLevel);
  try {
    const running = await startCollector(cfg, log);
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void running.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): never {
  const known = err instanceof ConfigError || err instanceof SlaError;
  const code = (err as NodeJS.ErrnoException).code;
  const message =
    known ? (err as Error).message
    : code === 'EADDRINUSE' ? `PORT is already in use (${(err as Error).message})`
    : code === 'SQLITE_CANTOPEN' ? `FLOORBOARD_DB cannot be opened (${(err as Error).message})`
    : `cannot start: ${(err as Error).message}`;
  process.stderr.write(`floorboard: ${message}\n`);
  process.exit(known ? 78 : 1);
}
