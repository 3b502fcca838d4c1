// Backfill against a local fake of TaskRouter's REST API: a collector that missed a 20-minute window
// of webhooks gets exactly the missing events back (the rest of the read window is recognised as
// duplicates by Sid), then answers every metric like a collector that received everything; a
// second run stores nothing; 429 (Retry-After) and 503 are retried; start-up gap filling works.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../collector/src/commands/backfill';
import { createContext } from '../collector/src/context';
import { createLogger } from '../collector/src/logger';
import { loadSla } from '@floorboard/contract/sla';
import { handledTask } from '../collector/src/test-helpers/fixtures';
import {
  backfill,
  backfillGap,
  formatBackfillReport,
  TWILIO_EVENT_RETENTION_MS,
  windowFromArgs,
  type BackfillProgress,
} from '../collector/src/backfill';
import { normalizeEvent } from '../collector/src/taskrouter/normalize';
import { postCallback, removeDir, slaFileIn, startTestCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';
import { simulateEvents, type TaskRouterEventParams } from '../collector/src/simulate';
import { compareAnswers, compareSnapshots, metricBattery } from '../collector/src/verify/consistency';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** 09:00 UTC of the latest weekday at least a day ago: inside Twilio's 30-day retention whenever the test runs. */
function recentWeekdayMorning(now = Date.now()): number {
  let d = Math.floor((now - DAY) / DAY) * DAY;
  while ([0, 6].includes(new Date(d).getUTCDay())) d -= DAY;
  return d + 9 * HOUR;
}

const START = recentWeekdayMorning();
const events: TaskRouterEventParams[] = [...simulateEvents({ seed: 21, start: START, end: START + 2 * HOUR, agents: 30 })];
const ms = (e: TaskRouterEventParams) => Number(e.TimestampMs);
const GAP = { from: START + 50 * MIN, to: START + 70 * MIN };
const inGap = (e: TaskRouterEventParams) => ms(e) >= GAP.from && ms(e) < GAP.to;
const ACCOUNT = events[0]!.AccountSid;
const WORKSPACE = events[0]!.WorkspaceSid;
const REST_TOKEN = 'rest-auth-token-for-the-fake';
const API_KEY = 'SK' + 'f'.repeat(32);
const API_SECRET = 'api-secret-for-the-fake';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function collector(): Promise<TestCollector> {
  const c = await startTestCollector();
  closers.push(() => c.dispose());
  return c;
}

async function deliver(c: TestCollector, list: TaskRouterEventParams[]): Promise<void> {
  for (let i = 0; i < list.length; i += 32) {
    const statuses = await Promise.all(list.slice(i, i + 32).map(async (p) => (await postCallback(c.url, p)).status));
    expect(statuses.filter((s) => s !== 204)).toEqual([]);
  }
}

async function fake(extra: Partial<Parameters<typeof startFakeTwilio>[0]> = {}): Promise<FakeTwilio> {
  const f = await startFakeTwilio({
    accountSid: ACCOUNT,
    workspaceSid: WORKSPACE,
    authToken: REST_TOKEN,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    events,
    ...extra,
  });
  closers.push(() => f.close());
  return f;
}

/** The columns an Event Callback fills too (the REST event_data also has task_age_in_queue, task_date_created, worker_available). */
const columns = (c: TestCollector, sids: string[]) => {
  const stmt = c.db.prepare('SELECT * FROM events WHERE sid = ?');
  return sids.map((sid) => {
    const {
      id: _id,
      received_ms: _r,
      source: _s,
      raw_json: _j,
      task_age_in_queue: _q,
      task_created_ms: _c,
      worker_available: _w,
      ...row
    } = stmt.get(sid) as Record<string, unknown>;
    return row;
  });
};

let clean: TestCollector;
let gappy: TestCollector;
beforeAll(async () => {
  [clean, gappy] = await Promise.all([collector(), collector()]);
  // The clean run has everything (straight into its ingest service); the other missed the gap.
  await clean.ingest.submit(events.map((e) => normalizeEvent(e, 'callback')));
  await deliver(
    gappy,
    events.filter((e) => !inGap(e)),
  );
}, 120_000);

describe('backfill', () => {
  it('restores exactly the missing events, retrying 429 and 503, and then answers like a clean run', async () => {
    const missing = events.filter(inGap);
    expect(missing.length).toBeGreaterThan(100);
    // 2nd and 4th Events requests are throttled (Retry-After: 1), the 3rd fails with 503.
    const api = await fake({ throttleRequests: [2, 4], retryAfterSeconds: 1, failRequests: [3] });
    const from = GAP.from - 10 * MIN;
    const to = GAP.to + 10 * MIN;
    const overlap = events.filter((e) => !inGap(e) && ms(e) >= Math.floor(from / 1000) * 1000 && ms(e) <= to);
    const progress: BackfillProgress[] = [];
    const warnings: string[] = [];
    const result = await backfill({
      ingest: gappy.ingest,
      twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: REST_TOKEN, baseUrl: api.url, backoffMs: 20 },
      from,
      to,
      pageSize: 50,
      onProgress: (p) => progress.push(p),
      log: { info: () => undefined, warn: (_o: unknown, msg?: string) => void warnings.push(String(msg)) } as never,
    });
    process.stdout.write(`${formatBackfillReport(result)}\n`);

    expect(result.stored).toBe(missing.length);
    expect(result.duplicates).toBe(overlap.length);
    expect(result.fetched).toBe(missing.length + overlap.length);
    expect(result.rejected).toBe(0);
    expect(result.pages).toBe(Math.ceil(result.fetched / 50));
    expect(result.retries).toBe(3);
    expect(progress).toHaveLength(result.pages);
    expect(progress.at(-1)!.stored).toBe(missing.length);

    // Paging went through next_page_url / PageToken; Retry-After was honoured before the retry.
    const eventCalls = api.requests.filter((r) => r.path.endsWith('/Events'));
    expect(eventCalls.map((r) => r.status).slice(0, 5)).toEqual([200, 429, 503, 429, 200]);
    expect(eventCalls.filter((r) => r.status === 200 && r.query.PageToken).length).toBe(result.pages - 1);
    for (let i = 0; i < eventCalls.length - 1; i++)
      if (eventCalls[i]!.status === 429) expect(eventCalls[i + 1]!.at - eventCalls[i]!.at).toBeGreaterThanOrEqual(950);
    expect(warnings.filter((w) => /retrying/.test(w))).toHaveLength(3);

    // The backfilled rows hold the same facts as webhook deliveries.
    const sids = missing.map((e) => e.Sid);
    expect(columns(gappy, sids)).toEqual(columns(clean, sids));
    expect(gappy.db.prepare("SELECT count(*) FROM events WHERE source = 'backfill'").pluck().get() as number).toBe(missing.length);

    // Every metric equals the clean run's.
    const battery = metricBattery(START - HOUR, START + 3 * HOUR, { queues: ['Sales'] });
    expect((await compareAnswers({ url: gappy.url }, { url: clean.url }, battery)).map((d) => d.what)).toEqual([]);
    expect(await compareSnapshots({ url: gappy.url }, { url: clean.url })).toEqual([]);

    // A second run finds nothing new.
    const again = await backfill({
      ingest: gappy.ingest,
      twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: api.url },
      from,
      to,
      pageSize: 50,
    });
    expect(again.stored).toBe(0);
    expect(again.duplicates).toBe(result.fetched);
    process.stdout.write(
      `backfill figures ${JSON.stringify({ gap: missing.length, overlap: overlap.length, first: { pages: result.pages, fetched: result.fetched, stored: result.stored, duplicates: result.duplicates, retries: result.retries }, second: { pages: again.pages, stored: again.stored, duplicates: again.duplicates } })}\n`,
    );
  }, 60_000);

  it('clamps the start to the 30-day retention with a warning', async () => {
    const api = await fake();
    const now = Date.now();
    const warnings: string[] = [];
    const result = await backfill({
      ingest: gappy.ingest,
      twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: REST_TOKEN, baseUrl: api.url },
      from: now - 40 * DAY,
      to: now + DAY,
      now: () => now,
      log: { info: () => undefined, warn: (_o: unknown, msg?: string) => void warnings.push(String(msg)) } as never,
    });
    expect(result.clamped).toBe(true);
    expect(result.from).toBeGreaterThan(now - TWILIO_EVENT_RETENTION_MS);
    expect(result.from).toBeLessThan(now - 29 * DAY);
    expect(result.to).toBe(now);
    expect(warnings.some((w) => /30 days/.test(w))).toBe(true);
    expect(result.stored).toBe(0);
    expect(result.fetched).toBe(events.length);
    expect(formatBackfillReport(result)).toMatch(/30-day retention/);
  });

  it('refuses with a clear error when the credentials are wrong', async () => {
    const api = await fake();
    await expect(
      backfill({
        ingest: gappy.ingest,
        twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: 'wrong', baseUrl: api.url },
        from: START,
        to: START + HOUR,
      }),
    ).rejects.toThrow(/Authenticate/);
    await expect(
      backfill({
        ingest: gappy.ingest,
        twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, baseUrl: api.url },
        from: START,
        to: START + HOUR,
      }),
    ).rejects.toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('fills the gap since the newest stored event at start-up, and skips when there is none', async () => {
    const cut = START + 90 * MIN;
    const down = await collector();
    await down.ingest.submit(events.filter((e) => ms(e) < cut).map((e) => normalizeEvent(e, 'callback')));
    const api = await fake();
    const twilio = { accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: REST_TOKEN, baseUrl: api.url };
    const result = await backfillGap({ ingest: down.ingest, twilio, overlapMs: 5 * MIN });
    expect(result.skipped).toBe(false);
    if (result.skipped) return;
    const newest = Math.max(...events.filter((e) => ms(e) < cut).map(ms));
    expect(result.stored).toBe(events.filter((e) => ms(e) >= cut).length);
    expect(result.duplicates).toBe(events.filter((e) => ms(e) < cut && ms(e) >= Math.floor((newest - 5 * MIN) / 1000) * 1000).length);
    const battery = metricBattery(START - HOUR, START + 3 * HOUR);
    expect((await compareAnswers({ url: down.url }, { url: clean.url }, battery)).map((d) => d.what)).toEqual([]);

    // Fresh events: no gap. Empty store: nothing to fill (a new install).
    expect(await backfillGap({ ingest: down.ingest, twilio, now: () => Math.max(...events.map(ms)) + 30_000 })).toMatchObject({
      skipped: true,
    });
    const empty = await collector();
    expect(await backfillGap({ ingest: empty.ingest, twilio })).toMatchObject({ skipped: true, reason: 'no events stored yet' });
  }, 60_000);

  it('runs as a command: progress to its reporter, one report line on stdout at the end', async () => {
    const dir = tempDir();
    closers.push(async () => removeDir(dir));
    const api = await fake();
    const env = {
      FLOORBOARD_DB: join(dir, 'fb.db'),
      FLOORBOARD_SLA: slaFileIn(dir),
      TWILIO_AUTH_TOKEN: REST_TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_WORKSPACE_SID: WORKSPACE,
      FLOORBOARD_LOG_LEVEL: 'silent',
    };
    const capture = () => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      return { stream, text: () => text };
    };
    const args = { from: new Date(GAP.from).toISOString(), to: new Date(GAP.to).toISOString(), apiUrl: api.url, pageSize: '100' };
    const expected = events.filter((e) => ms(e) >= GAP.from && ms(e) <= GAP.to).length;
    const first = capture();
    const progress: string[] = [];
    expect(
      await runBackfillCommand(args, env, first.stream, capture().stream, {
        update: (done, total, detail) => void progress.push(`${done}/${total} ${detail}`),
        stop: () => undefined,
      }),
    ).toBe(0);
    expect(progress).toHaveLength(Math.ceil(expected / 100));
    expect(progress.at(-1)).toMatch(new RegExp(`${Math.ceil(expected / 100)} pages, ${expected} events, ${expected} new, 0 duplicates$`));
    expect(first.text()).toMatch(
      new RegExp(
        `^backfill \\S+ \\.\\. \\S+: ${expected} events read in ${Math.ceil(expected / 100)} pages, ${expected} new, 0 already stored \\(\\d+\\.\\d s\\)\\n$`,
      ),
    );
    const second = capture();
    expect(await runBackfillCommand(args, env, second.stream, capture().stream, { update: () => undefined, stop: () => undefined })).toBe(
      0,
    );
    expect(second.text()).toMatch(new RegExp(`, 0 new, ${expected} already stored`));
    const err = capture();
    expect(
      await runBackfillCommand({ since: '2h', apiUrl: api.url }, { ...env, TWILIO_WORKSPACE_SID: '' }, capture().stream, err.stream, {
        update: () => undefined,
        stop: () => undefined,
      }),
    ).toBe(78);
    expect(err.text()).toMatch(/^floorboard: backfill needs TWILIO_ACCOUNT_SID, TWILIO_WORKSPACE_SID/);
  });

  it('stops after the page in hand when aborted (graceful shutdown)', async () => {
    const api = await fake();
    const target = await collector();
    const controller = new AbortController();
    const result = await backfill({
      ingest: target.ingest,
      twilio: { accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: REST_TOKEN, baseUrl: api.url },
      from: START,
      to: START + 2 * HOUR,
      pageSize: 100,
      onProgress: (p) => p.pages === 2 && controller.abort(),
      signal: controller.signal,
    });
    expect(result.aborted).toBe(true);
    expect(result.pages).toBe(2);
    expect(result.stored).toBe(200);
    expect(target.ingest.log.counts().eventsStored).toBe(200);
    expect(formatBackfillReport(result)).toMatch(/stopped early$/);
  });

  it('reads the CLI window options', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    expect(windowFromArgs({ since: '2h' }, now)).toEqual({ from: now - 2 * HOUR, to: now });
    expect(windowFromArgs({ from: '2026-11-20T08:00:00Z', to: '2026-11-20T09:00:00Z' }, now)).toEqual({
      from: Date.parse('2026-11-20T08:00:00Z'),
      to: Date.parse('2026-11-20T09:00:00Z'),
    });
    expect(() => windowFromArgs({ since: 'yesterday' }, now)).toThrow(/--since/);
    expect(() => windowFromArgs({}, now)).toThrow(/--since <duration> or --from/);
    expect(() => windowFromArgs({ from: '2026-11-20T10:00:00Z', to: '2026-11-20T09:00:00Z' }, now)).toThrow(/before --to/);
  });
});

