// Consistency between two collectors that should hold the same events (a crash-recovered store and
// a clean replay, a restored backup and the live one): the same battery of metric queries asked of
// both over HTTP, the real-time snapshot without its clock fields, and a fingerprint of the stored
// state and facts with dimension ids resolved to names (ids depend on arrival order; names do not).
import { CATALOG } from '@floorboard/contract';
import type { MetricQuery, QueryResponse, Snapshot } from '@floorboard/contract';

export interface CollectorEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:3300`. */
  url: string;
  /** Bearer token when the collector sets FLOORBOARD_API_TOKEN. */
  apiToken?: string;
}

export interface BatteryOptions {
  /** Bucket width for `groupBy: time` (default 15m). */
  interval?: string;
  timezone?: string;
  /** Queue names to also filter on (one query per metric with `queues` set). */
  queues?: string[];
}

/**
 * Every catalogue metric with every grouping it allows over [from, to), plus the options that
 * change the answer (`stat: max`, a custom service-level threshold) and an optional queue filter.
 */
export function metricBattery(from: number, to: number, opts: BatteryOptions = {}): MetricQuery[] {
  const out: MetricQuery[] = [];
  const base = (metric: string): MetricQuery => ({ metric, from, to, ...(opts.timezone ? { timezone: opts.timezone } : {}) });
  for (const m of CATALOG) {
    for (const groupBy of m.groupBys)
      out.push({ ...base(m.id), groupBy, ...(groupBy === 'time' ? { interval: opts.interval ?? '15m' } : {}) });
    for (const option of m.options) {
      if (option.name === 'stat')
        out.push({
          ...base(m.id),
          groupBy: m.groupBys.includes('time') ? 'time' : 'none',
          interval: opts.interval ?? '15m',
          options: { stat: 'max' },
        });
      if (option.name === 'thresholdSeconds') out.push({ ...base(m.id), groupBy: 'queue', options: { thresholdSeconds: 30 } });
    }
    if (opts.queues?.length && m.groupBys.includes('none')) out.push({ ...base(m.id), groupBy: 'none', queues: opts.queues });
  }
  return out;
}

export interface Answer {
  status: number;
  body: unknown;
}

function headers(e: CollectorEndpoint): Record<string, string> {
  return { 'content-type': 'application/json', ...(e.apiToken ? { authorization: `Bearer ${e.apiToken}` } : {}) };
}

/** Asks one collector every query of the battery (a few at a time); keeps status and body of each. */
export async function askAll(endpoint: CollectorEndpoint, queries: MetricQuery[], concurrency = 8): Promise<Answer[]> {
  const answers: Answer[] = new Array(queries.length);
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const i = next++;
      const res = await fetch(`${endpoint.url}/api/query`, {
        method: 'POST',
        headers: headers(endpoint),
        body: JSON.stringify(queries[i]),
      });
      answers[i] = { status: res.status, body: (await res.json()) as QueryResponse };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

export async function snapshotOf(endpoint: CollectorEndpoint): Promise<Snapshot> {
  const res = await fetch(`${endpoint.url}/api/snapshot`, { headers: headers(endpoint) });
  if (res.status !== 200) throw new Error(`GET /api/snapshot answered ${res.status}`);
  return (await res.json()) as Snapshot;
}

/** The snapshot minus the fields that say when it was taken. */
export function withoutClock(s: Snapshot): Omit<Snapshot, 'at' | 'seq'> {
  const { at: _at, seq: _seq, ...rest } = s;
  return rest;
}

export interface Difference {
  what: string;
  a: unknown;
  b: unknown;
}

/**
 * Deep comparison; numbers are equal within a relative 1e-9 (sums of fractional seconds added in
 * another order differ in the last bits). Returns the paths that differ.
 */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [path];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}.length`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [path];
}

/**
 * Same battery asked of both; one Difference per query whose answers differ. A query that differs
 * is asked of both again, together, up to `attempts` times: answers that depend on the clock (time
 * in the current activity, open waits) may straddle a second between two requests.
 */
export async function compareAnswers(
  a: CollectorEndpoint,
  b: CollectorEndpoint,
  queries: MetricQuery[],
  opts: { attempts?: number } = {},
): Promise<Difference[]> {
  const [ra, rb] = await Promise.all([askAll(a, queries), askAll(b, queries)]);
  const out: Difference[] = [];
  for (let i = 0; i < queries.length; i++) {
    let [x, y] = [ra[i]!, rb[i]!];
    let d = differences(x, y);
    for (let attempt = 1; d.length > 0 && attempt < (opts.attempts ?? 3); attempt++) {
      const [[nx], [ny]] = await Promise.all([askAll(a, [queries[i]!], 1), askAll(b, [queries[i]!], 1)]);
      [x, y] = [nx!, ny!];
      d = differences(x, y);
    }
    if (d.length) out.push({ what: `${JSON.stringify(queries[i])} at ${d.slice(0, 3).join(', ')}`, a: x, b: y });
  }
  return out;
}

/**
 * Snapshots of both, taken together; retried a few times because open waits age by the second
 * and two requests may straddle a second boundary.
 */
export async function compareSnapshots(a: CollectorEndpoint, b: CollectorEndpoint, attempts = 5): Promise<Difference[]> {
  let last: Difference[] = [];
  for (let i = 0; i < attempts; i++) {
    const [sa, sb] = await Promise.all([snapshotOf(a), snapshotOf(b)]);
    const d = differences(withoutClock(sa), withoutClock(sb));
    if (d.length === 0) return [];
    last = [{ what: `snapshot at ${d.slice(0, 5).join(', ')}`, a: withoutClock(sa), b: withoutClock(sb) }];
  }
  return last;
}
