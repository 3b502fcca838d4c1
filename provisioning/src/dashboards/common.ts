// What every Floorboard dashboard shares: the data-source variable, the queue variable, time picker
// ranges, refresh, links between the dashboards, SLA annotations, and stable panel ids.
import { ALL_VALUE } from '@floorboard/contract';
import { AnnotationsQueryBuilder, DATASOURCE_REF, DATASOURCE_VARIABLE, PLUGIN_ID, variableQuery } from '../query';
import { dashboard } from '../sdk';

/** The data source the provisioning file creates; the only place a Floorboard uid is written. */
export const PROVISIONED_DATASOURCE = { uid: 'floorboard', name: 'Floorboard' } as const;
export const DASHBOARD_TAG = 'floorboard';
/** The provisioned copies' own tag: their links list each other, never the plugin's copies. */
export const PROVISIONED_TAG = 'floorboard-provisioned';

export const QUICK_RANGES: ReadonlyArray<{ display: string; from: string; to: string }> = [
  { display: 'Last 1 hour', from: 'now-1h', to: 'now' },
  { display: 'Today', from: 'now/d', to: 'now' },
  { display: 'This week', from: 'now/w', to: 'now' },
  { display: 'Last 30 days', from: 'now-30d', to: 'now' },
];
export const REFRESH_INTERVALS = ['10s', '30s', '1m', '5m', '15m'];

export interface DashboardOptions {
  uid: string;
  title: string;
  description: string;
  /** Auto-refresh: 10s for real-time dashboards, 30s for history-heavy ones. */
  refresh: '10s' | '30s';
  time: { from: string; to: string };
  /** Hide pickers and variables (the TV wallboard). */
  kiosk?: boolean;
}

export function baseDashboard(o: DashboardOptions): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(o.title)
    .uid(o.uid)
    .description(o.description)
    .tags([DASHBOARD_TAG, PROVISIONED_TAG])
    .editable()
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time(o.time)
    .refresh(o.refresh)
    .timepicker(
      new dashboard.TimePickerBuilder()
        .hidden(o.kiosk === true)
        .refreshIntervals(REFRESH_INTERVALS)
        .quickRanges(QUICK_RANGES.map((r) => new dashboard.TimeOptionBuilder().display(r.display).from(r.from).to(r.to))),
    )
    .link(
      new dashboard.DashboardLinkBuilder('Floorboard')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([PROVISIONED_TAG])
        .asDropdown(false)
        .includeVars(true)
        .keepTime(true)
        .targetBlank(false)
        .icon('external link')
        .tooltip('')
        .url(''),
    );
}

/** `$datasource`: every target names this variable; its default is the provisioned Floorboard. */
export function datasourceVariable(hidden = false): dashboard.DatasourceVariableBuilder {
  const v = new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .description('The Floorboard collector to read from')
    .type(PLUGIN_ID)
    .current({ selected: true, text: PROVISIONED_DATASOURCE.name, value: PROVISIONED_DATASOURCE.uid })
    .multi(false)
    .includeAll(false)
    .regex('');
  if (hidden) v.hide(dashboard.VariableHide.HideVariable);
  return v;
}

/** RE2/JS regex matching any of `names` exactly. */
export function exactAlternation(names: readonly string[]): string {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
}

export interface QueueVariableOptions {
  /** Queues to leave out of the picker (they get rows of their own). */
  exclude?: readonly string[];
  hidden?: boolean;
}

/**
 * `$queue`: the collector's queues (the plugin's variable support), several at once or All. "All"
 * carries Floorboard's custom all value, which Grafana hands to the plugin unformatted (Scenes and
 * older dashboards alike): the plugin then asks the collector for every queue, while a row
 * repeated over `$queue` still gets one queue each.
 */
export function queueVariable(o: QueueVariableOptions = {}): dashboard.QueryVariableBuilder {
  const exclude = o.exclude ?? [];
  const v = new dashboard.QueryVariableBuilder('queue')
    .label('Queue')
    .description(exclude.length > 0 ? `Queues (those with their own SLA row are left out: ${exclude.join(', ')})` : 'Queues to show')
    .datasource(DATASOURCE_REF)
    .query(variableQuery('queues'))
    .definition('Floorboard: queues')
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUE)
    .current({ selected: true, text: ['All'], value: ['$__all'] })
    .regex(exclude.length > 0 ? `/^(?!(?:${exactAlternation(exclude)})$)(.*)$/` : '');
  if (o.hidden) v.hide(dashboard.VariableHide.HideVariable);
  return v;
}

/** SLA breaches from the collector (`GET /api/annotations`) marked on every time series. */
export function slaAnnotations(queues: string[]): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('SLA breaches')
    .datasource(DATASOURCE_REF)
    .enable(true)
    .hide(false)
    .iconColor('red')
    .target(new AnnotationsQueryBuilder(['breach']).queues(queues));
}

type AnyPanel = dashboard.Panel | dashboard.RowPanel;

const INTERVAL_ONLY = ['auto', 'auto_min', 'auto_count'];

/**
 * The built dashboard as plain JSON: panel ids numbered in reading order (stable across runs, so
 * links and alert rules can name them) and the SDK's Dataquery marker methods dropped.
 */
export function finish(b: dashboard.DashboardBuilder): dashboard.Dashboard {
  const d = JSON.parse(JSON.stringify(b.build())) as dashboard.Dashboard;
  // Grafana reads `annotations.list` unguarded; the SDK leaves `{}` when a dashboard has none.
  d.annotations.list ??= [];
  // The SDK puts links in the controls menu by default; Floorboard shows them beside the pickers.
  for (const link of d.links ?? []) delete link.placement;
  for (const a of d.annotations.list) delete a.placement;
  // The SDK writes interval-variable settings on every variable; Grafana's schema has them on none.
  for (const v of d.templating.list ?? []) {
    if (v.type !== 'interval') for (const key of INTERVAL_ONLY) delete (v as unknown as Record<string, unknown>)[key];
  }
  let id = 0;
  const number = (p: AnyPanel) => {
    p.id = ++id;
    // The SDK's table keeps the pre-12.4 `options.footer`, which Grafana 12.4 ignores (the footer
    // moved to the field config, `custom.footer`); Floorboard's tables have no footer.
    if (p.type === 'table') delete (p as dashboard.Panel).options?.footer;
    if (p.type === 'row') for (const child of (p as dashboard.RowPanel).panels ?? []) number(child);
  };
  for (const p of d.panels ?? []) number(p);
  return d;
}
