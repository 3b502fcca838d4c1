// State metrics: a value at every instant (customers waiting, longest wait, tasks in progress,
// agents logged in / available / by activity), per bucket the time-weighted average, peak or last
// value. Whole buckets come from the step rollups; intervals are swept only at the ragged edges
// (and for peaks, last values, longest wait and agents by queue).
import type { Frame, QueryResponse } from '@floorboard/contract';
import { timeAxis, type TimeAxis } from '../axis';
import { INTERVAL_KIND_ID } from '../../store/facts';
import type { ParsedQuery, QueryKit, Runner } from '../kit';
import { newAcc, statOf, sweepCount, sweepOldest, type Acc, type SpanInterval } from '../sweep';

/** Which series a (queue, channel, label) of the step rollups feeds (a queue's and its groups'); empty: none. */
type SeriesOfStep = (queue: number, channel: number, label: number) => string[];

function state(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const stat = q.options.stat ?? 'avg';
  const stateTo = Math.min(q.to, kit.now());
  const axis = timeAxis(q.groupBy === 'activity' ? 'none' : q.groupBy, q.interval, q.from, q.to, q.zone);
  const id = q.metric.id;
  const needsMembership = id.startsWith('agents_') && (q.groupBy === 'queue' || q.queues.length > 0);
  // Agents by queue, averaged over the whole range: per-agent time in each activity, summed in SQL.
  if (needsMembership && stat === 'avg' && id !== 'agents_by_activity' && axis.keys.length === 1)
    return agentsByQueueAverage(q, kit, stateTo);
  const res = stat === 'avg' && id !== 'longest_wait' && !needsMembership ? axis.resolution : null;
  const width = res === null ? 0 : res * 60_000;
  const middle: [number, number] | null =
    res !== null && Math.ceil(q.from / width) * width < Math.floor(stateTo / width) * width
      ? [Math.ceil(q.from / width) * width, Math.floor(stateTo / width) * width]
      : null;
  const windows: [number, number][] = middle
    ? [
        [q.from, middle[0]],
        [middle[1], stateTo],
      ]
    : [[q.from, stateTo]];
  const segments = axis
    .segments()
    .flatMap((s) => windows.map(([a, b]) => ({ ...s, start: Math.max(s.start, a), end: Math.min(s.end, b) })))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const intervalsOf = (kind: number) => windows.flatMap(([a, b]) => (b > a ? kit.clippedIntervals(kind, a, b) : []));
  const series = new Map<string, SpanInterval[]>();
  const put = (key: string, i: SpanInterval) => {
    const list = series.get(key);
    if (list) list.push(i);
    else series.set(key, [i]);
  };
  const seriesNames: string[] = [];
  let seriesOfStep: SeriesOfStep = () => [];
  let stepKind = 0;
  if (id.startsWith('agents_')) {
    const classify = kit.population.activityClasses();
    const membership = q.groupBy === 'queue' || q.queues.length ? kit.population.membership() : null;
    const wanted = new Set(q.queues);
    const labelName = new Map<number, string | null>();
    stepKind = INTERVAL_KIND_ID.agent;
    seriesOfStep = (_q, _c, label) => {
      const name = kit.dims.name(label);
      const cls = classify(name);
      if (cls.offline || (id === 'agents_available' && !cls.available)) return [];
      return [id === 'agents_by_activity' ? (name ?? '') : ''];
    };
    for (const r of intervalsOf(INTERVAL_KIND_ID.agent)) {
      if (!labelName.has(r.label)) labelName.set(r.label, kit.dims.name(r.label));
      const name = labelName.get(r.label)!;
      const cls = classify(name);
      if (cls.offline || (id === 'agents_available' && !cls.available)) continue;
      const inQueues = membership ? (membership.get(r.worker) ?? []).filter((qn) => wanted.size === 0 || wanted.has(qn)) : null;
      if (inQueues && inQueues.length === 0) continue;
      if (id === 'agents_by_activity') put(name ?? '', r);
      else if (q.groupBy === 'queue') for (const qn of inQueues!) put(qn, r);
      else put('', r);
    }
    if (id === 'agents_by_activity') {
      // Activities seen in the rollups' part of the range also get a series (not only those at the edges).
      if (middle && res !== null)
        for (const label of kit.intervals.labelsSince(stepKind, res, middle[0])) {
          for (const name of seriesOfStep(0, 0, label)) if (!series.has(name)) series.set(name, []);
        }
      seriesNames.push(...[...series.keys()].sort());
    } else if (q.groupBy === 'queue') seriesNames.push(...(q.queues.length ? q.queues : kit.population.queueList().map((x) => x.name)));
  } else {
    const kind = id === 'tasks_in_progress' ? INTERVAL_KIND_ID.in_progress : INTERVAL_KIND_ID.waiting;
    const f = kit.filter(q);
    const dim = kit.dimColumn(q.groupBy);
    stepKind = kind;
    seriesOfStep = (queue, channel) => {
      if (f.queues && !f.queues.includes(queue)) return [];
      if (f.channels && !f.channels.includes(channel)) return [];
      if (dim === 'queue') return [queue, ...kit.groupIdsOf(queue)].map(String);
      return [dim === 'channel' ? String(channel) : ''];
    };
    for (const r of intervalsOf(kind)) for (const key of seriesOfStep(r.queue, r.channel, r.label)) put(key, r);
    if (dim) seriesNames.push(...kit.members(dim, q).map((m) => String(m.id)));
  }

  const accs = new Map<string, Map<string, Acc>>();
  // Dimension groupings list their members (maybe none); otherwise there is one series.
  const byDimension = id === 'agents_by_activity' || q.groupBy === 'queue' || q.groupBy === 'channel';
  const keys = byDimension ? seriesNames : [''];
  for (const key of keys) {
    const out = new Map<string, Acc>();
    for (const s of segments) if (!out.has(s.key)) out.set(s.key, newAcc());
    const list = series.get(key) ?? [];
    if (id === 'longest_wait') sweepOldest(list, segments, out);
    else sweepCount(list, segments, out);
    accs.set(key, out);
  }
  if (middle && res !== null) stepIntegrals(kit, stepKind, res, middle, axis, seriesOfStep, accs);
  const valueOf = (seriesKey: string, timeKey: string) => statOf(accs.get(seriesKey)?.get(timeKey), stat);

  if (id === 'agents_by_activity') {
    if (q.groupBy === 'activity' || q.groupBy === 'none') {
      const f = kit.valueField(q.metric);
      f.values = keys.map((k) => valueOf(k, '') ?? 0);
      return { frames: [{ name: id, fields: [{ name: 'activity', type: 'string', values: keys }, f] }] };
    }
    return {
      frames: keys.map<Frame>((k) => {
        const f = kit.valueField(q.metric, { activity: k });
        f.config = { unit: q.metric.unit, displayName: k };
        f.values = axis.keys.map((t) => valueOf(k, t));
        return { name: k, fields: [axis.field(), f] };
      }),
    };
  }
  if (q.groupBy === 'queue' || q.groupBy === 'channel') {
    const f = kit.valueField(q.metric);
    // Agents by queue are keyed by queue name; task series by dimension id, named as requested.
    const names = id.startsWith('agents_') ? keys : kit.members(q.groupBy, q).map((m) => m.name);
    f.values = keys.map((k) => valueOf(k, ''));
    return { frames: [{ name: id, fields: [{ name: q.groupBy, type: 'string', values: names }, f] }] };
  }
  const f = kit.valueField(q.metric);
  f.values = axis.keys.map((t) => valueOf('', t));
  if (q.groupBy === 'none') return { frames: [{ name: id, fields: [f] }] };
  return { frames: [{ name: id, fields: [axis.field(), f] }] };
}

