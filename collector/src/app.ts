// Builds the Express app from the collector's context: middleware and routes only — the services
// come built from context.ts, and no SQL lives here.
import express from 'express';
import { adminRoutes } from './api/admin';
import { erlangRoutes } from './api/erlang';
import { healthRoutes } from './api/health';
import { liveRoutes } from './api/live';
import { prometheusRoutes } from './api/prometheus';
import { quarantineRoutes } from './api/quarantine';
import { queryRoutes } from './api/query';
import { statusRoutes } from './api/status';
import { variableRoutes } from './api/variables';
import { webhookRoutes } from './api/webhooks';
import type { Context } from './context';
import { bearerAuth } from './http/auth';
import { errorHandler, notFound } from './http/errors';
import { requestLog } from './http/logging';

const REJECT_REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'bad_signature',
  413: 'too_large',
  415: 'content_type',
};

export function createApp(ctx: Context): express.Express {
  const { cfg, counters } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestLog(ctx.log));
  if (cfg.metricsAuth) app.use('/metrics', bearerAuth(cfg.apiToken));
  app.use(prometheusRoutes(ctx.prometheus));
  app.use(
    webhookRoutes(ctx.ingest, { authToken: cfg.authToken, publicUrl: cfg.publicUrl, eventStreamsAuth: cfg.eventStreamsAuth }, counters),
  );
  app.use('/api', bearerAuth(cfg.apiToken));
  app.use(statusRoutes(ctx.ingest, cfg, ctx.sla, ctx.slaFile));
  app.use(express.json({ limit: '256kb' }));
  app.use(healthRoutes(ctx.ingest, cfg.dbPath));
  app.use(quarantineRoutes(ctx.ingest));
  app.use(adminRoutes(ctx.rebuild));
  app.use(queryRoutes(ctx.engine, { defaultTimezone: cfg.timezone, maxQueryDays: cfg.maxQueryDays }, ctx.sla));
  app.use(
    liveRoutes(
      ctx.hub,
      {
        computeAt: (at) => ctx.snapshots.computeAt(at),
        firstEventMs: () => ctx.snapshots.firstEventMs(),
        retentionDays: cfg.retentionDays,
      },
      cfg.heartbeatMs,
    ),
  );
  app.use(erlangRoutes());
  app.use(variableRoutes(ctx.engine, ctx.dims, ctx.sla));
  app.use(notFound);
  app.use(
    errorHandler(ctx.log, (path, status) => {
      if (path.startsWith('/webhooks/')) counters.reject(REJECT_REASONS[status] ?? `http_${status}`);
    }),
  );
  return app;
}
