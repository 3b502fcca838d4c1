// Flow, duration and ratio metrics: counts and averages of task samples (rollups for whole
// buckets, raw samples at the edges), shaped by the query's grouping. Every bucket is present:
// 0 for counts, null where an average has no samples.
import type { QueryOptions } from '@floorboard/contract';
import { timeAxis } from '../axis';
import { SAMPLE_KIND_ID as K } from '../../store/facts';
import { cellKey, type Agg, type DimColumn, type FlowResult } from '../../store/flow';
import { abandonRate, meanSeconds, OUTCOME_KINDS, outcomeCounts, serviceLevelOfQueues } from '../formulas';
import type { ParsedQuery, QueryKit, Runner } from '../kit';
import type { SampleKind } from '../../store/kinds';

type Cell = Map<number, Agg> | undefined;
const n = (c: Cell, k: SampleKind) => c?.get(K[k])?.n ?? 0;
const sumMs = (c: Cell, k: SampleKind) => c?.get(K[k])?.sumMs ?? 0;
const max = (c: Cell, ...ks: SampleKind[]) => {
  const vals = ks.map((k) => c?.get(K[k])).filter((a): a is Agg => !!a && a.n > 0);
  return vals.length ? Math.max(...vals.map((a) => a.max)) : null;
};

interface FlowDef {
  /** Sample kinds read. */
  kinds: SampleKind[];
  /** How one cell's aggregates become the number shown. */
  value: (c: Cell, o: QueryOptions) => number | null;
}

function countOf(...kinds: SampleKind[]): FlowDef {
  return { kinds, value: (c) => kinds.reduce((s, k) => s + n(c, k), 0) };
}
function meanOf(...kinds: SampleKind[]): FlowDef {
  return {
    kinds,
    value: (c, o) =>
      o.stat === 'max'
        ? max(c, ...kinds)
        : meanSeconds(
            kinds.reduce((s, k) => s + sumMs(c, k), 0),
            kinds.reduce((s, k) => s + n(c, k), 0),
          ),
  };
}

/** The flow metrics: which sample kinds each reads and how a cell becomes a number. */
const FLOW = {
  tasks_created: countOf('created'),
  tasks_entered: countOf('entered'),
  tasks_moved: countOf('moved'),
  tasks_received: countOf('received'),
  tasks_handled: countOf('handled'),
  tasks_abandoned: countOf('abandoned'),
  tasks_short_abandoned: countOf('abandoned_short'),
  tasks_completed: countOf('completed'),
  reservations_timed_out: countOf('res_timed_out'),
  reservations_rejected: countOf('res_rejected'),
  tasks_timed_out: countOf('timed_out'),
  avg_wait: meanOf('handled', 'abandoned'),
  avg_queue_wait: meanOf('queue_wait'),
  avg_answer_time: meanOf('handled'),
  avg_abandon_time: meanOf('abandoned'),
  avg_task_duration: meanOf('completed'),
  avg_handle_time: meanOf('handle_time'),
  avg_wrapup_time: meanOf('wrapup_time'),
  abandon_rate: { kinds: ['handled', 'abandoned'], value: (c) => abandonRate(outcomeCounts(c)) },
  agent_tasks_handled: countOf('handled'),
  agent_avg_handle_time: meanOf('handle_time'),
} satisfies Record<string, FlowDef>;

function runFlow(def: FlowDef): Runner {
  return (q: ParsedQuery, kit: QueryKit) => {
    const axis = timeAxis(q.groupBy, q.interval, q.from, q.to, q.zone);
    const dim = kit.dimColumn(q.groupBy);
    const cells = kit.flow.read({
      kinds: def.kinds.map((k) => K[k]),
      from: q.from,
      to: q.to,
      axis,
      dims: dim ? [dim] : [],
      filter: kit.filter(q),
    });
    if (dim === 'queue') kit.addGroupCells(cells);
    const value = (timeKey: string, dimId?: number) =>
      def.value(cells.get(cellKey(timeKey, dimId === undefined ? [] : [dimId])), q.options);
    return kit.frames(q, axis, dim, value);
  };
}

const ZERO: Agg = { n: 0, sumMs: 0, max: 0 };

/**
 * Service level: read per queue as well as per the query's grouping, so that each queue's numerator
 * and denominator follow its own `serviceLevelAbandons` rule before they are summed.
 */
const serviceLevelRunner: Runner = (q, kit) => {
  const axis = timeAxis(q.groupBy, q.interval, q.from, q.to, q.zone);
  const dim = kit.dimColumn(q.groupBy);
  const dims: DimColumn[] = dim === 'queue' || !dim ? ['queue'] : [dim, 'queue'];
  const read = { from: q.from, to: q.to, axis, dims, filter: kit.filter(q) };
  const cells = kit.flow.read({ ...read, kinds: [...OUTCOME_KINDS] });
  const T = q.options.thresholdSeconds;
  if (T !== undefined) {
    // A threshold chosen in the query: count waits <= T from raw samples instead of the stored in-SL kinds.
    const upTo = (kind: number): FlowResult => kit.flow.read({ ...read, kinds: [kind], valueAtMost: { kind, seconds: T } });
    const handled = upTo(K.handled);
    const abandoned = upTo(K.abandoned);
    const short = upTo(K.abandoned_short);
    for (const [key, cell] of cells) {
      const count = (r: FlowResult, kind: number) => r.get(key)?.get(kind)?.n ?? 0;
      cell.set(K.handled_in_sl, handled.get(key)?.get(K.handled) ?? ZERO);
      cell.set(K.abandoned_in_sl, { ...ZERO, n: Math.max(0, count(abandoned, K.abandoned) - count(short, K.abandoned_short)) });
    }
  }
  // Frame key (time key and the grouping's member) -> that key's cells, one per queue.
  const byFrameKey = new Map<string, [string | null, Cell][]>();
  for (const [key, cell] of cells) {
    const parts = key.split('|');
    const queueId = Number(parts[parts.length - 1]);
    const frameKeys =
      dim === 'queue' ? [key, ...kit.groupIdsOf(queueId).map((g) => cellKey(parts[0]!, [g]))] : [parts.slice(0, -1).join('|')];
    for (const frameKey of frameKeys) {
      const list = byFrameKey.get(frameKey) ?? [];
      list.push([kit.dims.name(queueId), cell]);
      byFrameKey.set(frameKey, list);
    }
  }
  const value = (timeKey: string, dimId?: number) =>
    serviceLevelOfQueues(kit.sla, byFrameKey.get(cellKey(timeKey, dimId === undefined ? [] : [dimId])) ?? []);
  return kit.frames(q, axis, dim, value);
};

export type FlowMetricId = keyof typeof FLOW;
export const flowFamily = {
  ...(Object.fromEntries(Object.entries(FLOW).map(([id, def]) => [id, runFlow(def)])) as Record<FlowMetricId, Runner>),
  service_level: serviceLevelRunner,
};
