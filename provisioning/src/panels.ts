// Panel builders for Floorboard dashboards: each panel takes its unit and description from the
// collector's catalog and its colours from the SLA file, so a dashboard file only says what to show.
import { DIMENSION_TITLES, metricById } from '@floorboard/contract';
import { serviceLevelFormulaText, type Sla } from '@floorboard/contract/sla';
import type { CatalogEntry, GroupBy, QueryOptions, Stat } from '@floorboard/contract';
import { DATA_AGE, type LiveValue } from '@floorboard/contract';
import { DATASOURCE_REF, MetricQueryBuilder, SnapshotQueryBuilder } from './query';
import { barchart, bargauge, common, dashboard, piechart, stat, table, timeseries, type cog } from './sdk';
import { DATA_AGE_WARN_SECONDS, dataAgeThresholds, slaSentence, slaThresholds } from './thresholds';

/** What every panel helper needs: the SLA file, and which queue a panel is for (null: the defaults). */
export interface PanelContext {
  sla: Sla;
  /** The one queue the panel shows, when per-queue SLA overrides apply; null otherwise. */
  slaQueue: string | null;
}

/** Grid size in Grafana units (24 columns wide). */
export interface Size {
  w: number;
  h: number;
}

/** One historical series of a panel. */
export interface MetricSpec {
  metric: string;
  groupBy: GroupBy;
  queues?: string[];
  interval?: string;
  stat?: Stat;
  live?: boolean;
}

/** Column names the plugin gives grouping fields: the contract's titles. */
export const DIMENSION_FIELD = DIMENSION_TITLES;

export function entry(metric: string): CatalogEntry {
  const e = metricById(metric);
  if (!e) throw new Error(`unknown metric "${metric}"`);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Descriptions: how each number is computed, in the catalog's words plus grouping and SLA.

const GROUPING_TEXT: Record<GroupBy, string> = {
  none: 'Over the whole time range.',
  time: "Per time bucket of the panel's interval.",
  queue: 'One value per queue.',
  date: "One value per day, in the contact center's time zone.",
  day_of_week: "Per weekday (Mon–Sun) across the whole time range, in the contact center's time zone.",
  hour_of_day: "Per hour of the day (00–23) across the whole time range, in the contact center's time zone.",
  channel: 'One value per task channel.',
  worker: 'One row per agent.',
  activity: 'One value per activity.',
};

const BUCKETED: ReadonlySet<GroupBy> = new Set(['time', 'date', 'day_of_week', 'hour_of_day']);

function aggregationText(e: CatalogEntry, statName: Stat | undefined, groupBy: GroupBy): string {
  const span = BUCKETED.has(groupBy) ? 'each bucket' : 'the time range';
  switch (e.kind) {
    case 'count':
      return 'Counted by event time.';
    case 'duration':
      return statName === 'max' ? `Longest in ${span}.` : `Averaged over the tasks whose event falls in ${span}.`;
    case 'ratio':
      return `Computed from the counts in ${span}.`;
    case 'state':
      return statName === 'max'
        ? `Peak in ${span}.`
        : statName === 'last'
          ? `Value at the end of ${span}.`
          : `Time-weighted average over ${span}.`;
    default:
      return '';
  }
}

/**
 * The SLA's abandoned-tasks number is a daily total (the snapshot's "today"), so it colours live
 * panels only; a count per bucket or range is not comparable with it.
 */
const DAILY_ONLY: ReadonlySet<string> = new Set(['tasks_abandoned']);

/** SLA threshold config for a historical metric, if its SLA number applies to history. */
function historyThresholds(ctx: PanelContext, metric: string): dashboard.ThresholdsConfigBuilder | undefined {
  return DAILY_ONLY.has(metric) ? undefined : slaThresholds(ctx.sla, metric, ctx.slaQueue);
}

export function formatter(unit: string): (n: number) => string {
  if (unit === 's') return (n) => `${n} s`;
  if (unit === 'percent') return (n) => `${n}%`;
  return (n) => String(n);
}

/** Description of a historical metric: catalog text, grouping, aggregation, SLA colours. */
/** Service level depends on the answer target and the abandon rule, which the SLA file sets per queue. */
function answerTarget(ctx: PanelContext, metric: string): string {
  return metric === 'service_level' ? serviceLevelFormulaText(ctx.sla, ctx.slaQueue) : '';
}

export function describeMetric(ctx: PanelContext, spec: MetricSpec): string {
  const e = entry(spec.metric);
  const parts = [
    e.description,
    answerTarget(ctx, spec.metric),
    GROUPING_TEXT[spec.groupBy],
    aggregationText(e, spec.stat, spec.groupBy),
  ].filter((p) => p !== '');
  if (spec.live) parts.push('Refreshed as events arrive.');
  return parts.join(' ') + (DAILY_ONLY.has(spec.metric) ? '' : slaSentence(ctx.sla, spec.metric, ctx.slaQueue, formatter(e.unit)));
}

const TODAY_VALUES: ReadonlySet<LiveValue> = new Set(['tasks_handled', 'tasks_abandoned', 'service_level', 'avg_wait']);

/** Description of a live number from the collector's snapshot. */
export function describeLive(ctx: PanelContext, metric: LiveValue, atRangeEnd = false): string {
  const e = entry(metric);
  const when = atRangeEnd
    ? TODAY_VALUES.has(metric)
      ? "As it stood at the end of the time range, counted from that day's midnight in the contact center's time zone."
      : 'As it stood at the end of the time range, from the intervals the collector keeps of every task and agent.'
    : TODAY_VALUES.has(metric)
      ? "Today so far (since midnight in the contact center's time zone), live from the collector's snapshot."
      : "Right now, live from the collector's snapshot; updates as TaskRouter events arrive.";
  const target = answerTarget(ctx, metric);
  return `${e.description} ${target === '' ? '' : target + ' '}${when}${slaSentence(ctx.sla, metric, ctx.slaQueue, formatter(e.unit))}`;
}

// ---------------------------------------------------------------------------------------------
// Field config shared by panel kinds.

function metricQuery(spec: MetricSpec, refId: string): MetricQueryBuilder {
  const q = new MetricQueryBuilder(spec.metric, spec.groupBy).refId(refId).queues(spec.queues ?? []);
  if (spec.interval) q.interval(spec.interval);
  if (spec.stat) q.options({ stat: spec.stat } satisfies QueryOptions);
  if (spec.live) q.live();
  return q;
}

const refIdAt = (i: number) => String.fromCharCode(65 + i);

/** Units and ranges every panel kind shares (the SDK builders have these methods but no common type). */
interface FieldBuilder<T> {
  unit(unit: string): T;
  min(min: number): T;
  max(max: number): T;
  decimals(decimals: number): T;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): T;
  colorScheme(c: cog.Builder<dashboard.FieldColor>): T;
  description(text: string): T;
  datasource(ref: common.DataSourceRef): T;
  title(title: string): T;
  height(h: number): T;
  span(w: number): T;
}

