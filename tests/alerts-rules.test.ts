// Alert rules: the file-provisioning structure Grafana loads, `promtool check rules` on their
// Prometheus rendering, and every rule's PromQL evaluated by a real Prometheus scraping real
// collectors fed with signed TaskRouter events: a series for the breaching queue, none for the healthy one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { loadSla, parseSla, SLA_METRICS, thresholdFor, type Sla } from '@floorboard/contract/sla';
import { postCallback, startTestCollector, type TestCollector } from '../collector/src/test-helpers/harness';
import { SALES_QUEUE, SUPPORT_QUEUE, taskEvent, workerEvent, workerFields, type Params } from '../collector/src/test-helpers/fixtures';
import { PROM } from '@floorboard/contract';
import { buildRules, CONTACT_POINT, prometheusRulesFile, PROMETHEUS_DATASOURCE, type BuiltRule } from '../provisioning/src/alerts';
import { GRAFANA_DIR } from '../provisioning/src/generate';

const ROOT = join(__dirname, '..');
const SLA_TEXT = readFileSync(join(ROOT, 'sla.yaml'), 'utf8');
const SLA = loadSla(join(ROOT, 'sla.yaml'));
const read = (file: string) => parseYaml(readFileSync(join(ROOT, GRAFANA_DIR, 'alerting', file), 'utf8')) as Record<string, unknown>;

