/**
 * Browser test: a click on a provisioned panel's number opens the drill-down. The panels are the
 * generated dashboards' own JSON (provisioning/grafana/dashboards/), their queries run through the
 * BUILT plugin against the fake collector, and the value is drawn and linked by the real
 * @grafana/data, @grafana/ui and @grafana/scenes code in headless Chromium (harness.js `showStat`:
 * applyFieldOverrides → getLinksSupplier, getFieldDisplayValues, DataLinksContextMenu + BigValue
 * as the stat panel draws them, Scenes interpolation of `${queue:queryparam}` and
 * `${__url_time_range}`). The test clicks the number and checks where the browser lands: the
 * "Floor at a moment" dashboard, filtered to that row's queue, with the dashboard's time range.
 *
 * Grafana sources read for this: grafana/grafana packages/grafana-data/src/field/fieldOverrides.ts
 * (getLinksSupplier: the link's url interpolated with the field's data context, then
 * locationUtil.processUrl), public/app/plugins/panel/stat/StatPanel.tsx (values from
 * getFieldDisplayValues, each BigValue inside DataLinksContextMenu), @grafana/ui's
 * DataLinksContextMenu (one link: the value is wrapped in a plain <a href>), public/app/core/
 * components/OptionsUI/registry.tsx (the standard field options' processors),
 * public/app/features/templating/template_srv.ts (a scene object in scopedVars → sceneGraph.interpolate),
 * and grafana/scenes (UrlTimeRangeMacro: `${__url_time_range}` is the time range's URL state;
 * a repeated row's copy holds its value in a LocalValueVariable). Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { selectors as grafana } from '@grafana/e2e-selectors';

import { chromiumMissing, isCI } from './chromium';
import { type FakeCollector, snapshot, startFakeCollector } from './fakeCollector';
import { type HarnessPage, openHarnessPage } from './harnessPage';

jest.setTimeout(180_000);

const missing = chromiumMissing();
const describeInBrowser = missing && !isCI() ? describe.skip : describe;

const DASHBOARDS = join(dirname(require.resolve('@floorboard/provisioning/package.json')), 'grafana', 'dashboards');

interface PanelJson {
  type: string;
  title: string;
  repeat?: string;
  targets?: Array<{ metric?: string; queues?: string[] }>;
  fieldConfig?: { defaults: { links?: Array<{ url: string }> } };
}

interface DashboardJson {
  uid: string;
  time: { from: string; to: string };
  panels: PanelJson[];
}

const dashboard = (name: string): DashboardJson =>
  JSON.parse(readFileSync(join(DASHBOARDS, `${name}.json`), 'utf8')) as DashboardJson;

/** The panels of a row: the dashboard schema lists an open row's panels after it, up to the next row. */
function rowPanels(d: DashboardJson, isRow: (row: PanelJson) => boolean): PanelJson[] {
  const start = d.panels.findIndex((p) => p.type === 'row' && isRow(p));
  const end = d.panels.findIndex((p, i) => i > start && p.type === 'row');
  return d.panels.slice(start + 1, end === -1 ? undefined : end);
}

