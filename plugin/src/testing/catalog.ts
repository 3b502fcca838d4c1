// The collector's `GET /api/catalog` answer for unit and browser tests, generated from the one
// catalogue in @floorboard/contract: real entries (titles, units, groupings, options), so the plugin
// is tested against the metrics the collector serves. A few of each family, not all: Grafana's
// Combobox renders long lists virtually, and jsdom has no layout to scroll them.
// No Grafana imports, so the browser test's node-side fake collector can serve it too.
import { GROUP_BYS, metricById } from '@floorboard/contract';
import type { Catalog, CatalogEntry } from '../types/wire';

const SHOWN = ['tasks_handled', 'avg_wait', 'service_level', 'tasks_waiting', 'agent_occupancy', 'agent_tasks_handled'];

export const CATALOG: Catalog = {
  groupBys: GROUP_BYS,
  metrics: SHOWN.map((id): CatalogEntry => {
    const entry = metricById(id);
    if (!entry) {
      throw new Error(`the contract's catalogue has no metric "${id}"`);
    }
    return entry;
  }),
};
