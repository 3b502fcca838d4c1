// Wire types of the collector's HTTP API: the one place the collector, the Grafana plugin and
// provisioning import from. Request and response bodies are zod schemas with their TypeScript types
// inferred from them (the collector validates with the same schema the plugin's types come from);
// nothing here touches Node or the DOM, so the plugin's bundle can import it.
import { z } from 'zod';

/** Groupings a metric query may ask for; the catalog says which each metric allows. */
export const GROUP_BYS = ['none', 'time', 'queue', 'date', 'day_of_week', 'hour_of_day', 'channel', 'worker', 'activity'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/**
 * The string fields frames carry for groupings and breakdowns, and the column title a dashboard
 * shows for each (the plugin renames fields to these; provisioning's overrides and links name them).
 */
export const DIMENSION_TITLES = {
  time: 'Time',
  queue: 'Queue',
  date: 'Date',
  day_of_week: 'Day',
  hour_of_day: 'Hour',
  channel: 'Channel',
  worker: 'Agent',
  activity: 'Activity',
  disposition: 'Disposition',
  direction: 'Direction',
} as const;
export type DimensionField = keyof typeof DIMENSION_TITLES;

/** What the query editor calls each grouping. */
export const GROUP_BY_TITLES: Record<GroupBy, string> = {
  none: 'Total',
  time: 'Over time',
  queue: 'Queue',
  date: 'Date',
  day_of_week: 'Day of week',
  hour_of_day: 'Hour of day',
  channel: 'Channel',
  worker: 'Agent',
  activity: 'Activity',
};

/** Families of metrics, as docs/metrics.md groups them. */
export const METRIC_KINDS = ['count', 'duration', 'ratio', 'state', 'agent', 'breakdown', 'drilldown'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** `options.stat` for state (and duration) metrics. */
export const STATS = ['avg', 'max', 'last'] as const;
export type Stat = (typeof STATS)[number];

const instant = z.union([z.number(), z.string().min(1)]);
const names = z.array(z.string().min(1).max(256)).max(500).default([]);

export const queryOptionsSchema = z.object({
  stat: z.enum(STATS).optional(),
  /** Service-level answer threshold in seconds (overrides the SLA file). */
  thresholdSeconds: z.number().positive().max(86_400).optional(),
});
export type QueryOptions = z.infer<typeof queryOptionsSchema>;

/** Body of `POST /api/query`. */
export const metricQuerySchema = z.object({
  metric: z.string().min(1),
  /** ISO 8601 or epoch milliseconds. */
  from: instant,
  to: instant,
  groupBy: z.enum(GROUP_BYS).default('none'),
  /** Bucket width for `groupBy: time`, e.g. `30s`, `5m`, `1h`, `1d`. */
  interval: z.string().max(20).optional(),
  /** Queue names; several are aggregated as one population unless `groupBy` is `queue`. */
  queues: names,
  /** Task channel unique names (`voice`, `chat`, ...). */
  channels: names,
  /** IANA zone for date/day/hour buckets; defaults to the collector's `FLOORBOARD_TZ`. */
  timezone: z.string().max(64).optional(),
  options: queryOptionsSchema.default({}),
});
/** A query as a client writes it (defaults may be left out). */
export type MetricQuery = z.input<typeof metricQuerySchema>;

export interface CatalogOption {
  name: keyof QueryOptions;
  type: 'enum' | 'number';
  values?: readonly string[];
  default?: string | number;
  description: string;
}

/** One metric as `GET /api/catalog` lists it. */
export interface CatalogEntry {
  id: string;
  /** The contact center's name for it: "Waiting time", "Customers waiting". */
  title: string;
  description: string;
  /** Grafana unit id: `s`, `percent`, `short`. */
  unit: string;
  kind: MetricKind;
  groupBys: GroupBy[];
  options: CatalogOption[];
  /** Whether a higher value is better (service level) or worse (waiting time); null when neither. */
  better: 'higher' | 'lower' | null;
}

export interface Catalog {
  metrics: CatalogEntry[];
  groupBys: readonly GroupBy[];
}

/** Grafana data-frame JSON, as `POST /api/query` answers it. */
export const frameFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['time', 'number', 'string']),
  values: z.array(z.union([z.number(), z.string(), z.null()])),
  labels: z.record(z.string(), z.string()).optional(),
  config: z.object({ unit: z.string().optional(), displayName: z.string().optional() }).optional(),
});
export type FrameField = z.infer<typeof frameFieldSchema>;
export const frameSchema = z.object({ name: z.string(), fields: z.array(frameFieldSchema) });
export type Frame = z.infer<typeof frameSchema>;
export const queryResponseSchema = z.object({ frames: z.array(frameSchema) });
export type QueryResponse = z.infer<typeof queryResponseSchema>;