/** Average agents logged in / available per queue over [from, stateTo): Σ member time ÷ span. */
function agentsByQueueAverage(q: ParsedQuery, kit: QueryKit, stateTo: number): QueryResponse {
  const id = q.metric.id;
  const classify = kit.population.activityClasses();
  const membership = kit.population.membership();
  const span = stateTo - q.from;
  const perQueue = new Map<string, number>();
  const wanted = new Set(q.queues);
  const labelClass = new Map<number, ReturnType<typeof classify>>();
  for (const r of kit.intervals.timeByWorkerLabel(INTERVAL_KIND_ID.agent, q.from, stateTo)) {
    if (!labelClass.has(r.label)) labelClass.set(r.label, classify(kit.dims.name(r.label)));
    const cls = labelClass.get(r.label)!;
    if (cls.offline || (id === 'agents_available' && !cls.available)) continue;
    const queues = (membership.get(r.worker) ?? []).filter((qn) => wanted.size === 0 || wanted.has(qn));
    if (q.groupBy === 'queue') for (const qn of queues) perQueue.set(qn, (perQueue.get(qn) ?? 0) + r.ms);
    else if (queues.length > 0) perQueue.set('', (perQueue.get('') ?? 0) + r.ms);
  }
  const f = kit.valueField(q.metric);
  const value = (k: string) => (span > 0 ? (perQueue.get(k) ?? 0) / span : null);
  if (q.groupBy !== 'queue') {
    f.values = [value('')];
    return { frames: [{ name: id, fields: [f] }] };
  }
  const names = q.queues.length ? q.queues : kit.population.queueList().map((x) => x.name);
  f.values = names.map(value);
  return { frames: [{ name: id, fields: [{ name: 'queue', type: 'string', values: names }, f] }] };
}

