// What every metric family shares: the parsed query, the stores it reads, dimension members and
// names, and how values become Grafana frames.
import type { CatalogEntry, FrameField, GroupBy, Metric, QueryOptions, QueryResponse } from '@floorboard/contract';
import type { Sla } from '@floorboard/contract/sla';
import type { Dims } from '../store/dims';
import type { IntervalStore } from '../store/intervals';
import type { TimeAxis } from './axis';
import { addAgg, type Agg, type DimColumn, type FlowData, type FlowFilter, type FlowResult } from '../store/flow';
import { OPEN_END } from '../store/facts';
import type { Population } from './population';
import type { FloorStore } from '../store/floor';
import type { Zone } from './time';

export interface ParsedQuery {
  metric: Metric;
  from: number;
  to: number;
  groupBy: GroupBy;
  interval: string | undefined;
  queues: string[];
  channels: string[];
  zone: Zone;
  options: QueryOptions;
}

/** One metric's answer to a parsed query. */
export type Runner = (q: ParsedQuery, kit: QueryKit) => QueryResponse;

/** An interval clipped to a query range: `start`/`end` within it. */
export interface ClippedInterval {
  queue: number;
  channel: number;
  worker: number;
  label: number;
  origin: number;
  start: number;
  end: number;
}

export class QueryKit {
  constructor(
    readonly dims: Dims,
    readonly population: Population,
    readonly flow: FlowData,
    readonly intervals: IntervalStore,
    readonly now: () => number,
    readonly floor: FloorStore,
    /** The SLA file: per-queue service-level rules, groups. */
    readonly sla: Sla,
  ) {}

  /** The instant a "now" metric describes: the query's `to`, never later than now. */
  instant(q: ParsedQuery): number {
    return Math.min(q.to, this.now());
  }

  /** Query filters as dimension ids (an unknown name matches nothing; a group stands for its queues). */
  filter(q: ParsedQuery): FlowFilter {
    const ids = (kind: 'queue' | 'channel', names: string[]) =>
      names.length ? [...new Set(names.map((nm) => this.dims.find(kind, nm) ?? -1))] : undefined;
    return {
      queues: ids(
        'queue',
        q.queues.flatMap((nm) => this.population.queuesOf(nm)),
      ),
      channels: ids('channel', q.channels),
    };
  }

  /**
   * A queue group's row id in frames grouped by queue: negative, so it never meets a stored
   * dimension id (those count up from 1). Undefined for a name that is not a group.
   */
  groupId(name: string): number | undefined {
    const i = Object.keys(this.sla.groups).indexOf(name);
    return i < 0 ? undefined : -2 - i;
  }

  /** Row ids of the groups holding a queue (by its dimension id). */
  groupIdsOf(queueId: number): number[] {
    const name = this.dims.name(queueId);
    if (name === null) return [];
    return Object.entries(this.sla.groups)
      .filter(([, members]) => members.includes(name))
      .map(([g]) => this.groupId(g)!);
  }

  /** Adds each group's cells (its queues' aggregates summed) to cells keyed `time|queue id`. */
  addGroupCells(cells: FlowResult): void {
    for (const [key, cell] of [...cells]) {
      const cut = key.lastIndexOf('|');
      for (const gid of this.groupIdsOf(Number(key.slice(cut + 1)))) {
        const gkey = `${key.slice(0, cut)}|${gid}`;
        const into = cells.get(gkey) ?? new Map<number, Agg>();
        cells.set(gkey, into);
        for (const [kind, a] of cell) addAgg(into, kind, a);
      }
    }
  }

  dimColumn(groupBy: GroupBy): DimColumn | null {
    return groupBy === 'queue' ? 'queue' : groupBy === 'channel' ? 'channel' : groupBy === 'worker' ? 'worker' : null;
  }

  /** Every member of a dimension to list (all present, even with no data), honouring filters. */
  members(dim: DimColumn, q: ParsedQuery): { id: number; name: string }[] {
    if (dim === 'queue') {
      const names = q.queues.length ? q.queues : this.population.queueList().map((x) => x.name);
      return names.map((name) => ({ id: this.groupId(name) ?? this.dims.find('queue', name) ?? -1, name }));
    }
    if (dim === 'channel') {
      const names = q.channels.length ? q.channels : this.dims.all('channel').map((c) => c.name);
      return names.map((name) => ({ id: this.dims.find('channel', name) ?? -1, name }));
    }
    if (dim === 'worker') {
      const names = this.population.workerNames();
      return [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
    }
    return this.dims.all('label');
  }

  valueField(metric: CatalogEntry, labels: Record<string, string> = {}): FrameField {
    return { name: metric.id, type: 'number', values: [], labels, config: { unit: metric.unit, displayName: metric.title } };
  }

  /** Shapes values into frames: time-like groupings give [key, value]; dimension groupings [name, value]. */
  frames(q: ParsedQuery, axis: TimeAxis, dim: DimColumn | null, value: (timeKey: string, dimId?: number) => number | null): QueryResponse {
    const field = this.valueField(q.metric);
    if (dim) {
      const members = this.members(dim, q);
      field.values = members.map((m) => value('', m.id));
      return { frames: [{ name: q.metric.id, fields: [{ name: q.groupBy, type: 'string', values: members.map((m) => m.name) }, field] }] };
    }
    field.values = axis.keys.map((k) => value(k));
    if (q.groupBy === 'none') return { frames: [{ name: q.metric.id, fields: [field] }] };
    return { frames: [{ name: q.metric.id, fields: [axis.field(), field] }] };
  }

  /** Intervals of `kind` overlapping [from, to), clipped to it (open ones end at `to`). */
  clippedIntervals(kind: number, from: number, to: number): ClippedInterval[] {
    return this.intervals
      .overlapping(kind, from, to)
      .map((r) => ({ ...r, start: Math.max(r.start_ms, from), end: Math.min(r.end_ms === OPEN_END ? to : r.end_ms, to) }));
  }
}

/** Byte-order comparison (stable across locales) for sorting names in frames. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