describe('formerly known gap, fixed', () => {
  // `floorboard backfill` run while the server is up writes through its own connection. The
  // server's Dims cache (store/dims.ts) answers find()/name() from memory only, so a queue first
  // seen in backfilled events is invisible to its queries until restart: per-queue numbers read 0
  // while the total counts the task. Dims.find/name should fall back to the table on a miss.
  it('a running collector answers for a queue that a backfill through another connection added', async () => {
    const server = await collector();
    const t0 = Date.UTC(2026, 10, 20, 9);
    await server.ingest.submit(handledTask('WT' + '1'.repeat(32), t0, 5, 60, 5).map((p) => normalizeEvent(p, 'callback')));
    const cli = createContext({ cfg: server.cfg, log: createLogger('silent'), sla: loadSla(server.cfg.slaPath) });
    const late = handledTask('WT' + '2'.repeat(32), t0 + 60_000, 5, 60, 5).map((p) => ({
      ...p,
      TaskQueueName: 'Late',
      TaskQueueSid: 'WQ' + '9'.repeat(32),
    }));
    await cli.ingest.submit(late.map((p) => normalizeEvent(p, 'backfill')));
    cli.close();
    const res = await fetch(`${server.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metric: 'tasks_handled', from: t0, to: t0 + HOUR, queues: ['Late'] }),
    });
    expect(((await res.json()) as { frames: { fields: { values: number[] }[] }[] }).frames[0]!.fields[0]!.values).toEqual([1]);
  });
});
