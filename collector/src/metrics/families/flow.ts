// Flow, duration and ratio metrics: counts and averages of task samples (rollups for whole
// buckets, raw samples at the edges), shaped by the query's grouping. Every bucket is present:
// 0 for counts, null where an average has no samples.
import type { QueryOptions } from '@floorboard/contract';
import { timeAxis } from '../axis';
import { SAMPLE_KIND_ID as K } from '../../store/facts';
import { cellKey, type Agg } from '../../store/flow';
import { abandonRate, meanSeconds, serviceLevel } from '../formulas';
import type { ParsedQuery, QueryKit, Runner } from '../kit';
import type { SampleKind } from '../taskfacts';

type Cell = Map<number, Agg> | undefined;
const n = (c: Cell, k: SampleKind) => c?.get(K[k])?.n ?? 0;
const sumMs = (c: Cell, k: SampleKind) => c?.get(K[k])?.sumMs ?? 0;
const max = (c: Cell, ...ks: SampleKind[]) => {
  const vals = ks.map((k) => c?.get(K[k])).filter((a): a is Agg => !!a && a.n > 0);
  return vals.length ? Math.max(...vals.map((a) => a.max)) : null;
};
const outcomes = (c: Cell) => ({
  handled: n(c, 'handled'),
  handledInSl: n(c, 'handled_in_sl'),
  abandoned: n(c, 'abandoned'),
  abandonedShort: n(c, 'abandoned_short'),
});

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
  service_level: { kinds: ['handled', 'handled_in_sl', 'abandoned', 'abandoned_short'], value: (c) => serviceLevel(outcomes(c)) },
  abandon_rate: { kinds: ['handled', 'abandoned'], value: (c) => abandonRate(outcomes(c)) },
  agent_tasks_handled: countOf('handled'),
  agent_avg_handle_time: meanOf('handle_time'),
} satisfies Record<string, FlowDef>;

function runFlow(def: FlowDef): Runner {
  return (q: ParsedQuery, kit: QueryKit) => {
    const axis = timeAxis(q.groupBy, q.interval, q.from, q.to, q.zone);
    const dim = kit.dimColumn(q.groupBy);
    const filter = kit.filter(q);
    const custom = q.metric.id === 'service_level' && q.options.thresholdSeconds !== undefined;
    const kinds = custom ? def.kinds.map((k) => (k === 'handled_in_sl' ? 'handled' : k)) : def.kinds;
    const read = { from: q.from, to: q.to, axis, dims: dim ? [dim] : [], filter };
    const cells = kit.flow.read({ ...read, kinds: [...new Set(kinds.map((k) => K[k]))] });
    if (custom) {
      // Service level against a threshold chosen in the query: count handled samples <= T from raw samples.
      const within = kit.flow.read({ ...read, kinds: [K.handled], valueAtMost: { kind: K.handled, seconds: q.options.thresholdSeconds! } });
      for (const [key, cell] of cells) {
        const w = within.get(key)?.get(K.handled);
        cell.set(K.handled_in_sl, w ? { ...w } : { n: 0, sumMs: 0, max: 0 });
      }
    }
    const value = (timeKey: string, dimId?: number) =>
      def.value(cells.get(cellKey(timeKey, dimId === undefined ? [] : [dimId])), q.options);
    return kit.frames(q, axis, dim, value);
  };
}

export type FlowMetricId = keyof typeof FLOW;
export const flowFamily = Object.fromEntries(Object.entries(FLOW).map(([id, def]) => [id, runFlow(def)])) as Record<FlowMetricId, Runner>;
