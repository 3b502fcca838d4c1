// Grafana alert rules from the SLA file, evaluated server-side on the collector's Prometheus series
// (never on the frontend-only Floorboard plugin), plus the webhook contact point and the policy that
// routes Floorboard alerts to it. Rules are built with the foundation SDK (HTTP-API shape) and mapped
// to Grafana's file-provisioning format (`apiVersion: 1`, `groups[].rules[]`).
import { createHash } from 'node:crypto';
import {
  serviceLevelFormulaText,
  serviceLevelSeconds,
  serviceLevelTargetPercent,
  SLA_METRICS,
  thresholdFor,
  type Sla,
  type SlaMetric,
  type Threshold,
} from '@floorboard/contract/sla';
import { PROM } from '@floorboard/contract';
import { alerting, expr, prometheus } from './sdk';

export const PROMETHEUS_DATASOURCE = { uid: 'floorboard-prometheus', type: 'prometheus', name: 'Floorboard Prometheus' } as const;
export const ALERT_FOLDER = 'Floorboard';
export const CONTACT_POINT = { name: 'Floorboard webhook', uid: 'floorboard-webhook', urlEnv: 'FLOORBOARD_ALERT_WEBHOOK_URL' } as const;
/** Every Floorboard rule carries this label; the notification policy routes on it. */
export const APP_LABEL = { name: 'app', value: 'floorboard' } as const;
export const SLA_GROUP = 'Floorboard SLA';
export const COLLECTOR_GROUP = 'Floorboard collector';

const EXPR_DS = { type: '__expr__', uid: '__expr__' };

type Evaluator = 'gte' | 'lte' | 'gt';

/** One kind of SLA alert: which SLA number drives it and how it reads. */
interface BreachKind {
  /** Short key for rule uids. */
  key: string;
  /** The SLA metric whose `breach` number is the threshold. */
  metric: SlaMetric;
  /** The `metric` label on the alert. */
  label: string;
  /** PromQL that returns one series per queue in breach (and nothing otherwise). */
  expr(matcher: string, breach: number): string;
  /** Grafana's final check on the reduced value. */
  evaluator(breach: number): { type: Evaluator; value: number };
  title(breach: number, scope: string): string;
  summary: string;
  description(sla: Sla, t: Threshold, queue: string | null): string;
  /** How long the condition must hold before the alert fires (Grafana duration), fixed or from the SLA file. */
  for: string | ((sla: Sla) => string);
}

const selector = (series: string, matcher: string) => (matcher === '' ? series : `${series}{${matcher}}`);
const cmp = (dir: 'above' | 'below') => (dir === 'above' ? '>=' : '<=');
const VALUE = '{{ printf "%.0f" $values.B.Value }}';
const QUEUE = '{{ $labels.queue }}';

function gauge(
  key: string,
  metric: SlaMetric,
  series: string,
  what: string,
  unit: string,
  forDuration: BreachKind['for'],
  explain: (sla: Sla, queue: string | null) => string,
): BreachKind {
  const dir = SLA_METRICS[metric];
  const word = dir === 'above' ? 'at or above' : 'at or below';
  return {
    key,
    metric,
    label: metric,
    expr: (m, b) => `${selector(series, m)} ${cmp(dir)} ${b}`,
    evaluator: (b) => ({ type: dir === 'above' ? 'gte' : 'lte', value: b }),
    title: (b, scope) => `${what} ${word} ${b}${unit} (${scope})`,
    summary: `${what} in ${QUEUE} is ${VALUE}${unit}`,
    description: (sla, t, queue) =>
      `${explain(sla, queue)} Red (breach) ${word} ${t.breach}${unit}, amber ${word} ${t.warn}${unit}, from sla.yaml${queue === null ? '' : ` for ${queue}`}.`,
    for: forDuration,
  };
}

