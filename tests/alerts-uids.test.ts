// Alert rule uids for any queue name: Grafana refuses a rule uid over 40 characters or outside
// [A-Za-z0-9_-] (pkg/util/shortid_generator.go), and one refused rule aborts all alerting
// provisioning. An SLA file with per-queue overrides for long, non-ASCII and look-alike queue
// names is provisioned through the real command; every uid must pass Grafana's rule, be unique,
// and come out the same on every run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { loadSla } from '@floorboard/contract/sla';
import { buildRules, checkRules, fitTitle, GRAFANA_UID, MAX_TITLE_BYTES, ruleUid } from '../provisioning/src/alerts';
import { GRAFANA_DIR } from '../provisioning/src/generate';

const ROOT = join(__dirname, '..');

const QUEUES = [
  'RetentionPremium', // the example: 12+ characters broke `floorboard-customers-waiting-…`
  'Sales',
  'default', // must not take the uid of the rule over every queue
  'Premium Support EMEA North',
  'Premium Support EMEA South', // same readable start as the one above
  'Premium-Support-EMEA-North-Enterprise-Accounts-Tier1',
  'Premium-Support-EMEA-North-Enterprise-Accounts-Tier2',
  'vip_line', // '_' is uid-safe, yet only hashed uids may carry it
  'Café Support',
  'Cafe Support', // the accent-free look-alike
  'Поддержка',
  '客服热线',
  'Sales "EU" (2nd) $x',
  'a'.repeat(120),
];

/** Every breachable metric overridden per queue, so each queue gets a rule of every kind. */
function slaWithQueues(): string {
  const base = parseYaml(readFileSync(join(ROOT, 'sla.yaml'), 'utf8')) as Record<string, unknown>;
  const thresholds = base.thresholds as Record<string, { warn: number; breach: number }>;
  base.queues = Object.fromEntries(QUEUES.map((q) => [q, { thresholds }]));
  return stringify(base);
}

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface RulesFile {
  groups: Array<{ rules: Array<{ uid: string; labels: Record<string, string> }> }>;
}

/** `npm run provision -- --sla FILE --out DIR`, as a user runs it; returns the rules it wrote. */
function provision(slaFile: string): { status: number | null; stderr: string; rules: RulesFile['groups'][number]['rules'] } {
  const out = mkdtempSync(join(tmpdir(), 'floorboard-uids-out-'));
  temps.push(out);
  const r = spawnSync('npx', ['vite-node', 'provisioning/src/cli.ts', '--sla', slaFile, '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FLOORBOARD_SLA: '' },
  });
  const rules =
    r.status === 0
      ? (parseYaml(readFileSync(join(out, GRAFANA_DIR, 'alerting', 'rules.yaml'), 'utf8')) as RulesFile).groups.flatMap((g) => g.rules)
      : [];
  return { status: r.status, stderr: r.stderr, rules };
}

describe('alert rule uids', () => {
  const dir = mkdtempSync(join(tmpdir(), 'floorboard-uids-'));
  temps.push(dir);
  const slaFile = join(dir, 'sla.yaml');
  writeFileSync(slaFile, slaWithQueues());

  it("provisioning succeeds for any queue name and every uid passes Grafana's rule, once each", () => {
    const first = provision(slaFile);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const uids = first.rules.map((r) => r.uid);
    // A rule per breach kind for the defaults and for each queue, plus "no events".
    const kinds = buildRules(loadSla(slaFile)).filter((b) => b.meta.queue === null && b.meta.kind !== 'no-events').length;
    expect(uids).toHaveLength(kinds * (QUEUES.length + 1) + 1);
    for (const uid of uids) expect(uid).toMatch(GRAFANA_UID);
    expect(new Set(uids).size).toBe(uids.length);
    // Each queue's rules carry its name, whatever its uid became.
    for (const q of QUEUES) expect(first.rules.filter((r) => r.labels.queue === q.replace(/\$/g, '$$$$'))).toHaveLength(kinds);

    const again = provision(slaFile);
    expect(again.rules.map((r) => r.uid)).toEqual(uids);
  }, 60_000);

  it('keeps a readable name when it fits, and a hash where names would collide or cannot be spelled', () => {
    expect(ruleUid('customers-waiting', 'RetentionPremium')).toBe('fb-customers-waiting-RetentionPremium');
    expect(ruleUid('no-agent', null)).toBe('floorboard-no-agent-default');
    expect(ruleUid('no-agent', 'default')).toBe('fb-no-agent-default');
    const north = ruleUid('customers-waiting', 'Premium Support EMEA North');
    const south = ruleUid('customers-waiting', 'Premium Support EMEA South');
    expect(north).toMatch(/^fb-customers-waiting-Premium-Su_[0-9a-f]{8}$/);
    expect(south).not.toBe(north);
    expect(ruleUid('avg-wait', 'Café Support')).toMatch(/^fb-avg-wait-Cafe-Support_[0-9a-f]{8}$/);
    expect(ruleUid('avg-wait', 'Café Support')).not.toBe(ruleUid('avg-wait', 'Cafe Support'));
    expect(ruleUid('avg-wait', '客服热线')).toMatch(/^fb-avg-wait-_[0-9a-f]{8}$/);
  });

  it("keeps every title within Grafana's 190 bytes and distinct, however long the queue names", () => {
    const rules = buildRules(loadSla(slaFile));
    for (const r of rules) expect(Buffer.byteLength(r.rule.title, 'utf8')).toBeLessThanOrEqual(MAX_TITLE_BYTES);
    expect(new Set(rules.map((r) => r.rule.title)).size).toBe(rules.length);
    const long = fitTitle(`Customers waiting at or above 10 (${'Поддержка '.repeat(30)})`);
    expect(long).toMatch(/^Customers waiting at or above 10 \(Поддержка .*… \[[0-9a-f]{8}\]$/);
    expect(fitTitle('Customers waiting at or above 10 (Sales)')).toBe('Customers waiting at or above 10 (Sales)');
  });

  it('refuses two rules that would share a uid or a title, naming both queues', () => {
    const [rule] = buildRules(loadSla(slaFile)).filter((b) => b.meta.queue === 'Sales');
    const twin = { ...rule!, meta: { ...rule!.meta, queue: 'Sales (copy)' } };
    expect(() => checkRules([rule!, twin])).toThrow(
      `alert rules for queue "Sales" and queue "Sales (copy)" would share uid "${rule!.rule.uid}"`,
    );
    const sameTitle = { ...twin, rule: { ...twin.rule, uid: 'fb-other' } };
    expect(() => checkRules([rule!, sameTitle])).toThrow(/would share the title/);
    const bad = { ...rule!, rule: { ...rule!.rule, uid: 'x'.repeat(41) } };
    expect(() => checkRules([bad])).toThrow(/is not one Grafana accepts/);
  });
});
