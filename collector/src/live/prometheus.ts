// The Prometheus exposition (prom-client, a registry per collector — no globals) that GET /metrics
// serves. Gauges are read from the live snapshot and a rolling window at scrape time; counters and
// the wait histogram follow each commit; ingest counters come from the webhook layer.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestCounters } from '../ingest/counters';
import { timeAxis } from '../metrics/axis';
import { SAMPLE_KIND_ID as K, type SampleRow } from '../store/facts';
import { addAgg, FlowData, type Agg } from '../store/flow';
import { abandonRate as abandonRatePercent, OUTCOME_KINDS, outcomeCounts, serviceLevelOfQueues } from '../metrics/formulas';
import type { LiveHub } from './hub';
import type { MetricsProjection } from '../metrics/projection';
import { Zone } from '../metrics/time';
import { queuesOf, SLA_METRICS, thresholdFor, type Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import type { EventLog } from '../store/events';
import { BREACH_LEVELS, PROM, SNAPSHOT_METRICS } from '@floorboard/contract';
import type { QuarantineLog } from '../store/quarantine';

const BASE_WAIT_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200];

/** Wait-histogram edges: the usual ones plus every SLA threshold that is a number of seconds. */
export function waitBuckets(sla: Sla): number[] {
  const edges = new Set(BASE_WAIT_BUCKETS);
  edges.add(sla.serviceLevelSeconds);
  edges.add(sla.shortAbandonSeconds);
  for (const q of Object.values(sla.queues)) {
    if (q.serviceLevelSeconds) edges.add(q.serviceLevelSeconds);
    if (q.shortAbandonSeconds) edges.add(q.shortAbandonSeconds);
  }
  for (const queue of [null, ...Object.keys(sla.queues)])
    for (const m of ['avg_wait', 'longest_wait'] as const) {
      const t = thresholdFor(sla, m, queue);
      if (t) [t.warn, t.breach].forEach((v) => edges.add(v));
    }
  return [...edges].filter((v) => v > 0).sort((a, b) => a - b);
}

export interface PrometheusDeps {
  db: Db;
  sla: Sla;
  timezone: string;
  hub: LiveHub;
  log: EventLog;
  quarantine: QuarantineLog;
  /** The projector, for how far the answers lag the log. */
  projector: { lag(): number };
  counters: IngestCounters;
  metrics: MetricsProjection;
}

export interface PrometheusExporter {
  contentType: string;
  /** Brings every gauge and counter up to date and renders the exposition text. */
  render(): Promise<string>;
}