function basics<T extends FieldBuilder<T>>(panel: T, title: string, description: string, size: Size, unit: string): T {
  panel.title(title).description(description).datasource(DATASOURCE_REF).height(size.h).span(size.w).unit(unit);
  if (unit === 'percent') panel.min(0).max(100).decimals(1);
  if (unit === 's') panel.decimals(0);
  return panel;
}

const colour = (mode: dashboard.FieldColorModeId) => new dashboard.FieldColorBuilder().mode(mode);
const legend = (show: boolean) =>
  new common.VizLegendOptionsBuilder()
    .showLegend(show)
    .displayMode(common.LegendDisplayMode.List)
    .placement(common.LegendPlacement.Bottom)
    .calcs([]);
const reduce = (calc: string) => new common.ReduceDataOptionsBuilder().calcs([calc]).values(false);
const thresholdLine = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line);
const noSlaSteps = () =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }]);

// ---------------------------------------------------------------------------------------------
// Panels.

export interface StatOptions {
  title: string;
  size: Size;
  /** Wallboard style: huge value, coloured background. */
  big?: boolean;
  description?: string;
  /** The number as it stood at the time picker's end (the "Floor at a moment" dashboard), not live. */
  atRangeEnd?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Drill-down: data links from the numbers behind which tasks stand to the "Floor at a moment"
// dashboard, filtered to the panel's queue.

/** The dashboard the drill-down links open (provisioning/src/dashboards/floor.ts). */
export const FLOOR_UID = 'floorboard-floor';
/** Live numbers whose tasks the drill-down lists. */
export const DRILL_DOWN_METRICS: ReadonlySet<string> = new Set(['tasks_waiting', 'longest_wait', 'tasks_in_progress']);

/** `var-queue=…` for the panel's queues: its own template variable, a fixed queue, or every queue. */
function queueParam(queues: string[]): string {
  if (queues.length === 0) return 'var-queue=$__all';
  return queues.map((q) => (q === '$queue' ? '${queue:queryparam}' : `var-queue=${encodeURIComponent(q)}`)).join('&');
}

/**
 * A Grafana field data link (`fieldConfig.defaults.links[]`: DataLink `{title, url, targetBlank}`,
 * grafana/grafana packages/grafana-data/src/types/dataLink.ts); the SDK's `dataLinks` takes
 * DashboardLink builders, so the link is built as the DataLink Grafana reads.
 */
function dataLink(title: string, url: string): cog.Builder<dashboard.DashboardLink> {
  return { build: () => ({ title, url, targetBlank: false }) as unknown as dashboard.DashboardLink };
}

/** From a live number: the tasks behind it now (the dashboard's own range, whose end is now). */
export function drillDownNow(queues: string[]): cog.Builder<dashboard.DashboardLink> {
  return dataLink('Show the tasks behind this number', `/d/${FLOOR_UID}?${queueParam(queues)}&\${__url_time_range}`);
}

/** From a point of a history graph: the floor as it stood at that point's time. */
export function drillDownAtPoint(queues: string[]): cog.Builder<dashboard.DashboardLink> {
  return dataLink('Show the floor at this moment', `/d/${FLOOR_UID}?${queueParam(queues)}&from=\${__from}&to=\${__value.time}`);
}

/** A live number from the snapshot (streamed; no refresh needed). */
export function liveStat(ctx: PanelContext, metric: LiveValue, queues: string[], o: StatOptions): stat.PanelBuilder {
  const e = entry(metric);
  const t = slaThresholds(ctx.sla, metric, ctx.slaQueue);
  const query = new SnapshotQueryBuilder(metric).queues(queues);
  if (o.atRangeEnd) query.atRangeEnd();
  const panel = basics(new stat.PanelBuilder(), o.title, o.description ?? describeLive(ctx, metric, o.atRangeEnd), o.size, e.unit)
    .withTarget(query)
    .reduceOptions(reduce('lastNotNull'))
    .graphMode(common.BigValueGraphMode.None)
    .justifyMode(common.BigValueJustifyMode.Center)
    .textMode(o.big ? common.BigValueTextMode.Value : common.BigValueTextMode.Auto)
    .colorMode(t ? (o.big ? common.BigValueColorMode.Background : common.BigValueColorMode.Value) : common.BigValueColorMode.None)
    .thresholds(t ?? noSlaSteps())
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
    .noValue('–');
  if (o.big) panel.text(new common.VizTextDisplayOptionsBuilder().titleSize(28).valueSize(120));
  if (DRILL_DOWN_METRICS.has(metric) && !o.atRangeEnd) panel.dataLinks([drillDownNow(queues)]);
  return panel;
}

/** The data-freshness strip at the top of every dashboard: full width, short. */
export const DATA_AGE_SIZE: Size = { w: 24, h: 3 };

/**
 * Data freshness: how long ago the newest TaskRouter event happened, live and ticking, green /
 * amber after 2 minutes / red from the SLA file's `noEventsMinutes` (the "no events" alert).
 */
export function dataAgeStat(ctx: PanelContext, atRangeEnd = false): stat.PanelBuilder {
  const minutes = ctx.sla.noEventsMinutes;
  const description =
    `How long ago the newest TaskRouter event the collector has stored happened (its event time), counting up live while none arrives. ` +
    `Amber after ${DATA_AGE_WARN_SECONDS / 60} minutes, red after ${minutes} minutes (noEventsMinutes in sla.yaml, when the "No TaskRouter events" alert fires): ` +
    `check the workspace's Event Callback URL or Event Streams sink, and the collector. "No events yet" until the first one.` +
    (atRangeEnd ? ' Here: as it stood at the end of the time range.' : '');
  const query = new SnapshotQueryBuilder(DATA_AGE);
  if (atRangeEnd) query.atRangeEnd();
  return basics(new stat.PanelBuilder(), 'Time since the newest event', description, DATA_AGE_SIZE, 's')
    .withTarget(query)
    .reduceOptions(reduce('lastNotNull'))
    .graphMode(common.BigValueGraphMode.None)
    .justifyMode(common.BigValueJustifyMode.Center)
    .textMode(common.BigValueTextMode.Value)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(dataAgeThresholds(ctx.sla))
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
    .noValue('No events yet');
}

/** One number over the whole time range (a `groupBy: none` metric query). */
export function rangeStat(ctx: PanelContext, spec: MetricSpec, o: StatOptions): stat.PanelBuilder {
  const e = entry(spec.metric);
  const t = historyThresholds(ctx, spec.metric);
  return basics(new stat.PanelBuilder(), o.title, o.description ?? describeMetric(ctx, spec), o.size, e.unit)
    .withTarget(metricQuery(spec, 'A'))
    .reduceOptions(reduce('lastNotNull'))
    .graphMode(common.BigValueGraphMode.None)
    .justifyMode(common.BigValueJustifyMode.Center)
    .colorMode(t ? common.BigValueColorMode.Value : common.BigValueColorMode.None)
    .thresholds(t ?? noSlaSteps())
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
    .noValue('–');
}

export interface SeriesOptions {
  title: string;
  size: Size;
  stacked?: boolean;
  bars?: boolean;
  description?: string;
  /** Clicking a point opens the floor as it stood then, for these queues. */
  drillDown?: string[];
}

/** History over time; SLA numbers drawn as threshold lines. All specs share the first one's unit. */
export function timeSeries(ctx: PanelContext, specs: MetricSpec[], o: SeriesOptions): timeseries.PanelBuilder {
  const first = specs[0];
  if (!first) throw new Error(`panel "${o.title}" has no series`);
  const e = entry(first.metric);
  const t = historyThresholds(ctx, first.metric);
  const description = o.description ?? specs.map((s) => describeMetric(ctx, s)).join(' ');
  const panel = basics(new timeseries.PanelBuilder(), o.title, description, o.size, e.unit)
    .targets(specs.map((s, i) => metricQuery(s, refIdAt(i))))
    .legend(legend(true))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
    .thresholds(t ?? noSlaSteps())
    .thresholdsStyle(t ? thresholdLine() : new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Off))
    .fillOpacity(o.stacked ? 60 : 10)
    .lineWidth(2)
    .spanNulls(false)
    .showPoints(common.VisibilityMode.Never);
  if (o.bars) panel.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80);
  if (o.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal).group('A'));
  if (e.kind === 'count' || e.unit === 'short') panel.min(0);
  if (o.drillDown) panel.dataLinks([drillDownAtPoint(o.drillDown)]);
  return panel;
}