export const BREACH_KINDS: readonly BreachKind[] = [
  gauge(
    'service-level',
    'service_level',
    PROM.serviceLevelPercent,
    'Service level',
    '%',
    '5m',
    (sla, q) => `${serviceLevelFormulaText(sla, q)} Over the last ${sla.serviceLevelWindowMinutes} minutes.`,
  ),
  gauge(
    'longest-wait',
    'longest_wait',
    PROM.longestWaitSeconds,
    'Longest wait',
    ' s',
    '1m',
    () => 'Age of the oldest customer still waiting in the queue.',
  ),
  gauge(
    'customers-waiting',
    'tasks_waiting',
    PROM.tasksWaiting,
    'Customers waiting',
    '',
    '2m',
    () => 'Tasks in the queue not yet accepted, canceled or completed.',
  ),
  gauge(
    'abandon-rate',
    'abandon_rate',
    PROM.abandonRatePercent,
    'Abandon rate',
    '%',
    '5m',
    (sla) => `Abandoned as a share of handled plus abandoned, over the last ${sla.serviceLevelWindowMinutes} minutes.`,
  ),
  gauge(
    'avg-wait',
    'avg_wait',
    PROM.avgWaitSeconds,
    'Average waiting time today',
    ' s',
    '5m',
    () => 'Average time customers waited today before being answered or hanging up.',
  ),
  gauge(
    'staffing-gap',
    'staffing_gap',
    PROM.staffingGap,
    'Staffing gap',
    ' agents',
    (sla) => `${sla.staffing.gapAlertMinutes}m`,
    (sla, q) =>
      `Agents required (Erlang C: tasks entering over the last ${sla.staffing.arrivalWindowMinutes} minutes, handle time over the last ${sla.staffing.ahtWindowMinutes} minutes, ${serviceLevelTargetPercent(sla, q)} % within ${serviceLevelSeconds(sla, q)} s) minus agents available; alerts after ${sla.staffing.gapAlertMinutes} minutes short (staffing.gapAlertMinutes).`,
  ),
  {
    key: 'no-agent',
    metric: 'agents_available',
    label: 'agents_available',
    expr: (m, b) => `(${selector(PROM.tasksWaiting, m)} > 0) and on (queue) (${selector(PROM.agentsAvailable, m)} <= ${b})`,
    evaluator: () => ({ type: 'gt', value: 0 }),
    title: (b, scope) =>
      b === 0 ? `No agent available while customers wait (${scope})` : `At most ${b} agents available while customers wait (${scope})`,
    summary: `${VALUE} customers waiting in ${QUEUE} and no agent free to answer`,
    description: (_sla, t, queue) =>
      `Customers are waiting while ${t.breach === 0 ? 'no agent' : `at most ${t.breach} agents`} matching the queue's target expression ${t.breach === 1 ? 'is' : 'are'} available (red at or below ${t.breach}, amber at or below ${t.warn} available agents, from sla.yaml${queue === null ? '' : ` for ${queue}`}).`,
    for: '1m',
  },
];

/** PromQL string literal. */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** RE2 pattern matching exactly one of `names`. */
export function re2Alternation(names: readonly string[]): string {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Grafana interpolates `$VAR` in provisioned titles and labels; `$$` keeps a literal dollar. */
const literal = (s: string) => s.replace(/\$/g, '$$$$');

/**
 * Grafana's rule for alert rule uids (pkg/util/shortid_generator.go: `MaxUIDLength = 40`, "Only
 * letters, numbers, '-' and '_' are allowed"). One rule that breaks it aborts all alerting
 * provisioning, so the generator refuses to write one.
 */
export const GRAFANA_UID = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_UID_LENGTH = 40;
const HASH_LENGTH = 8;
/** Grafana's `AlertRuleMaxTitleLength` (pkg/services/ngalert/store): bytes, as Go's len() counts. */
export const MAX_TITLE_BYTES = 190;

const shortHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);

/**
 * A rule title Grafana accepts: as is when it fits in 190 bytes, else cut (whole characters) and
 * ended with `… [hash]` of the full title, so two long titles stay distinct.
 */
export function fitTitle(title: string): string {
  if (Buffer.byteLength(title, 'utf8') <= MAX_TITLE_BYTES) return title;
  const tail = `… [${shortHash(title)}]`;
  const chars = [...title];
  while (Buffer.byteLength(chars.join('') + tail, 'utf8') > MAX_TITLE_BYTES) chars.pop();
  return chars.join('').trimEnd() + tail;
}

