// The provisioned Queues and Wallboard dashboards as Grafana 12 runs them: Scenes objects from @grafana/scenes (the
// 6.52 line Grafana 12.4 ships), built from the generated dashboard JSON the way Grafana's
// dashboard-scene code builds them. The dashboard's `$queue` is a QueryVariable served by this
// plugin's variable support; a repeated row gets its own SceneVariableSet with a LocalValueVariable
// (dashboard-scene RowRepeaterBehavior.ts + utils/clone.ts getLocalVariableValueSet); every panel
// has a SceneQueryRunner that calls the plugin's DataSource with `scopedVars.__sceneObject`, and
// TemplateSrv interpolates through sceneGraph, as Grafana's does. What reaches the collector is
// recorded by the fake BackendSrv.
import { LoadingState, type PanelData, VariableRefresh } from '@grafana/data';
import { setBackendSrv, setDataSourceSrv, setRunRequest, setTemplateSrv } from '@grafana/runtime';
import {
  EmbeddedScene,
  LocalValueVariable,
  QueryVariable,
  sceneGraph,
  SceneGridItem,
  SceneGridLayout,
  SceneGridRow,
  SceneQueryRunner,
  SceneTimeRange,
  SceneVariableSet,
} from '@grafana/scenes';
import type { DataQuery, DataSourceRef } from '@grafana/schema';

import queuesJson from './dashboards/queues.json';
import wallboardJson from './dashboards/wallboard.json';
import { FloorboardDataSource } from './module';
import {
  CATALOG,
  FakeBackendSrv,
  FakeEventStream,
  instanceSettings,
  queueSnapshot,
  SNAPSHOT,
  sseMessage,
  until,
} from './testing/fakes';
import { runRequest, SceneTemplateSrv, singleDataSourceSrv } from './testing/scenes';
import type { FloorboardQuery } from '@floorboard/contract';
import type { MetricQuery, QueryResponse } from './types/wire';

interface PanelJson {
  type: string;
  title?: string;
  repeat?: string;
  datasource?: DataSourceRef;
  targets?: FloorboardQuery[];
}

interface VariableJson {
  name: string;
  type: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  regex?: string;
  datasource?: DataSourceRef;
  query?: DataQuery;
  current: { text: string | string[]; value: string | string[] };
}

const QUEUES = ['Billing', 'Sales', 'Support'];
const ANSWER: QueryResponse = {
  frames: [
    {
      name: 'x',
      fields: [
        { name: 'time', type: 'time', values: [1] },
        { name: 'x', type: 'number', values: [1] },
      ],
    },
  ],
};

interface DashboardJson {
  panels: unknown[];
  templating: { list: unknown[] };
}

/** A dashboard's panels above its row repeated over `$queue`, the row's own panels, and `$queue`. */
function layoutOf(json: DashboardJson) {
  const panels = json.panels as PanelJson[];
  const repeatAt = panels.findIndex((panel) => panel.type === 'row' && panel.repeat === 'queue');
  return {
    topPanels: panels.slice(0, repeatAt).filter((panel) => panel.type !== 'row'),
    rowPanels: panels.slice(repeatAt + 1).filter((panel) => panel.type !== 'row'),
    queueJson: (json.templating.list as VariableJson[]).find((variable) => variable.name === 'queue')!,
  };
}

const { topPanels, rowPanels } = layoutOf(queuesJson);

const gridItem = (panel: PanelJson, key: string) =>
  new SceneGridItem({
    key,
    body: undefined,
    $data: new SceneQueryRunner({ datasource: panel.datasource, queries: panel.targets ?? [] }),
  });

