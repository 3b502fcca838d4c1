// Staffing over time: agents required (Erlang C) and the staffing gap (required − available),
// evaluated every minute of the range (coarser for long ranges) and summarised per bucket like the
// other state metrics: average of the instants, peak, or the last one.
import type { QueryResponse } from '@floorboard/contract';
import { timeAxis } from '../axis';
import type { ParsedQuery, QueryKit, Runner } from '../kit';
import { StaffingEstimator, type StaffingPoint } from '../staffing';
import { accumulate, newAcc, statOf, type Acc } from '../sweep';

/** Most instants evaluated per series; longer ranges evaluate every few minutes instead of every minute. */
const MAX_INSTANTS = 5000;
const MINUTE = 60_000;

function instantsOf(from: number, to: number): { instants: number[]; step: number } {
  const step = MINUTE * Math.max(1, Math.ceil((to - from) / MINUTE / MAX_INSTANTS));
  const instants: number[] = [];
  for (let t = Math.ceil(from / step) * step; t < to; t += step) instants.push(t);
  return { instants, step };
}

function staffing(value: (p: StaffingPoint) => number | null): Runner {
  return (q: ParsedQuery, kit: QueryKit): QueryResponse => {
    const stat = q.options.stat ?? 'avg';
    const estimator = new StaffingEstimator(kit.sla, kit.dims, kit.population, kit.flow, kit.intervals);
    const { instants, step } = instantsOf(q.from, Math.min(q.to, kit.now() + 1));
    const axis = timeAxis(q.groupBy === 'queue' ? 'none' : q.groupBy, q.interval, q.from, q.to, q.zone);
    const series = (names: string[]): Map<string, Acc> => {
      const out = new Map<string, Acc>();
      for (const p of estimator.at(estimator.scopeOfNames(names), instants, names)) {
        const v = value(p);
        if (v === null) continue;
        const key = axis.keyOf(p.at);
        let acc = out.get(key);
        if (!acc) out.set(key, (acc = newAcc()));
        accumulate(acc, v * step, step, v, v, p.at);
      }
      return out;
    };
    const f = kit.valueField(q.metric);
    if (q.groupBy === 'queue') {
      const names = q.queues.length ? q.queues : kit.population.queueList().map((x) => x.name);
      f.values = names.map((n) => statOf(series([n]).get(''), stat));
      return { frames: [{ name: q.metric.id, fields: [{ name: 'queue', type: 'string', values: names }, f] }] };
    }
    const accs = series(q.queues);
    f.values = axis.keys.map((k) => statOf(accs.get(k), stat));
    if (q.groupBy === 'none') return { frames: [{ name: q.metric.id, fields: [f] }] };
    return { frames: [{ name: q.metric.id, fields: [axis.field(), f] }] };
  };
}

export const staffingFamily = {
  agents_required: staffing((p) => p.required),
  staffing_gap: staffing((p) => (p.required === null ? null : p.required - p.available)),
} satisfies Record<string, Runner>;