/**
 * Adds the time integral of each series over [from, to) (whole rollup buckets) from the step
 * rollups: level at `from` = running total minus every step since; then bucket by bucket,
 * integral = level x width + w, level += d.
 */
function stepIntegrals(
  kit: QueryKit,
  kind: number,
  res: number,
  [from, to]: [number, number],
  axis: TimeAxis,
  seriesOf: SeriesOfStep,
  accs: Map<string, Map<string, Acc>>,
): void {
  const width = res * 60_000;
  const level = new Map<string, number>();
  for (const r of kit.intervals.totals(kind))
    for (const s of seriesOf(r.queue, r.channel, r.label)) level.set(s, (level.get(s) ?? 0) + r.total);
  const steps = new Map<string, Map<number, { d: number; w: number }>>();
  for (const r of kit.intervals.stepsSince(kind, res, from))
    for (const s of seriesOf(r.queue, r.channel, r.label)) {
      level.set(s, (level.get(s) ?? 0) - r.d);
      if (r.bucket >= to) continue;
      let m = steps.get(s);
      if (!m) steps.set(s, (m = new Map()));
      const cur = m.get(r.bucket);
      if (cur) {
        cur.d += r.d;
        cur.w += r.w;
      } else m.set(r.bucket, { d: r.d, w: r.w });
    }
  const keys = new Map<number, string>();
  for (const [s, out] of accs) {
    let l = level.get(s) ?? 0;
    const m = steps.get(s);
    for (let b = from; b < to; b += width) {
      const st = m?.get(b);
      let tk = keys.get(b);
      if (tk === undefined) keys.set(b, (tk = axis.keyOf(b)));
      let acc = out.get(tk);
      if (!acc) out.set(tk, (acc = newAcc()));
      acc.integral += l * width + (st?.w ?? 0);
      acc.duration += width;
      l += st?.d ?? 0;
    }
  }
}

export const stateFamily = {
  tasks_waiting: state,
  tasks_in_progress: state,
  longest_wait: state,
  agents_logged_in: state,
  agents_available: state,
  agents_by_activity: state,
} satisfies Record<string, Runner>;
