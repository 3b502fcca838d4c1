import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One runner for the collector's unit tests (next to the code) and the end-to-end tests in tests/.
// The plugin has its own Jest setup (create-plugin) and is run by `npm test` separately.
export default defineConfig({
  // Tests read the contract's source, so a change there needs no rebuild to be seen.
  resolve: {
    alias: [
      { find: /^@floorboard\/contract\/sla$/, replacement: join(__dirname, 'contract/src/sla.ts') },
      { find: /^@floorboard\/contract$/, replacement: join(__dirname, 'contract/src/index.ts') },
    ],
  },
  test: {
    include: ['contract/src/**/*.test.ts', 'collector/src/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // The plugin's end-to-end test imports @grafana/data, ui, runtime… (ESM with CSS): let Vite
    // transform them. Not the foundation SDK: it is CommonJS that Node loads as is, and its source
    // maps name sources it does not ship (Vite would warn "points to missing source files").
    server: { deps: { inline: [/@grafana\/(?!grafana-foundation-sdk\/)/] } },
    // i18next (under @grafana/i18n) prints an advertisement on start unless this is set.
    env: { I18NEXT_NO_SUPPORT_NOTICE: '1' },
    hookTimeout: 60_000,
  },
});
