// GET /api/snapshot (current real-time values) and GET /api/live (Server-Sent Events: every new
// snapshot as it happens, heartbeat comments so proxies keep the stream open, Last-Event-ID resume).
import { Router } from 'express';
import type { LiveHub } from '../live/hub';
import type { Snapshot } from '@floorboard/contract';

export function liveRoutes(hub: LiveHub, heartbeatMs = 15_000): Router {
  const router = Router();
  router.get('/api/snapshot', (_req, res) => {
    res.json(hub.refresh());
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
