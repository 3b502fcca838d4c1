import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '@floorboard/contract';
import {
  activityEvent,
  ALICE,
  AVAILABLE,
  handledTask,
  abandonedTask,
  taskEvent,
  workerActivityUpdate,
  workerEvent,
  SALES_QUEUE,
} from '../test-helpers/fixtures';
import { postCallback, startTestCollector, tempDir, type TestCollector } from '../test-helpers/harness';

let c: TestCollector;
const now = Date.now();
const minutesAgo = (m: number) => now - m * 60_000;
let n = 0;
const task = () => 'WT' + (++n).toString(16).padStart(32, '0');

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'sla.yaml'), 'thresholds:\n  tasks_waiting: { warn: 1, breach: 2 }\n  longest_wait: { warn: 60, breach: 120 }\n');
  c = await startTestCollector({ FLOORBOARD_HEARTBEAT_SECONDS: '0.2', FLOORBOARD_TZ: 'UTC' }, dir);
  const events = [
    activityEvent('activity.created', minutesAgo(60), AVAILABLE, 'Available', true),
    workerEvent('worker.created', minutesAgo(59), 'Offline'),
    workerActivityUpdate(minutesAgo(58), 'Offline', 'Available', 60),
    ...handledTask(task(), minutesAgo(30), 10, 60, 10),
    ...abandonedTask(task(), minutesAgo(20), 40),
  ];
  for (const e of events) expect((await postCallback(c.url, e)).status).toBe(204);
});
afterAll(() => c.dispose());

async function snapshot(): Promise<Snapshot> {
  return (await fetch(`${c.url}/api/snapshot`)).json() as Promise<Snapshot>;
}

/** Reads SSE messages from /api/live until `until` returns true for one (or times out). */
async function readLive(headers: Record<string, string>, until: (s: Snapshot | null, raw: string) => boolean, ms = 3000) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), ms);
  const res = await fetch(`${c.url}/api/live`, { headers, signal: ctrl.signal });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const messages: Snapshot[] = [];
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
      let cut: number;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        const s = data ? (JSON.parse(data.slice(6)) as Snapshot) : null;
        if (s) messages.push(s);
        if (until(s, block)) return { messages, ok: true };
      }
    }
  } catch {
    // aborted by the timer
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return { messages, ok: false };
}

describe('GET /api/snapshot', () => {
  it('gives real-time and today numbers per queue and in total', async () => {
    const s = await snapshot();
    const sales = s.queues.find((q) => q.queue === 'Sales')!;
    expect(sales.queueSid).toBe(SALES_QUEUE);
    expect(sales.values.tasks_handled.value).toBe(1);
    expect(sales.values.tasks_abandoned.value).toBe(1);
    expect(sales.values.avg_wait.value).toBe(25); // (10 + 40) / 2
    expect(sales.values.service_level.value).toBe(50); // 1 within 20 s of 2
    expect(s.total.values.agents_logged_in.value).toBe(1);
    expect(s.total.values.agents_available.value).toBe(1);
    expect(s.total.agentsByActivity).toEqual({ Available: 1 });
    expect(s.total.values.tasks_waiting).toEqual({ value: 0, breach: 'ok' });
  });
});

describe('GET /api/live', () => {
  it('pushes a new snapshot soon after an event is committed, with SLA colours', async () => {
    const first = await snapshot();
    const t = { task: task(), createdMs: minutesAgo(3) };
    const live = readLive({}, (s) => s !== null && s.total.values.tasks_waiting.value === 2);
    await new Promise((r) => setTimeout(r, 100));
    const sent = Date.now();
    await postCallback(c.url, taskEvent('task-queue.entered', minutesAgo(3), t));
    const t2 = { task: task(), createdMs: minutesAgo(1) };
    await postCallback(c.url, taskEvent('task-queue.entered', minutesAgo(1), t2));
    const { messages, ok } = await live;
    expect(ok).toBe(true);
    expect(Date.now() - sent).toBeLessThan(1500);
    const last = messages.at(-1)!;
    expect(last.seq).toBeGreaterThan(first.seq);
    expect(last.total.values.tasks_waiting).toEqual({ value: 2, breach: 'breach' });
    // Oldest waiting task was created 3 minutes ago: over the 120 s breach threshold.
    expect(last.total.values.longest_wait.value).toBeGreaterThanOrEqual(180);
    expect(last.total.values.longest_wait.breach).toBe('breach');
  });

  it("carries the newest event's time, and pushes when an event arrives that changes no number", async () => {
    const before = await snapshot();
    expect(before.lastEventAt).toBe(((await (await fetch(`${c.url}/api/health`)).json()) as { lastEventAt: string }).lastEventAt);
    const at = minutesAgo(0.2);
    const live = readLive({ 'last-event-id': String(before.seq) }, (s) => s !== null && s.lastEventAt === new Date(at).toISOString());
    await new Promise((r) => setTimeout(r, 100));
    // An activity being renamed moves no queue's number, only the data's freshness.
    await postCallback(c.url, activityEvent('activity.updated', at, AVAILABLE, 'Available', true));
    const { messages, ok } = await live;
    expect(ok).toBe(true);
    expect(messages.at(-1)!.total.values.tasks_waiting).toEqual(before.total.values.tasks_waiting);
    expect(messages.at(-1)!.seq).toBeGreaterThan(before.seq);
  });

  it('sends heartbeat comments so proxies keep the stream open', async () => {
    const { ok } = await readLive({ 'last-event-id': String((await snapshot()).seq) }, (_s, raw) => raw.startsWith(': heartbeat'));
    expect(ok).toBe(true);
  });

  it('resumes with Last-Event-ID: nothing resent when up to date, the latest when behind', async () => {
    const current = await snapshot();
    const upToDate = await readLive({ 'last-event-id': String(current.seq) }, (s) => s !== null, 700);
    expect(upToDate.messages).toHaveLength(0);
    const behind = await readLive({ 'last-event-id': String(current.seq - 1) }, (s) => s !== null, 2000);
    expect(behind.messages[0]!.seq).toBe(current.seq);
  });
});

describe('GET /metrics', () => {
  it('exposes per-queue gauges, counters, the wait histogram with SLA edges, and ingest counters', async () => {
    await postCallback(c.url, workerActivityUpdate(minutesAgo(0.5), 'Available', 'Offline', 60, ALICE));
    const res = await fetch(`${c.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(series + ' '));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('floorboard_tasks_waiting{queue="Sales"}')).toBe(2);
    expect(value('floorboard_longest_wait_seconds{queue="Sales"}')).toBeGreaterThanOrEqual(180);
    expect(value('floorboard_sla_breach{queue="Sales",metric="tasks_waiting"}')).toBe(2);
    expect(value('floorboard_tasks_handled_total{queue="Sales"}')).toBe(1);
    expect(value('floorboard_tasks_abandoned_total{queue="Sales"}')).toBe(1);
    expect(value('floorboard_service_level_percent{queue="Sales"}')).toBe(50);
    expect(value('floorboard_wait_seconds_bucket{le="20",queue="Sales",outcome="handled"}')).toBe(1);
    expect(value('floorboard_wait_seconds_bucket{le="120",queue="Sales",outcome="abandoned"}')).toBe(1);
    expect(value('floorboard_ingest_events_total{transport="callback",result="stored"}')).toBeGreaterThan(10);
    expect(value('floorboard_last_event_age_seconds')).toBeLessThan(120);
    if (existsSync('/usr/bin/promtool')) {
      // The real Prometheus linter accepts the exposition (it exits non-zero on a format error).
      execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text });
    }
  });
});