/** Runs a dashboard with `$queue` set to `value`; resolves once every panel has data. */
async function openDashboard(json: DashboardJson, value: string[]) {
  const { topPanels, rowPanels, queueJson } = layoutOf(json);
  const backend = new FakeBackendSrv({
    'GET /api/catalog': () => CATALOG,
    'GET /api/queues': () => QUEUES.map((name, i) => ({ name, sid: `WQ${i}` })),
    'POST /api/query': () => ANSWER,
  });
  setBackendSrv(backend.asBackendSrv());
  // The plugin's own class, as Grafana instantiates it (module.ts), with its variable support.
  const ds = new FloorboardDataSource(instanceSettings());
  const stream = new FakeEventStream();
  jest.spyOn(ds.api, 'openLive').mockResolvedValue(stream.asReader());
  stream.push(sseMessage({ ...SNAPSHOT, queues: QUEUES.map((name, i) => queueSnapshot(name, i + 1)) }));
  setDataSourceSrv(singleDataSourceSrv(ds));
  setRunRequest(runRequest);

  const queue = new QueryVariable({
    name: queueJson.name,
    datasource: queueJson.datasource,
    query: queueJson.query,
    isMulti: queueJson.multi,
    includeAll: queueJson.includeAll,
    allValue: queueJson.allValue,
    regex: queueJson.regex,
    refresh: VariableRefresh.onDashboardLoad,
    value,
    text: value,
  });
  const layout = new SceneGridLayout({
    children: [
      new SceneGridRow({
        key: 'top',
        title: 'Selected queues',
        children: topPanels.map((p, i) => gridItem(p, `top-${i}`)),
      }),
    ],
  });
  const dashboard = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
    $variables: new SceneVariableSet({ variables: [queue] }),
    body: layout,
  });
  setTemplateSrv(new SceneTemplateSrv(dashboard));

  dashboard.activate();
  await until(() => queue.state.loading === false && queue.state.options.length > 0);

  // RowRepeaterBehavior: one row per value ("All": every option), each with a LocalValueVariable.
  const values = queue.hasAllValue() ? queue.state.options.map((option) => String(option.value)) : value;
  const rows = values.map(
    (one) =>
      new SceneGridRow({
        key: `row-${one}`,
        title: one,
        $variables: new SceneVariableSet({
          variables: [
            new LocalValueVariable({
              name: queue.state.name,
              value: one,
              text: one,
              isMulti: queue.state.isMulti,
              includeAll: queue.state.includeAll,
            }),
          ],
        }),
        children: rowPanels.map((p, i) => gridItem(p, `${one}-${i}`)),
      })
  );
  layout.setState({ children: [...layout.state.children, ...rows] });

  const items: Array<{ row: string; runner: SceneQueryRunner }> = [];
  for (const row of layout.state.children as SceneGridRow[]) {
    row.activate();
    for (const item of row.state.children as SceneGridItem[]) {
      item.activate();
      items.push({ row: row.state.key!, runner: sceneGraph.getData(item) as SceneQueryRunner });
    }
  }
  const settled = (data?: PanelData) => data?.state === LoadingState.Done || data?.state === LoadingState.Streaming;
  await until(
    () => items.every(({ runner }) => settled(runner.state.data) && runner.state.data!.series.length > 0),
    4000
  );
  return { backend, items, queries: backend.to('/api/query').map((request) => request.data as MetricQuery) };
}

/** The `queue` label of every live number a panel shows (none for the all-queues total). */
const liveQueues = (runner: SceneQueryRunner) =>
  runner.state.data!.series.flatMap((frame) =>
    frame.fields.filter((field) => field.type === 'number').map((field) => field.labels?.queue ?? 'total')
  );

const metricTargets = (list: PanelJson[]) =>
  list.flatMap((panel) => panel.targets ?? []).filter((target) => target.queryType === 'metric').length;

describe('per-queue rows under Scenes', () => {
  it('queries each repeated row for its own queue only, and every queue for "All" above the rows', async () => {
    const { queries, items } = await openDashboard(queuesJson, ['$__all']);
    expect(metricTargets(rowPanels)).toBeGreaterThan(0);

    // The non-repeated table: "All" reaches the collector as no filter (every queue).
    expect(queries.filter((query) => query.queues?.length === 0)).toHaveLength(metricTargets(topPanels));
    // Each repeated row: only its own queue, once per metric target of the row.
    for (const queue of QUEUES) {
      expect(queries.filter((query) => query.queues?.length === 1 && query.queues[0] === queue)).toHaveLength(
        metricTargets(rowPanels)
      );
    }
    expect(queries).toHaveLength(metricTargets(topPanels) + QUEUES.length * metricTargets(rowPanels));

    // Live numbers in a row are that row's queue (labelled with it), never the total.
    for (const { row, runner } of items.filter((item) => item.row.startsWith('row-'))) {
      if (runner.state.queries.some((query) => (query as FloorboardQuery).queryType === 'snapshot')) {
        expect(new Set(liveQueues(runner))).toEqual(new Set([row.slice('row-'.length)]));
      }
    }
  });

  it('repeats only the chosen queues and gives the table exactly those', async () => {
    const { queries } = await openDashboard(queuesJson, ['Sales', 'Support']);
    const table = queries.filter((query) => (query.queues?.length ?? 0) !== 1);
    expect(table).toHaveLength(metricTargets(topPanels));
    for (const query of table) {
      expect(query.queues).toEqual(['Sales', 'Support']);
    }
    expect(queries.filter((query) => query.queues?.[0] === 'Billing' && query.queues.length === 1)).toHaveLength(0);
    expect(queries.filter((query) => query.queues?.[0] === 'Sales' && query.queues.length === 1)).toHaveLength(
      metricTargets(rowPanels)
    );
  });

  it('the Wallboard: the total row, the queue with its own SLA row, then one row per other queue', async () => {
    const { items, queries } = await openDashboard(wallboardJson, ['$__all']);
    expect(queries).toEqual([]);
    const byRow = new Map<string, Set<string>>();
    for (const { row, runner } of items) {
      byRow.set(row, new Set([...(byRow.get(row) ?? []), ...liveQueues(runner)]));
    }
    // Sales has wallboard thresholds of its own in sla.yaml: a fixed row, left out of `$queue`.
    expect(byRow.get('top')).toEqual(new Set(['total', 'Sales']));
    expect([...byRow.keys()].filter((row) => row.startsWith('row-')).sort()).toEqual(['row-Billing', 'row-Support']);
    expect(byRow.get('row-Billing')).toEqual(new Set(['Billing']));
    expect(byRow.get('row-Support')).toEqual(new Set(['Support']));
  });
});
