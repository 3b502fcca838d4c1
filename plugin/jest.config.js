// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

// create-plugin's config (.config/, not edited) plus two local changes:
// - `.mjs` files (d3-color and friends) go through the same SWC transform as TS/JS;
// - two projects: `unit` (jsdom, next to the code) and `browser` (node: drives headless Chromium
//   against the built dist/module.js, see tests/browser/). Playwright specs in tests/e2e are not Jest's.
const base = require('./.config/jest.config');

// i18next (under @grafana/i18n) prints an advertisement when it starts unless this is set; the
// test workers inherit it.
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';

const swc = base.transform['^.+\\.(t|j)sx?$'];
const transform = { ...base.transform, '^.+\\.mjs$': swc };

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      rootDir: __dirname,
      transform,
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
    },
    {
      displayName: 'browser',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc },
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
    },
  ],
};
