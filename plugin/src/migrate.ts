// Upgrades saved panel queries from the shapes earlier Floorboard versions stored to today's union.
// Every entry point (query(), filterQuery(), the editors) runs targets through `migrateQuery`, so a
// dashboard saved by any version keeps working; the function is idempotent on current queries.
import type { DataQuery } from '@grafana/schema';

import { ANNOTATION_LEVELS, type AnnotationLevel } from './types/annotations';
import {
  type FloorboardQuery,
  LIVE_VALUES,
  type LiveValue,
  QUERY_DEFAULTS,
  type VariableQuery,
  VARIABLE_KINDS,
  type VariableKind,
} from '@floorboard/contract';
import { GROUP_BYS, type GroupBy, type QueryOptions, STATS, type Stat } from './types/wire';

/** A query as stored in dashboard JSON: any version, so every field is unknown until checked. */
export type StoredQuery = DataQuery & { [field: string]: unknown };

/**
 * v0 (prototype): one metric by `metricId`, a single `queue` string, and short grouping names.
 * `{ metricId: 'avg_wait', group: 'hour', queue: 'Sales', channel: 'voice', live: true }`
 */
export interface QueryV0 extends DataQuery {
  metricId: string;
  group?: 'none' | 'time' | 'queue' | 'hour' | 'day' | 'date';
  queue?: string;
  channel?: string;
  live?: boolean;
}

/**
 * v1 (first catalog release): no `queryType`; queues as one comma-separated string and the
 * service-level threshold at the top level.
 * `{ metric: 'service_level', groupBy: 'queue', queues: 'Sales,Support', threshold: 30 }`
 */
export interface QueryV1 extends DataQuery {
  metric: string;
  groupBy?: string;
  queues?: string;
  threshold?: number;
  stat?: string;
}

/** v2 real-time panels: `{ queryType: 'realtime', value: 'tasks_waiting', queue: 'Sales' }`. */
export interface QueryV2Realtime extends DataQuery {
  queryType: 'realtime';
  value: string;
  queue?: string;
}

const V0_GROUPS: Record<NonNullable<QueryV0['group']>, GroupBy> = {
  none: 'none',
  time: 'time',
  queue: 'queue',
  hour: 'hour_of_day',
  day: 'day_of_week',
  date: 'date',
};

export function migrateQuery(stored: DataQuery): FloorboardQuery {
  // Saved JSON of any version: read every field as unknown and check it.
  const query = { ...stored } as StoredQuery;
  const base = { refId: query.refId ?? 'A', ...pickCommon(query) };

  if (typeof query.metricId === 'string') {
    return fromV0(query, base);
  }
  if (query.queryType === 'realtime') {
    return { ...QUERY_DEFAULTS.snapshot, ...base, metric: liveValue(query.value), queues: list(query.queue) };
  }
  if (query.queryType === 'snapshot') {
    const at = query.at === 'range_end' ? { at: 'range_end' as const } : {};
    return { ...QUERY_DEFAULTS.snapshot, ...base, metric: liveValue(query.metric), queues: list(query.queues), ...at };
  }
  if (query.queryType === 'annotations') {
    const levels = stringList(query.levels).filter(isAnnotationLevel);
    return {
      ...QUERY_DEFAULTS.annotations,
      ...base,
      queues: list(query.queues),
      levels: levels.length > 0 ? levels : QUERY_DEFAULTS.annotations.levels,
    };
  }
  // A metric query: current (queryType 'metric'), v1 (no queryType) or a bare `{ refId }`.
  const options: QueryOptions = { ...parseOptions(query.options) };
  if (typeof query.threshold === 'number') {
    options.thresholdSeconds = query.threshold;
  }
  if (isStat(query.stat)) {
    options.stat = query.stat;
  }
  return {
    ...QUERY_DEFAULTS.metric,
    ...base,
    metric: typeof query.metric === 'string' ? query.metric : '',
    groupBy: isGroupBy(query.groupBy) ? query.groupBy : QUERY_DEFAULTS.metric.groupBy,
    interval: typeof query.interval === 'string' ? query.interval : QUERY_DEFAULTS.metric.interval,
    queues: list(query.queues),
    channels: list(query.channels),
    options,
    live: query.live === true,
  };
}

function fromV0(query: StoredQuery, base: Pick<FloorboardQuery, 'refId'>): FloorboardQuery {
  const group =
    typeof query.group === 'string' && query.group in V0_GROUPS ? (query.group as keyof typeof V0_GROUPS) : 'time';
  return {
    ...QUERY_DEFAULTS.metric,
    ...base,
    metric: String(query.metricId),
    groupBy: V0_GROUPS[group],
    queues: list(query.queue),
    channels: list(query.channel),
    live: query.live === true,
  };
}

/** Variable queries: current objects, or the bare kind string early versions stored. */
export function migrateVariableQuery(stored: unknown, refId = 'FloorboardVariable'): VariableQuery {
  if (typeof stored === 'string') {
    return { refId, kind: isVariableKind(stored.trim()) ? (stored.trim() as VariableKind) : 'queues' };
  }
  if (stored && typeof stored === 'object') {
    const record = stored as { [field: string]: unknown };
    const kind = isVariableKind(record.kind) ? record.kind : 'queues';
    const queue = typeof record.queue === 'string' && record.queue !== '' ? record.queue : undefined;
    return { refId: typeof record.refId === 'string' ? record.refId : refId, kind, ...(queue ? { queue } : {}) };
  }
  return { refId, kind: 'queues' };
}

function pickCommon(query: StoredQuery): Partial<Pick<FloorboardQuery, 'hide' | 'key' | 'datasource'>> {
  return {
    ...(query.hide === undefined ? {} : { hide: query.hide }),
    ...(query.key === undefined ? {} : { key: query.key }),
    ...(query.datasource === undefined ? {} : { datasource: query.datasource }),
  };
}

/** A list of names from an array, a comma-separated string, or nothing. */
function list(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  return stringList(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function parseOptions(value: unknown): QueryOptions {
  if (!value || typeof value !== 'object') {
    return {};
  }
  const record = value as { [field: string]: unknown };
  return {
    ...(isStat(record.stat) ? { stat: record.stat } : {}),
    ...(typeof record.thresholdSeconds === 'number' ? { thresholdSeconds: record.thresholdSeconds } : {}),
  };
}

function liveValue(value: unknown): LiveValue {
  return (LIVE_VALUES as readonly unknown[]).includes(value) ? (value as LiveValue) : QUERY_DEFAULTS.snapshot.metric;
}

export function isGroupBy(value: unknown): value is GroupBy {
  return (GROUP_BYS as readonly unknown[]).includes(value);
}

function isStat(value: unknown): value is Stat {
  return (STATS as readonly unknown[]).includes(value);
}

function isAnnotationLevel(value: unknown): value is AnnotationLevel {
  return (ANNOTATION_LEVELS as readonly unknown[]).includes(value);
}

function isVariableKind(value: unknown): value is VariableKind {
  return (VARIABLE_KINDS as readonly unknown[]).includes(value);
}