/**
 * The uid of a rule: `floorboard-<kind>-default` for the rule over every queue; for a queue with a
 * rule of its own, `fb-<kind>-<queue>` when the name is letters, digits and '-' and fits, else
 * `fb-<kind>-<readable>_<hash>`: the name's letters, digits and '-' (accents dropped) cut to fit,
 * then the first 8 hex digits of the name's SHA-256. Only hashed uids contain '_', so the two forms
 * never meet, and the hash tells apart names that share a readable part. The same name always
 * gives the same uid, so regenerating never orphans a rule.
 */
export function ruleUid(kind: string, queue: string | null): string {
  if (queue === null) return `floorboard-${kind}-default`;
  const prefix = `fb-${kind}-`;
  if (/^[A-Za-z0-9-]+$/.test(queue) && prefix.length + queue.length <= MAX_UID_LENGTH) return prefix + queue;
  const hash = shortHash(queue);
  const readable = queue
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  const room = MAX_UID_LENGTH - prefix.length - 1 - HASH_LENGTH;
  return `${prefix}${readable.slice(0, room).replace(/-$/, '')}_${hash}`;
}

/**
 * Fails generation on a rule Grafana would refuse (uid or title), or on two rules sharing a uid or
 * a title, naming the queues involved.
 */
export function checkRules(rules: BuiltRule[]): void {
  const uids = new Map<string, BuiltRule>();
  const titles = new Map<string, BuiltRule>();
  const who = (b: BuiltRule) => (b.meta.queue === null ? 'the default rule' : `queue "${b.meta.queue}"`);
  for (const b of rules) {
    const uid = b.rule.uid ?? '';
    if (!GRAFANA_UID.test(uid))
      throw new Error(`alert rule uid "${uid}" (${b.rule.title}) is not one Grafana accepts: at most 40 of A-Z a-z 0-9 - _`);
    if (Buffer.byteLength(b.rule.title, 'utf8') > MAX_TITLE_BYTES)
      throw new Error(`alert rule title "${b.rule.title}" is longer than Grafana's ${MAX_TITLE_BYTES} bytes`);
    const sameUid = uids.get(uid);
    if (sameUid)
      throw new Error(`alert rules for ${who(sameUid)} and ${who(b)} would share uid "${uid}": rename one of the queues in sla.yaml`);
    const sameTitle = titles.get(b.rule.title);
    if (sameTitle)
      throw new Error(
        `alert rules for ${who(sameTitle)} and ${who(b)} would share the title "${b.rule.title}": rename one of the queues in sla.yaml`,
      );
    uids.set(uid, b);
    titles.set(b.rule.title, b);
  }
}

/** Queues that override `metric`'s threshold, sorted. */
export function overridingQueues(sla: Sla, metric: SlaMetric): string[] {
  return Object.entries(sla.queues)
    .filter(([, o]) => o.thresholds?.[metric] !== undefined)
    .map(([q]) => q)
    .sort();
}

function queries(promql: string, evaluator: { type: Evaluator; value: number }): alerting.QueryBuilder[] {
  return [
    new alerting.QueryBuilder('A')
      .datasourceUid(PROMETHEUS_DATASOURCE.uid)
      .relativeTimeRange({ from: 600, to: 0 })
      .model(
        new prometheus.DataqueryBuilder()
          .datasource({ type: PROMETHEUS_DATASOURCE.type, uid: PROMETHEUS_DATASOURCE.uid })
          .expr(promql)
          .instant()
          .legendFormat('{{queue}}')
          .intervalMs(15000)
          .maxDataPoints(43200)
          .refId('A'),
      ),
    new alerting.QueryBuilder('B')
      .datasourceUid(EXPR_DS.uid)
      .relativeTimeRange({ from: 0, to: 0 })
      .model(new expr.TypeReduceBuilder().datasource(EXPR_DS).expression('A').reducer('last').settings({ mode: 'dropNN' }).refId('B')),
    new alerting.QueryBuilder('C')
      .datasourceUid(EXPR_DS.uid)
      .relativeTimeRange({ from: 0, to: 0 })
      .model(
        new expr.TypeThresholdBuilder()
          .datasource(EXPR_DS)
          .expression('B')
          .conditions([{ evaluator: { type: evaluator.type, params: [evaluator.value] } }])
          .refId('C'),
      ),
  ];
}

