#!/usr/bin/env node
// `npm test`: type-checks, builds what the end-to-end tests run, runs every suite (collector and
// tests/ with Vitest, the plugin with Jest), and ends with one line `N passed, N failed[, N skipped]`.
// Exits non-zero if any step or test fails, or if a step prints known third-party noise.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, '.test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Output that only hides real messages: advertisements and warnings about other packages' files. */
const NOISE = [
  [/i18next is made possible by our own product/, 'the i18next advertisement (set I18NEXT_NO_SUPPORT_NOTICE)'],
  [/Sourcemap for ".*" points to missing source files/, "Vite's source map warning (a package it should not transform)"],
];

const failures = [];
/** Runs one step with its output passed through as it comes, and checked for NOISE. */
const run = async (label, cmd, args) => {
  process.stdout.write(`\n== ${label}\n`);
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const noisy = new Set();
  const scan = (out) => {
    // A pattern may straddle two chunks: keep the end of the previous one.
    let tail = '';
    return (chunk) => {
      out.write(chunk);
      const text = tail + chunk.toString();
      for (const [pattern, what] of NOISE) if (pattern.test(text)) noisy.add(what);
      tail = text.slice(-200);
    };
  };
  child.stdout.on('data', scan(process.stdout));
  child.stderr.on('data', scan(process.stderr));
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  if (status !== 0) failures.push(label);
  for (const what of noisy) failures.push(`${label} printed ${what}`);
  return status === 0;
};

const hasPlugin = existsSync(join(root, 'plugin', 'package.json'));
await run('build contract', 'npx', ['tsc', '-p', 'contract']);
await run('type-check collector', 'npx', ['tsc', '-p', 'collector', '--noEmit']);
await run('type-check tests', 'npx', ['tsc', '-p', 'tests', '--noEmit']);
if (existsSync(join(root, 'provisioning', 'tsconfig.json')))
  await run('type-check provisioning', 'npx', ['tsc', '-p', 'provisioning', '--noEmit']);
if (hasPlugin) await run('type-check plugin', 'npx', ['tsc', '-p', 'plugin', '--noEmit']);
await run('lint (eslint; the plugin with its own config)', 'npm', ['run', 'lint']);
await run('build collector', 'npm', ['run', 'build', '-w', 'collector']);
await run('vitest (collector, tests/)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(out, 'vitest.json')}`,
]);
// The plugin's own `pretest` builds dist/ first (its browser test loads the built module.js).
if (hasPlugin)
  await run('jest (plugin: unit and browser tests)', 'npm', [
    'test',
    '-w',
    'plugin',
    '--',
    '--json',
    `--outputFile=${join(out, 'jest.json')}`,
  ]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [file, label] of [
  ['vitest.json', 'vitest'],
  ['jest.json', 'jest'],
]) {
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
