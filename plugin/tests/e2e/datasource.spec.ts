// The plugin inside a real Grafana: configure the data source and "Save & test" through Grafana's
// proxy, then build a panel query. Needs GRAFANA_URL and a collector Grafana's server can reach at
// FLOORBOARD_COLLECTOR_URL (default http://collector:3300, the compose service); skipped otherwise.
import { expect, test } from '@grafana/plugin-e2e';

import { selectors } from '../../src/components/selectors';

const PLUGIN_ID = 'floorboard-taskrouter-datasource';
const collectorUrl = process.env.FLOORBOARD_COLLECTOR_URL ?? 'http://collector:3300';
const apiToken = process.env.FLOORBOARD_API_TOKEN;

test.skip(
  !process.env.GRAFANA_URL,
  'GRAFANA_URL is not set: these specs need a running Grafana with the plugin installed (e.g. docker-compose up, then GRAFANA_URL=http://localhost:3000)'
);

test('Save & test connects to the collector through the proxy', async ({
  createDataSourceConfigPage,
  page,
  selectors: grafana,
}) => {
  const configPage = await createDataSourceConfigPage({ type: PLUGIN_ID });
  await page.getByLabel(selectors.config.url, { exact: true }).fill(collectorUrl);
  if (apiToken) {
    await page.getByLabel(selectors.config.apiToken, { exact: true }).fill(apiToken);
  }
  const healthPath = `${grafana.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/collector/api/health`;
  await expect(configPage.saveAndTest({ path: healthPath })).toBeOK();
  await expect(page.getByText(/^Connected/)).toBeVisible();
});

test('Save & test explains an unreachable collector', async ({
  createDataSourceConfigPage,
  page,
  selectors: grafana,
}) => {
  const configPage = await createDataSourceConfigPage({ type: PLUGIN_ID });
  await page.getByLabel(selectors.config.url, { exact: true }).fill('http://127.0.0.1:9');
  const healthPath = `${grafana.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/collector/api/health`;
  await expect(configPage.saveAndTest({ path: healthPath })).not.toBeOK();
  await expect(configPage).toHaveAlert('error', { hasText: 'Cannot reach the collector' });
});

test('the query editor restricts group-by to the chosen metric and shows titled series', async ({
  createDataSource,
  panelEditPage,
  page,
}) => {
  const datasource = await createDataSource({
    type: PLUGIN_ID,
    name: `Floorboard e2e ${Date.now()}`,
    access: 'proxy',
    jsonData: { url: collectorUrl },
    ...(apiToken ? { secureJsonData: { apiToken } } : {}),
  });
  await panelEditPage.datasource.set(datasource.name);
  await panelEditPage.setVisualization('Table');
  const row = panelEditPage.getQueryEditorRow('A');
  // The editors' pickers are @grafana/ui Comboboxes: one listbox open at a time.
  const menu = page.getByRole('listbox');
  const options = async (label: string) => {
    await row.getByLabel(label, { exact: true }).click();
    await menu.getByRole('option').first().waitFor();
    return menu
      .getByRole('option')
      .evaluateAll((items) =>
        items.map((item) => item.querySelector('[class*="combobox-option-label"]')?.textContent ?? '')
      );
  };

  await row.getByLabel(selectors.query.metric, { exact: true }).click();
  await menu.getByText('Waiting time', { exact: true }).click();
  const waitingGroupBys = await options(selectors.query.groupBy);
  await page.keyboard.press('Escape');
  await row.getByLabel(selectors.query.metric, { exact: true }).click();
  await menu.getByText('Service level', { exact: true }).click();
  const serviceLevelGroupBys = await options(selectors.query.groupBy);
  expect(serviceLevelGroupBys).not.toEqual(waitingGroupBys);
  await menu.getByText('Queue', { exact: true }).click();
  await expect(panelEditPage.panel.fieldNames).toContainText(['Queue', 'Service level']);
});
