#!/usr/bin/env node
// `npx floorboard <command>`: the collector's command-line interface.
import { Command, InvalidArgumentError } from 'commander';
import { runBackfillCommand } from './commands/backfill';
import { runVerifyCommand } from './commands/verify';
import { demoCommand } from './commands/demo';
import { runQuarantineCommand } from './commands/quarantine';
import { simulateCommand } from './commands/simulate';
import { isTimeZone } from './metrics/time';
import { runPlaylistCommand } from './commands/playlist';
import { runRebuildCommand } from './commands/rebuild';
import { DEFAULT_PLAYLIST_INTERVAL, DEFAULT_PLAYLIST_NAME } from './playlist';
import { untilStopped } from './lifecycle';
import { runServe } from './commands/serve';
import { exitWithStartupError } from './startup-error';

const int =
  (name: string, min = 0) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    return n;
  };
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
const zone = (v: string) => {
  if (!isTimeZone(v)) throw new InvalidArgumentError('must be an IANA time zone such as Europe/London');
  return v;
};

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

program
  .command('simulate')
  .description('drive a collector with a simulated contact center through its signed webhooks')
  .option('--url <url>', 'collector URL to send to', 'http://127.0.0.1:3300')
  .option('--public-url <url>', "the collector's FLOORBOARD_PUBLIC_URL, if it differs from --url")
  .option('--token <token>', 'auth token to sign with (default: TWILIO_AUTH_TOKEN)')
  .option('--days <n>', 'history mode: fast-forward the last N days in batches', positive('--days'))
  .option('--speed <n>', 'live mode: N times faster than real time (default 1)', positive('--speed'))
  .option('--hours <n>', 'with --speed > 1: replay the last N hours (default 1); at --speed 1: stop after N hours', positive('--hours'))
  .option('--seed <n>', 'random seed: the same seed gives the same contact center and events', int('--seed'), 1)
  .option('--agents <n>', 'number of agents', int('--agents', 1), 40)
  .option('--tz <zone>', "the center's time zone (shifts, intraday profile)", zone, 'Europe/London')
  .option('--print-tally', 'print what really happened (ground truth) at the end', false)
  .action(
    async (o: {
      url: string;
      publicUrl?: string;
      token?: string;
      days?: number;
      speed?: number;
      hours?: number;
      seed: number;
      agents: number;
      tz: string;
      printTally: boolean;
    }) => {
      const token = o.token ?? process.env.TWILIO_AUTH_TOKEN;
      if (!token) throw new InvalidArgumentError('--token or TWILIO_AUTH_TOKEN is required to sign the webhooks');
      await untilStopped((signal) =>
        simulateCommand(
          {
            url: o.url,
            ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
            token,
            seed: o.seed,
            agents: o.agents,
            timezone: o.tz,
            ...(o.days ? { days: o.days } : {}),
            ...(o.speed ? { speed: o.speed } : {}),
            ...(o.hours ? { hours: o.hours } : {}),
            printTally: o.printTally,
          },
          signal,
        ),
      );
    },
  );

program
  .command('demo')
  .description('the collector on ./data/demo.db with simulated history and live traffic (no Twilio account needed)')
  .option('-p, --port <port>', 'port to listen on', int('--port'), Number(process.env.PORT ?? 3300))
  .option('--db <path>', 'SQLite database file', process.env.FLOORBOARD_DB ?? './data/demo.db')
  .option('--days <n>', 'days of history on the first run', int('--days', 1), 30)
  .option('--agents <n>', 'number of agents', int('--agents', 1), 40)
  .option('--seed <n>', 'random seed', int('--seed'), 1)
  .option('--tz <zone>', "the center's time zone", zone, 'Europe/London')
  .action(async (o: { port: number; db: string; days: number; agents: number; seed: number; tz: string }) => {
    await untilStopped((signal) =>
      demoCommand({ port: o.port, db: o.db, days: o.days, seed: o.seed, agents: o.agents, timezone: o.tz }, signal),
    );
    process.exit(0);
  });

program
  .command('backfill')
  .description("read events the collector missed from TaskRouter's Events API (last 30 days) and store the new ones")
  .option('--since <duration>', 'from this long ago until now, e.g. 2h, 90m, 3d')
  .option('--from <time>', 'start (ISO 8601 or epoch ms)')
  .option('--to <time>', 'end (default now)')
  .option('--page-size <n>', 'events per page, 1-1000')
  .option('--db <path>', 'SQLite database file (overrides FLOORBOARD_DB)')
  .addHelpText(
    'after',
    '\nNeeds TWILIO_ACCOUNT_SID, TWILIO_WORKSPACE_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY/TWILIO_API_SECRET).\nSafe while the collector runs: events are stored once, by Sid.',
  )
  .action(async (o: { since?: string; from?: string; to?: string; pageSize?: string; db?: string }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(o.db ? { FLOORBOARD_DB: o.db } : {}) };
    process.exitCode = await runBackfillCommand(
      {
        ...(o.since ? { since: o.since } : {}),
        ...(o.from ? { from: o.from } : {}),
        ...(o.to ? { to: o.to } : {}),
        ...(o.pageSize ? { pageSize: o.pageSize } : {}),
        ...(env.FLOORBOARD_TWILIO_API_URL ? { apiUrl: env.FLOORBOARD_TWILIO_API_URL } : {}),
      },
      env,
    );
  });

