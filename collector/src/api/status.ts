// GET /: the status page, from the same health report as GET /api/health (api/status-page.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { DEFAULT_SLA_PATH, type Config } from '../config';
import type { Sla } from '@floorboard/contract/sla';
import { healthReport, type HealthSource } from './health';
import { renderStatusPage } from './status-page';

/** The collector's version, from its package.json (next to src/ and dist/ alike). */
function collectorVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Grafana's port in docker-compose.yml, for a guess when FLOORBOARD_GRAFANA_URL is not set. */
const COMPOSE_GRAFANA_PORT = 3000;

export function statusRoutes(source: HealthSource, cfg: Config, sla: Sla, slaFile: string | null): Router {
  const version = collectorVersion();
  const router = Router();
  router.get('/', (req, res) => {
    const origin = `${req.protocol}://${req.get('host') ?? `${req.hostname}:${cfg.port}`}`;
    const html = renderStatusPage({
      version,
      // /api/health needs the API token when one is set; a browser cannot send it, so neither do we.
      health: cfg.apiToken ? null : healthReport(source, cfg.dbPath),
      now: Date.now(),
      slaFile,
      slaDefaultPath: DEFAULT_SLA_PATH,
      noEventsMinutes: sla.noEventsMinutes,
      timezone: cfg.timezone,
      publicUrl: cfg.publicUrl ?? origin,
      publicUrlConfigured: cfg.publicUrl !== undefined,
      signaturesChecked: cfg.authToken !== undefined,
      grafanaUrl:
        cfg.grafanaUrl ?? `${req.protocol}://${req.hostname.includes(':') ? `[${req.hostname}]` : req.hostname}:${COMPOSE_GRAFANA_PORT}`,
      grafanaUrlConfigured: cfg.grafanaUrl !== undefined,
    });
    res
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // No script, no remote content: only the inline style sheet.
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      })
      .send(html);
  });
  // Browsers ask for an icon on every page they open here (the API's JSON too): there is none.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  return router;
}
