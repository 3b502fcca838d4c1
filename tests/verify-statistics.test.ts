// Cross-check against a fake TaskRouter: when Twilio's cumulative statistics agree with our events,
// every row is within tolerance; when the fake reports other numbers, the check fails and the table
// shows where and by how much. Also runs the CLI entry (`runVerifyCommand`) for its exit codes.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../collector/src/taskrouter/normalize';
import { simulateEvents, type TaskRouterEventParams } from '../collector/src/simulate';
import { startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import { COMPARISONS, engineSource, formatTable, httpSource, verify, type VerifyRow } from '../collector/src/verify';
import { runVerifyCommand } from '../collector/src/commands/verify';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from './fake-twilio';

const HOUR = 3_600_000;
const START = Date.parse('2026-11-16T09:00:00Z');
const events: TaskRouterEventParams[] = [...simulateEvents({ seed: 5, start: START, end: START + 3 * HOUR, agents: 30 })];
const ACCOUNT = events[0]!.AccountSid;
const WORKSPACE = events[0]!.WorkspaceSid;
const TOKEN = 'rest-auth-token-for-the-fake';
// The window: a ragged hour and a half inside the simulated morning.
const FROM = START + 40 * 60_000 + 12_345;
const TO = START + 130 * 60_000;

let c: TestCollector;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  c = await startTestCollector();
  closers.push(() => c.dispose());
  await c.ingest.submit(events.map((e) => normalizeEvent(e, 'callback')));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function fake(extra: Partial<FakeTwilioOptions> = {}): Promise<FakeTwilio> {
  const f = await startFakeTwilio({ accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: TOKEN, events, ...extra });
  closers.push(() => f.close());
  return f;
}

const limits = { defaultTimezone: 'UTC', maxQueryDays: 400 };
const twilio = (api: FakeTwilio) => ({ accountSid: ACCOUNT, workspaceSid: WORKSPACE, authToken: TOKEN, baseUrl: api.url });
const find = (rows: VerifyRow[], metric: string, queue: string | null) => rows.find((r) => r.metric === metric && r.queue === queue)!;

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('verify', () => {
  it('agrees with statistics computed from the same events, in-process and over HTTP', async () => {
    const api = await fake();
    const result = await verify({ source: engineSource(c.engine, limits), twilio: twilio(api), from: FROM, to: TO, tolerancePercent: 0 });
    const queues = [...new Set(events.map((e) => e.TaskQueueName).filter(Boolean))];
    const perQueue = COMPARISONS.filter((x) => x.scope !== 'workspace').length;
    const workspaceRows = COMPARISONS.filter((x) => x.scope !== 'queue').length;
    expect(result.rows).toHaveLength(workspaceRows + perQueue * queues.length);
    expect(result.rows.filter((r) => !r.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    // Not vacuous: real traffic in the window.
    expect(find(result.rows, 'tasks_handled', null).twilio).toBeGreaterThan(50);
    expect(find(result.rows, 'tasks_entered', 'Sales').twilio).toBeGreaterThan(10);
    expect(find(result.rows, 'avg_answer_time', null).twilio).toBeGreaterThan(0);

    const overHttp = await verify({ source: httpSource({ url: c.url }), twilio: twilio(api), from: FROM, to: TO, tolerancePercent: 0 });
    expect(overHttp.rows).toEqual(result.rows);
    process.stdout.write(`${formatTable(result.rows)}\n`);
  });

  it('fails when Twilio reports other numbers, and the table shows the difference', async () => {
    const api = await fake({
      alterStatistics: (scope, cumulative) => {
        if (scope.queueName === 'Sales') cumulative.tasks_canceled = (cumulative.tasks_canceled as number) + 3;
        if (scope.queueSid === null) cumulative.tasks_completed = (cumulative.tasks_completed as number) - 5;
      },
    });
    const result = await verify({ source: engineSource(c.engine, limits), twilio: twilio(api), from: FROM, to: TO, tolerancePercent: 1 });
    expect(result.ok).toBe(false);
    const bad = result.rows.filter((r) => !r.ok);
    expect(bad.map((r) => `${r.metric}/${r.queue}`).sort()).toEqual(['tasks_abandoned/Sales', 'tasks_completed/null']);
    expect(find(result.rows, 'tasks_abandoned', 'Sales').diff).toBe(-3);
    expect(find(result.rows, 'tasks_completed', null).diff).toBe(5);
    const table = formatTable(result.rows);
    const line = table.split('\n').find((l) => l.startsWith('tasks_completed') && l.includes('(workspace)'))!;
    expect(line).toMatch(/\+5\s+\S+\s+DIFF$/);
    expect(table.split('\n').filter((l) => l.endsWith('DIFF'))).toHaveLength(2);
    // A generous tolerance accepts the same differences.
    expect(
      (await verify({ source: engineSource(c.engine, limits), twilio: twilio(api), from: FROM, to: TO, tolerancePercent: 100 })).ok,
    ).toBe(true);
  });

  it('exits 0 when within tolerance and 1 when not (the CLI entry)', async () => {
    const env = {
      FLOORBOARD_DB: c.cfg.dbPath,
      FLOORBOARD_SLA: c.cfg.slaPath,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_WORKSPACE_SID: WORKSPACE,
      FLOORBOARD_LOG_LEVEL: 'silent',
    };
    const args = { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() };
    const good = await fake();
    const out = capture();
    expect(await runVerifyCommand({ ...args, apiUrl: good.url }, env, out.stream, capture().stream)).toBe(0);
    expect(out.text()).toMatch(/within 1%\n$/);

    const bad = await fake({ alterStatistics: (s, cum) => void (s.queueSid === null && (cum.tasks_created = 0)) });
    const out2 = capture();
    expect(await runVerifyCommand({ ...args, apiUrl: bad.url, url: c.url }, env, out2.stream, capture().stream)).toBe(1);
    expect(out2.text()).toMatch(/tasks_created .*DIFF/);
    expect(out2.text()).toMatch(/1 differ\n$/);

    const err = capture();
    expect(await runVerifyCommand({ since: 'soon' }, env, capture().stream, err.stream)).toBe(64);
    expect(err.text()).toMatch(/^floorboard: --since/);
    const { TWILIO_WORKSPACE_SID: _ws, ...noWorkspace } = env;
    expect(await runVerifyCommand(args, noWorkspace, capture().stream, capture().stream)).toBe(78);
  });
});
