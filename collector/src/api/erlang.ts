// GET /api/erlang: the Erlang C staffing calculator (the function behind `agents_required`).
import { Router } from 'express';
import { z } from 'zod';
import { InputError } from '../errors';
import { erlangC, MAX_TRAFFIC_ERLANGS } from '../metrics/erlang';

/** A query-string number: plain decimal text only (no hex, exponents or blanks). */
const decimal = (name: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be given once`) })
    .regex(/^\d{1,12}(\.\d{1,12})?$/, `${name} must be a plain non-negative number`)
    .transform(Number);

export const erlangQuerySchema = z.object({
  arrivalsPerHour: decimal('arrivalsPerHour'),
  ahtSeconds: decimal('ahtSeconds').refine((v) => v > 0, 'ahtSeconds must be greater than 0'),
  targetPercent: decimal('targetPercent').refine((v) => v > 0 && v < 100, 'targetPercent must be between 0 and 100, exclusive'),
  thresholdSeconds: decimal('thresholdSeconds'),
});

export function erlangRoutes(): Router {
  const router = Router();
  router.get('/api/erlang', (req, res) => {
    const r = erlangQuerySchema.safeParse(req.query);
    if (!r.success) throw new InputError(r.error.issues[0]!.message);
    const traffic = (r.data.arrivalsPerHour / 3600) * r.data.ahtSeconds;
    if (traffic > MAX_TRAFFIC_ERLANGS)
      throw new InputError(`arrivalsPerHour × ahtSeconds is ${Math.round(traffic)} erlangs; at most ${MAX_TRAFFIC_ERLANGS} are answered`);
    res.json(erlangC(r.data));
  });
  return router;
}