export interface ApiError {
  error: string;
}

/** `GET /api/health`. */
export interface Health {
  status: 'ok';
  eventsStored: number;
  lastEventAt: string | null;
  /** Authenticated events that could not be read, waiting in the quarantine (`npx floorboard quarantine list`). */
  quarantinedEvents: number;
  /**
   * Events in the log not yet folded into the derived tables (the answers): near 0 while the
   * projector keeps up; growing means answers lag the stored events.
   */
  eventsNotProjected: number;
  db: { path: string; sizeBytes: number };
}

/** One quarantined event: authenticated, but its Sid, type or time could not be read. */
export interface QuarantinedEventView {
  id: number;
  receivedAt: string;
  transport: 'callback' | 'event-streams' | 'backfill';
  eventSid: string | null;
  reason: string;
  /** The event exactly as received (CloudEvent JSON, or the form fields as JSON). */
  body: string;
  replayedAt: string | null;
  replayResult: string | null;
}

/** `GET /api/quarantine`. */
export interface QuarantineListResponse {
  waiting: number;
  events: QuarantinedEventView[];
}

/** `POST /api/quarantine/replay`. */
export interface QuarantineReplayResponse {
  checked: number;
  stored: number;
  duplicates: number;
  ignored: number;
  waiting: number;
}

/** `POST /api/admin/rebuild` body: re-derive every derived table from the event log while serving. */
export const rebuildRequestSchema = z
  .object({
    /** Rebuild even though retention pruned old events: their history (kept only in the derived tables) is lost. */
    dropPrunedHistory: z.boolean().optional(),
  })
  .strict();
export type RebuildRequest = z.infer<typeof rebuildRequestSchema>;

/** What an online rebuild is doing: deriving (state, facts), catching up with the log, copying into the live file, swapping. */
export const REBUILD_PHASES = ['state', 'facts', 'catch-up', 'copy', 'swap'] as const;
export type RebuildPhaseName = (typeof REBUILD_PHASES)[number];

/** `GET /api/admin/rebuild` (and the answer to the POST that starts one). */
export interface RebuildStatus {
  /** idle: none since the collector started; running; done (answers come from the rebuilt tables); failed. */
  state: 'idle' | 'running' | 'done' | 'failed';
  /** What started it: an operator's request, or a migration that changed a definition (at start-up). */
  trigger: 'request' | 'migration' | null;
  phase: RebuildPhaseName | null;
  /** Work done and to do in this phase: events over both passes (each counts twice), then rows while copying. */
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** When done: events and tasks re-derived, and events per second over the whole rebuild. */
  events: number | null;
  tasks: number | null;
  eventsPerSecond: number | null;
  /** When failed: why, in one line. */
  error: string | null;
}

/** SLA state of one number: within target, near it, or past it. */
export const BREACH_LEVELS = ['ok', 'warn', 'breach'] as const;
export type BreachLevel = (typeof BREACH_LEVELS)[number];

/** Metrics the snapshot carries for every queue and the total. */
export const SNAPSHOT_METRICS = [
  'tasks_waiting',
  'longest_wait',
  'tasks_in_progress',
  'agents_available',
  'agents_logged_in',
  'tasks_handled',
  'tasks_abandoned',
  'service_level',
  'avg_wait',
  'agents_required',
  'staffing_gap',
] as const;
export type SnapshotMetric = (typeof SNAPSHOT_METRICS)[number];

export const snapshotValueSchema = z.object({ value: z.number().nullable(), breach: z.enum(BREACH_LEVELS) });
export type SnapshotValue = z.infer<typeof snapshotValueSchema>;

