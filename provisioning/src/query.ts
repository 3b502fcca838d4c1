// Floorboard panel targets as foundation-SDK query builders: the plugin's own query model
// (plugin/src/types/query.ts), emitted as plain target JSON pointing at the `${datasource}` variable.
// A metric id or grouping the collector's catalog does not allow fails the generator, not Grafana.
import { metricById } from '@floorboard/contract';
import type { GroupBy, QueryOptions } from '@floorboard/contract';
import {
  type AnnotationsTarget,
  DATA_AGE,
  type LiveValue,
  type MetricTarget,
  type SnapshotTarget,
  type VariableKind,
  type VariableQuery,
} from '@floorboard/contract';
import type { AnnotationLevel } from '@floorboard/contract';
import type { cog, common } from './sdk';

export const PLUGIN_ID = 'floorboard-taskrouter-datasource';
/** Name of the data-source variable every dashboard carries; targets only ever name this. */
export const DATASOURCE_VARIABLE = 'datasource';
/** The reference every panel and target uses: the plugin type and the variable, never a fixed uid. */
export const DATASOURCE_REF: common.DataSourceRef = { type: PLUGIN_ID, uid: '${' + DATASOURCE_VARIABLE + '}' };

/** A target as it lands in dashboard JSON (the SDK's Dataquery marker is a method, so JSON drops it). */
export type FloorboardDataquery = (MetricTarget | SnapshotTarget | AnnotationsTarget) & cog.Dataquery;

function dataquery<T extends MetricTarget | SnapshotTarget | AnnotationsTarget>(target: T): T & cog.Dataquery {
  return { ...target, _implementsDataqueryVariant() {} };
}

/** `metric` query: a catalog metric over the dashboard's time range (`POST /api/query`). */
export class MetricQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly target: MetricTarget;

  constructor(metric: string, groupBy: GroupBy) {
    const entry = metricById(metric);
    if (!entry) throw new Error(`unknown metric "${metric}" (not in the catalogue of @floorboard/contract)`);
    if (!entry.groupBys.includes(groupBy))
      throw new Error(`metric "${metric}" cannot be grouped by "${groupBy}" (allowed: ${entry.groupBys.join(', ')})`);
    this.target = {
      refId: 'A',
      datasource: DATASOURCE_REF,
      queryType: 'metric',
      metric,
      groupBy,
      interval: '$__interval',
      queues: [],
      channels: [],
      options: {},
      live: false,
    };
  }

  refId(refId: string): this {
    this.target.refId = refId;
    return this;
  }

  /** Bucket width for `groupBy: time` (`$__interval` by default). */
  interval(interval: string): this {
    this.target.interval = interval;
    return this;
  }

  /** Queue names or template variables (`$queue`); empty means every queue. */
  queues(queues: string[]): this {
    this.target.queues = [...queues];
    return this;
  }

  options(options: QueryOptions): this {
    const entry = metricById(this.target.metric)!;
    for (const name of Object.keys(options)) {
      if (!entry.options.some((o) => o.name === name)) throw new Error(`metric "${entry.id}" has no option "${name}"`);
    }
    this.target.options = { ...options };
    return this;
  }

  /** Re-run whenever the contact center changes (pushed over `/api/live`). */
  live(live = true): this {
    this.target.live = live;
    return this;
  }

  build(): FloorboardDataquery {
    return dataquery({
      ...this.target,
      queues: [...this.target.queues],
      channels: [...this.target.channels],
      options: { ...this.target.options },
    });
  }
}

/** `snapshot` query: a real-time number from the collector's live snapshot, streamed. */
export class SnapshotQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly target: SnapshotTarget;

  constructor(metric: LiveValue) {
    if (metric !== DATA_AGE && !metricById(metric)) throw new Error(`unknown live value "${metric}" (not in the catalog)`);
    this.target = { refId: 'A', datasource: DATASOURCE_REF, queryType: 'snapshot', metric, queues: [] };
  }

  refId(refId: string): this {
    this.target.refId = refId;
    return this;
  }

  queues(queues: string[]): this {
    this.target.queues = [...queues];
    return this;
  }

  /** The floor as it stood at the time picker's end (`GET /api/snapshot?at=`), not the live one. */
  atRangeEnd(): this {
    this.target.at = 'range_end';
    return this;
  }

  build(): FloorboardDataquery {
    return dataquery({ ...this.target, queues: [...this.target.queues] });
  }
}

/** `annotations` query: SLA warnings and breaches over the time range. */
export class AnnotationsQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly target: AnnotationsTarget;

  constructor(levels: AnnotationLevel[]) {
    this.target = { refId: 'Anno', datasource: DATASOURCE_REF, queryType: 'annotations', queues: [], levels: [...levels] };
  }

  queues(queues: string[]): this {
    this.target.queues = [...queues];
    return this;
  }

  build(): FloorboardDataquery {
    return dataquery({ ...this.target, queues: [...this.target.queues], levels: [...this.target.levels] });
  }
}

/** The query of a template variable served by the plugin's CustomVariableSupport. */
export function variableQuery(kind: VariableKind): VariableQuery {
  return { refId: 'FloorboardVariable', kind };
}
