// POST /api/admin/rebuild starts an online rebuild of the derived tables from the event log (202
// with its status; 409 while one runs; 422 when retention pruned history the body does not agree to
// lose) and GET /api/admin/rebuild reports its progress — what `npx floorboard rebuild --online`
// asks a running collector. Behind the API token like every /api route.
import { Router } from 'express';
import { rebuildRequestSchema, type RebuildStatus } from '@floorboard/contract';
import { InputError } from '../errors';
import { PrunedHistoryError } from '../rebuild/index';
import { RebuildRunningError, type OnlineRebuild } from '../rebuild/online';

export function adminRoutes(rebuild: OnlineRebuild): Router {
  const router = Router();
  router.get('/api/admin/rebuild', (_req, res) => {
    const body: RebuildStatus = rebuild.status();
    res.json(body);
  });
  router.post('/api/admin/rebuild', (req, res) => {
    const parsed = rebuildRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    try {
      void rebuild.start({ trigger: 'request', dropPrunedHistory: parsed.data.dropPrunedHistory ?? false });
    } catch (err) {
      if (err instanceof RebuildRunningError) throw new InputError(err.message, 409);
      if (err instanceof PrunedHistoryError)
        throw new InputError(err.message.replace('pass --drop-pruned-history', 'send {"dropPrunedHistory": true}'), 422);
      throw err;
    }
    const body: RebuildStatus = rebuild.status();
    res.status(202).json(body);
  });
  return router;
}
