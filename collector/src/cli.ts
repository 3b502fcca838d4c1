#!/usr/bin/env node
// `npx floorboard <command>`: the collector's command-line interface.
import { Command } from 'commander';
import { runServe } from './serve';

const program = new Command()
  .name('floorboard')
  .description('Floorboard: real-time contact-center dashboards for Twilio TaskRouter')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the collector (configured by environment variables; see the README)')
  .option('-p, --port <port>', 'port to listen on (overrides PORT)')
  .option('--db <path>', 'SQLite database file (overrides FLOORBOARD_DB)')
  .action(async (opts: { port?: string; db?: string }) => {
    const env = { ...process.env };
    if (opts.port !== undefined) env.PORT = opts.port;
    if (opts.db !== undefined) env.FLOORBOARD_DB = opts.db;
    await runServe(env);
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`floorboard: ${(err as Error).message}\n`);
  process.exit(1);
});
