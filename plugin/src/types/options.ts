// Per-instance settings of the data source: what the config editor edits and plugin.json's route reads.
import type { DataSourceJsonData } from '@grafana/data';

export interface FloorboardOptions extends DataSourceJsonData {
  /** Base URL of the Floorboard collector, e.g. `http://collector:3300`; the proxy route's target. */
  url?: string;
  /** IANA zone for day and hour buckets when the dashboard's zone is "Default", e.g. `Europe/London`. */
  timezone?: string;
}

/** Stored encrypted by Grafana and only ever read server-side by the proxy route. */
export interface FloorboardSecureOptions {
  /** Bearer token the collector requires when `FLOORBOARD_API_TOKEN` is set. */
  apiToken?: string;
}