export interface RuleMeta {
  /** The PromQL of query A: returns a series exactly when the rule is breached. */
  promql: string;
  /** Queue the rule is for; null for the multi-dimensional default rule (or no queue at all). */
  queue: string | null;
  /** The default rule's excluded queues (they have their own rule). */
  excludes: string[];
  kind: string;
  group: string;
}

export interface BuiltRule {
  rule: alerting.Rule;
  meta: RuleMeta;
}

function breachRules(sla: Sla): BuiltRule[] {
  const out: BuiltRule[] = [];
  for (const kind of BREACH_KINDS) {
    const own = overridingQueues(sla, kind.metric);
    const scopes: Array<{ queue: string | null; matcher: string; t: Threshold | undefined }> = [
      { queue: null, matcher: own.length > 0 ? `queue!~${promString(re2Alternation(own))}` : '', t: thresholdFor(sla, kind.metric, null) },
      ...own.map((q) => ({ queue: q, matcher: `queue=${promString(q)}`, t: thresholdFor(sla, kind.metric, q) })),
    ];
    for (const s of scopes) {
      if (!s.t) continue;
      const promql = kind.expr(s.matcher, s.t.breach);
      const scope = s.queue === null ? (own.length > 0 ? `each queue except ${own.join(', ')}` : 'each queue') : s.queue;
      const labels: Record<string, string> = { [APP_LABEL.name]: APP_LABEL.value, severity: 'critical', metric: kind.label };
      if (s.queue !== null) labels.queue = literal(s.queue);
      const rule = new alerting.RuleBuilder(fitTitle(literal(kind.title(s.t.breach, scope))))
        .uid(ruleUid(kind.key, s.queue))
        .condition('C')
        .queries(queries(promql, kind.evaluator(s.t.breach)))
        .forDuration(typeof kind.for === 'string' ? kind.for : kind.for(sla))
        .noDataState('OK')
        .execErrState('Error')
        .labels(labels)
        .annotations({ summary: kind.summary, description: kind.description(sla, s.t, s.queue) })
        .build();
      out.push({ rule, meta: { promql, queue: s.queue, excludes: s.queue === null ? own : [], kind: kind.key, group: SLA_GROUP } });
    }
  }
  return out;
}

function noEventsRule(sla: Sla): BuiltRule {
  const seconds = sla.noEventsMinutes * 60;
  // Without the series (collector down or not scraped) `absent` stands in with a huge age.
  const promql = `${PROM.lastEventAgeSeconds} >= ${seconds} or absent(${PROM.lastEventAgeSeconds}) * 1e9`;
  const rule = new alerting.RuleBuilder(`No TaskRouter events for ${sla.noEventsMinutes} minutes`)
    .uid('floorboard-no-events')
    .condition('C')
    .queries(queries(promql, { type: 'gte', value: seconds }))
    .forDuration('1m')
    .noDataState('OK')
    .execErrState('Error')
    .labels({ [APP_LABEL.name]: APP_LABEL.value, severity: 'critical', metric: 'last_event_age' })
    .annotations({
      summary: 'No TaskRouter event for {{ humanizeDuration $values.B.Value }}',
      description: `The collector has stored no TaskRouter event for ${sla.noEventsMinutes} minutes (noEventsMinutes in sla.yaml), or Prometheus cannot scrape it. Check the workspace's Event Callback URL or Event Streams sink, and the collector's /api/health.`,
    })
    .build();
  return { rule, meta: { promql, queue: null, excludes: [], kind: 'no-events', group: COLLECTOR_GROUP } };
}

export function buildRules(sla: Sla): BuiltRule[] {
  const rules = [...breachRules(sla), noEventsRule(sla)];
  checkRules(rules);
  return rules;
}