export const queueSnapshotSchema = z.object({
  /** Queue name; `null` for the all-queues total. */
  queue: z.string().nullable(),
  queueSid: z.string().nullable(),
  /** True for a queue group of the SLA file (`groups`): its numbers count its queues as one population. */
  group: z.boolean().optional(),
  values: z.object(
    Object.fromEntries(SNAPSHOT_METRICS.map((m) => [m, snapshotValueSchema])) as Record<SnapshotMetric, typeof snapshotValueSchema>,
  ),
  /** Logged-in agents per activity name. */
  agentsByActivity: z.record(z.string(), z.number()),
});
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;

/** `GET /api/snapshot` and each `GET /api/live` message. */
export const snapshotSchema = z.object({
  /** Monotonic change counter; the SSE event id. */
  seq: z.number(),
  /** When it was computed (ISO 8601). */
  at: z.string(),
  timezone: z.string(),
  /** Start of "today" in the contact center's zone (ISO). */
  dayStart: z.string(),
  /**
   * Time of the newest TaskRouter event stored (ISO), as `GET /api/health` reports it; null before
   * the first. Dashboards show its age (data freshness).
   */
  lastEventAt: z.string().nullable(),
  total: queueSnapshotSchema,
  queues: z.array(queueSnapshotSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Values for template variables (`/api/queues`, `/api/workers`, ...). */
export interface VariableValue {
  name: string;
  sid: string | null;
  /** `/api/queues`: true for a queue group of the SLA file, with the queues it stands for. */
  group?: boolean;
  members?: string[];
}

/** Prometheus series the collector exports; alert rules are written against these names. */
export const PROM = {
  tasksWaiting: 'floorboard_tasks_waiting',
  longestWaitSeconds: 'floorboard_longest_wait_seconds',
  tasksInProgress: 'floorboard_tasks_in_progress',
  agentsAvailable: 'floorboard_agents_available',
  agentsLoggedIn: 'floorboard_agents_logged_in',
  agentsByActivity: 'floorboard_agents_by_activity',
  serviceLevelPercent: 'floorboard_service_level_percent',
  abandonRatePercent: 'floorboard_abandon_rate_percent',
  avgWaitSeconds: 'floorboard_avg_wait_seconds',
  slaBreach: 'floorboard_sla_breach',
  tasksEnteredTotal: 'floorboard_tasks_entered_total',
  tasksHandledTotal: 'floorboard_tasks_handled_total',
  tasksAbandonedTotal: 'floorboard_tasks_abandoned_total',
  waitSeconds: 'floorboard_wait_seconds',
  ingestEventsTotal: 'floorboard_ingest_events_total',
  ingestRejectedTotal: 'floorboard_ingest_rejected_total',
  ingestQuarantinedTotal: 'floorboard_ingest_quarantined_total',
  ingestIgnoredTotal: 'floorboard_ingest_ignored_events_total',
  ingestFieldIssuesTotal: 'floorboard_ingest_field_issues_total',
  quarantinedEvents: 'floorboard_quarantined_events',
  eventsNotProjected: 'floorboard_events_not_projected',
  lastEventAgeSeconds: 'floorboard_last_event_age_seconds',
  agentsRequired: 'floorboard_agents_required',
  staffingGap: 'floorboard_staffing_gap',
} as const;

/** SLA levels an annotation can mark; `ok` never produces one. */
export const ANNOTATION_LEVELS = ['warn', 'breach'] as const;
export type AnnotationLevel = (typeof ANNOTATION_LEVELS)[number];

/** One SLA warning or breach, as `GET /api/annotations?from=&to=&queue=&timezone=` lists it. */
export interface SlaAnnotation {
  /** Start of the breach, epoch ms. */
  time: number;
  /** End of the breach, epoch ms; absent while it is still going on. */
  timeEnd?: number;
  /** Short headline, e.g. "Sales: Longest wait breached its target". */
  title: string;
  /** The numbers, e.g. "Longest wait reached 150 s (breach at 120 s)". */
  text: string;
  tags: string[];
  /** Queue name; null for the all-queues total. */
  queue: string | null;
  /** Catalog id of the metric, e.g. `longest_wait`. */
  metric: string;
  level: AnnotationLevel;
}

export interface AnnotationsResponse {
  annotations: SlaAnnotation[];
}
