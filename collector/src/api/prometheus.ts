// GET /metrics: the Prometheus exposition, rendered by the exporter (live/prometheus.ts) at scrape time.
import { Router } from 'express';
import type { PrometheusExporter } from '../live/prometheus';

export function prometheusRoutes(exporter: PrometheusExporter): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await exporter.render();
    res.set('content-type', exporter.contentType);
    res.send(body);
  });
  return router;
}
