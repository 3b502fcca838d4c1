// Cross-check against TaskRouter: our numbers for a window (from the query engine in-process, or a
// running collector's POST /api/query) side by side with the cumulative Workspace and TaskQueue
// Statistics Twilio reports for the same window, and whether each differs by more than a tolerance.
// The Statistics API is only a cross-check (METRICS.md): our metrics come from events alone.
import { parseQuery, type QueryLimits } from '../api/query';
import { connectTwilio, type TwilioClientConfig } from '../backfill/twilio-client';
import type { QueryEngine } from '../metrics/engine';
import type { MetricQuery, QueryResponse } from '@floorboard/contract';
import type { CollectorEndpoint } from './consistency';

/** Answers one metric query: ours, from wherever they are computed. */
export type MetricSource = (q: MetricQuery) => Promise<QueryResponse>;

/** Our numbers straight from a QueryEngine (same parsing and limits as POST /api/query). */
export function engineSource(engine: QueryEngine, limits: QueryLimits): MetricSource {
  return async (q) => engine.run(parseQuery(q, limits));
}

/** Our numbers from a running collector's POST /api/query. */
export function httpSource(endpoint: CollectorEndpoint): MetricSource {
  return async (q) => {
    const res = await fetch(`${endpoint.url.replace(/\/+$/, '')}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiToken ? { authorization: `Bearer ${endpoint.apiToken}` } : {}) },
      body: JSON.stringify(q),
    });
    const body = (await res.json()) as QueryResponse & { error?: string };
    if (!res.ok) throw new Error(`collector answered ${res.status} to ${q.metric}: ${body.error ?? ''}`);
    return body;
  };
}

/** One of our metrics and the Twilio cumulative statistic with the same definition. */
interface Comparison {
  metric: string;
  /** Field of `cumulative` (dotted for nested: `wait_duration_until_canceled.avg`). */
  twilioField: string;
  /** Where Twilio reports it: the workspace, each queue, or both. */
  scope: 'workspace' | 'queue' | 'both';
  /** Twilio reports whole seconds: compare our value rounded. */
  wholeSeconds?: boolean;
}

export const COMPARISONS: readonly Comparison[] = [
  { metric: 'tasks_created', twilioField: 'tasks_created', scope: 'workspace' },
  { metric: 'tasks_entered', twilioField: 'tasks_entered', scope: 'queue' },
  { metric: 'tasks_moved', twilioField: 'tasks_moved', scope: 'both' },
  // Twilio counts accepted reservations; we count each task once (a task is accepted once in practice).
  { metric: 'tasks_handled', twilioField: 'reservations_accepted', scope: 'both' },
  // Twilio counts canceled tasks; we count those never accepted (a contact center cancels no answered call).
  { metric: 'tasks_abandoned', twilioField: 'tasks_canceled', scope: 'both' },
  { metric: 'tasks_completed', twilioField: 'tasks_completed', scope: 'both' },
  { metric: 'reservations_rejected', twilioField: 'reservations_rejected', scope: 'both' },
  { metric: 'reservations_timed_out', twilioField: 'reservations_timed_out', scope: 'both' },
  { metric: 'avg_answer_time', twilioField: 'avg_task_acceptance_time', scope: 'both', wholeSeconds: true },
  { metric: 'avg_abandon_time', twilioField: 'wait_duration_until_canceled.avg', scope: 'both', wholeSeconds: true },
];

export interface VerifyOptions {
  source: MetricSource;
  twilio: TwilioClientConfig;
  /** Window, epoch ms; cut to whole seconds (the Statistics API's resolution). */
  from: number;
  to: number;
  /** Largest accepted difference, percent of Twilio's figure (default 1). */
  tolerancePercent?: number;
  /** Differences up to this many units are always accepted (default 0). */
  toleranceAbsolute?: number;
  /** Restrict the per-queue rows to these queue names (default: every TaskQueue of the workspace). */
  queues?: string[];
}

export interface VerifyRow {
  metric: string;
  twilioField: string;
  /** Queue name; null for the whole workspace. */
  queue: string | null;
  ours: number | null;
  twilio: number | null;
  /** ours − twilio (after rounding whole-second figures); null when either is missing. */
  diff: number | null;
  /** |diff| as a percentage of Twilio's figure (100 when Twilio says 0 and we do not). */
  diffPercent: number | null;
  ok: boolean;
}

export interface VerifyResult {
  from: number;
  to: number;
  rows: VerifyRow[];
  ok: boolean;
}

function pick(obj: unknown, path: string): number | null {
  let v: unknown = obj;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function single(r: QueryResponse): number | null {
  const v = r.frames[0]?.fields.find((f) => f.type === 'number')?.values[0];
  return typeof v === 'number' ? v : null;
}

function byQueue(r: QueryResponse): Map<string, number | null> {
  const fields = r.frames[0]?.fields ?? [];
  const names = fields.find((f) => f.name === 'queue')?.values ?? [];
  const values = fields.find((f) => f.type === 'number')?.values ?? [];
  return new Map(names.map((n, i) => [String(n), typeof values[i] === 'number' ? (values[i] as number) : null]));
}

function row(
  c: Comparison,
  queue: string | null,
  oursRaw: number | null,
  twilio: number | null,
  tolerancePercent: number,
  toleranceAbsolute: number,
): VerifyRow {
  // An average over no tasks: we say null, Twilio says 0.
  const ours = oursRaw === null && twilio === 0 && c.metric.startsWith('avg_') ? 0 : oursRaw;
  const compared = ours !== null && c.wholeSeconds ? Math.round(ours) : ours;
  const diff = compared === null || twilio === null ? null : Math.round((compared - twilio) * 1000) / 1000;
  const diffPercent = diff === null ? null : twilio === 0 ? (diff === 0 ? 0 : 100) : (Math.abs(diff) / Math.abs(twilio!)) * 100;
  const ok = diff !== null && (Math.abs(diff) <= toleranceAbsolute || diffPercent! <= tolerancePercent);
  return {
    metric: c.metric,
    twilioField: c.twilioField,
    queue,
    ours,
    twilio,
    diff,
    diffPercent: diffPercent === null ? null : Math.round(diffPercent * 100) / 100,
    ok,
  };
}

/** Compares our metrics with TaskRouter's cumulative statistics for [from, to]. */
export async function verify(opts: VerifyOptions): Promise<VerifyResult> {
  const from = Math.floor(opts.from / 1000) * 1000;
  const to = Math.floor(opts.to / 1000) * 1000;
  if (!(from < to)) throw new RangeError('verify: from must be before to');
  const tolerancePercent = opts.tolerancePercent ?? 1;
  const toleranceAbsolute = opts.toleranceAbsolute ?? 0;
  const { client, workspaceSid } = connectTwilio(opts.twilio);
  const workspace = client.taskrouter.v1.workspaces(workspaceSid);
  const window = { startDate: new Date(from), endDate: new Date(to) };

  const [workspaceStats, taskQueues] = await Promise.all([
    workspace.statistics().fetch(window),
    workspace.taskQueues.list({ pageSize: 1000 }),
  ]);
  const wanted = opts.queues ? new Set(opts.queues) : null;
  const queues = taskQueues
    .filter((q) => !wanted || wanted.has(q.friendlyName))
    .sort((a, b) => a.friendlyName.localeCompare(b.friendlyName));
  const queueStats = await Promise.all(
    queues.map(async (q) => ({
      name: q.friendlyName,
      cumulative: (await workspace.taskQueues(q.sid).statistics().fetch(window)).cumulative,
    })),
  );

  // Twilio's EndDate is inclusive ("on or before"); our ranges are half-open.
  const ourWindow = { from, to: to + 1 };
  const queueNames = queues.map((q) => q.friendlyName);
  const rows: VerifyRow[] = [];
  for (const c of COMPARISONS) {
    if (c.scope !== 'queue') {
      const ours = single(await opts.source({ metric: c.metric, ...ourWindow, groupBy: 'none' }));
      rows.push(row(c, null, ours, pick(workspaceStats.cumulative, c.twilioField), tolerancePercent, toleranceAbsolute));
    }
    if (c.scope !== 'workspace' && queueNames.length > 0) {
      const ours = byQueue(await opts.source({ metric: c.metric, ...ourWindow, groupBy: 'queue', queues: queueNames }));
      for (const q of queueStats)
        rows.push(row(c, q.name, ours.get(q.name) ?? null, pick(q.cumulative, c.twilioField), tolerancePercent, toleranceAbsolute));
    }
  }
  return { from, to, rows, ok: rows.every((r) => r.ok) };
}

const fmt = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(1));

/** The rows side by side: metric, queue, ours, Twilio, difference, and a DIFF mark past tolerance. */
export function formatTable(rows: readonly VerifyRow[]): string {
  const table = [
    ['metric', 'twilio statistic', 'queue', 'ours', 'twilio', 'diff', 'diff %', ''],
    ...rows.map((r) => [
      r.metric,
      r.twilioField,
      r.queue ?? '(workspace)',
      fmt(r.ours),
      fmt(r.twilio),
      r.diff === null ? '-' : (r.diff > 0 ? '+' : '') + fmt(r.diff),
      r.diffPercent === null ? '-' : r.diffPercent.toFixed(1),
      r.ok ? 'ok' : 'DIFF',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (t: string[]) =>
    t
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}