interface FileQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  model: Record<string, unknown> & { refId: string; expr?: string; type?: string; expression?: string };
}
interface FileRule {
  uid: string;
  title: string;
  condition: string;
  data: FileQuery[];
  for: string;
  noDataState: string;
  execErrState: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RulesFile {
  apiVersion: number;
  groups: Array<{ orgId: number; name: string; folder: string; interval: string; rules: FileRule[] }>;
}

const temps: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'floorboard-alerts-'));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('rules.yaml (Grafana file provisioning)', () => {
  const file = read('rules.yaml') as unknown as RulesFile;
  const rules = file.groups.flatMap((g) => g.rules);

  it('has the provisioning structure Grafana reads', () => {
    expect(file.apiVersion).toBe(1);
    expect(file.groups.length).toBeGreaterThan(0);
    for (const g of file.groups) {
      expect(g).toMatchObject({ orgId: 1, folder: 'Floorboard' });
      expect(g.name).toMatch(/\S/);
      expect(g.interval).toMatch(/^\d+[smh]$/);
      expect(Object.keys(g).sort()).toEqual(['folder', 'interval', 'name', 'orgId', 'rules']);
    }
    const uids = rules.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const r of rules) {
      expect(r.uid, r.title).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(r.title).toMatch(/\S/);
      expect(r.data.map((d) => d.refId)).toContain(r.condition);
      expect(r.for).toMatch(/^\d+[smh]$/);
      expect(['OK', 'NoData', 'Alerting', 'KeepLast']).toContain(r.noDataState);
      expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(r.execErrState);
      // Grafana expands $VAR in titles and labels: a literal dollar must be doubled.
      for (const text of [r.title, ...Object.values(r.labels)]) expect(text.replace(/\$\$/g, '')).not.toContain('$');
      expect(r.labels).toMatchObject({ app: 'floorboard', severity: expect.any(String), metric: expect.any(String) });
      expect(r.annotations.summary).toMatch(/\{\{ .*\$values\.B\.Value.* \}\}/);
      expect(r.annotations.description).toMatch(/\S/);
      // Query A: Prometheus (evaluated server-side), never the browser-only Floorboard plugin.
      const [a, b, c] = r.data;
      expect(a).toMatchObject({ refId: 'A', datasourceUid: PROMETHEUS_DATASOURCE.uid, relativeTimeRange: { from: 600, to: 0 } });
      expect(a!.model).toMatchObject({ refId: 'A', instant: true, datasource: { type: 'prometheus', uid: PROMETHEUS_DATASOURCE.uid } });
      expect(typeof a!.model.expr).toBe('string');
      expect(b).toMatchObject({ refId: 'B', datasourceUid: '__expr__', model: { type: 'reduce', expression: 'A', reducer: 'last' } });
      expect(c).toMatchObject({ refId: 'C', datasourceUid: '__expr__', model: { type: 'threshold', expression: 'B' } });
      expect(JSON.stringify(r)).not.toContain('floorboard-taskrouter-datasource');
    }
  });

  it('covers every breachable metric: the default rule per queue excludes queues with their own rule', () => {
    const byKind = (uid: string) => rules.find((r) => r.uid === uid)!;
    const sl = thresholdFor(SLA, 'service_level', null)!;
    expect(byKind('floorboard-service-level-default').data[0]!.model.expr).toBe(`${PROM.serviceLevelPercent} <= ${sl.breach}`);
    expect(byKind('floorboard-longest-wait-default').data[0]!.model.expr).toBe(
      `${PROM.longestWaitSeconds}{queue!~"Sales"} >= ${thresholdFor(SLA, 'longest_wait', null)!.breach}`,
    );
    const sales = byKind('fb-longest-wait-Sales');
    expect(sales.data[0]!.model.expr).toBe(
      `${PROM.longestWaitSeconds}{queue="Sales"} >= ${thresholdFor(SLA, 'longest_wait', 'Sales')!.breach}`,
    );
    expect(sales.labels.queue).toBe('Sales');
    expect(byKind('floorboard-customers-waiting-default').data[0]!.model.expr).toBe(
      `${PROM.tasksWaiting} >= ${thresholdFor(SLA, 'tasks_waiting', null)!.breach}`,
    );
    expect(byKind('floorboard-abandon-rate-default').data[0]!.model.expr).toBe(
      `${PROM.abandonRatePercent} >= ${thresholdFor(SLA, 'abandon_rate', null)!.breach}`,
    );
    expect(byKind('floorboard-no-agent-default').data[0]!.model.expr).toContain(PROM.agentsAvailable);
    expect(byKind('floorboard-no-events').data[0]!.model.expr).toContain(`${PROM.lastEventAgeSeconds} >= ${SLA.noEventsMinutes * 60}`);
    // Every SLA metric with a threshold and a Prometheus gauge has a rule.
    const alerted = new Set(rules.map((r) => r.labels.metric));
    for (const m of Object.keys(SLA.thresholds)) if (m !== 'tasks_abandoned') expect(alerted, m).toContain(m);
    // Direction: "bad when low" fires at or below, the others at or above, as the collector's breach flag.
    for (const r of rules.filter((x) => (x.labels.metric ?? '') in SLA_METRICS && x.labels.metric !== 'agents_available')) {
      const op = SLA_METRICS[r.labels.metric as keyof typeof SLA_METRICS] === 'below' ? '<=' : '>=';
      expect(r.data[0]!.model.expr, r.uid).toContain(` ${op} `);
      const evaluator = (r.data[2]!.model.conditions as Array<{ evaluator: { type: string } }>)[0]!.evaluator.type;
      expect(evaluator).toBe(op === '<=' ? 'lte' : 'gte');
    }
  });

  it('escapes queue names in PromQL and uids', () => {
    const sla = parseSla(SLA_TEXT.replace('  Sales:', '  \'Sales "EU" (2nd) $x\':'));
    const r = buildRules(sla).find((b) => b.meta.kind === 'longest-wait' && b.meta.queue !== null)!;
    expect(r.meta.promql).toBe(`${PROM.longestWaitSeconds}{queue="Sales \\"EU\\" (2nd) $x"} >= 180`);
    expect(r.rule.uid).toMatch(/^fb-longest-wait-Sales-EU-2nd-x_[0-9a-f]{8}$/);
    expect(r.rule.labels!.queue).toBe('Sales "EU" (2nd) $$x');
    const d = buildRules(sla).find((b) => b.meta.kind === 'longest-wait' && b.meta.queue === null)!;
    expect(d.meta.promql).toBe(`${PROM.longestWaitSeconds}{queue!~"Sales \\"EU\\" \\\\(2nd\\\\) \\\\$x"} >= 120`);
  });

  it('contact point is a webhook from the environment; the policy routes Floorboard alerts to it', () => {
    const cp = read('contact-points.yaml') as {
      apiVersion: number;
      contactPoints: Array<{ orgId: number; name: string; receivers: Array<{ uid: string; type: string; settings: { url: string } }> }>;
    };
    expect(cp.apiVersion).toBe(1);
    expect(cp.contactPoints[0]).toMatchObject({ orgId: 1, name: CONTACT_POINT.name });
    expect(cp.contactPoints[0]!.receivers[0]).toMatchObject({
      uid: CONTACT_POINT.uid,
      type: 'webhook',
      settings: { url: '$FLOORBOARD_ALERT_WEBHOOK_URL' },
    });
    const pol = read('policies.yaml') as {
      apiVersion: number;
      policies: Array<{ orgId: number; receiver: string; routes: Array<{ receiver: string; object_matchers: string[][] }> }>;
    };
    expect(pol.apiVersion).toBe(1);
    const route = pol.policies[0]!.routes.find((r) => r.receiver === CONTACT_POINT.name)!;
    expect(route.object_matchers).toEqual([['app', '=', 'floorboard']]);
    const file = read('rules.yaml') as unknown as RulesFile;
    for (const r of file.groups.flatMap((g) => g.rules)) expect(r.labels.app).toBe('floorboard');
  });

  it('passes `promtool check rules` in Prometheus form', () => {
    const dir = temp();
    const path = join(dir, 'rules.yml');
    writeFileSync(path, stringify(prometheusRulesFile(SLA), { lineWidth: 0 }));
    const r = spawnSync('promtool', ['check', 'rules', path], { encoding: 'utf8' });
    expect(r.error, 'promtool is not installed (apt-get install -y prometheus)').toBeUndefined();
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// A real Prometheus scraping real collectors.

const PROMETHEUS = '/usr/bin/prometheus';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A zone in which it is around noon now, so "today" holds every event of the scenario. */
function noonZone(): string {
  const n = new Date().getUTCHours() - 12;
  return n === 0 ? 'Etc/UTC' : n > 0 ? `Etc/GMT+${n}` : `Etc/GMT-${-n}`;
}

interface Task {
  task: string;
  createdMs: number;
  queueSid: string;
}
let taskCounter = 0;
const newTask = (queueSid: string, createdMs: number): Task => ({
  task: 'WT' + (++taskCounter).toString(16).padStart(32, '0'),
  createdMs,
  queueSid,
});
const queued = (t: Task) => [taskEvent('task.created', t.createdMs, t), taskEvent('task-queue.entered', t.createdMs + 100, t)];
function handled(t: Task, waitS: number): Params[] {
  const accepted = t.createdMs + waitS * 1000;
  const res = { ReservationSid: 'WR' + t.task.slice(2), ...workerFields('Available') };
  return [
    ...queued(t),
    taskEvent('reservation.created', accepted - 1000, t, { ...res, TaskAssignmentStatus: 'reserved' }),
    taskEvent('reservation.accepted', accepted, t, { ...res, TaskAssignmentStatus: 'assigned' }),
    taskEvent('task.wrapup', accepted + 60_000, t, { TaskAssignmentStatus: 'wrapping' }),
    taskEvent('task.completed', accepted + 70_000, t, { TaskAssignmentStatus: 'completed', TaskCompletedReason: 'done' }),
  ];
}
const abandoned = (t: Task, waitS: number) => [
  ...queued(t),
  taskEvent('task.canceled', t.createdMs + waitS * 1000, t, { TaskAssignmentStatus: 'canceled', TaskCanceledReason: 'hangup' }),
];

/**
 * Support breaches everything: 11 waiting (oldest 200 s), no agent matches it, answers took 90 s,
 * 2 of 5 hung up. Sales is healthy (one caller waiting 150 s, answered in 5 s, an available agent)
 * but its own longest-wait number in this test's SLA copy is 140 s.
 */
function scenario(now: number): Params[] {
  const events: Params[] = [workerEvent('worker.created', now - 3_600_000, 'Available')];
  for (let i = 0; i < 3; i++) events.push(...handled(newTask(SALES_QUEUE, now - 900_000 + i * 10_000), 5));
  events.push(...queued(newTask(SALES_QUEUE, now - 150_000)));
  for (let i = 0; i < 3; i++) events.push(...handled(newTask(SUPPORT_QUEUE, now - 600_000 + i * 10_000), 90));
  for (let i = 0; i < 2; i++) events.push(...abandoned(newTask(SUPPORT_QUEUE, now - 500_000 + i * 10_000), 30));
  for (let i = 0; i < 11; i++) events.push(...queued(newTask(SUPPORT_QUEUE, now - 200_000 + i * 1000)));
  return events;
}

const TEST_SLA = SLA_TEXT.replace('longest_wait: { warn: 90, breach: 180 }', 'longest_wait: { warn: 90, breach: 140 }');

describe('each rule against a real Prometheus and collector', () => {
  let busy: TestCollector | undefined;
  let empty: TestCollector | undefined;
  let prom: ChildProcess | undefined;
  let promLog = '';
  let promUrl = '';
  let rules: BuiltRule[] = [];
  let sla: Sla;

  beforeAll(async () => {
    expect(existsSync(PROMETHEUS), 'Prometheus is not installed (apt-get install -y prometheus)').toBe(true);
    sla = parseSla(TEST_SLA);
    expect(thresholdFor(sla, 'longest_wait', 'Sales')!.breach).toBe(140);
    rules = buildRules(sla);
    const env = { FLOORBOARD_TZ: noonZone() };
    for (const which of ['busy', 'empty'] as const) {
      const dir = temp();
      writeFileSync(join(dir, 'sla.yaml'), TEST_SLA);
      const c = await startTestCollector(env, dir);
      if (which === 'busy') busy = c;
      else empty = c;
    }
    for (const p of scenario(Date.now())) {
      const res = await postCallback(busy!.url, p);
      expect(res.status, `${p.EventType}: ${await res.text()}`).toBe(204);
    }
    const metrics = await (await fetch(`${busy!.url}/metrics`)).text();
    expect(metrics, 'the collector serves no Prometheus metrics at /metrics').toContain(PROM.tasksWaiting);

    const port = await freePort();
    const dir = temp();
    const target = (c: TestCollector) => c.url.replace(/^https?:\/\//, '');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          { job_name: 'busy', static_configs: [{ targets: [target(busy!)] }] },
          { job_name: 'empty', static_configs: [{ targets: [target(empty!)] }] },
        ],
      }),
    );
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prom.stdout!.on('data', (b: Buffer) => (promLog += b.toString()));
    prom.stderr!.on('data', (b: Buffer) => (promLog += b.toString()));
    promUrl = `http://127.0.0.1:${port}`;
    // Both targets scraped at least once.
    await until(async () => (await query('up == 1')).length === 2 && (await query(PROM.lastEventAgeSeconds)).length === 2, 30_000);
  }, 90_000);

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((resolve) => prom!.once('exit', resolve));
      prom.kill('SIGTERM');
      await exited;
    }
    await busy?.dispose();
    await empty?.dispose();
  });

  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`Prometheus rejected ${promql}: ${body.error}`);
    return body.data!.result;
  }

  async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        if (await check()) return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`timed out; Prometheus said:\n${promLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const rule = (kind: string, queue: string | null = null) => {
    const r = rules.find((x) => x.meta.kind === kind && x.meta.queue === queue);
    if (!r) throw new Error(`no ${kind} rule for ${queue ?? 'the default'}`);
    return r;
  };
  const queuesOf = async (r: BuiltRule) =>
    (await query(r.meta.promql))
      .filter((s) => s.metric.job === 'busy')
      .map((s) => s.metric.queue)
      .sort();

  /** [rule kind, queue of the rule (null: default), queues it must fire for on the busy collector] */
  const CASES: Array<[string, string | null, string[]]> = [
    ['service-level', null, ['Support']],
    ['longest-wait', null, ['Support']],
    ['longest-wait', 'Sales', ['Sales']],
    ['customers-waiting', null, ['Support']],
    ['abandon-rate', null, ['Support']],
    ['avg-wait', null, ['Support']],
    ['no-agent', null, ['Support']],
    // Support: 16 tasks entered in 30 min at a 70 s handle time need 2 agents, none serves it; Sales needs 1 and has alice.
    ['staffing-gap', null, ['Support']],
  ];

  it.each(CASES)('%s (%s) fires for exactly %j', async (kind, queue, firing) => {
    const r = rule(kind, queue);
    await until(async () => (await queuesOf(r)).join() === firing.join(), 15_000).catch(async () => {
      throw new Error(`${r.meta.promql} gave ${JSON.stringify(await queuesOf(r))}, wanted ${JSON.stringify(firing)}`);
    });
    // Grafana's last step agrees: the reduced value passes the threshold condition.
    const values = (await query(r.meta.promql)).filter((s) => s.metric.job === 'busy').map((s) => Number(s.value[1]));
    const cond = (r.rule.data[2]!.model as unknown as { conditions: Array<{ evaluator: { type: string; params: number[] } }> })
      .conditions[0]!.evaluator;
    for (const v of values) {
      const ok = cond.type === 'gte' ? v >= cond.params[0]! : cond.type === 'lte' ? v <= cond.params[0]! : v > cond.params[0]!;
      expect(ok, `${v} ${cond.type} ${cond.params[0]}`).toBe(true);
    }
  });

  it('the default longest-wait rule leaves Sales to its own rule (150 s is past the default 120 s)', async () => {
    const age = await query(`${PROM.longestWaitSeconds}{job="busy",queue="Sales"}`);
    expect(Number(age[0]!.value[1])).toBeGreaterThanOrEqual(thresholdFor(sla, 'longest_wait', null)!.breach);
    expect(await queuesOf(rule('longest-wait', null))).not.toContain('Sales');
  });

  it('no events: fires for a collector that never received one, not for a busy one', async () => {
    const r = rule('no-events');
    const jobs = (await query(r.meta.promql)).map((s) => s.metric.job);
    expect(jobs).toEqual(['empty']);
    // Without the series at all (collector gone), `absent` keeps the rule firing.
    expect((await query(r.meta.promql.replaceAll(PROM.lastEventAgeSeconds, 'floorboard_no_such_series'))).length).toBe(1);
  });
});