/** A categorical grouping (date, weekday, hour, queue) as bars, coloured by the SLA where there is one. */
export function barChart(ctx: PanelContext, spec: MetricSpec, o: SeriesOptions): barchart.PanelBuilder {
  const e = entry(spec.metric);
  const t = historyThresholds(ctx, spec.metric);
  const panel = basics(new barchart.PanelBuilder(), o.title, o.description ?? describeMetric(ctx, spec), o.size, e.unit)
    .withTarget(metricQuery(spec, 'A'))
    .legend(legend(false))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single).sort(common.SortOrder.None))
    .showValue(common.VisibilityMode.Auto)
    .xTickLabelRotation(spec.groupBy === 'date' || spec.groupBy === 'queue' ? -45 : 0)
    .colorScheme(colour(t ? dashboard.FieldColorModeId.Thresholds : dashboard.FieldColorModeId.PaletteClassic))
    .thresholds(t ?? noSlaSteps())
    .thresholdsStyle(t ? thresholdLine() : new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Off));
  if (e.unit !== 'percent') panel.min(0);
  return panel;
}

/** Live counts per activity (agents by state now) as horizontal bars. */
export function activityBars(ctx: PanelContext, queues: string[], o: StatOptions): bargauge.PanelBuilder {
  const e = entry('agents_by_activity');
  const query = new SnapshotQueryBuilder('agents_by_activity').queues(queues);
  if (o.atRangeEnd) query.atRangeEnd();
  return basics(
    new bargauge.PanelBuilder(),
    o.title,
    o.description ?? describeLive(ctx, 'agents_by_activity', o.atRangeEnd),
    o.size,
    e.unit,
  )
    .withTarget(query)
    .reduceOptions(reduce('lastNotNull'))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .showUnfilled(true)
    .min(0)
    .thresholds(noSlaSteps())
    .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
    .noValue('No agents logged in');
}

