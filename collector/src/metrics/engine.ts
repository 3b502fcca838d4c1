// The query engine: one parsed metric query -> Grafana data frames, by the family that answers the
// metric. Every catalogue id must have a runner here, or this file does not compile.
import type { Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import type { Dims } from '../store/dims';
import { IntervalStore } from '../store/intervals';
import type { QueryResponse } from '@floorboard/contract';
import type { MetricId } from '@floorboard/contract';
import { agentsFamily } from './families/agents';
import { breakdownFamily } from './families/breakdown';
import { drilldownFamily } from './families/drilldown';
import { flowFamily } from './families/flow';
import { stateFamily } from './families/state';
import { staffingFamily } from './families/staffing';
import { timeShareFamily } from './families/timeshare';
import { FlowData } from '../store/flow';
import { FloorStore } from '../store/floor';
import { QueryKit, type ParsedQuery, type Runner } from './kit';
import { Population } from './population';

export type { ParsedQuery } from './kit';

const RUNNERS: Record<MetricId, Runner> = {
  ...flowFamily,
  ...stateFamily,
  ...staffingFamily,
  ...agentsFamily,
  ...timeShareFamily,
  ...breakdownFamily,
  ...drilldownFamily,
};

export class QueryEngine {
  private readonly kit: QueryKit;
  readonly population: Population;

  constructor(db: Db, dims: Dims, sla: Sla, now: () => number = Date.now) {
    this.population = new Population(db, dims, sla);
    this.kit = new QueryKit(dims, this.population, new FlowData(db), new IntervalStore(db), now, new FloorStore(db), sla);
  }

  run(q: ParsedQuery): QueryResponse {
    return RUNNERS[q.metric.id](q, this.kit);
  }
}
