// Builds the Express app from an AppContext; knows routes and middleware, nothing of SQL.
import express from 'express';
import type { Logger } from 'pino';
import { healthRoutes } from './api/health';
import { liveRoutes } from './api/live';
import { prometheusRoutes } from './api/prometheus';
import { quarantineRoutes } from './api/quarantine';
import { queryRoutes } from './api/query';
import { statusRoutes } from './api/status';
import { variableRoutes } from './api/variables';
import { webhookRoutes } from './api/webhooks';
import type { Config } from './config';
import { bearerAuth } from './http/auth';
import { errorHandler, notFound } from './http/errors';
import { requestLog } from './http/logging';
import { IngestCounters } from './ingest/counters';
import { IngestService } from './ingest/service';
import type { Sla } from './sla';
import type { Db } from './store/db';
import { StateProjection } from './store/state';
import { QueryEngine } from './metrics/engine';
import { LiveHub } from './metrics/livehub';
import { MetricsProjection } from './metrics/projection';
import { SnapshotService } from './metrics/snapshot';
import type { VariableValue } from './wire';

const REJECT_REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'bad_signature',
  413: 'too_large',
  415: 'content_type',
};

export interface AppContext {
  db: Db;
  cfg: Config;
  log: Logger;
  sla: Sla;
  /** The SLA file `sla` came from, or null for the built-in defaults (default: `cfg.slaPath`). */
  slaFile?: string | null;
}

export interface Collector {
  app: express.Express;
  ingest: IngestService;
  counters: IngestCounters;
  engine: QueryEngine;
  metrics: MetricsProjection;
  hub: LiveHub;
}

export function createCollector(ctx: AppContext): Collector {
  const metrics = new MetricsProjection(ctx.db, ctx.sla);
  const ingest = new IngestService(ctx.db, [new StateProjection(ctx.db), metrics]);
  const engine = new QueryEngine(ctx.db, metrics.facts.dims, ctx.sla);
  const hub = new LiveHub(
    new SnapshotService(ctx.db, metrics.facts.dims, engine.population, ctx.sla, ctx.cfg.timezone, () => ingest.log.counts().lastEventMs),
  );
  ingest.on('committed', () => hub.changed());
  const activities = ctx.db.prepare<[], VariableValue>('SELECT name, activity_sid AS sid FROM activities WHERE deleted_ms IS NULL AND name IS NOT NULL ORDER BY name');
  const counters = new IngestCounters(ctx.log);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestLog(ctx.log));
  if (ctx.cfg.metricsAuth) app.use('/metrics', bearerAuth(ctx.cfg.apiToken));
  app.use(prometheusRoutes({ db: ctx.db, sla: ctx.sla, timezone: ctx.cfg.timezone, hub, log: ingest.log, quarantine: ingest.quarantine, counters, metrics }));
  app.use(statusRoutes(ingest.log, ingest.quarantine, ctx.cfg, ctx.sla, ctx.slaFile === undefined ? ctx.cfg.slaPath : ctx.slaFile));
  app.use(webhookRoutes(ingest, { authToken: ctx.cfg.authToken, publicUrl: ctx.cfg.publicUrl, eventStreamsAuth: ctx.cfg.eventStreamsAuth }, counters));
  app.use('/api', bearerAuth(ctx.cfg.apiToken));
  app.use(express.json({ limit: '256kb' }));
  app.use(healthRoutes(ingest.log, ingest.quarantine, ctx.cfg.dbPath));
  app.use(quarantineRoutes(ingest));
  app.use(queryRoutes(engine, { defaultTimezone: ctx.cfg.timezone, maxQueryDays: ctx.cfg.maxQueryDays }, ctx.sla));
  app.use(liveRoutes(hub, ctx.cfg.heartbeatMs));
  app.use(variableRoutes(engine, metrics.facts.dims, () => activities.all()));
  app.use(notFound);
  app.use(
    errorHandler(ctx.log, (path, status) => {
      if (path.startsWith('/webhooks/')) counters.reject(REJECT_REASONS[status] ?? `http_${status}`);
    }),
  );
  return { app, ingest, counters, engine, metrics, hub };
}
