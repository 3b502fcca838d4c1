// The provisioned stack inside a real Grafana (docker-compose: Grafana with this plugin and
// provisioning/grafana mounted, the collector fed with TaskRouter events). Checks what only a real
// Grafana 12 can show: the Queues dashboard's repeated per-queue rows each ask the collector for
// their own queue (Scenes interpolation), and every generated alert rule was accepted by Grafana's
// file provisioning with the uid we wrote. Needs GRAFANA_URL; skipped otherwise.
import { expect, test } from '@grafana/plugin-e2e';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { MetricQuery, VariableValue } from '../../src/types/wire';

/** The provisioned data source (provisioning/grafana/datasources/floorboard.yaml). */
const PROXY = '/api/datasources/proxy/uid/floorboard/collector';
const QUEUES_UID = 'floorboard-queues';
const RULES_YAML = join(__dirname, '..', '..', '..', 'provisioning', 'grafana', 'alerting', 'rules.yaml');

test.skip(
  !process.env.GRAFANA_URL,
  'GRAFANA_URL is not set: these specs need the running stack (docker-compose up, then GRAFANA_URL=http://localhost:3000)'
);

/** The queues of the single-queue requests among `bodies`, sorted. */
const singleQueues = (bodies: MetricQuery[]) =>
  [...new Set(bodies.filter((body) => body.queues?.length === 1).map((body) => body.queues![0]!))].sort();

/** Every `POST …/collector/api/query` body the page sends from now on. */
function recordQueries(page: Page): MetricQuery[] {
  const bodies: MetricQuery[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes(`${PROXY}/api/query`)) {
      bodies.push(request.postDataJSON() as MetricQuery);
    }
  });
  return bodies;
}

test('each repeated per-queue row of the Queues dashboard queries only its own queue', async ({
  gotoDashboardPage,
  page,
}) => {
  const queues = ((await (await page.request.get(`${PROXY}/api/queues`)).json()) as VariableValue[]).map((q) => q.name);
  test.skip(queues.length < 2, 'the collector knows fewer than two queues: run the demo or simulator first');
  const chosen = queues.slice(0, 2);
  const bodies = recordQueries(page);
  const dashboardPage = await gotoDashboardPage({
    uid: QUEUES_UID,
    queryParams: new URLSearchParams(chosen.map((queue) => ['var-queue', queue])),
  });
  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
  // The rows' history panels ask for one queue each: the row's own (the panels load as they scroll in).
  await expect.poll(() => singleQueues(bodies), { timeout: 30_000 }).toEqual([...chosen].sort());
  for (const queue of chosen) {
    await expect(page.getByText(queue, { exact: true }).first()).toBeVisible();
  }
  // No request mixes the chosen queues but the table above the rows, which shows them side by side.
  for (const body of bodies) {
    if ((body.queues?.length ?? 0) > 1) {
      expect(body.groupBy).toBe('queue');
      expect([...(body.queues ?? [])].sort()).toEqual([...chosen].sort());
    }
    expect(body.queues).not.toEqual([]);
  }
});

test('with "All", every queue gets a row of its own and the table asks for every queue at once', async ({
  gotoDashboardPage,
  page,
}) => {
  const queues = ((await (await page.request.get(`${PROXY}/api/queues`)).json()) as VariableValue[]).map((q) => q.name);
  const bodies = recordQueries(page);
  const dashboardPage = await gotoDashboardPage({ uid: QUEUES_UID });
  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
  await expect.poll(() => singleQueues(bodies), { timeout: 30_000 }).toEqual([...queues].sort());
  expect(bodies.filter((body) => body.queues?.length === 0).every((body) => body.groupBy === 'queue')).toBe(true);
  expect(bodies.some((body) => (body.queues?.length ?? 0) > 1)).toBe(false);
});

test('every generated alert rule is provisioned from its file, under the uid it was written with', async ({ page }) => {
  // Rule uids are the `- uid:` items of rules.yaml (data-source references are `uid:` without a dash).
  const uids = [...readFileSync(RULES_YAML, 'utf8').matchAll(/^\s*- uid: (\S+)$/gm)].map((m) => m[1]!);
  expect(uids.length).toBeGreaterThan(5);
  for (const uid of uids) {
    expect(uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    const response = await page.request.get(`/api/v1/provisioning/alert-rules/${uid}`);
    expect(response.status(), uid).toBe(200);
    const rule = (await response.json()) as { uid: string; provenance?: string; labels?: Record<string, string> };
    expect(rule).toMatchObject({ uid, provenance: 'file' });
    expect(rule.labels?.app).toBe('floorboard');
  }
});
