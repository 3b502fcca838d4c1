// Starts the collector from the environment and stops it cleanly on SIGTERM/SIGINT (lifecycle.ts):
// stop accepting, finish requests, commit, checkpoint the WAL, exit 0 — within STOP_DEADLINE_MS.
// A bad configuration or SLA file stops the process with one clear line, never a stack trace.
import { loadConfig } from '../config';
import { listenForStop } from '../lifecycle';
import { createLogger } from '../logger';
import { startCollector } from '../server';
import { exitWithStartupError } from '../startup-error';

/** A stop that takes longer than this (a stuck request, a slow disk) ends the process anyway. */
const STOP_DEADLINE_MS = 5000;

export async function runServe(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig(env);
  } catch (err) {
    exitWithStartupError(err);
  }
  const log = createLogger(cfg.logLevel);
  const stop = listenForStop();
  let running;
  try {
    running = await startCollector(cfg, log);
  } catch (err) {
    exitWithStartupError(err);
  }
  const shutdown = () => {
    log.info({ signal: String(stop.signal.reason) }, 'shutting down');
    setTimeout(() => {
      log.error(`stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting without a clean stop`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    void running.stop().then(() => process.exit(0));
  };
  if (stop.signal.aborted) shutdown();
  else stop.signal.addEventListener('abort', shutdown, { once: true });
}
