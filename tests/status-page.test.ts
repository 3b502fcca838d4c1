// The collector's first screen (GET /) in a real browser: headless Chromium (the one definition of
// path and flags in plugin/tests/browser/chromium.ts) opens the page of a running collector with
// events stored, reads what a person would, follows its API link, and saves a screenshot to
// .test-results/status-page.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handledTask } from '../collector/src/test-helpers/fixtures';
import { postCallback, PUBLIC_URL, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import { type Browser, chromiumMissing, isCI, launchChromium } from '../plugin/tests/browser/chromium';
import { ROOT } from './process';

const missing = chromiumMissing();
// In CI a missing Chromium fails (launch throws); on a developer machine the test skips and says why.
const describeInBrowser = missing && !isCI() ? describe.skip : describe;
if (missing && !isCI()) console.warn(`Skipping the status page browser test: ${missing}`);

const GRAFANA = 'http://grafana.floor.test:3000';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'collector', 'package.json'), 'utf8')) as { version: string }).version;
let c: TestCollector;
let guarded: TestCollector;
let browser: Browser;

beforeAll(async () => {
  c = await startTestCollector({ FLOORBOARD_GRAFANA_URL: GRAFANA, FLOORBOARD_TZ: 'Europe/London' });
  guarded = await startTestCollector({ FLOORBOARD_API_TOKEN: 'status-page-token' });
  const now = Date.now();
  for (let i = 0; i < 3; i++)
    for (const e of handledTask(`WT${String(i).padStart(32, '0')}`, now - 60_000 + i * 1000, 4, 20, 5))
      expect((await postCallback(c.url, e)).status).toBe(204);
  if (!(missing && !isCI())) browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await c?.dispose();
  await guarded?.dispose();
});

describeInBrowser('status page in Chromium', () => {
  it('shows version, counts, freshness, the SLA file, how to point Twilio at it, and working links', async () => {
    const health = (await (await fetch(`${c.url}/api/health`)).json()) as Record<string, unknown> & {
      eventsStored: number;
      lastEventAt: string;
    };
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(`${c.url}/`);
    expect(res!.status()).toBe(200);
    expect(await page.title()).toBe('Floorboard collector');
    expect(await page.locator('h1').innerText()).toBe(`Floorboard collector version ${VERSION}`);
    // Freshness: the newest event is seconds old, so it is green.
    expect(await page.locator('[data-freshness]').getAttribute('data-freshness')).toBe('ok');
    expect(await page.locator('[data-freshness]').innerText()).toMatch(/^Receiving events: the newest is \d+ s old\.$/);
    // Every count /api/health reports (quarantinedEvents included, once the report has it).
    const counts = Object.entries(health).filter(([, v]) => typeof v === 'number');
    expect(counts.map(([k]) => k)).toContain('eventsStored');
    for (const [field, value] of counts)
      expect(await page.locator(`[data-field="${field}"] td`).innerText(), field).toMatch(
        new RegExp(`^${(value as number).toLocaleString('en')}\\b`),
      );
    expect(await page.locator('[data-field="lastEventAt"] td').innerText()).toMatch(
      new RegExp(`^${health.lastEventAt.slice(0, 19).replace('T', ' ')} UTC \\(\\d+ s ago\\)$`),
    );
    expect(await page.locator('[data-field="slaFile"] td').innerText()).toBe(c.cfg.slaPath);
    expect(await page.locator('[data-field="timezone"] td').innerText()).toBe('Europe/London');
    const text = await page.locator('main').innerText();
    expect(text).toContain(`${PUBLIC_URL}/webhooks/taskrouter`);
    expect(text).toContain(`${PUBLIC_URL}/webhooks/event-streams`);
    expect(await page.locator('a', { hasText: 'wallboard (TV)' }).getAttribute('href')).toBe(`${GRAFANA}/d/floorboard-wallboard?kiosk`);

    mkdirSync(join(ROOT, '.test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.test-results', 'status-page.png'), fullPage: true });

    // The API link leads to the health report the page was built from.
    await page.locator('a', { hasText: 'health' }).first().click();
    await page.waitForURL(`${c.url}/api/health`);
    expect(JSON.parse(await page.locator('body').innerText())).toMatchObject({ status: 'ok', eventsStored: health.eventsStored });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('with FLOORBOARD_API_TOKEN set, keeps the counts behind the token and says so', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${guarded.url}/`);
    expect(await page.locator('main').innerText()).toContain('hidden: FLOORBOARD_API_TOKEN is set');
    expect(await page.locator('[data-field="eventsStored"]').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain(guarded.cfg.dbPath);
    await page.close();
  });
});
