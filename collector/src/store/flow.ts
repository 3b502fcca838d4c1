// Reads sample aggregates (count, sum, max per kind) for a range, bucketed by a time axis and
// split by dimension columns: whole rollup buckets in the middle of the range, raw samples at its
// ragged edges (or everywhere when no rollup resolution fits), so results are exact at any edge.
import type { Db } from './db';
import type { Resolution } from './facts';

/** How a read buckets time: the output key of an instant, and the rollup resolution that fits (null: raw samples). A metrics TimeAxis is one. */
export interface Bucketing {
  keyOf(ms: number): string;
  resolution: Resolution | null;
}

export type DimColumn = 'queue' | 'channel' | 'label' | 'worker';

export interface Agg {
  n: number;
  /** Sum of the values in integer milliseconds (exact and order-independent). */
  sumMs: number;
  max: number;
}

export interface FlowFilter {
  /** Queue ids to keep; undefined = all queues. */
  queues?: number[];
  channels?: number[];
  workers?: number[];
}

export interface FlowRequest {
  kinds: number[];
  from: number;
  to: number;
  axis: Bucketing;
  dims: DimColumn[];
  filter: FlowFilter;
  /** Keep only samples with value <= this (a custom service-level threshold); forces raw samples. */
  valueAtMost?: { kind: number; seconds: number };
}

/** Result cell key: time key, then dim ids, joined by `|`; value: aggregates per kind. */
export type FlowResult = Map<string, Map<number, Agg>>;

export function cellKey(timeKey: string, dimIds: readonly number[]): string {
  return [timeKey, ...dimIds].join('|');
}

export class FlowData {
  constructor(private readonly db: Db) {}

  read(req: FlowRequest): FlowResult {
    const out: FlowResult = new Map();
    const res = req.valueAtMost || req.dims.includes('worker') ? null : req.axis.resolution;
    if (res === null) {
      this.fromSamples(req, req.from, req.to, out);
      return out;
    }
    const w = res * 60_000;
    const aFrom = Math.ceil(req.from / w) * w;
    const aTo = Math.floor(req.to / w) * w;
    if (aFrom >= aTo) {
      this.fromSamples(req, req.from, req.to, out);
      return out;
    }
    this.fromSamples(req, req.from, aFrom, out);
    this.fromRollup(req, res, aFrom, aTo, out);
    this.fromSamples(req, aTo, req.to, out);
    return out;
  }

  /** Raw samples of `kinds` in [from, to), in time order, optionally only in some queues (ids). */
  samplesIn(
    kinds: readonly number[],
    from: number,
    to: number,
    queues?: readonly number[],
  ): { kind: number; ms: number; queue: number; value: number }[] {
    const params: unknown[] = [...kinds, from, to];
    const where = this.where({ queues: queues ? [...queues] : undefined }, params);
    return this.db
      .prepare(
        `SELECT kind, ms, queue, value FROM samples WHERE kind IN (${kinds.map(() => '?').join(',')}) AND ms >= ? AND ms < ?${where} ORDER BY ms`,
      )
      .all(...params) as { kind: number; ms: number; queue: number; value: number }[];
  }

  private where(filter: FlowFilter, params: unknown[]): string {
    let sql = '';
    const list = (col: string, ids: number[] | undefined) => {
      if (!ids) return;
      sql += ids.length === 0 ? ' AND 0' : ` AND ${col} IN (${ids.map(() => '?').join(',')})`;
      params.push(...ids);
    };
    list('queue', filter.queues);
    list('channel', filter.channels);
    list('worker', filter.workers);
    return sql;
  }

  private fromRollup(req: FlowRequest, res: Resolution, from: number, to: number, out: FlowResult): void {
    const params: unknown[] = [...req.kinds, res, from, to];
    const dimSel = req.dims.map((d, i) => `${d} AS d${i}`).join(', ');
    const groupDims = req.dims.map((_, i) => `d${i}`).join(', ');
    const where = this.where(req.filter, params);
    const sql = `SELECT kind, bucket${dimSel ? ', ' + dimSel : ''}, sum(n) AS n, sum(sum_ms) AS s, max(max) AS m
      FROM rollup WHERE kind IN (${req.kinds.map(() => '?').join(',')}) AND res = ? AND bucket >= ? AND bucket < ?${where}
      GROUP BY kind, bucket${groupDims ? ', ' + groupDims : ''}`;
    const keyCache = new Map<number, string>();
    for (const r of this.db
      .prepare(sql)
      .raw()
      .iterate(...params) as Iterable<number[]>) {
      const bucket = r[1]!;
      let tk = keyCache.get(bucket);
      if (tk === undefined) keyCache.set(bucket, (tk = req.axis.keyOf(bucket)));
      const dims = r.slice(2, 2 + req.dims.length);
      const [n, s, m] = r.slice(2 + req.dims.length) as [number, number, number];
      add(out, cellKey(tk, dims), r[0]!, n, s, m);
    }
  }

  private fromSamples(req: FlowRequest, from: number, to: number, out: FlowResult): void {
    if (from >= to) return;
    const params: unknown[] = [...req.kinds, from, to];
    const dimSel = req.dims.map((d) => `, ${d}`).join('');
    let where = this.where(req.filter, params);
    if (req.valueAtMost) {
      where += ' AND (kind <> ? OR value <= ?)';
      params.push(req.valueAtMost.kind, req.valueAtMost.seconds);
    }
    const sql = `SELECT kind, ms${dimSel}, value FROM samples
      WHERE kind IN (${req.kinds.map(() => '?').join(',')}) AND ms >= ? AND ms < ?${where}`;
    for (const r of this.db
      .prepare(sql)
      .raw()
      .iterate(...params) as Iterable<number[]>) {
      const dims = r.slice(2, 2 + req.dims.length);
      const v = r[2 + req.dims.length]!;
      add(out, cellKey(req.axis.keyOf(r[1]!), dims), r[0]!, 1, Math.round(v * 1000), v);
    }
  }
}

function add(out: FlowResult, key: string, kind: number, n: number, sumMs: number, max: number): void {
  let cell = out.get(key);
  if (!cell) out.set(key, (cell = new Map()));
  addAgg(cell, kind, { n, sumMs, max });
}

/** Adds one aggregate into a cell (counts and sums add, the max is the larger). */
export function addAgg(cell: Map<number, Agg>, kind: number, a: Agg): void {
  const cur = cell.get(kind);
  if (cur) {
    cur.n += a.n;
    cur.sumMs += a.sumMs;
    cur.max = Math.max(cur.max, a.max);
  } else cell.set(kind, { ...a });
}
