// The SLA file (`sla.yaml`): one source of thresholds for the collector (service level, breach
// flags), the dashboard generator (panel colours) and the alert generator (Grafana rules).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { metricById, type MetricId } from './catalog';
import type { BreachLevel } from './wire';

/** Metrics that carry SLA thresholds. */
const SLA_METRIC_IDS = [
  'service_level',
  'agents_available',
  'longest_wait',
  'tasks_waiting',
  'abandon_rate',
  'avg_wait',
  'tasks_abandoned',
  'staffing_gap',
] as const satisfies readonly MetricId[];
export type SlaMetric = (typeof SLA_METRIC_IDS)[number];

/** Which side of its thresholds is bad for each SLA metric: the catalogue's `better`, turned round. */
export const SLA_METRICS = Object.fromEntries(
  SLA_METRIC_IDS.map((m) => [m, metricById(m)!.better === 'higher' ? 'below' : 'above']),
) as Record<SlaMetric, 'below' | 'above'>;

const threshold = z
  .object({
    /** Value at which the number turns amber. */
    warn: z.number().finite(),
    /** Value at which it turns red and an alert fires. */
    breach: z.number().finite(),
  })
  .strict();
export type Threshold = z.infer<typeof threshold>;

const thresholds = z
  .object(
    Object.fromEntries(Object.keys(SLA_METRICS).map((m) => [m, threshold.optional()])) as Record<
      SlaMetric,
      z.ZodOptional<typeof threshold>
    >,
  )
  .strict();

/**
 * How abandoned tasks count in service level (METRICS.md `service_level`): `missed` (today's formula),
 * `excluded` (left out of numerator and denominator), `met_within_threshold` (abandoned within T, not
 * short, count as met). Vendors differ here: Amazon Connect counts early abandons as met; Genesys and
 * Cisco let them be ignored, met or missed.
 */
export const SERVICE_LEVEL_ABANDONS = ['missed', 'excluded', 'met_within_threshold'] as const;
export type ServiceLevelAbandons = (typeof SERVICE_LEVEL_ABANDONS)[number];

/** Each variant's formula in words: panel descriptions and alert texts quote it. */
export const SERVICE_LEVEL_FORMULA: Record<ServiceLevelAbandons, string> = {
  missed: 'handled within T ÷ (handled + abandoned − short abandoned)',
  excluded: 'handled within T ÷ handled (abandons left out)',
  met_within_threshold: '(handled within T + abandoned within T, not short) ÷ (handled + abandoned − short abandoned)',
};

const queueOverride = z
  .object({
    serviceLevelSeconds: z.number().positive().optional(),
    shortAbandonSeconds: z.number().nonnegative().optional(),
    serviceLevelAbandons: z.enum(SERVICE_LEVEL_ABANDONS).optional(),
    serviceLevelTargetPercent: z.number().gt(0).lt(100).optional(),
    thresholds: thresholds.optional(),
    /** This queue's drill-down attributes (replaces the top-level list for its tasks). */
    drillDownAttributes: z.array(z.string().min(1)).optional(),
  })
  .strict();

type QueueOverride = z.infer<typeof queueOverride>;

/** Thresholds used for any metric the SLA file leaves out (the shipped sla.yaml has the same numbers). */
export const DEFAULT_THRESHOLDS: Record<SlaMetric, Threshold | undefined> = {
  service_level: { warn: 85, breach: 80 },
  longest_wait: { warn: 60, breach: 120 },
  avg_wait: { warn: 30, breach: 60 },
  tasks_waiting: { warn: 5, breach: 10 },
  abandon_rate: { warn: 5, breach: 10 },
  agents_available: { warn: 1, breach: 0 },
  tasks_abandoned: undefined,
  // Short of at least one agent (gap > 0) is red; the alert waits staffing.gapAlertMinutes.
  staffing_gap: { warn: 1, breach: 1 },
};