const byTitle = (panels: PanelJson[], title: string): PanelJson => {
  const found = panels.find((p) => p.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};

interface Shown {
  key: string;
  title: string;
  values: Array<{ text: string; hrefs: string[] }>;
}

interface StatSpec {
  panel: PanelJson;
  time: { from: string; to: string };
  variables: Array<{ name: string; options: string[]; value: string | string[] }>;
  rows: Array<{ key: string; local?: { name: string; value: string } }>;
}

interface HarnessWindow {
  harness: { showStat(spec: StatSpec): Promise<Shown[]> };
}

const QUEUES = ['Sales', 'Support', 'Billing'];
const FLOOR = dashboard('floor');

describeInBrowser('drill-down data links in a real browser', () => {
  let collector: FakeCollector;
  let harness: HarnessPage;

  beforeAll(async () => {
    if (missing) {
      throw new Error(`Chromium is required in CI: ${missing}`);
    }
    collector = await startFakeCollector();
    harness = await openHarnessPage({ collectorUrl: collector.url });
  });

  afterAll(async () => {
    await harness?.close();
    await collector?.close();
  });

  afterEach(() => {
    expect(harness.pageErrors).toEqual([]);
  });

  const show = (spec: StatSpec): Promise<Shown[]> =>
    harness.page.evaluate((one) => (window as unknown as HarnessWindow).harness.showStat(one), spec);

  /**
   * Clicks the linked number of row `key` and returns where the browser landed; then comes back
   * (to a reloaded harness page: the panels are drawn again by the next `show`).
   */
  async function follow(key: string): Promise<URL> {
    const { page } = harness;
    const link = page.locator(`[data-row="${key}"]`).getByTestId(grafana.components.DataLinksContextMenu.singleLink);
    await Promise.all([page.waitForURL(/\/d\//), link.click()]);
    const landed = new URL(page.url());
    await page.locator(`body[data-dashboard="${FLOOR.uid}"]`).waitFor();
    await page.goBack();
    await page.waitForSelector('body[data-ready="true"]');
    return landed;
  }

  it('a repeated wallboard row\'s "Waiting now" shows its own queue and opens the floor of that queue, keeping the time range', async () => {
    const wallboard = dashboard('wallboard');
    const panel = byTitle(
      rowPanels(wallboard, (row) => row.repeat === 'queue'),
      'Waiting now'
    );
    expect(panel.targets?.[0]).toMatchObject({ metric: 'tasks_waiting', queues: ['$queue'] });
    // Two queues picked: Scenes repeats the row once per queue, each copy with its own $queue.
    const spec: StatSpec = {
      panel,
      time: wallboard.time,
      variables: [{ name: 'queue', options: QUEUES, value: ['Sales', 'Support'] }],
      rows: ['Sales', 'Support'].map((queue) => ({ key: queue, local: { name: 'queue', value: queue } })),
    };
    const shown = await show(spec);
    // The numbers are each queue's own (the collector's first snapshot: Sales 3, Support 2).
    const first = snapshot(1, 3);
    expect(shown.map((row) => row.values.map((v) => v.text))).toEqual([
      [String(first.queues.find((q) => q.queue === 'Sales')!.values.tasks_waiting.value)],
      [String(first.queues.find((q) => q.queue === 'Support')!.values.tasks_waiting.value)],
    ]);
    expect(collector.live.length).toBeGreaterThan(0);

    for (const queue of ['Support', 'Sales']) {
      if (queue === 'Sales') await show(spec);
      const landed = await follow(queue);
      expect(landed.origin).toBe(harness.server.url);
      expect(landed.pathname).toBe(`/d/${FLOOR.uid}`);
      expect(landed.searchParams.getAll('var-queue')).toEqual([queue]);
      expect(landed.searchParams.get('from')).toBe(wallboard.time.from);
      expect(landed.searchParams.get('to')).toBe(wallboard.time.to);
    }
  });

  it('"Longest wait now" on the Queues dashboard opens the floor of the chosen queue at the chosen time range', async () => {
    const queues = dashboard('queues');
    const panel = byTitle(queues.panels, 'Longest wait now');
    expect(panel.targets?.[0]).toMatchObject({ metric: 'longest_wait', queues: ['$queue'] });
    // A past half hour picked in the time picker.
    const time = { from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T10:32:00.000Z' };
    const shown = await show({
      panel,
      time,
      variables: [{ name: 'queue', options: QUEUES, value: 'Support' }],
      rows: [{ key: 'Support' }],
    });
    expect(shown[0]?.values).toHaveLength(1);
    expect(shown[0]?.values[0]?.hrefs).toHaveLength(1);

    const landed = await follow('Support');
    expect(landed.pathname).toBe(`/d/${FLOOR.uid}`);
    expect(landed.searchParams.getAll('var-queue')).toEqual(['Support']);
    expect(landed.searchParams.get('from')).toBe(time.from);
    expect(landed.searchParams.get('to')).toBe(time.to);
  });

  it('"Tasks in progress now" on the Summary (all queues) opens the floor of every queue', async () => {
    const summary = dashboard('summary');
    const panel = byTitle(summary.panels, 'Tasks in progress now');
    expect(panel.targets?.[0]).toMatchObject({ metric: 'tasks_in_progress', queues: [] });
    const shown = await show({ panel, time: summary.time, variables: [], rows: [{ key: 'total' }] });
    expect(shown[0]?.values.map((v) => v.text)).toEqual([String(snapshot(1, 3).total.values.tasks_in_progress.value)]);

    const landed = await follow('total');
    expect(landed.pathname).toBe(`/d/${FLOOR.uid}`);
    // Grafana's URL value for a variable's "All".
    expect(landed.searchParams.getAll('var-queue')).toEqual(['$__all']);
    expect(landed.searchParams.get('from')).toBe(summary.time.from);
    expect(landed.searchParams.get('to')).toBe(summary.time.to);
  });
});
