// GET /api/health: liveness, how many events are stored, the latest event time, how many events
// wait in the quarantine, how many the projector has yet to fold into the answers, and the database. `healthReport` is the one source of these facts: the
// status page (GET /) renders the same object.
import { statSync } from 'node:fs';
import { Router } from 'express';
import type { EventLog } from '../store/events';
import type { Health } from '@floorboard/contract';
import type { QuarantineLog } from '../store/quarantine';

export type HealthReport = Health & { lastReceivedAt: string | null };

/** What the report reads: the ingest service's log, quarantine and projector. */
export interface HealthSource {
  log: EventLog;
  quarantine: QuarantineLog;
  projector: { lag(): number };
}

export function healthReport({ log, quarantine, projector }: HealthSource, dbPath: string): HealthReport {
  const c = log.counts();
  return {
    status: 'ok',
    eventsStored: c.eventsStored,
    lastEventAt: c.lastEventMs > 0 ? new Date(c.lastEventMs).toISOString() : null,
    quarantinedEvents: quarantine.waitingCount(),
    eventsNotProjected: projector.lag(),
    lastReceivedAt: c.lastReceivedMs > 0 ? new Date(c.lastReceivedMs).toISOString() : null,
    db: { path: dbPath, sizeBytes: fileSize(dbPath) + fileSize(`${dbPath}-wal`) },
  };
}

export function healthRoutes(source: HealthSource, dbPath: string): Router {
  const router = Router();
  router.get('/api/health', (_req, res) => {
    res.json(healthReport(source, dbPath));
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