program
  .command('verify')
  .description("compare the collector's numbers with TaskRouter's own cumulative statistics for a window")
  .option('--since <duration>', 'from this long ago until now (default 1h)')
  .option('--from <time>', 'start (ISO 8601 or epoch ms)')
  .option('--to <time>', 'end (default now)')
  .option('--tolerance <percent>', 'largest difference accepted, percent', '1')
  .option('--url <collector>', 'ask a running collector instead of reading the database file')
  .option('--queue <name...>', 'only these queues')
  .option('--db <path>', 'SQLite database file (overrides FLOORBOARD_DB)')
  .addHelpText('after', '\nExit status: 0 within tolerance, 1 some numbers differ, 2 the check could not run.')
  .action(async (o: { since?: string; from?: string; to?: string; tolerance: string; url?: string; queue?: string[]; db?: string }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(o.db ? { FLOORBOARD_DB: o.db } : {}) };
    const since = o.since ?? (o.from ? undefined : '1h');
    process.exitCode = await runVerifyCommand(
      {
        ...(since ? { since } : {}),
        ...(o.from ? { from: o.from } : {}),
        ...(o.to ? { to: o.to } : {}),
        tolerance: o.tolerance,
        ...(o.url ? { url: o.url } : {}),
        ...(o.queue ? { queues: o.queue } : {}),
        ...(env.FLOORBOARD_TWILIO_API_URL ? { apiUrl: env.FLOORBOARD_TWILIO_API_URL } : {}),
      },
      env,
    );
  });

const quarantine = program
  .command('quarantine')
  .description('authenticated events the collector could not read, kept verbatim: list them, or replay them after an upgrade')
  .addHelpText(
    'after',
    '\nEvents are quarantined when their Sid, event type or time cannot be read; the rest of their batch is stored\nand Twilio gets a 2xx. A replay stores each event that now reads exactly once (by Sid).',
  );
quarantine
  .command('list')
  .description('show the quarantined events, oldest first, with the reason each could not be read')
  .option('--url <collector>', 'ask a running collector instead of reading the database file')
  .option('--db <path>', 'SQLite database file (overrides FLOORBOARD_DB)')
  .option('--all', 'include events already replayed', false)
  .option('--limit <n>', 'at most this many', int('--limit', 1), 100)
  .option('--json', 'print JSON (each event with its body as received)', false)
  .action(async (o: { url?: string; db?: string; all: boolean; limit: number; json: boolean }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(o.db ? { FLOORBOARD_DB: o.db } : {}) };
    process.exitCode = await runQuarantineCommand(
      'list',
      { ...(o.url ? { url: o.url } : {}), all: o.all, limit: o.limit, json: o.json },
      env,
    );
  });
quarantine
  .command('replay')
  .description('re-read the quarantined events with this version and store those that now read')
  .option('--url <collector>', 'have a running collector do it (recommended while it runs)')
  .option('--db <path>', 'SQLite database file of a stopped collector (overrides FLOORBOARD_DB)')
  .addHelpText('after', '\nExit status: 0 nothing left waiting, 1 some events still cannot be read, 2 the replay could not run.')
  .action(async (o: { url?: string; db?: string }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(o.db ? { FLOORBOARD_DB: o.db } : {}) };
    process.exitCode = await runQuarantineCommand('replay', o.url ? { url: o.url } : {}, env);
  });

program
  .command('rebuild')
  .description(
    "recompute the derived tables (state, task facts, rollups, agent activity) from the event log with this version's definitions",
  )
  .option('--db <path>', 'SQLite database file of a stopped collector (overrides FLOORBOARD_DB)')
  .option('--check', 'only say whether a rebuild is due (after an upgrade that changed a definition)', false)
  .option('--drop-pruned-history', 'rebuild even though retention pruned old events (their history is lost)', false)
  .option('--online', 'have the running collector at --url rebuild while it serves (FLOORBOARD_API_TOKEN authenticates)', false)
  .option('--url <url>', 'with --online: the collector to ask', 'http://127.0.0.1:3300')
  .addHelpText(
    'after',
    '\nWithout --online, stop the collector first. Exit status: 0 done (or, with --check, not due), 1 due, 2 failed, 3 refused (pruned history), 4 one already running (--online).',
  )
  .action(async (o: { db?: string; check: boolean; dropPrunedHistory: boolean; online: boolean; url: string }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(o.db ? { FLOORBOARD_DB: o.db } : {}) };
    process.exitCode = await runRebuildCommand(
      { check: o.check, dropPrunedHistory: o.dropPrunedHistory, ...(o.online ? { online: { url: o.url } } : {}) },
      env,
    );
  });

program
  .command('provision-playlist')
  .description('create or update the TV playlist (Wallboard, Summary, Queues) in Grafana, and print its kiosk URL')
  .requiredOption('--grafana-url <url>', 'Grafana base URL, e.g. http://localhost:3000', process.env.GRAFANA_URL)
  .requiredOption('--token <token>', 'Grafana service-account token (Editor)', process.env.GRAFANA_TOKEN)
  .option('--name <name>', 'playlist name', DEFAULT_PLAYLIST_NAME)
  .option('--interval <duration>', 'time per dashboard (30s, 1m, 5m)', DEFAULT_PLAYLIST_INTERVAL)
  .action(async (o: { grafanaUrl: string; token: string; name: string; interval: string }) => {
    process.exitCode = await runPlaylistCommand({ grafanaUrl: o.grafanaUrl, token: o.token, name: o.name, interval: o.interval });
  });

program.parseAsync().catch(exitWithStartupError);
