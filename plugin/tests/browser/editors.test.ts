/**
 * Browser test: the BUILT plugin (dist/module.js) loaded like Grafana loads it (AMD, via RequireJS)
 * into a plain page with the real @grafana/ui, rendered in headless Chromium. Checks the config and
 * query editors against a fake collector, runs a query and a live stream, and saves a screenshot
 * to test-results/. Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

import { selectors } from '../../src/components/selectors';
import { chromiumMissing, isCI } from './chromium';
import { type FakeCollector, startFakeCollector } from './fakeCollector';
import { type HarnessPage, openHarnessPage, RESULTS } from './harnessPage';

jest.setTimeout(180_000);

const missing = chromiumMissing();
if (missing && !isCI()) {
  // Outside CI a machine without Chromium skips, and says so.
  console.warn(`Skipping browser tests: ${missing}`);
}
const describeInBrowser = missing && !isCI() ? describe.skip : describe;

/** Rows the harness reports for a query response. */
interface Described {
  key?: string;
  state?: string;
  errors: Array<{ message: string }>;
  frames: Array<{
    refId?: string;
    name?: string;
    fields: Array<{
      name: string;
      type: string;
      unit?: string;
      labels: Record<string, string>;
      displayName: string;
      values: unknown[];
    }>;
  }>;
}

interface HarnessWindow {
  harness: {
    state: { query: { metric?: string; groupBy?: string; queues?: string[] } };
    testDatasource(): Promise<{ status: string; message: string }>;
    runQuery(): Promise<Described[]>;
    live(count: number): Promise<Described[]>;
  };
}

describeInBrowser('plugin in a real browser', () => {
  let collector: FakeCollector;
  let harness: HarnessPage;
  let page: Page;

  beforeAll(async () => {
    if (missing) {
      throw new Error(`Chromium is required in CI: ${missing}`);
    }
    collector = await startFakeCollector();
    harness = await openHarnessPage({ collectorUrl: collector.url });
    page = harness.page;
  });

  afterAll(async () => {
    await harness?.close();
    await collector?.close();
  });

  afterEach(() => {
    expect(harness.pageErrors).toEqual([]);
  });

  /** The open Combobox menu (@grafana/ui renders one listbox at a time). */
  const menu = () => page.getByRole('listbox');

  const menuOptions = async (label: string): Promise<string[]> => {
    await page.getByLabel(label, { exact: true }).click();
    await menu().getByRole('option').first().waitFor();
    return menu()
      .getByRole('option')
      .evaluateAll((options) =>
        options.map((option) => option.querySelector('[class*="combobox-option-label"]')?.textContent ?? '')
      );
  };

  const choose = async (label: string, option: string): Promise<void> => {
    await page.getByLabel(label, { exact: true }).click();
    await menu().getByText(option, { exact: true }).click();
  };

  it('renders the config editor with the URL and a token shown only as configured', async () => {
    await expect(page.getByLabel(selectors.config.url, { exact: true }).inputValue()).resolves.toBe(
      'http://collector:3300'
    );
    const token = page.getByLabel(selectors.config.apiToken, { exact: true });
    await expect(token.inputValue()).resolves.toBe('configured');
    await expect(token.isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Reset' }).isVisible()).resolves.toBe(true);
  });

  it('builds the metric picker from the catalog and restricts group-by per metric', async () => {
    await page.getByPlaceholder('Choose a metric').waitFor();
    await expect(menuOptions(selectors.query.metric)).resolves.toEqual([
      'Tasks handled',
      'Waiting time',
      'Service level',
      'Customers waiting',
      'Occupancy',
      'Tasks handled by agent',
    ]);
    await page.screenshot({ path: join(RESULTS, 'browser-metric-menu.png'), fullPage: true });
    await menu().getByText('Waiting time', { exact: true }).click();

    const flowGroupings = ['Total', 'Over time', 'Queue', 'Date', 'Day of week', 'Hour of day', 'Channel'];
    await expect(menuOptions(selectors.query.groupBy)).resolves.toEqual(flowGroupings);
    await menu().getByText('Hour of day', { exact: true }).click();

    // Occupancy is per agent, per queue or in total: the hour-of-day grouping gives way to Agent.
    await choose(selectors.query.metric, 'Occupancy');
    let state = await page.evaluate(() => (window as unknown as HarnessWindow).harness.state.query);
    expect(state).toMatchObject({ metric: 'agent_occupancy', groupBy: 'worker' });
    await expect(menuOptions(selectors.query.groupBy)).resolves.toEqual(['Agent', 'Total', 'Queue']);
    await page.keyboard.press('Escape');

    await choose(selectors.query.metric, 'Service level');
    state = await page.evaluate(() => (window as unknown as HarnessWindow).harness.state.query);
    expect(state).toMatchObject({ metric: 'service_level', groupBy: 'time' });
    await expect(menuOptions(selectors.query.groupBy)).resolves.toEqual(flowGroupings);

    await page.screenshot({ path: join(RESULTS, 'browser-editors.png'), fullPage: true });
    await page.keyboard.press('Escape');
  });

  it('accepts a template variable as a queue', async () => {
    await page.getByLabel(selectors.query.queues, { exact: true }).click();
    // Wait for the collector's queues to join the variables, so the list no longer changes under the click.
    await menu().getByText('Sales', { exact: true }).waitFor();
    await menu().getByText('$queue', { exact: true }).click();
    await page.waitForFunction(() => (window as unknown as HarnessWindow).harness.state.query.queues?.length === 1);
    const state = await page.evaluate(() => (window as unknown as HarnessWindow).harness.state.query);
    expect(state).toMatchObject({ queues: ['$queue'] });
    await page.keyboard.press('Escape');
  });

  it('runs the edited query through the proxy path and names the series for people', async () => {
    const responses = await page.evaluate(() => (window as unknown as HarnessWindow).harness.runQuery());
    const body = collector.queries[collector.queries.length - 1];
    expect(body).toMatchObject({
      metric: 'service_level',
      groupBy: 'time',
      interval: '1m',
      timezone: 'UTC',
      queues: ['Sales'],
    });
    expect(typeof body?.from).toBe('number');
    const field = responses[0]?.frames[0]?.fields[1];
    expect(field).toMatchObject({ displayName: 'Service level', unit: 'percent', values: [42.5, 38] });
  });

  it('tests the connection', async () => {
    const result = await page.evaluate(() => (window as unknown as HarnessWindow).harness.testDatasource());
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Connected: 1,234 events stored, last event at 2026-11-20 /);
  });

  it('streams live values over SSE through the proxy and closes the connection after', async () => {
    const responses = await page.evaluate(() => (window as unknown as HarnessWindow).harness.live(2));
    expect(responses.map((response) => response.state)).toEqual(['Streaming', 'Streaming']);
    expect(responses.map((response) => response.frames[0]?.fields[1]?.values[0])).toEqual([3, 6]);
    expect(responses[1]?.frames[0]?.fields[1]).toMatchObject({
      displayName: 'Customers waiting (Sales)',
      labels: { queue: 'Sales', breach: 'breach' },
    });
    const deadline = Date.now() + 5000;
    while (!collector.live.every((connection) => connection.closed) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(collector.live.length).toBeGreaterThan(0);
    expect(collector.live.every((connection) => connection.closed)).toBe(true);
    expect(harness.server.proxiedHeaders.some((headers) => 'authorization' in headers)).toBe(false);
  });

  it('saved the screenshots', () => {
    for (const name of ['browser-metric-menu.png', 'browser-editors.png']) {
      expect(readFileSync(join(RESULTS, name)).subarray(1, 4).toString()).toBe('PNG');
    }
  });
});
