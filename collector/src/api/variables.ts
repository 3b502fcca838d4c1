// Values for Grafana template variables: queues, workers (optionally of one queue), activities,
// channels — names and Sids.
import { Router } from 'express';
import type { QueryEngine } from '../metrics/engine';
import type { Dims } from '../store/dims';
import type { VariableValue } from '../wire';

export function variableRoutes(engine: QueryEngine, dims: Dims, activities: () => VariableValue[]): Router {
  const router = Router();
  const pop = engine.population;
  router.get('/api/queues', (_req, res) => {
    res.json(pop.queueList().map<VariableValue>((q) => ({ name: q.name, sid: q.sid })));
  });
  router.get('/api/workers', (req, res) => {
    const queue = typeof req.query.queue === 'string' && req.query.queue !== '' ? req.query.queue : null;
    let workers = pop.workerList().filter((w) => !w.deleted);
    if (queue) {
      const members = pop.membership();
      workers = workers.filter((w) => {
        const id = dims.find('worker', w.sid);
        return id !== undefined && (members.get(id) ?? []).includes(queue);
      });
    }
    res.json(workers.map<VariableValue>((w) => ({ name: w.name, sid: w.sid })).sort((a, b) => a.name.localeCompare(b.name)));
  });
  router.get('/api/activities', (_req, res) => {
    res.json(activities());
  });
  router.get('/api/channels', (_req, res) => {
    res.json(dims.all('channel').map<VariableValue>((c) => ({ name: c.name, sid: null })));
  });
  return router;
}
