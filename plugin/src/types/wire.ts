// The collector's HTTP wire types, re-exported from their one definition in @floorboard/contract so
// plugin modules import them from a single local path. Nothing is redeclared here.
export type {
  ApiError,
  BreachLevel,
  Catalog,
  CatalogEntry,
  CatalogOption,
  DimensionField,
  Frame,
  FrameField,
  GroupBy,
  Health,
  MetricKind,
  MetricQuery,
  QueryOptions,
  QueryResponse,
  QueueSnapshot,
  Snapshot,
  SnapshotMetric,
  SnapshotValue,
  Stat,
  VariableValue,
} from '@floorboard/contract';
export {
  BREACH_LEVELS,
  DIMENSION_TITLES,
  GROUP_BY_TITLES,
  GROUP_BYS,
  METRIC_KINDS,
  SNAPSHOT_METRICS,
  STATS,
} from '@floorboard/contract';
