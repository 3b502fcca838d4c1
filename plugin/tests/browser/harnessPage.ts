// Opens the harness page in headless Chromium: the BUILT plugin (dist/module.js) loaded like Grafana
// loads it, next to the real @grafana/* packages, behind a stand-in for Grafana's data-source proxy
// that forwards to `collectorUrl`. Shared by the browser tests and the live benchmark.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

import { type Browser, launchChromium } from './chromium';
import { bundleGrafana } from './grafanaBundle';
import { type PageServer, type PageServerOptions, startPageServer } from './pageServer';

export const PLUGIN_DIR = join(__dirname, '..', '..');
export const RESULTS = join(PLUGIN_DIR, 'test-results');
const MODULE = join(PLUGIN_DIR, 'dist', 'module.js');

export interface HarnessPage {
  page: Page;
  server: PageServer;
  /** Uncaught errors the page threw. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openHarnessPage(
  options: Omit<PageServerOptions, 'pluginDir' | 'bundleDir'>
): Promise<HarnessPage> {
  if (!existsSync(MODULE)) {
    throw new Error(`${MODULE} is missing: run "npm run build -w plugin" first`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const bundleDir = await bundleGrafana(PLUGIN_DIR, join(RESULTS, '.grafana-bundle'));
  const server = await startPageServer({ pluginDir: PLUGIN_DIR, bundleDir, ...options });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"], body[data-error]', { timeout: 60_000 });
    const loadError = await page.evaluate(() => document.body.dataset.error);
    if (loadError) {
      throw new Error(`the plugin did not load: ${loadError}`);
    }
    const opened = browser;
    return {
      page,
      server,
      pageErrors,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
