// GET /api/health: liveness, how many events are stored, the latest event time, how many events
// wait in the quarantine, and the database.
import { statSync } from 'node:fs';
import { Router } from 'express';
import type { EventLog } from '../store/events';
import type { Health } from '@floorboard/contract';
import type { QuarantineLog } from '../store/quarantine';

export function healthRoutes(log: EventLog, quarantine: QuarantineLog, dbPath: string): Router {
  const router = Router();
  router.get('/api/health', (_req, res) => {
    const c = log.counts();
    const body: Health & { lastReceivedAt: string | null } = {
      status: 'ok',
      eventsStored: c.eventsStored,
      lastEventAt: c.lastEventMs > 0 ? new Date(c.lastEventMs).toISOString() : null,
      quarantinedEvents: quarantine.waitingCount(),
      lastReceivedAt: c.lastReceivedMs > 0 ? new Date(c.lastReceivedMs).toISOString() : null,
      db: { path: dbPath, sizeBytes: fileSize(dbPath) + fileSize(`${dbPath}-wal`) },
    };
    res.json(body);
  });
  return router;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