/** Shares of a breakdown (dispositions, time per activity) as a donut. */
export function donut(ctx: PanelContext, spec: MetricSpec, o: SeriesOptions): piechart.PanelBuilder {
  const e = entry(spec.metric);
  return basics(new piechart.PanelBuilder(), o.title, o.description ?? describeMetric(ctx, spec), o.size, e.unit)
    .withTarget(metricQuery(spec, 'A'))
    .pieType(piechart.PieChartType.Donut)
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs([]))
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .values([piechart.PieChartLegendValues.Value, piechart.PieChartLegendValues.Percent])
        .calcs([]),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single).sort(common.SortOrder.None))
    .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
    .thresholds(noSlaSteps());
}

export interface TableColumn extends MetricSpec {
  /** Column header; defaults to the catalog title. */
  header?: string;
}

export interface TableOptions {
  title: string;
  size: Size;
  /** The grouping field the rows are keyed on (joined across targets). */
  rowField: string;
  description?: string;
  sortBy?: string;
}

/**
 * Several metrics grouped by one dimension, side by side: one target per column, merged on the
 * grouping field; SLA columns coloured cell by cell.
 */
export function metricTable(ctx: PanelContext, columns: TableColumn[], o: TableOptions): table.PanelBuilder {
  const rename: Record<string, string> = {};
  const index: Record<string, number> = { [o.rowField]: 0 };
  columns.forEach((c, i) => {
    const title = entry(c.metric).title;
    if (c.header && c.header !== title) rename[title] = c.header;
    index[title] = i + 1;
  });
  const description =
    o.description ??
    [
      `One row per ${o.rowField.toLowerCase()}, over the whole time range.`,
      ...columns.map(
        (c) =>
          `${c.header ?? entry(c.metric).title}: ${describeMetric(ctx, { ...c, groupBy: 'none' })
            .replace(GROUPING_TEXT.none, '')
            .replace(/\s+/g, ' ')
            .trim()}`,
      ),
    ].join(' ');
  const panel = new table.PanelBuilder()
    .title(o.title)
    .description(description)
    .datasource(DATASOURCE_REF)
    .height(o.size.h)
    .span(o.size.w)
    .targets(columns.map((c, i) => metricQuery(c, refIdAt(i))))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: {}, indexByName: index, renameByName: rename, includeByName: {} } })
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true)
    .thresholds(noSlaSteps())
    .filterable(false);
  if (o.sortBy) panel.sortBy([new common.TableSortByFieldStateBuilder().displayName(o.sortBy).desc(true)]);
  for (const c of columns) {
    const e = entry(c.metric);
    const header = c.header ?? e.title;
    const props: dashboard.DynamicConfigValue[] = [{ id: 'unit', value: e.unit }];
    if (e.unit === 'percent') props.push({ id: 'decimals', value: 1 }, { id: 'min', value: 0 }, { id: 'max', value: 100 });
    if (e.unit === 's') props.push({ id: 'decimals', value: 0 });
    const t = historyThresholds(ctx, c.metric);
    if (t) {
      props.push(
        { id: 'thresholds', value: t.build() },
        { id: 'color', value: { mode: dashboard.FieldColorModeId.Thresholds } },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      );
    }
    panel.overrideByName(header, props);
  }
  return panel;
}

