// GET /api/quarantine (the events waiting, oldest first; ?all=1 includes replayed ones, ?limit=N)
// and POST /api/quarantine/replay (re-read them with this collector's parser): what
// `npx floorboard quarantine list|replay --url` asks a running collector.
import { Router } from 'express';
import { InputError } from '../errors';
import type { IngestService } from '../ingest/service';
import { listQuarantine } from '../quarantine/list';
import { replayQuarantine } from '../quarantine/replay';
import type { QuarantineListResponse, QuarantineReplayResponse } from '@floorboard/contract';

export function quarantineRoutes(ingest: IngestService): Router {
  const router = Router();
  router.get('/api/quarantine', (req, res) => {
    const limitText = typeof req.query.limit === 'string' ? req.query.limit : undefined;
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new InputError('limit must be a whole number from 1 to 10000');
    const all = req.query.all === '1' || req.query.all === 'true';
    const body: QuarantineListResponse = listQuarantine(ingest.quarantine, { all, limit });
    res.json(body);
  });
  router.post('/api/quarantine/replay', async (_req, res) => {
    const body: QuarantineReplayResponse = await replayQuarantine(ingest);
    res.json(body);
  });
  return router;
}
