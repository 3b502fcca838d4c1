// Turns collector answers into Grafana data frames with the contact center's names: the catalog's
// title ("Waiting time", not `avg_wait`), queue names in series names, units from the catalog.
import {
  createDataFrame,
  type DataFrame,
  type FieldConfig,
  type FieldDTO,
  FieldType,
  type Labels,
} from '@grafana/data';

import type { AnnotationLevel, SlaAnnotation } from './types/annotations';
import {
  type AnnotationsTarget,
  DATA_AGE,
  type LiveValue,
  type MetricTarget,
  type SnapshotTarget,
} from '@floorboard/contract';
import {
  type Catalog,
  type CatalogEntry,
  DIMENSION_TITLES,
  type Frame,
  type FrameField,
  type QueueSnapshot,
  type Snapshot,
  type SnapshotMetric,
} from './types/wire';

/**
 * Column names for the string fields the collector uses for groupings (the contract's titles), plus
 * the older field names saved queries may still produce (`day`, `hour`, `range` for a total).
 */
const DIMENSION_NAMES: Record<string, string> = { ...DIMENSION_TITLES, range: 'Period', day: 'Day', hour: 'Hour' };

/** Titles and units for live values, used when the catalog is unavailable or lacks an entry. */
const LIVE_FALLBACK: Record<LiveValue, { title: string; unit: string }> = {
  tasks_waiting: { title: 'Customers waiting', unit: 'short' },
  longest_wait: { title: 'Longest wait', unit: 's' },
  tasks_in_progress: { title: 'Tasks in progress', unit: 'short' },
  agents_available: { title: 'Agents available', unit: 'short' },
  agents_logged_in: { title: 'Agents logged in', unit: 'short' },
  tasks_handled: { title: 'Handled today', unit: 'short' },
  tasks_abandoned: { title: 'Abandoned today', unit: 'short' },
  service_level: { title: 'Service level today', unit: 'percent' },
  avg_wait: { title: 'Waiting time today', unit: 's' },
  agents_required: { title: 'Agents required', unit: 'short' },
  staffing_gap: { title: 'Staffing gap', unit: 'short' },
  agents_by_activity: { title: 'Agents by activity', unit: 'short' },
  [DATA_AGE]: { title: 'Newest event', unit: 's' },
};

export function findEntry(catalog: Catalog | undefined, metric: string): CatalogEntry | undefined {
  return catalog?.metrics.find((entry) => entry.id === metric);
}

/** Frames of `POST /api/query`, renamed for people and tagged with the target's refId. */
export function metricFrames(frames: Frame[], target: MetricTarget, entry: CatalogEntry | undefined): DataFrame[] {
  const title = entry?.title ?? target.metric;
  return frames.map((frame) =>
    createDataFrame({
      refId: target.refId,
      name: title,
      fields: frame.fields.map((field) => convertField(field, target.metric, title, entry?.unit)),
    })
  );
}

function convertField(field: FrameField, metricId: string, title: string, catalogUnit: string | undefined): FieldDTO {
  if (field.type === 'number') {
    const unit = field.config?.unit ?? catalogUnit;
    return {
      // The metric's own column takes its title; per-label columns (a disposition, a direction) keep theirs.
      name: field.name === metricId ? title : field.name,
      type: FieldType.number,
      values: field.values,
      labels: field.labels ?? {},
      config: { ...unitConfig(unit), displayNameFromDS: withLabels(field.config?.displayName ?? title, field.labels) },
    };
  }
  const type = field.type === 'time' ? FieldType.time : FieldType.string;
  return { name: DIMENSION_NAMES[field.name] ?? field.name, type, values: field.values, config: {} };
}

/** "Waiting time (Sales)" for a per-queue series; the name alone when the labels add nothing. */
function withLabels(name: string, labels: Labels | undefined): string {
  const values = Object.values(labels ?? {}).filter((value) => value !== '' && value !== name);
  return values.length > 0 ? `${name} (${values.join(', ')})` : name;
}

function unitConfig(unit: string | undefined): FieldConfig {
  if (!unit) {
    return {};
  }
  return unit === 'percent' ? { unit, min: 0, max: 100 } : { unit };
}

/**
 * One live frame: a time field at the snapshot's instant and one number per selected queue (the
 * total when none is selected). Each number carries its SLA state as the `breach` label.
 */
