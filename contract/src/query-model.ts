// The Grafana panel query model of the Floorboard data source: a discriminated union on
// `queryType`, with each kind listed once. The plugin's editors and runners and the provisioned
// dashboards' queries are both written against it.
import type { DataQuery } from '@grafana/schema';

import { SNAPSHOT_METRICS, type AnnotationLevel, type GroupBy, type QueryOptions, type SnapshotMetric } from './wire';

/** Kinds of query, listed once; editors and runners are `Record<QueryType, ...>` over it. */
export const QUERY_TYPES = ['metric', 'snapshot', 'annotations'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/**
 * How old the newest stored TaskRouter event is, in seconds (data freshness): a live value of its
 * own, computed in the browser from the snapshot's `lastEventAt` and ticking while no event comes.
 */
export const DATA_AGE = 'last_event_age';

/**
 * Real-time values a `snapshot` query can show: the snapshot's numbers, agents per activity, and
 * the age of the newest event.
 */
export const LIVE_VALUES = [...SNAPSHOT_METRICS, 'agents_by_activity', DATA_AGE] as const;
export type LiveValue = SnapshotMetric | 'agents_by_activity' | typeof DATA_AGE;

interface FloorboardQueryBase extends DataQuery {
  queryType: QueryType;
  /** Queue names or template variables (`$queue`); empty means every queue. */
  queues: string[];
}

/** A historical metric over the dashboard's time range (`POST /api/query`). */
export interface MetricTarget extends FloorboardQueryBase {
  queryType: 'metric';
  /** Catalog id, e.g. `avg_wait`; empty until the user picks one. */
  metric: string;
  groupBy: GroupBy;
  /** Bucket width for `groupBy: time`: `$__interval` or a duration such as `15m`. */
  interval: string;
  /** Task channel names or template variables; empty means every channel. */
  channels: string[];
  options: QueryOptions;
  /** Re-run the query each time the contact center changes (pushed over `/api/live`). */
  live: boolean;
}

/** Which snapshot a `snapshot` query shows: the live one, or the floor at the dashboard's end time. */
export const SNAPSHOT_INSTANTS = ['live', 'range_end'] as const;
export type SnapshotInstant = (typeof SNAPSHOT_INSTANTS)[number];

/** Real-time numbers from the live snapshot, one per selected queue or the total. */
export interface SnapshotTarget extends FloorboardQueryBase {
  queryType: 'snapshot';
  metric: LiveValue;
  /**
   * `range_end`: the floor as it stood at the time picker's end (`GET /api/snapshot?at=`), asked once
   * per refresh; absent or `live`: the live snapshot, streamed.
   */
  at?: SnapshotInstant;
}

/** SLA warnings and breaches over the time range (`GET /api/annotations`). */
export interface AnnotationsTarget extends FloorboardQueryBase {
  queryType: 'annotations';
  levels: AnnotationLevel[];
}

export type FloorboardQuery = MetricTarget | SnapshotTarget | AnnotationsTarget;
export type QueryOf<K extends QueryType> = Extract<FloorboardQuery, { queryType: K }>;

/** A fresh query of each kind, without the `refId` Grafana assigns. */
export const QUERY_DEFAULTS: { [K in QueryType]: Omit<QueryOf<K>, 'refId'> } = {
  metric: {
    queryType: 'metric',
    metric: '',
    groupBy: 'time',
    interval: '$__interval',
    queues: [],
    channels: [],
    options: {},
    live: false,
  },
  snapshot: { queryType: 'snapshot', metric: 'tasks_waiting', queues: [] },
  annotations: { queryType: 'annotations', queues: [], levels: ['breach'] },
};

export const DEFAULT_QUERY: Partial<FloorboardQuery> = QUERY_DEFAULTS.metric;

/** Switches a query to another kind, keeping what every kind shares (refId, queues, hide). */
export function withQueryType(query: FloorboardQuery, queryType: QueryType): FloorboardQuery {
  const { refId, hide, key, datasource, queues } = query;
  const shared = {
    refId,
    queues,
    ...(hide === undefined ? {} : { hide }),
    ...(key ? { key } : {}),
    ...(datasource ? { datasource } : {}),
  };
  switch (queryType) {
    case 'metric':
      return { ...QUERY_DEFAULTS.metric, ...shared };
    case 'snapshot':
      return { ...QUERY_DEFAULTS.snapshot, ...shared };
    case 'annotations':
      return { ...QUERY_DEFAULTS.annotations, ...shared };
  }
}

/** Whether a query has what it needs to run: a metric query needs a metric. */
export function isRunnable(query: FloorboardQuery): boolean {
  if (query.hide) {
    return false;
  }
  return query.queryType === 'metric' ? query.metric !== '' : true;
}

/**
 * The "custom all value" Floorboard's provisioned variables carry (`allValue` in the dashboard
 * JSON). Grafana hands a custom all value over unformatted, under Scenes (`CustomAllValue` in
 * grafana/scenes `MultiValueVariable.ts`) and in the older TemplateSrv
 * (public/app/features/templating/template_srv.ts) alike, so seeing it in the interpolated text is
 * how the plugin knows "All" was chosen, wherever the variable lives.
 */
export const ALL_VALUE = '__all__';

/** Variable query: which list the variable offers. */
export const VARIABLE_KINDS = ['queues', 'workers', 'activities', 'channels'] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

export interface VariableQuery extends DataQuery {
  kind: VariableKind;
  /** For `workers`: only agents of this queue (name or template variable); empty for all. */
  queue?: string;
}
