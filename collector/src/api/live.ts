// GET /api/snapshot (current real-time values, or with ?at= the floor as it stood then) and GET /api/live (Server-Sent Events: every new
// snapshot as it happens, heartbeat comments so proxies keep the stream open, Last-Event-ID resume).
import { Router } from 'express';
import type { LiveHub } from '../live/hub';
import type { Snapshot } from '@floorboard/contract';
import { InputError } from '../errors';
import { parseInstant } from './query';

const DAY = 86_400_000;

/** The floor at a past instant, and how far back the log reaches. */
export interface PastFloor {
  computeAt(at: number): Snapshot;
  firstEventMs(): number | null;
  /** Events older than this many days are pruned (FLOORBOARD_RETENTION_DAYS). */
  retentionDays: number;
}

/** Validates `?at=` against the clock and the log: unparseable or future is a 400, before the log a 410. */
function pastInstant(raw: unknown, past: PastFloor, now: number): number {
  if (typeof raw !== 'string' || raw === '') throw new InputError('at: give one ISO 8601 time or epoch milliseconds');
  const at = parseInstant(raw, 'at');
  const iso = (ms: number) => new Date(ms).toISOString();
  if (at > now) throw new InputError(`at: ${iso(at)} is in the future (the collector's clock says ${iso(now)})`);
  const horizon = now - past.retentionDays * DAY;
  if (at < horizon)
    throw new InputError(
      `at: ${iso(at)} is past retention: events older than ${past.retentionDays} days (before ${iso(horizon)}) are pruned (FLOORBOARD_RETENTION_DAYS)`,
      410,
    );
  const first = past.firstEventMs();
  if (first !== null && at < first)
    throw new InputError(`at: ${iso(at)} is before the oldest stored event (${iso(first)}); the log cannot tell the floor then`, 410);
  return at;
}

export function liveRoutes(hub: LiveHub, past: PastFloor, heartbeatMs = 15_000): Router {
  const router = Router();
  router.get('/api/snapshot', (req, res) => {
    const raw = req.query.at;
    if (raw === undefined || raw === 'now') return void res.json(hub.refresh());
    res.json(past.computeAt(pastInstant(raw, past, Date.now())));
  });
  router.get('/api/live', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const send = (s: Snapshot) => res.write(`id: ${s.seq}\nevent: snapshot\ndata: ${JSON.stringify(s)}\n\n`);
    res.write('retry: 2000\n\n');
    // Each message is the whole state, so resuming means: send the latest unless the client has it.
    const lastSeen = Number(req.get('last-event-id') ?? req.query.lastEventId ?? NaN);
    if (lastSeen !== hub.snapshot.seq) send(hub.snapshot);
    hub.on('snapshot', send);
    const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), heartbeatMs);
    const close = () => {
      clearInterval(heartbeat);
      hub.off('snapshot', send);
      hub.off('closing', end);
    };
    // The collector is stopping: end the stream so the client reconnects elsewhere or later.
    const end = () => {
      close();
      res.end();
    };
    hub.on('closing', end);
    req.on('close', close);
    res.on('error', close);
  });
  return router;
}