/**
 * A long (row, column, value) result pivoted into a matrix: agents down, activities across.
 */
export function matrixTable(ctx: PanelContext, spec: MetricSpec, o: TableOptions & { columnField: string }): table.PanelBuilder {
  const e = entry(spec.metric);
  return new table.PanelBuilder()
    .title(o.title)
    .description(
      o.description ?? `${describeMetric(ctx, spec)} Rows: ${o.rowField.toLowerCase()}; columns: ${o.columnField.toLowerCase()}.`,
    )
    .datasource(DATASOURCE_REF)
    .height(o.size.h)
    .span(o.size.w)
    .withTarget(metricQuery(spec, 'A'))
    .withTransformation({
      id: 'groupingToMatrix',
      options: { rowField: o.rowField, columnField: o.columnField, valueField: e.title, emptyValue: 'zero' },
    })
    .unit(e.unit)
    .decimals(0)
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true)
    .thresholds(noSlaSteps());
}

/** One row per task or agent as the collector lists them (a drill-down metric's own table frame). */
export function listTable(ctx: PanelContext, spec: MetricSpec, o: TableOptions): table.PanelBuilder {
  const panel = new table.PanelBuilder()
    .title(o.title)
    .description(o.description ?? describeMetric(ctx, spec))
    .datasource(DATASOURCE_REF)
    .height(o.size.h)
    .span(o.size.w)
    .withTarget(metricQuery(spec, 'A'))
    // Each column carries its own unit from the collector; this is the default for any that does not.
    .unit(entry(spec.metric).unit)
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true)
    .thresholds(noSlaSteps())
    .filterable(true);
  if (o.sortBy) panel.sortBy([new common.TableSortByFieldStateBuilder().displayName(o.sortBy).desc(true)]);
  return panel;
}
