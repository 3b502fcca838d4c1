// `npm run demo`: the collector on ./data/demo.db with 30 days of simulated history, then live
// traffic through the real signed webhook path; prints the URLs and a few live numbers. A second
// run reuses the data and fills the time since the last run.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startCollector } from '../server';
import type { Db } from '../store/db';
import { openTasks } from '../store/state';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeEvent } from '../taskrouter/normalize';
import { sendCallback, Simulation } from '../simulate';
import type { Snapshot } from '@floorboard/contract';
import { progressBar } from './progress';

const DAY = 86_400_000;

export interface DemoArgs {
  port: number;
  db: string;
  days: number;
  seed: number;
  agents: number;
  timezone: string;
}

export async function demoCommand(a: DemoArgs, signal: AbortSignal): Promise<void> {
  const token = process.env.TWILIO_AUTH_TOKEN || `demo-${randomBytes(8).toString('hex')}`;
  const cfg = loadConfig({
    ...process.env,
    PORT: String(a.port),
    FLOORBOARD_DB: a.db,
    TWILIO_AUTH_TOKEN: token,
    FLOORBOARD_PUBLIC_URL: `http://127.0.0.1:${a.port}`,
    FLOORBOARD_TZ: process.env.FLOORBOARD_TZ ?? a.timezone,
    FLOORBOARD_LOG_LEVEL: process.env.FLOORBOARD_LOG_LEVEL ?? 'warn',
  });
  const running = await startCollector(cfg, createLogger(cfg.logLevel));
  const say = (s: string) => process.stdout.write(s + '\n');
  try {
    const target = { baseUrl: running.url, publicUrl: cfg.publicUrl!, authToken: token };
    const now = Date.now();
    const lastEvent = running.ingest.log.counts().lastEventMs;
    const reuse = lastEvent > now - a.days * DAY;
    const from = reuse ? lastEvent : now - a.days * DAY;
    say(`Floorboard demo — collector on ${running.url} (database ${cfg.dbPath})`);
    if (reuse) {
      say(`reusing stored data; simulating the ${fmtDuration(now - from)} since the last run`);
      const closed = await closeLeftovers(running.db, target, now);
      say(
        closed === 0
          ? 'the last run left no task open'
          : `closed ${plural(closed, 'task')} the last run left waiting or in progress: their simulated customers and agents ended with that run, so each got a task.system-deleted event, as TaskRouter sends when it removes a task`,
      );
    } else say(`loading ${plural(a.days, 'day')} of simulated history`);

    // One simulation from `from` onwards: its past is fast-forwarded in-process through the same
    // ingest code (batched, like Event Streams), its future plays live through the signed webhook.
    const simulation = new Simulation({ seed: a.seed, agents: a.agents, timezone: cfg.timezone, start: from, end: Infinity });
    const events = simulation.events();
    const bar = progressBar('history');
    let batch: ReturnType<typeof normalizeEvent>[] = [];
    let loaded = 0;
    let next = events.next();
    while (!next.done && Number(next.value.TimestampMs) < now && !signal.aborted) {
      batch.push(normalizeEvent(next.value, 'simulator'));
      if (batch.length === 2000) {
        running.ingest.storeNow(batch);
        loaded += batch.length;
        batch = [];
        bar.update(Number(next.value.TimestampMs) - from, now - from, `${loaded.toLocaleString('en')} events`);
        await new Promise((r) => setImmediate(r)); // let HTTP requests in between batches
      }
      next = events.next();
    }
    running.ingest.storeNow(batch);
    bar.update(now - from, now - from, `${(loaded + batch.length).toLocaleString('en')} events`);
    bar.stop();
    if (signal.aborted) return;
    say('');
    say(`history loaded: ${running.ingest.log.counts().eventsStored.toLocaleString('en')} events stored; live traffic follows`);
    say(`  status page ${running.url}/`);
    say(`  health      ${running.url}/api/health`);
    say(`  snapshot    ${running.url}/api/snapshot`);
    say(`  live (SSE)  ${running.url}/api/live`);
    say(`  Prometheus  ${running.url}/metrics`);
    say('Grafana: build the plugin (npm run build), then `docker compose up` and open http://localhost:3000/d/floorboard-wallboard?kiosk');
    say('Ctrl-C stops the demo; the next run reuses the data.');
    printLive(running.hub.refresh());
    const printer = setInterval(() => printLive(running.hub.refresh()), 10_000);
    try {
      // Live: each event at its own time (simulated time = wall time), as a signed Event Callback.
      while (!next.done && !signal.aborted) {
        const wait = Number(next.value.TimestampMs) - Date.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) break;
        await sendCallback(target.baseUrl, target.publicUrl, target.authToken, next.value).catch(() => undefined);
        next = events.next();
      }
    } finally {
      clearInterval(printer);
    }
  } finally {
    await running.stop();
    say('demo stopped');
  }
}

/**
 * Tasks left open by a previous run would wait forever: TaskRouter would delete them, so do that.
 * Returns how many were closed.
 */
async function closeLeftovers(db: Db, target: { baseUrl: string; publicUrl: string; authToken: string }, now: number): Promise<number> {
  const { tasks: open, accountSid, workspaceSid } = openTasks(db);
  for (const t of open) {
    await sendCallback(target.baseUrl, target.publicUrl, target.authToken, {
      AccountSid: accountSid ?? '',
      WorkspaceSid: workspaceSid ?? '',
      WorkspaceName: 'Floorboard demo',
      Sid: `EV${randomBytes(16).toString('hex')}`,
      EventType: 'task.system-deleted',
      TaskSid: t.task_sid,
      ResourceType: 'task',
      ResourceSid: t.task_sid,
      TimestampMs: String(now),
      Timestamp: String(Math.floor(now / 1000)),
      EventDescription: 'Task left open by the previous demo run was removed',
      ...(t.queue_sid ? { TaskQueueSid: t.queue_sid } : {}),
      ...(t.queue_name ? { TaskQueueName: t.queue_name } : {}),
    });
  }
  return open.length;
}

function printLive(s: Snapshot): void {
  const v = s.total.values;
  const sl = v.service_level.value === null ? '—' : `${v.service_level.value}%`;
  process.stdout.write(
    `[${new Date().toLocaleTimeString('en-GB')}] waiting ${v.tasks_waiting.value} (longest ${v.longest_wait.value}s) · in progress ${v.tasks_in_progress.value} · ` +
      `agents available ${v.agents_available.value}/${v.agents_logged_in.value} · today handled ${v.tasks_handled.value}, abandoned ${v.tasks_abandoned.value}, service level ${sl}\n`,
  );
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function fmtDuration(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48
    ? plural(Math.round(h / 24), 'day')
    : h >= 1
      ? plural(Math.round(h), 'hour')
      : plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

export const DEMO_DB = join('data', 'demo.db');