// ---------------------------------------------------------------------------------------------
// File-provisioning shapes.

export interface FileRule {
  uid: string;
  title: string;
  condition: string;
  data: alerting.Query[];
  noDataState: alerting.Rule['noDataState'];
  execErrState: alerting.Rule['execErrState'];
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  isPaused: boolean;
}

export interface RulesFile {
  apiVersion: 1;
  groups: Array<{ orgId: number; name: string; folder: string; interval: string; rules: FileRule[] }>;
}

/** SDK rule (HTTP-API shape: folderUID, ruleGroup, orgID) -> file-provisioning rule. */
export function toFileRule(r: alerting.Rule): FileRule {
  if (!r.uid) throw new Error(`rule "${r.title}" has no uid`);
  return {
    uid: r.uid,
    title: r.title,
    condition: r.condition,
    data: JSON.parse(JSON.stringify(r.data)) as alerting.Query[],
    noDataState: r.noDataState,
    execErrState: r.execErrState,
    for: r.for,
    labels: r.labels ?? {},
    annotations: r.annotations ?? {},
    isPaused: r.isPaused ?? false,
  };
}

const GROUP_INTERVAL: Record<string, string> = { [SLA_GROUP]: '30s', [COLLECTOR_GROUP]: '60s' };

export function rulesFile(sla: Sla): RulesFile {
  const built = buildRules(sla);
  return {
    apiVersion: 1,
    groups: [SLA_GROUP, COLLECTOR_GROUP].map((name) => ({
      orgId: 1,
      name,
      folder: ALERT_FOLDER,
      interval: GROUP_INTERVAL[name]!,
      rules: built.filter((b) => b.meta.group === name).map((b) => toFileRule(b.rule)),
    })),
  };
}

export function contactPointsFile(): object {
  const cp = new alerting.ContactPointBuilder()
    .name(CONTACT_POINT.name)
    .uid(CONTACT_POINT.uid)
    .type('webhook')
    .settings({ url: `$${CONTACT_POINT.urlEnv}`, httpMethod: 'POST' })
    .disableResolveMessage(false)
    .build();
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: cp.name,
        receivers: [{ uid: cp.uid, type: cp.type, disableResolveMessage: cp.disableResolveMessage, settings: cp.settings }],
      },
    ],
  };
}

/**
 * The org's policy tree (file provisioning replaces it whole): Grafana's default receiver at the
 * root, and a route sending every `app=floorboard` alert to the webhook, grouped per rule and queue.
 */
export function policiesFile(): object {
  const tree = new alerting.NotificationPolicyBuilder()
    .receiver('grafana-default-email')
    .groupBy(['grafana_folder', 'alertname'])
    .routes([
      new alerting.NotificationPolicyBuilder()
        .receiver(CONTACT_POINT.name)
        .objectMatchers([[APP_LABEL.name, '=', APP_LABEL.value]])
        .groupBy(['alertname', 'queue'])
        .groupWait('30s')
        .groupInterval('5m')
        .repeatInterval('4h')
        .continueVal(false),
    ])
    .build();
  return { apiVersion: 1, policies: [{ orgId: 1, ...tree }] };
}

/**
 * The same rules in Prometheus' own rule-file format, for `promtool check rules` and for reading:
 * Grafana's `$values.B.Value` becomes Prometheus' `$value`.
 */
export function prometheusRulesFile(sla: Sla): object {
  const built = buildRules(sla);
  return {
    groups: [SLA_GROUP, COLLECTOR_GROUP].map((name) => ({
      name,
      interval: GROUP_INTERVAL[name],
      rules: built
        .filter((b) => b.meta.group === name)
        .map((b) => ({
          alert: b.rule.uid,
          expr: b.meta.promql,
          for: b.rule.for,
          labels: Object.fromEntries(Object.entries(b.rule.labels ?? {}).map(([k, v]) => [k, v.replace(/\$\$/g, '$')])),
          annotations: Object.fromEntries(
            Object.entries(b.rule.annotations ?? {}).map(([k, v]) => [k, v.replace(/\$values\.B\.Value/g, '$value')]),
          ),
        })),
    })),
  };
}
