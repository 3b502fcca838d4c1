#!/usr/bin/env node
// `npm test`: type-checks, builds what the end-to-end tests run, runs every suite (collector and
// tests/ with Vitest, the plugin with Jest), and ends with one line `N passed, N failed[, N skipped]`.
// Exits non-zero if any step or test fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, '.test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const failures = [];
const run = (label, cmd, args) => {
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) failures.push(label);
  return r.status === 0;
};

const hasPlugin = existsSync(join(root, 'plugin', 'package.json'));
run('build contract', 'npx', ['tsc', '-p', 'contract']);
run('type-check collector', 'npx', ['tsc', '-p', 'collector', '--noEmit']);
run('type-check tests', 'npx', ['tsc', '-p', 'tests', '--noEmit']);
if (existsSync(join(root, 'provisioning', 'tsconfig.json'))) run('type-check provisioning', 'npx', ['tsc', '-p', 'provisioning', '--noEmit']);
if (hasPlugin) run('type-check plugin', 'npx', ['tsc', '-p', 'plugin', '--noEmit']);
run('lint (eslint, prettier; the plugin with its own config)', 'npm', ['run', 'lint']);
run('build collector', 'npm', ['run', 'build', '-w', 'collector']);
run('vitest (collector, tests/)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(out, 'vitest.json')}`]);
// The plugin's own `pretest` builds dist/ first (its browser test loads the built module.js).
if (hasPlugin) run('jest (plugin: unit and browser tests)', 'npm', ['test', '-w', 'plugin', '--', '--json', `--outputFile=${join(out, 'jest.json')}`]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [file, label] of [['vitest.json', 'vitest'], ['jest.json', 'jest']]) {
  const path = join(out, file);
  if (!existsSync(path)) {
    if (label === 'vitest' || hasPlugin) failures.push(`${label} wrote no results`);
    continue;
  }
  const r = JSON.parse(readFileSync(path, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even when it ran no test.
  failed += (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
}
if (passed + failed === 0) failures.push('no test ran');
const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(out, 'summary.txt'), summary + '\n');
if (failures.length) process.stdout.write(`\nfailed steps: ${[...new Set(failures)].join('; ')}\n`);
process.stdout.write(`\n${summary}\n`);
process.exit(failures.length || failed ? 1 : 0);