export const slaSchema = z
  .object({
    /** Answered within this many seconds counts towards service level. */
    serviceLevelSeconds: z.number().positive().default(20),
    /** Abandoned before this many seconds is a short abandon (excluded from service level). */
    shortAbandonSeconds: z.number().nonnegative().default(5),
    /** How abandoned tasks count in service level; a queue may set its own. */
    serviceLevelAbandons: z.enum(SERVICE_LEVEL_ABANDONS).default('missed'),
    /** Service level aimed for, percent: the target `agents_required` staffs for (Erlang C). */
    serviceLevelTargetPercent: z.number().gt(0).lt(100).default(80),
    /** Windows the live staffing estimate (agents_required) reads its arrival rate and handle time from. */
    staffing: z
      .object({
        /** Arrival rate: tasks entering the queue over the last this many minutes. */
        arrivalWindowMinutes: z.number().int().positive().default(30),
        /** Average handle time over the last this many minutes. */
        ahtWindowMinutes: z.number().int().positive().default(60),
        /** The staffing-gap alert fires when agents are short for this many minutes. */
        gapAlertMinutes: z.number().positive().default(5),
      })
      .strict()
      .prefault({}),
    /**
     * TaskRouter expressions over task attributes that class an agent's tasks for agent_time_share;
     * the first that matches (internal, external, outgoing) wins, a task none matches is `queued`.
     * Flex's own outbound dialer and agent-initiated interactions set `direction: "outbound"`; Flex
     * sets nothing that marks internal or external calls, so those defaults are a convention to set
     * in the task attributes (a Studio flow, a plugin) or to replace here.
     */
    taskTypes: z
      .object({
        internal: z.string().min(1).default('direction == "internal"'),
        external: z.string().min(1).default('direction == "external"'),
        outgoing: z.string().min(1).default('direction == "outbound"'),
      })
      .strict()
      .prefault({}),
    /**
     * Queue groups: a name for several queues, accepted wherever a queue name is and counted as one
     * population (an agent serving two of its queues counts once).
     */
    groups: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
    /** Activity names that mean logged off. */
    offlineActivities: z.array(z.string().min(1)).default(['Offline']),
    /**
     * Activity names taken as available only until an event says otherwise: TaskRouter's own
     * `ActivityAvailable` (activity events) and `worker_available` (Event Streams worker fields) win.
     */
    availableActivities: z.array(z.string().min(1)).default(['Available', 'Idle']),
    /** Dotted paths in TaskAttributes holding the disposition code, first match wins. */
    dispositionPaths: z.array(z.string().min(1)).default(['conversations.outcome', 'disposition']),
    /** Alert when no event has arrived for this many minutes. */
    noEventsMinutes: z.number().positive().default(15),
    /** Rolling window of the service-level gauge exported to Prometheus. */
    serviceLevelWindowMinutes: z.number().positive().default(60),
    /**
     * Dotted paths in TaskAttributes that drill-down tables (waiting_tasks) may show. Attributes hold
     * personal data: nothing else of them ever leaves the collector.
     */
    drillDownAttributes: z.array(z.string().min(1)).default([]),
    thresholds: thresholds.default({}).transform((t) => ({ ...DEFAULT_THRESHOLDS, ...definedOnly(t) })),
    queues: z.record(z.string().min(1), queueOverride).default({}),
  })
  .strict()
  .superRefine((sla, ctx) => {
    const check = (t: z.infer<typeof thresholds>, path: (string | number)[]) => {
      for (const [metric, dir] of Object.entries(SLA_METRICS)) {
        const th = t[metric as SlaMetric];
        if (!th) continue;
        const ordered = dir === 'above' ? th.warn <= th.breach : th.warn >= th.breach;
        if (!ordered)
          ctx.addIssue({
            code: 'custom',
            path: [...path, metric],
            message: `warn must be ${dir === 'above' ? '<=' : '>='} breach (bad when ${dir})`,
          });
      }
    };
    for (const [g, members] of Object.entries(sla.groups))
      for (const m of members)
        if (m in sla.groups) ctx.addIssue({ code: 'custom', path: ['groups', g], message: `"${m}" is a group; a group lists queues only` });
    check(sla.thresholds, ['thresholds']);
    for (const [q, o] of Object.entries(sla.queues)) if (o.thresholds) check(o.thresholds, ['queues', q, 'thresholds']);
  });

export type Sla = z.infer<typeof slaSchema>;

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const DEFAULT_SLA: Sla = slaSchema.parse({});

export class SlaError extends Error {}

