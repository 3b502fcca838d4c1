#!/usr/bin/env node
// Entry point of `npx floorboard`: runs the compiled CLI, building it first when missing.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  require('node:child_process').execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, '..', 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
}
require(cli);
