// The quarantine as `GET /api/quarantine` and `npx floorboard quarantine list` show it.
import type { QuarantineLog } from '../store/quarantine';
import type { QuarantineListResponse } from '@floorboard/contract';

export function listQuarantine(log: QuarantineLog, opts: { all?: boolean; limit?: number }): QuarantineListResponse {
  return {
    waiting: log.waitingCount(),
    events: log.list(opts).map((e) => ({
      id: e.id,
      receivedAt: new Date(e.receivedMs).toISOString(),
      transport: e.transport,
      eventSid: e.eventSid,
      reason: e.reason,
      body: e.body,
      replayedAt: e.replayedMs === null ? null : new Date(e.replayedMs).toISOString(),
      replayResult: e.replayResult,
    })),
  };
}
