// The drill-down data links of the bundled dashboards, followed the way Grafana 12 builds them: the
// panel's field config applied to the plugin's own frames by @grafana/data's applyFieldOverrides,
// with variables and data-link macros (__field.labels, __value.time, __url_time_range, ${queue:queryparam})
// interpolated by @grafana/scenes' sceneGraph, as VizPanel.applyFieldConfig does
// (grafana/scenes packages/scenes/src/components/VizPanel/VizPanel.tsx). The link must open the
// "Floor at a moment" dashboard filtered to the clicked panel's queue, at the right instant.
import {
  applyFieldOverrides,
  createTheme,
  type DataFrame,
  FieldType,
  type FieldConfigSource,
  FieldConfigOptionsRegistry,
} from '@grafana/data';
import { CustomVariable, EmbeddedScene, sceneGraph, SceneTimeRange, SceneVariableSet } from '@grafana/scenes';

import floorJson from './dashboards/floor.json';
import queuesJson from './dashboards/queues.json';
import summaryJson from './dashboards/summary.json';
import wallboardJson from './dashboards/wallboard.json';
import { snapshotFrame } from './frames';
import { CATALOG, SNAPSHOT } from './testing/fakes';
import { QUERY_DEFAULTS } from '@floorboard/contract';

interface PanelJson {
  type: string;
  title?: string;
  fieldConfig?: FieldConfigSource;
  panels?: PanelJson[];
  targets?: Array<{ metric?: string; queues?: string[] }>;
}

function panels(json: { panels: unknown[] }): PanelJson[] {
  return (json.panels as PanelJson[]).flatMap((p) => (p.type === 'row' ? [p, ...(p.panels ?? [])] : [p]));
}

/**
 * Field config as Grafana reads it: only the standard `links` option matters here (Grafana's own
 * registry item, public/app/core/components/OptionsUI/registry.tsx, takes the value as it is).
 */
const registry = new FieldConfigOptionsRegistry(() => [
  {
    id: 'links',
    path: 'links',
    name: 'Data links',
    editor: () => null,
    override: () => null,
    process: (value: unknown) => value,
    shouldApply: () => true,
  },
]);

/** A dashboard scene at 10:00–10:32 UTC with `$queue` = Sales: what the links are interpolated in. */
function scene() {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({
      from: '2026-11-20T10:00:00.000Z',
      to: '2026-11-20T10:32:00.000Z',
      timeZone: 'utc',
    }),
    $variables: new SceneVariableSet({
      variables: [new CustomVariable({ name: 'queue', query: 'Sales,Support', value: 'Sales', text: 'Sales' })],
    }),
    body: undefined as never,
  });
}

/** The hrefs a click on the first value of `frame` offers, as Grafana computes them. */
function linksOf(panel: PanelJson, frame: DataFrame): string[] {
  const s = scene();
  const [applied] = applyFieldOverrides({
    data: [frame],
    fieldConfig: panel.fieldConfig!,
    fieldConfigRegistry: registry,
    replaceVariables: (text, scopedVars, format) =>
      sceneGraph.interpolate(s, text, scopedVars, format as string | undefined),
    theme: createTheme(),
    timeZone: 'utc',
  });
  const field = applied!.fields.find((f) => f.type === FieldType.number)!;
  return (field.getLinks?.({ valueRowIndex: 0 }) ?? []).map((l) => l.href);
}

const byTitle = (json: { panels: unknown[] }, title: string) => panels(json).find((p) => p.title === title)!;

describe('drill-down data links', () => {
  it('"Waiting now" on the wallboard opens the floor of its queue (All for the total), keeping the time range', () => {
    // Wallboard rows: All queues (the total), Sales (its own SLA row), and the row repeated over $queue (= Sales here).
    const hrefs = panels(wallboardJson)
      .filter((p) => p.title === 'Waiting now')
      .map((panel) => {
        const queues = panel.targets?.[0]?.queues ?? [];
        const shown = queues.length === 0 ? [] : ['Sales'];
        const target = { ...QUERY_DEFAULTS.snapshot, refId: 'A', metric: 'tasks_waiting' as const, queues: shown };
        const [href] = linksOf(panel, snapshotFrame(SNAPSHOT, target, shown, CATALOG));
        return new URL(href!, 'http://grafana.local');
      });
    expect(hrefs.map((u) => u.searchParams.get('var-queue'))).toEqual(['$__all', 'Sales', 'Sales']);
    for (const url of hrefs) {
      expect(url.pathname).toBe('/d/floorboard-floor-plugin');
      // The dashboard's own range, as its time picker holds it.
      expect(url.searchParams.get('from')).toBe('2026-11-20T10:00:00.000Z');
      expect(url.searchParams.get('to')).toBe('2026-11-20T10:32:00.000Z');
    }
  });

  it('a point of the "Customers waiting" history opens the floor at that point’s time', () => {
    const panel = byTitle(queuesJson, 'Customers waiting');
    const at = Date.UTC(2026, 10, 20, 10, 17);
    const frame: DataFrame = {
      length: 1,
      fields: [
        { name: 'time', type: FieldType.time, values: [at], config: {} },
        { name: 'Customers waiting', type: FieldType.number, values: [4], config: {} },
      ],
    };
    const [href] = linksOf(panel, frame);
    const url = new URL(href!, 'http://grafana.local');
    expect(url.pathname).toBe('/d/floorboard-floor-plugin');
    expect(url.searchParams.get('var-queue')).toBe('Sales');
    expect(url.searchParams.get('to')).toBe(String(at));
  });

  it('the links sit on Customers waiting, Longest wait and In progress only, and the floor dashboard shows them at its range end', () => {
    const linked = [summaryJson, wallboardJson, queuesJson, floorJson]
      .flatMap((d) => panels(d))
      .filter((p) => (p.fieldConfig?.defaults.links ?? []).length > 0)
      .map((p) => p.targets?.[0]?.metric);
    expect(new Set(linked)).toEqual(new Set(['tasks_waiting', 'longest_wait', 'tasks_in_progress']));
    const floor = panels(floorJson).filter((p) => p.type !== 'row');
    expect(
      floor
        .filter((p) => p.type === 'stat' || p.type === 'bargauge')
        .every((p) => JSON.stringify(p.targets).includes('range_end'))
    ).toBe(true);
    expect(floor.filter((p) => p.type === 'table').map((p) => p.targets?.[0]?.metric)).toEqual([
      'waiting_tasks',
      'active_tasks',
      'agent_current_activity',
    ]);
  });
});
