// `npm run bench -w plugin [-- --quick] [--json] [--events N] [--every MS] [--cut MS]`: event ->
// frame latency of a live panel in a real browser. The built collector runs as its own process; the
// built plugin runs in headless Chromium behind a stand-in for Grafana's data proxy (flushes event
// streams at once, cuts every response after `--cut` ms, Grafana's 30 s by default). Signed
// TaskRouter events add one customer at a time to a queue of this run's own; for each, the time
// from sending the webhook to the browser showing the new count is measured on the same clock.
// Prints a table, or one JSON line with --json (what `npm run bench` reads). Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AUTH_TOKEN, postCallback, PUBLIC_URL, slaFileIn, taskEvent } from '@floorboard/collector/testing';
import { COLLECTOR_MAIN, spawnCollector } from '../../../tests/process';
import { chromiumMissing } from './chromium';
import { GRAFANA_PROXY_TIMEOUT_MS } from './grafanaProxy';
import { openHarnessPage } from './harnessPage';

interface Args {
  events: number;
  everyMs: number;
  cutMs: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const quick = argv.includes('--quick');
  return {
    events: value('--events', quick ? 40 : 150),
    everyMs: value('--every', 250),
    cutMs: value('--cut', quick ? 5000 : GRAFANA_PROXY_TIMEOUT_MS),
    json: argv.includes('--json'),
  };
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

interface Watched {
  frames: Array<{ at: number; value: number | null }>;
}

interface HarnessWindow {
  harness: { watchLive(metric: string, queues: string[]): void; watched: Watched; stopWatching(): void };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const missing = chromiumMissing();
  if (missing) {
    throw new Error(missing);
  }
  if (!existsSync(COLLECTOR_MAIN)) {
    const built = spawnSync('npm', ['run', 'build', '-w', 'collector'], { stdio: 'inherit' });
    if (built.status !== 0) {
      throw new Error('could not build the collector (npm run build -w collector)');
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'floorboard-live-bench-'));
  const collector = await spawnCollector({
    FLOORBOARD_DB: join(dir, 'floorboard.db'),
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    FLOORBOARD_PUBLIC_URL: PUBLIC_URL,
    FLOORBOARD_SLA: slaFileIn(dir),
  });
  const harness = await openHarnessPage({ collectorUrl: collector.url, cutAfterMs: args.cutMs });
  try {
    const { page } = harness;
    const queue = { queueSid: 'WQ' + 'e'.repeat(32), queueName: `Live bench ${Date.now()}` };
    await page.evaluate(
      (name) => (window as unknown as HarnessWindow).harness.watchLive('tasks_waiting', [name]),
      queue.queueName
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const sent: number[] = [];
    for (let i = 0; i < args.events; i++) {
      const task = 'WT' + (i + 1).toString(16).padStart(32, '0');
      const at = Date.now();
      sent.push(at);
      const response = await postCallback(
        collector.url,
        taskEvent('task-queue.entered', at, { task, createdMs: at, ...queue })
      );
      if (response.status !== 204) {
        throw new Error(`the collector answered ${response.status} to an event`);
      }
      await new Promise((resolve) => setTimeout(resolve, args.everyMs));
    }
    const watched = () => page.evaluate(() => (window as unknown as HarnessWindow).harness.watched);
    const deadline = Date.now() + 10_000;
    let log = await watched();
    while (log.frames.at(-1)?.value !== args.events && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await watched();
    }
    await page.evaluate(() => (window as unknown as HarnessWindow).harness.stopWatching());

    // Event i is on screen at the first frame counting at least i + 1 customers.
    const latencies = sent.map((at, i) => {
      const frame = log.frames.find((one) => one.value !== null && one.value >= i + 1);
      return frame ? frame.at - at : Infinity;
    });
    const shown = latencies.filter(Number.isFinite);
    const streams = harness.server.proxy.requests.filter((request) => request.path === '/api/live');
    const result = {
      browser_live_p50_ms: round1(percentile(shown, 50)),
      browser_live_p95_ms: round1(percentile(shown, 95)),
      browser_live_max_ms: round1(Math.max(...shown)),
      browser_live_events: args.events,
      browser_live_missed: latencies.length - shown.length,
      browser_live_cuts: streams.filter((stream) => stream.cut).length,
      proxy_cut_after_ms: args.cutMs,
    };
    if (args.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      process.stdout.write(
        `\nLive panel in Chromium, through a Grafana-like proxy (cut every ${args.cutMs} ms)\n` +
          `event -> frame p50 ${result.browser_live_p50_ms} ms, p95 ${result.browser_live_p95_ms} ms, max ${result.browser_live_max_ms} ms ` +
          `(${args.events} events every ${args.everyMs} ms, ${result.browser_live_missed} missed, ${result.browser_live_cuts} streams cut)\n`
      );
    }
    if (result.browser_live_missed > 0) {
      process.exitCode = 1;
    }
  } finally {
    await harness.close();
    collector.child.kill('SIGTERM');
    await collector.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`live bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
