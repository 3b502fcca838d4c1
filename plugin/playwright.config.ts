// @grafana/plugin-e2e specs against a REAL Grafana with this plugin installed (tests/e2e). They run
// only with GRAFANA_URL set (e.g. http://localhost:3000 from the repo's docker-compose) and skip
// otherwise; Jest never loads them. The browser is the system Chromium: nothing is downloaded.
import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig } from '@playwright/test';
import { dirname } from 'node:path';

import { CHROMIUM, CHROMIUM_FLAGS } from './tests/browser/chromium';

const grafanaUrl = process.env.GRAFANA_URL;
const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

if (!grafanaUrl) {
  console.warn(
    'Skipping the Grafana e2e specs: GRAFANA_URL is not set (they need a running Grafana with this plugin installed).'
  );
}

export default defineConfig<PluginOptions>({
  testDir: './tests/e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results/e2e',
  use: {
    baseURL: grafanaUrl ?? 'http://localhost:3000',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    },
  },
  projects: grafanaUrl
    ? [
        // Log in once as admin (GRAFANA_ADMIN_USER/PASSWORD via plugin-e2e's `user` option, default admin/admin).
        { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
        { name: 'grafana', use: { storageState: 'playwright/.auth/admin.json' }, dependencies: ['auth'] },
      ]
    : [{ name: 'grafana' }],
});