/** Parses SLA YAML text; throws SlaError with one line naming the offending key. */
export function parseSla(text: string, source = 'sla.yaml'): Sla {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new SlaError(`${source}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = slaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(top level)';
    throw new SlaError(`${source}: ${key}: ${issue.message}`);
  }
  return parsed.data;
}

export interface SlaFile {
  sla: Sla;
  /** The file read, or null when none was found and the built-in defaults apply. */
  path: string | null;
}

/**
 * Loads an SLA file. A file named explicitly (FLOORBOARD_SLA) must exist: a typo in the path stops
 * start-up with one line naming it. A default path may be missing: the built-in defaults apply.
 */
export function loadSlaFile(path: string, explicit: boolean): SlaFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { sla: DEFAULT_SLA, path: null };
    if (code === 'ENOENT') throw new SlaError(`FLOORBOARD_SLA: no file at ${path}`);
    throw new SlaError(`${explicit ? 'FLOORBOARD_SLA: ' : ''}cannot read ${path} (${(err as Error).message})`);
  }
  return { sla: parseSla(text, path), path };
}

/** Loads the SLA file; a missing file means the defaults. */
export function loadSla(path: string): Sla {
  return loadSlaFile(path, false).sla;
}

export function serviceLevelSeconds(sla: Sla, queue: string | null): number {
  return queueSetting(sla, queue, 'serviceLevelSeconds') ?? sla.serviceLevelSeconds;
}

export function shortAbandonSeconds(sla: Sla, queue: string | null): number {
  return queueSetting(sla, queue, 'shortAbandonSeconds') ?? sla.shortAbandonSeconds;
}

export function serviceLevelAbandons(sla: Sla, queue: string | null): ServiceLevelAbandons {
  return queueSetting(sla, queue, 'serviceLevelAbandons') ?? sla.serviceLevelAbandons;
}

/**
 * The service-level formula a queue's numbers use, in words, for panel descriptions and alert texts:
 * one queue's own, or (queue null) the default and every queue that differs from it.
 */
export function serviceLevelFormulaText(sla: Sla, queue: string | null): string {
  const one = (q: string | null) =>
    `${SERVICE_LEVEL_FORMULA[serviceLevelAbandons(sla, q)]}, T = ${serviceLevelSeconds(sla, q)} s, short abandons under ${shortAbandonSeconds(sla, q)} s`;
  if (queue !== null) return `Service level = ${one(queue)}.`;
  const others = Object.keys(sla.queues)
    .filter((q) => one(q) !== one(null))
    .map((q) => `${q}: ${one(q)}`);
  return `Service level = ${one(null)}${others.length ? `; ${others.join('; ')}` : ''}. Several queues together: numerators and denominators summed, each queue by its own rule.`;
}

/** How agent_time_share classes a held task. */
export const TASK_TYPES = ['internal', 'external', 'outgoing'] as const;
export type TaskType = (typeof TASK_TYPES)[number] | 'queued';

export function serviceLevelTargetPercent(sla: Sla, queue: string | null): number {
  return queueSetting(sla, queue, 'serviceLevelTargetPercent') ?? sla.serviceLevelTargetPercent;
}

/** The queues a name stands for: a group's members, or the queue itself. */
export function queuesOf(sla: Sla, name: string): string[] {
  return sla.groups[name] ?? [name];
}

/**
 * A queue's setting: its own entry under `queues:`, else that of a group it belongs to (first in the
 * file's order), else the top level.
 */
function queueSetting<K extends keyof QueueOverride>(sla: Sla, queue: string | null, key: K): QueueOverride[K] | undefined {
  if (queue === null) return undefined;
  const own = sla.queues[queue]?.[key];
  if (own !== undefined) return own;
  for (const [group, members] of Object.entries(sla.groups))
    if (members.includes(queue) && sla.queues[group]?.[key] !== undefined) return sla.queues[group]![key];
  return undefined;
}

/** The task attributes a drill-down row of `queue` may show: the queue's own list, else the top-level one. */
export function drillDownAttributes(sla: Sla, queue: string | null): readonly string[] {
  return (queue !== null ? sla.queues[queue]?.drillDownAttributes : undefined) ?? sla.drillDownAttributes;
}

export function thresholdFor(sla: Sla, metric: SlaMetric, queue: string | null): Threshold | undefined {
  return (queue !== null ? sla.queues[queue]?.thresholds?.[metric] : undefined) ?? sla.thresholds[metric];
}

/** The SLA colour of a value: ok, warn (amber) or breach (red). */
export function breachLevel(sla: Sla, metric: string, queue: string | null, value: number | null): BreachLevel {
  if (value === null || !(metric in SLA_METRICS)) return 'ok';
  const th = thresholdFor(sla, metric as SlaMetric, queue);
  if (!th) return 'ok';
  const worse = SLA_METRICS[metric as SlaMetric] === 'above' ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
  if (worse(value, th.breach)) return 'breach';
  if (worse(value, th.warn)) return 'warn';
  return 'ok';
}