export function snapshotFrame(
  snapshot: Snapshot,
  target: SnapshotTarget,
  queues: string[],
  catalog: Catalog | undefined,
  now = Date.now()
): DataFrame {
  if (target.metric === DATA_AGE) {
    return dataAgeFrame(snapshot, target, now);
  }
  const entry = findEntry(catalog, target.metric);
  const title = entry?.title ?? LIVE_FALLBACK[target.metric].title;
  const unit = entry?.unit ?? LIVE_FALLBACK[target.metric].unit;
  const rows: Array<{ queue: string | null; row: QueueSnapshot | undefined }> =
    queues.length === 0
      ? [{ queue: null, row: snapshot.total }]
      : queues.map((queue) => ({ queue, row: snapshot.queues.find((candidate) => candidate.queue === queue) }));

  const fields: FieldDTO[] = [{ name: 'Time', type: FieldType.time, values: [Date.parse(snapshot.at)] }];
  for (const { queue, row } of rows) {
    const queueLabel: Labels = queue === null ? {} : { queue };
    if (target.metric === 'agents_by_activity') {
      for (const [activity, agents] of Object.entries(row?.agentsByActivity ?? {})) {
        fields.push({
          name: `${activity}${queue === null ? '' : ` ${queue}`}`,
          type: FieldType.number,
          values: [agents],
          labels: { ...queueLabel, activity },
          config: { unit, displayNameFromDS: withLabels(activity, queueLabel) },
        });
      }
      continue;
    }
    const metric: SnapshotMetric = target.metric;
    const value = row?.values[metric];
    fields.push({
      name: queue ?? 'Total',
      type: FieldType.number,
      values: [value?.value ?? null],
      labels: { ...queueLabel, breach: value?.breach ?? 'ok' },
      config: { ...unitConfig(unit), displayNameFromDS: withLabels(title, queueLabel) },
    });
  }
  return createDataFrame({ refId: target.refId, name: title, fields });
}

/**
 * Data freshness: seconds since the newest stored event at `now` (never negative: an event stamped
 * ahead of this browser's clock is "just now"); no value before the first event. One number for
 * the whole contact center, whatever queues the target names.
 */
function dataAgeFrame(snapshot: Snapshot, target: SnapshotTarget, now: number): DataFrame {
  const { title, unit } = LIVE_FALLBACK[DATA_AGE];
  const last = snapshot.lastEventAt === null ? undefined : Date.parse(snapshot.lastEventAt);
  const age = last === undefined || Number.isNaN(last) ? null : Math.max(0, Math.floor((now - last) / 1000));
  return createDataFrame({
    refId: target.refId,
    name: title,
    fields: [
      { name: 'Time', type: FieldType.time, values: [now] },
      { name: title, type: FieldType.number, values: [age], config: { unit, displayNameFromDS: title } },
    ],
  });
}

/** What a live frame shows, to skip emitting when a snapshot changed nothing this panel displays. */
export function frameSignature(frame: DataFrame): string {
  return JSON.stringify(
    frame.fields
      .filter((field) => field.type !== FieldType.time)
      .map((field) => [field.name, field.values, field.labels])
  );
}

const LEVEL_COLORS: Record<AnnotationLevel, string> = { warn: 'orange', breach: 'red' };

/** SLA annotations as a frame: Grafana's annotation fields plus queue/metric/level for tables. */
export function annotationsFrame(annotations: SlaAnnotation[], target: AnnotationsTarget): DataFrame {
  const shown = annotations.filter((annotation) => target.levels.includes(annotation.level));
  return createDataFrame({
    refId: target.refId,
    name: 'SLA breaches',
    fields: [
      { name: 'time', type: FieldType.time, values: shown.map((a) => a.time) },
      { name: 'timeEnd', type: FieldType.time, values: shown.map((a) => a.timeEnd ?? null) },
      { name: 'title', type: FieldType.string, values: shown.map((a) => a.title) },
      { name: 'text', type: FieldType.string, values: shown.map((a) => a.text) },
      { name: 'tags', type: FieldType.other, values: shown.map((a) => a.tags) },
      {
        name: 'queue',
        type: FieldType.string,
        values: shown.map((a) => a.queue ?? 'All queues'),
        config: { displayNameFromDS: 'Queue' },
      },
      {
        name: 'metric',
        type: FieldType.string,
        values: shown.map((a) => a.metric),
        config: { displayNameFromDS: 'Metric' },
      },
      {
        name: 'level',
        type: FieldType.string,
        values: shown.map((a) => a.level),
        config: { displayNameFromDS: 'Level' },
      },
      { name: 'color', type: FieldType.string, values: shown.map((a) => LEVEL_COLORS[a.level]) },
    ],
  });
}
