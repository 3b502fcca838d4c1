// Runs the collector: config -> storage -> HTTP server, and a graceful stop (stop accepting,
// finish in-flight requests, flush pending commits, close the database).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import { createContext, type Context } from './context';
import { backfillGap, formatBackfillReport, twilioClientConfig } from './backfill';
import { Retention, scheduleRetention } from './store/retention';
import { DerivedTables, describeRebuildRequired } from './store/derived';
import { discardShadow } from './store/shadow';

export interface RunningCollector extends Context {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export async function startCollector(cfg: Config, log: Logger): Promise<RunningCollector> {
  const collector = createContext({ cfg, log });
  const { db } = collector;
  // An online rebuild that a crash or a stop cut short: its shadow goes, the tables it would have replaced serve.
  const leftovers = discardShadow(db);
  if (leftovers.dropped.length > 0) log.warn({ tables: leftovers.dropped }, 'dropped what an unfinished online rebuild left behind');
  if (!cfg.authToken) log.warn('TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked (FLOORBOARD_ALLOW_UNSIGNED=1)');
  const app = createApp(collector);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(cfg.port, cfg.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${port}`;
  const c = collector.ingest.log.counts();
  log.info({ url, db: cfg.dbPath, eventsStored: c.eventsStored }, 'collector listening');
  // The collector keeps serving (and storing every event) on the old derivation until the rebuild
  // it starts here swaps the rebuilt tables in.
  const rebuildDue = new DerivedTables(db).rebuildRequired();
  if (rebuildDue !== null)
    try {
      collector.rebuild.start({ trigger: 'migration' }).catch(() => undefined); // the outcome is logged
      log.warn(
        { rebuildRequired: rebuildDue },
        `${describeRebuildRequired(rebuildDue)}: rebuilding online; answers keep the old derivation until it completes`,
      );
    } catch (err) {
      log.warn({ rebuildRequired: rebuildDue }, `${describeRebuildRequired(rebuildDue)}; no rebuild started: ${(err as Error).message}`);
    }

  // Raw events past FLOORBOARD_RETENTION_DAYS are pruned daily in small batches (rollups stay).
  const retention = new Retention(db, {
    days: cfg.retentionDays,
    onPruned: () => collector.metrics.reset(),
    paused: () => collector.rebuild.status().state === 'running',
  });
  const stopRetention = scheduleRetention(retention, log);
  // With Twilio credentials, fill the gap since the newest stored event from the Events API.
  const rest = twilioClientConfig(cfg);
  const gapAbort = new AbortController();
  const gapFilled = rest
    ? backfillGap({
        ingest: collector.ingest,
        twilio: { ...rest, baseUrl: cfg.twilioApiUrl },
        log,
        signal: gapAbort.signal,
        gapMs: cfg.backfillGapMinutes * 60_000,
      }).then(
        (r) =>
          r.skipped
            ? log.info({ reason: r.reason }, 'backfill at start-up: nothing to fill')
            : log.info({ stored: r.stored, duplicates: r.duplicates }, formatBackfillReport(r)),
        (err: unknown) => log.error({ err: (err as Error).message }, 'backfill at start-up failed; the collector keeps running'),
      )
    : Promise.resolve();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      collector.hub.close(); // ends live streams first, so the server can close
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running after 3 s are cut so the whole stop stays within 5 s.
        setTimeout(() => server.closeAllConnections(), 3000).unref();
      });
      gapAbort.abort();
      await gapFilled;
      await stopRetention();
      await collector.rebuild.stop();
      await collector.ingest.drain();
      collector.close();
      log.info('collector stopped');
    })());
  return { ...collector, server, url, stop };
}
