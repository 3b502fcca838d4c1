// The collector's HTTP wire types, re-exported from their one definition in collector/src/wire.ts so
// plugin modules import them from a single local path. Nothing is redeclared here.
export type {
  ApiError,
  BreachLevel,
  Catalog,
  CatalogEntry,
  CatalogOption,
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
} from '../../../collector/src/wire';
export { BREACH_LEVELS, GROUP_BYS, METRIC_KINDS, SNAPSHOT_METRICS, STATS } from '../../../collector/src/wire';
