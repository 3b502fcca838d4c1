// Values for Grafana template variables: queues, workers (optionally of one queue), activities,
// channels — names and Sids; queue groups of the SLA file follow the queues, marked as groups.
import { Router } from 'express';
import type { QueryEngine } from '../metrics/engine';
import type { Dims } from '../store/dims';
import type { VariableValue } from '@floorboard/contract';
import type { Sla } from '@floorboard/contract/sla';

export function variableRoutes(engine: QueryEngine, dims: Dims, sla: Sla): Router {
  const router = Router();
  const pop = engine.population;
  router.get('/api/queues', (_req, res) => {
    const groups = Object.entries(sla.groups).map<VariableValue>(([name, members]) => ({ name, sid: null, group: true, members }));
    res.json([...pop.queueList().map<VariableValue>((q) => ({ name: q.name, sid: q.sid })), ...groups]);
  });
  router.get('/api/workers', (req, res) => {
    // `queue` may repeat (a multi-value variable): agents of any of those queues.
    const raw = req.query.queue;
    const queues = new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter((q) => q !== ''));
    let workers = pop.workerList().filter((w) => !w.deleted);
    if (queues.size > 0) {
      const members = pop.membership();
      workers = workers.filter((w) => {
        const id = dims.find('worker', w.sid);
        return id !== undefined && (members.get(id) ?? []).some((q) => queues.has(q));
      });
    }
    res.json(workers.map<VariableValue>((w) => ({ name: w.name, sid: w.sid })).sort((a, b) => a.name.localeCompare(b.name)));
  });
  router.get('/api/activities', (_req, res) => {
    res.json(pop.activityList() satisfies VariableValue[]);
  });
  router.get('/api/channels', (_req, res) => {
    res.json(dims.all('channel').map<VariableValue>((c) => ({ name: c.name, sid: null })));
  });
  return router;
}