export function prometheusExporter(deps: PrometheusDeps): PrometheusExporter {
  const { hub, sla, counters, metrics } = deps;
  const registry = new Registry();
  const dims = metrics.facts.dims;
  const flow = new FlowData(deps.db);
  const zone = new Zone(deps.timezone);
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });

  const perQueue = {
    tasks_waiting: gauge(PROM.tasksWaiting, 'Customers waiting now, per queue', ['queue']),
    longest_wait: gauge(PROM.longestWaitSeconds, 'Age in seconds of the oldest waiting task, per queue', ['queue']),
    tasks_in_progress: gauge(PROM.tasksInProgress, 'Tasks accepted and not yet completed, per queue', ['queue']),
    agents_available: gauge(PROM.agentsAvailable, 'Agents in an available activity, per queue (target-expression membership)', ['queue']),
    agents_logged_in: gauge(PROM.agentsLoggedIn, 'Agents not offline, per queue (target-expression membership)', ['queue']),
    avg_wait: gauge(PROM.avgWaitSeconds, 'Average waiting time today (handled and abandoned), per queue', ['queue']),
    agents_required: gauge(
      PROM.agentsRequired,
      `Agents required now by Erlang C (arrivals over ${sla.staffing.arrivalWindowMinutes} min, handle time over ${sla.staffing.ahtWindowMinutes} min), per queue and group; NaN while no handle time is known`,
      ['queue'],
    ),
    staffing_gap: gauge(PROM.staffingGap, 'Agents required minus agents available now, per queue and group (positive: short)', ['queue']),
  } as const;
  const byActivity = gauge(PROM.agentsByActivity, 'Logged-in agents per activity', ['activity']);
  const serviceLevel = gauge(
    PROM.serviceLevelPercent,
    `Service level over the last ${sla.serviceLevelWindowMinutes} minutes, per queue (NaN without tasks)`,
    ['queue'],
  );
  const abandonRate = gauge(
    PROM.abandonRatePercent,
    `Abandon rate over the last ${sla.serviceLevelWindowMinutes} minutes, per queue (NaN without tasks)`,
    ['queue'],
  );
  const breach = gauge(PROM.slaBreach, 'SLA state of each snapshot number: 0 ok, 1 warn, 2 breach', ['queue', 'metric']);
  const lastEventAge = gauge(PROM.lastEventAgeSeconds, 'Seconds since the newest stored event (by its own time); 1e9 when none', []);
  const flowCounter = (name: string, help: string) => new Counter({ name, help, labelNames: ['queue'], registers: [registry] });
  const entered = flowCounter(PROM.tasksEnteredTotal, 'Tasks entering a queue');
  const handled = flowCounter(PROM.tasksHandledTotal, 'Tasks accepted by an agent (each task once)');
  const abandoned = flowCounter(PROM.tasksAbandonedTotal, 'Tasks canceled before any agent accepted them');
  const wait = new Histogram({
    name: PROM.waitSeconds,
    help: 'Waiting time of handled and abandoned tasks, seconds',
    labelNames: ['queue', 'outcome'],
    buckets: waitBuckets(sla),
    registers: [registry],
  });
  const ingested = new Counter({
    name: PROM.ingestEventsTotal,
    help: 'Events received by transport and result (stored, duplicate)',
    labelNames: ['transport', 'result'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: PROM.ingestRejectedTotal,
    help: 'Webhook requests rejected, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const quarantinedTotal = new Counter({
    name: PROM.ingestQuarantinedTotal,
    help: 'Authenticated events that could not be read, kept in the quarantine, by transport',
    labelNames: ['transport'],
    registers: [registry],
  });
  const ignoredTotal = new Counter({
    name: PROM.ingestIgnoredTotal,
    help: 'CloudEvents that are not TaskRouter events (the sink test event, other products), acknowledged and not stored, by type',
    labelNames: ['type'],
    registers: [registry],
  });
  const fieldIssues = new Counter({
    name: PROM.ingestFieldIssuesTotal,
    help: 'Optional fields received unreadable (the event was stored, the value left out of metrics), by field',
    labelNames: ['field'],
    registers: [registry],
  });
  const quarantineWaiting = gauge(PROM.quarantinedEvents, 'Events waiting in the quarantine (npx floorboard quarantine list)', []);
  const notProjected = gauge(
    PROM.eventsNotProjected,
    'Events stored in the log but not yet folded into the answers (near 0 while the projector keeps up)',
    [],
  );

  metrics.onCommittedSamples((added: readonly SampleRow[]) => {
    for (const r of added) {
      const queue = dims.name(r.queue) ?? '';
      if (r.kind === K.entered) entered.inc({ queue });
      else if (r.kind === K.handled) {
        handled.inc({ queue });
        wait.observe({ queue, outcome: 'handled' }, r.value);
      } else if (r.kind === K.abandoned) {
        abandoned.inc({ queue });
        wait.observe({ queue, outcome: 'abandoned' }, r.value);
      }
    }
  });

  // Ingest counters live in IngestCounters (plain numbers); bring the Prometheus counters up to them.
  const reported = new Map<string, number>();
  const syncCounter = (
    counter: Counter,
    name: string,
    source: ReadonlyMap<string, number>,
    label: (k: string) => Record<string, string>,
  ) => {
    for (const [k, v] of source) {
      const key = `${name}|${k}`;
      const have = reported.get(key) ?? 0;
      if (v > have) counter.inc(label(k), v - have);
      reported.set(key, v);
    }
  };

  const collect = () => {
    const now = Date.now();
    const snap = hub.refresh();
    for (const g of [...Object.values(perQueue), byActivity, breach, serviceLevel, abandonRate]) g.reset();
    for (const entry of snap.queues) {
      const queue = entry.queue ?? '';
      for (const [m, g] of Object.entries(perQueue)) g.set({ queue }, entry.values[m as keyof typeof perQueue].value ?? Number.NaN);
      for (const m of SNAPSHOT_METRICS)
        if (m in SLA_METRICS) breach.set({ queue, metric: m }, BREACH_LEVELS.indexOf(entry.values[m].breach));
    }
    for (const [activity, count] of Object.entries(snap.total.agentsByActivity)) byActivity.set({ activity }, count);
    // Rolling-window service level and abandon rate per queue.
    const from = now - sla.serviceLevelWindowMinutes * 60_000;
    const axis = timeAxis('none', undefined, from, now + 1, zone);
    const cells = flow.read({ kinds: [...OUTCOME_KINDS], from, to: now + 1, axis, dims: ['queue'], filter: {} });
    const cellOf = (queue: string) => {
      const id = dims.find('queue', queue);
      return id === undefined ? undefined : cells.get(`|${id}`);
    };
    for (const entry of snap.queues) {
      // A group's numbers are its queues' cells, each queue by its own service-level rule.
      const parts = entry.queue === null ? [] : queuesOf(sla, entry.queue).map((q) => [q, cellOf(q)] as const);
      const merged = new Map<number, Agg>();
      for (const [, cell] of parts) for (const [kind, a] of cell ?? []) addAgg(merged, kind, a);
      serviceLevel.set({ queue: entry.queue ?? '' }, serviceLevelOfQueues(sla, parts) ?? Number.NaN);
      abandonRate.set({ queue: entry.queue ?? '' }, abandonRatePercent(outcomeCounts(merged)) ?? Number.NaN);
    }
    const last = deps.log.counts().lastEventMs;
    lastEventAge.set(last > 0 ? Math.max(0, (now - last) / 1000) : 1e9);
    const results = new Map<string, number>();
    for (const [t, v] of counters.stored) results.set(`${t}|stored`, v);
    for (const [t, v] of counters.duplicates) results.set(`${t}|duplicate`, v);
    syncCounter(ingested, 'ingested', results, (k) => ({ transport: k.split('|')[0]!, result: k.split('|')[1]! }));
    syncCounter(rejected, 'rejected', counters.rejected, (reason) => ({ reason }));
    syncCounter(quarantinedTotal, 'quarantined', counters.quarantined, (transport) => ({ transport }));
    syncCounter(ignoredTotal, 'ignored', counters.ignored, (type) => ({ type }));
    syncCounter(fieldIssues, 'fields', counters.fieldIssues, (field) => ({ field }));
    quarantineWaiting.set(deps.quarantine.waitingCount());
    notProjected.set(deps.projector.lag());
  };

  return {
    contentType: registry.contentType,
    render() {
      collect();
      return registry.metrics();
    },
  };
}
