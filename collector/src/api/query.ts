// Metric routes: GET /api/catalog and POST /api/query (parse with zod -> engine -> frames).
import { Router } from 'express';
import { InputError } from '../errors';
import { slaAnnotations } from '../live/annotations';
import { catalog, metricById, metricQuerySchema } from '@floorboard/contract';
import type { Sla } from '@floorboard/contract/sla';
import type { ParsedQuery, QueryEngine } from '../metrics/engine';
import { isTimeZone, Zone } from '../metrics/time';

export interface QueryLimits {
  defaultTimezone: string;
  maxQueryDays: number;
}

/** An instant as the API takes it: ISO 8601 or epoch milliseconds; InputError naming `field` otherwise. */
export function parseInstant(value: string | number, field: string): number {
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15)
    throw new InputError(`${field}: "${String(value).slice(0, 40)}" is not an ISO 8601 time or epoch milliseconds`);
  return Math.trunc(ms);
}

/** Validates a query body; every problem is an InputError naming the field. */
export function parseQuery(body: unknown, limits: QueryLimits): ParsedQuery {
  const r = metricQuerySchema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const b = r.data;
  const metric = metricById(b.metric);
  if (!metric) throw new InputError(`metric: unknown metric "${b.metric.slice(0, 60)}" (see GET /api/catalog)`);
  if (!metric.groupBys.includes(b.groupBy))
    throw new InputError(`groupBy: ${metric.id} cannot be grouped by ${b.groupBy} (allowed: ${metric.groupBys.join(', ')})`);
  const from = parseInstant(b.from, 'from');
  const to = parseInstant(b.to, 'to');
  if (from >= to) throw new InputError('from: must be before to');
  if (to - from > limits.maxQueryDays * 86_400_000) throw new InputError(`to: the range is longer than ${limits.maxQueryDays} days`);
  const timezone = b.timezone || limits.defaultTimezone;
  if (!isTimeZone(timezone)) throw new InputError(`timezone: "${timezone.slice(0, 64)}" is not an IANA time zone`);
  const allowed = new Map(metric.options.map((o) => [o.name, o]));
  if (b.options.stat !== undefined) {
    const opt = allowed.get('stat');
    if (!opt || !opt.values?.includes(b.options.stat))
      throw new InputError(`options.stat: ${metric.id} does not take stat "${b.options.stat}"`);
  }
  if (b.options.thresholdSeconds !== undefined && !allowed.has('thresholdSeconds'))
    throw new InputError(`options.thresholdSeconds: only service_level takes a threshold`);
  return {
    metric,
    from,
    to,
    groupBy: b.groupBy,
    interval: b.interval,
    queues: b.queues,
    channels: b.channels,
    zone: new Zone(timezone),
    options: b.options,
  };
}

export function queryRoutes(engine: QueryEngine, limits: QueryLimits, sla: Sla): Router {
  const router = Router();
  router.get('/api/annotations', (req, res) => {
    const from = parseInstant(String(req.query.from ?? ''), 'from');
    const to = parseInstant(String(req.query.to ?? ''), 'to');
    if (from >= to) throw new InputError('from: must be before to');
    const raw = req.query.queue;
    const queues = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter((q) => q !== '');
    const tz = typeof req.query.timezone === 'string' && req.query.timezone ? req.query.timezone : limits.defaultTimezone;
    if (!isTimeZone(tz)) throw new InputError(`timezone: "${tz.slice(0, 64)}" is not an IANA time zone`);
    res.json({ annotations: slaAnnotations(engine, sla, new Zone(tz), from, to, queues) });
  });
  router.get('/api/catalog', (_req, res) => {
    res.json(catalog());
  });
  router.post('/api/query', (req, res) => {
    if (!req.is('application/json')) throw new InputError('Content-Type must be application/json', 415);
    res.json(engine.run(parseQuery(req.body, limits)));
  });
  return router;
}
