// The query engine: one parsed metric query -> Grafana data frames. Flow, duration, ratio and
// breakdown metrics read sample aggregates (rollups + raw edges); state and agent metrics sweep
// intervals. Every bucket is present: 0 for counts, null where an average has no samples.
import type { Sla } from '../sla';
import type { Db } from '../store/db';
import type { Dims } from '../store/dims';
import type { CatalogEntry, Frame, FrameField, GroupBy, QueryOptions, QueryResponse } from '../wire';
import { isTimeGrouping, timeAxis, type TimeAxis } from './axis';
import { INTERVAL_KIND_ID, OPEN_END, SAMPLE_KIND_ID } from './factstore';
import { cellKey, FlowData, type Agg, type DimColumn, type FlowFilter } from './flowdata';
import { Population } from './population';
import { newAcc, statOf, sweepCount, sweepOldest, type Acc, type SpanInterval } from './sweep';
import type { SampleKind } from './taskfacts';
import type { Zone } from './time';

export interface ParsedQuery {
  metric: CatalogEntry;
  from: number;
  to: number;
  groupBy: GroupBy;
  interval: string | undefined;
  queues: string[];
  channels: string[];
  zone: Zone;
  options: QueryOptions;
}

type Cell = Map<number, Agg> | undefined;
const K = SAMPLE_KIND_ID;
const n = (c: Cell, k: SampleKind) => c?.get(K[k])?.n ?? 0;
const sumMs = (c: Cell, k: SampleKind) => c?.get(K[k])?.sumMs ?? 0;
const max = (c: Cell, ...ks: SampleKind[]) => {
  const vals = ks.map((k) => c?.get(K[k])).filter((a): a is Agg => !!a && a.n > 0);
  return vals.length ? Math.max(...vals.map((a) => a.max)) : null;
};
const pct = (num: number, den: number) => (den > 0 ? (num / den) * 100 : null);

function countOf(...kinds: SampleKind[]) {
  return { kinds, value: (c: Cell) => kinds.reduce((s, k) => s + n(c, k), 0) };
}
function meanOf(...kinds: SampleKind[]) {
  return {
    kinds,
    value: (c: Cell, o: QueryOptions) => {
      if (o.stat === 'max') return max(c, ...kinds);
      const count = kinds.reduce((s, k) => s + n(c, k), 0);
      return count > 0 ? kinds.reduce((s, k) => s + sumMs(c, k), 0) / 1000 / count : null;
    },
  };
}

/** Flow metrics: which sample kinds to read and how a cell becomes a number. */
const FLOW: Record<string, { kinds: SampleKind[]; value: (c: Cell, o: QueryOptions) => number | null }> = {
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
  service_level: {
    kinds: ['handled', 'handled_in_sl', 'abandoned', 'abandoned_short'],
    value: (c) => pct(n(c, 'handled_in_sl'), n(c, 'handled') + n(c, 'abandoned') - n(c, 'abandoned_short')),
  },
  abandon_rate: { kinds: ['handled', 'abandoned'], value: (c) => pct(n(c, 'abandoned'), n(c, 'handled') + n(c, 'abandoned')) },
  agent_tasks_handled: countOf('handled'),
  agent_avg_handle_time: meanOf('handle_time'),
};

export class QueryEngine {
  private readonly flow: FlowData;
  readonly population: Population;
  private readonly intervalsStmt;

  constructor(
    private readonly db: Db,
    private readonly dims: Dims,
    sla: Sla,
    private readonly now: () => number = Date.now,
  ) {
    this.flow = new FlowData(db);
    this.population = new Population(db, dims, sla);
    this.intervalsStmt = db.prepare<[number, number, number], { queue: number; channel: number; worker: number; label: number; start_ms: number; end_ms: number; origin: number }>(
      'SELECT queue, channel, worker, label, start_ms, end_ms, origin_ms AS origin FROM intervals WHERE kind = ? AND end_ms > ? AND start_ms < ?',
    );
  }

  run(q: ParsedQuery): QueryResponse {
    const id = q.metric.id;
    if (id === 'dispositions' || id === 'tasks_by_direction') return this.breakdown(q);
    if (id === 'agent_activity_time') return this.activityTime(q);
    if (id === 'agent_current_activity') return this.currentActivity(q);
    if (id === 'agent_occupancy') return this.occupancy(q);
    if (q.metric.kind === 'state') return this.state(q);
    return this.flowMetric(q);
  }

  // ---- flow, duration and ratio metrics ------------------------------------------------------

  private filter(q: ParsedQuery): FlowFilter {
    const ids = (kind: 'queue' | 'channel', names: string[]) => (names.length ? names.map((nm) => this.dims.find(kind, nm) ?? -1) : undefined);
    return { queues: ids('queue', q.queues), channels: ids('channel', q.channels) };
  }

  private dimColumn(groupBy: GroupBy): DimColumn | null {
    return groupBy === 'queue' ? 'queue' : groupBy === 'channel' ? 'channel' : groupBy === 'worker' ? 'worker' : null;
  }

  private flowMetric(q: ParsedQuery): QueryResponse {
    const def = FLOW[q.metric.id]!;
    const axis = timeAxis(q.groupBy, q.interval, q.from, q.to, q.zone);
    const dim = this.dimColumn(q.groupBy);
    const custom = q.metric.id === 'service_level' && q.options.thresholdSeconds !== undefined;
    const kinds = custom ? def.kinds.map((k) => (k === 'handled_in_sl' ? 'handled' : k)) : def.kinds;
    const cells = this.flow.read({
      kinds: [...new Set(kinds.map((k) => K[k]))],
      from: q.from,
      to: q.to,
      axis,
      dims: dim ? [dim] : [],
      filter: this.filter(q),
    });
    if (custom) {
      // Service level against a threshold chosen in the query: count handled samples <= T from raw samples.
      const within = this.flow.read({ kinds: [K.handled], from: q.from, to: q.to, axis, dims: dim ? [dim] : [], filter: this.filter(q), valueAtMost: { kind: K.handled, seconds: q.options.thresholdSeconds! } });
      for (const [key, cell] of cells) {
        const w = within.get(key)?.get(K.handled);
        cell.set(K.handled_in_sl, w ? { ...w } : { n: 0, sumMs: 0, max: 0 });
      }
    }
    const value = (timeKey: string, dimId?: number) => def.value(cells.get(cellKey(timeKey, dimId === undefined ? [] : [dimId])), q.options);
    return this.frames(q, axis, dim, value);
  }

  /** Shapes values into frames: time-like groupings give [key, value]; dimension groupings [name, value]. */
  private frames(q: ParsedQuery, axis: TimeAxis, dim: DimColumn | null, value: (timeKey: string, dimId?: number) => number | null): QueryResponse {
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

  private valueField(metric: CatalogEntry, labels: Record<string, string> = {}): FrameField {
    return { name: metric.id, type: 'number', values: [], labels, config: { unit: metric.unit, displayName: metric.title } };
  }

  /** Every member of a dimension to list (all present, even with no data), honouring filters. */
  private members(dim: DimColumn, q: ParsedQuery): { id: number; name: string }[] {
    if (dim === 'queue') {
      const names = q.queues.length ? q.queues : this.population.queueList().map((x) => x.name);
      return names.map((name) => ({ id: this.dims.find('queue', name) ?? -1, name }));
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

  // ---- breakdowns ----------------------------------------------------------------------------

  private breakdown(q: ParsedQuery): QueryResponse {
    const kind = q.metric.id === 'dispositions' ? K.completed : K.created;
    const byChannel = q.metric.id === 'tasks_by_direction' && q.groupBy !== 'channel';
    const dim = this.dimColumn(q.groupBy);
    const dims: DimColumn[] = ['label', ...(dim ? [dim] : []), ...(byChannel ? (['channel'] as const) : [])];
    const axis = timeAxis('none', undefined, q.from, q.to, q.zone);
    const cells = this.flow.read({ kinds: [kind], from: q.from, to: q.to, axis, dims, filter: this.filter(q) });
    const rows = [...cells].map(([key, cell]) => {
      const [, label, ...rest] = key.split('|').map(Number);
      return { label: this.dims.name(label!) ?? (q.metric.id === 'dispositions' ? '(none)' : '(unknown)'), rest: rest.map((r) => r), count: cell.get(kind)?.n ?? 0 };
    });
    const labelName = q.metric.id === 'dispositions' ? 'disposition' : 'direction';
    const channelName = (r: (typeof rows)[number]) => (byChannel ? (this.dims.name(r.rest[0]!) ?? '') : '');
    rows.sort((a, b) => cmp(a.label, b.label) || cmp(channelName(a), channelName(b)));
    if (!dim) {
      const fields: FrameField[] = [{ name: labelName, type: 'string', values: rows.map((r) => r.label) }];
      if (byChannel) fields.push({ name: 'channel', type: 'string', values: rows.map((r) => this.dims.name(r.rest[0]!) ?? '(none)') });
      const f = this.valueField(q.metric);
      f.values = rows.map((r) => r.count);
      fields.push(f);
      return { frames: [{ name: q.metric.id, fields }] };
    }
    // Wide table: one row per queue (or channel), one column per disposition / direction.
    const members = this.members(dim, q);
    const labels = [...new Set(rows.map((r) => r.label))].sort();
    const fields: FrameField[] = [{ name: q.groupBy, type: 'string', values: members.map((m) => m.name) }];
    for (const label of labels) {
      const f = this.valueField(q.metric, { [labelName]: label });
      f.name = label;
      f.config = { unit: q.metric.unit, displayName: label };
      f.values = members.map((m) => rows.filter((r) => r.label === label && r.rest[0] === m.id).reduce((s, r) => s + r.count, 0));
      fields.push(f);
    }
    return { frames: [{ name: q.metric.id, fields }] };
  }

  // ---- state metrics -------------------------------------------------------------------------

  private clippedIntervals(kind: number, from: number, to: number) {
    return this.intervalsStmt.all(kind, from, to).map((r) => ({ ...r, start: Math.max(r.start_ms, from), end: Math.min(r.end_ms === OPEN_END ? to : r.end_ms, to) }));
  }

  private state(q: ParsedQuery): QueryResponse {
    const stat = q.options.stat ?? 'avg';
    const stateTo = Math.min(q.to, this.now());
    const axis = timeAxis(q.groupBy === 'activity' ? 'none' : q.groupBy, q.interval, q.from, q.to, q.zone);
    const id = q.metric.id;
    // Time-weighted averages of counts come from the step rollups for whole buckets; intervals are
    // swept only at the ragged edges (and for peaks, last values, longest wait, agents by queue).
    const needsMembership = id.startsWith('agents_') && (q.groupBy === 'queue' || q.queues.length > 0);
    // Agents by queue, averaged over the whole range: per-agent time in each activity, summed in SQL.
    if (needsMembership && stat === 'avg' && id !== 'agents_by_activity' && axis.keys.length === 1) return this.agentsByQueueAverage(q, stateTo);
    const res = stat === 'avg' && id !== 'longest_wait' && !needsMembership ? axis.resolution : null;
    const width = res === null ? 0 : res * 60_000;
    const middle: [number, number] | null = res !== null && Math.ceil(q.from / width) * width < Math.floor(stateTo / width) * width ? [Math.ceil(q.from / width) * width, Math.floor(stateTo / width) * width] : null;
    const windows: [number, number][] = middle ? [[q.from, middle[0]], [middle[1], stateTo]] : [[q.from, stateTo]];
    const segments = axis
      .segments()
      .flatMap((s) => windows.map(([a, b]) => ({ ...s, start: Math.max(s.start, a), end: Math.min(s.end, b) })))
      .filter((s) => s.end > s.start)
      .sort((a, b) => a.start - b.start);
    const intervalsOf = (kind: number) => windows.flatMap(([a, b]) => (b > a ? this.clippedIntervals(kind, a, b) : []));
    const series = new Map<string, SpanInterval[]>();
    const put = (key: string, i: SpanInterval) => {
      const list = series.get(key);
      if (list) list.push(i);
      else series.set(key, [i]);
    };
    const seriesNames: string[] = [];
    /** Which series a (queue, channel, label) of the state rollups feeds; null: none. */
    let seriesOfStep: (queue: number, channel: number, label: number) => string | null = () => null;
    let stepKind = 0;
    if (id.startsWith('agents_')) {
      const classify = this.population.activityClasses();
      const membership = q.groupBy === 'queue' || q.queues.length ? this.population.membership() : null;
      const wanted = new Set(q.queues);
      const labelName = new Map<number, string | null>();
      stepKind = INTERVAL_KIND_ID.agent;
      seriesOfStep = (_q, _c, label) => {
        const name = this.dims.name(label);
        const cls = classify(name);
        if (cls.offline || (id === 'agents_available' && !cls.available)) return null;
        return id === 'agents_by_activity' ? (name ?? '') : '';
      };
      for (const r of intervalsOf(INTERVAL_KIND_ID.agent)) {
        if (!labelName.has(r.label)) labelName.set(r.label, this.dims.name(r.label));
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
          for (const { label } of this.db
            .prepare<[number, number, number, number], { label: number }>(
              'SELECT DISTINCT label FROM state_rollup WHERE kind = ? AND res = ? AND bucket >= ? UNION SELECT label FROM state_totals WHERE kind = ? AND total <> 0',
            )
            .all(stepKind, res, middle[0], stepKind)) {
            const name = seriesOfStep(0, 0, label);
            if (name !== null && !series.has(name)) series.set(name, []);
          }
        seriesNames.push(...[...series.keys()].sort());
      }
      else if (q.groupBy === 'queue') seriesNames.push(...(q.queues.length ? q.queues : this.population.queueList().map((x) => x.name)));
    } else {
      const kind = id === 'tasks_in_progress' ? INTERVAL_KIND_ID.in_progress : INTERVAL_KIND_ID.waiting;
      const f = this.filter(q);
      const dim = this.dimColumn(q.groupBy);
      stepKind = kind;
      seriesOfStep = (queue, channel) => {
        if (f.queues && !f.queues.includes(queue)) return null;
        if (f.channels && !f.channels.includes(channel)) return null;
        return dim === 'queue' ? String(queue) : dim === 'channel' ? String(channel) : '';
      };
      for (const r of intervalsOf(kind)) {
        if (f.queues && !f.queues.includes(r.queue)) continue;
        if (f.channels && !f.channels.includes(r.channel)) continue;
        put(dim === 'queue' ? String(r.queue) : dim === 'channel' ? String(r.channel) : '', r);
      }
      if (dim) seriesNames.push(...this.members(dim, q).map((m) => String(m.id)));
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
    if (middle && res !== null) this.stepIntegrals(stepKind, res, middle, axis, seriesOfStep, accs);
    const valueOf = (seriesKey: string, timeKey: string) => statOf(accs.get(seriesKey)?.get(timeKey), stat);

    if (id === 'agents_by_activity') {
      if (q.groupBy === 'activity' || q.groupBy === 'none') {
        const f = this.valueField(q.metric);
        f.values = keys.map((k) => valueOf(k, '') ?? 0);
        return { frames: [{ name: id, fields: [{ name: 'activity', type: 'string', values: keys }, f] }] };
      }
      return {
        frames: keys.map<Frame>((k) => {
          const f = this.valueField(q.metric, { activity: k });
          f.config = { unit: q.metric.unit, displayName: k };
          f.values = axis.keys.map((t) => valueOf(k, t));
          return { name: k, fields: [axis.field(), f] };
        }),
      };
    }
    if (q.groupBy === 'queue' || q.groupBy === 'channel') {
      const f = this.valueField(q.metric);
      // Agents by queue are keyed by queue name; task series by dimension id, named as requested.
      const names = id.startsWith('agents_') ? keys : this.members(q.groupBy, q).map((m) => m.name);
      f.values = keys.map((k) => valueOf(k, ''));
      return { frames: [{ name: id, fields: [{ name: q.groupBy, type: 'string', values: names }, f] }] };
    }
    const f = this.valueField(q.metric);
    f.values = axis.keys.map((t) => valueOf('', t));
    if (q.groupBy === 'none') return { frames: [{ name: id, fields: [f] }] };
    return { frames: [{ name: id, fields: [axis.field(), f] }] };
  }

  /** Average agents logged in / available per queue over [from, stateTo): Σ member time ÷ span. */
  private agentsByQueueAverage(q: ParsedQuery, stateTo: number): QueryResponse {
    const id = q.metric.id;
    const classify = this.population.activityClasses();
    const membership = this.population.membership();
    const span = stateTo - q.from;
    const perQueue = new Map<string, number>();
    const rows = this.db
      .prepare<[number, number, number, number, number], { worker: number; label: number; ms: number }>(
        `SELECT worker, label, sum(min(end_ms, ?) - max(start_ms, ?)) AS ms FROM intervals
          WHERE kind = ? AND end_ms > ? AND start_ms < ? GROUP BY worker, label`,
      )
      .all(stateTo, q.from, INTERVAL_KIND_ID.agent, q.from, stateTo);
    const wanted = new Set(q.queues);
    const labelClass = new Map<number, ReturnType<typeof classify>>();
    for (const r of rows) {
      if (!labelClass.has(r.label)) labelClass.set(r.label, classify(this.dims.name(r.label)));
      const cls = labelClass.get(r.label)!;
      if (cls.offline || (id === 'agents_available' && !cls.available)) continue;
      const queues = (membership.get(r.worker) ?? []).filter((qn) => wanted.size === 0 || wanted.has(qn));
      if (q.groupBy === 'queue') for (const qn of queues) perQueue.set(qn, (perQueue.get(qn) ?? 0) + r.ms);
      else if (queues.length > 0) perQueue.set('', (perQueue.get('') ?? 0) + r.ms);
    }
    const f = this.valueField(q.metric);
    const value = (k: string) => (span > 0 ? (perQueue.get(k) ?? 0) / span : null);
    if (q.groupBy !== 'queue') {
      f.values = [value('')];
      return { frames: [{ name: id, fields: [f] }] };
    }
    const names = q.queues.length ? q.queues : this.population.queueList().map((x) => x.name);
    f.values = names.map(value);
    return { frames: [{ name: id, fields: [{ name: 'queue', type: 'string', values: names }, f] }] };
  }

  /**
   * Adds the time integral of each series over [from, to) (whole rollup buckets) from the step
   * rollups: level at `from` = running total minus every step since; then bucket by bucket,
   * integral = level x width + w, level += d.
   */
  private stepIntegrals(kind: number, res: number, [from, to]: [number, number], axis: TimeAxis, seriesOf: (queue: number, channel: number, label: number) => string | null, accs: Map<string, Map<string, Acc>>): void {
    const width = res * 60_000;
    const level = new Map<string, number>();
    for (const r of this.db.prepare<[number], { queue: number; channel: number; label: number; total: number }>('SELECT queue, channel, label, total FROM state_totals WHERE kind = ?').all(kind)) {
      const s = seriesOf(r.queue, r.channel, r.label);
      if (s !== null) level.set(s, (level.get(s) ?? 0) + r.total);
    }
    const steps = new Map<string, Map<number, { d: number; w: number }>>();
    const rows = this.db
      .prepare<[number, number, number], { bucket: number; queue: number; channel: number; label: number; d: number; w: number }>(
        'SELECT bucket, queue, channel, label, sum(d) AS d, sum(w) AS w FROM state_rollup WHERE kind = ? AND res = ? AND bucket >= ? GROUP BY bucket, queue, channel, label',
      )
      .all(kind, res, from);
    for (const r of rows) {
      const s = seriesOf(r.queue, r.channel, r.label);
      if (s === null) continue;
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

  // ---- agent metrics -------------------------------------------------------------------------

  private agentIntervals(q: ParsedQuery, to: number) {
    const membership = q.groupBy === 'queue' || q.queues.length ? this.population.membership() : null;
    const wanted = new Set(q.queues);
    return { membership, rows: this.clippedIntervals(INTERVAL_KIND_ID.agent, q.from, to).filter((r) => !membership || (membership.get(r.worker) ?? []).some((qn) => wanted.size === 0 || wanted.has(qn))) };
  }

  private activityTime(q: ParsedQuery): QueryResponse {
    const to = Math.min(q.to, this.now());
    const { rows } = this.agentIntervals(q, to);
    const totals = new Map<string, { worker: string; activity: string; seconds: number }>();
    const names = this.population.workerNames();
    for (const r of rows) {
      const activity = this.dims.name(r.label) ?? '(none)';
      const worker = q.groupBy === 'worker' ? (names.get(r.worker) ?? String(r.worker)) : '';
      const key = `${worker}\u0000${activity}`;
      const t = totals.get(key) ?? { worker, activity, seconds: 0 };
      t.seconds += Math.max(0, r.end - r.start) / 1000;
      totals.set(key, t);
    }
    const entries = [...totals.values()].sort((a, b) => cmp(a.worker, b.worker) || cmp(a.activity, b.activity));
    const f = this.valueField(q.metric);
    f.values = entries.map((e) => e.seconds);
    const fields: FrameField[] =
      q.groupBy === 'worker'
        ? [
            { name: 'worker', type: 'string', values: entries.map((e) => e.worker) },
            { name: 'activity', type: 'string', values: entries.map((e) => e.activity) },
          ]
        : [{ name: 'activity', type: 'string', values: entries.map((e) => e.activity) }];
    return { frames: [{ name: q.metric.id, fields: [...fields, f] }] };
  }

  /** Every agent's activity right now and for how long (the range doesn't matter: it is now). */
  private currentActivity(q: ParsedQuery): QueryResponse {
    const now = this.now();
    const membership = q.queues.length ? this.population.membership() : null;
    const wanted = new Set(q.queues);
    const agents = this.population
      .workerList()
      .filter((w) => !w.deleted)
      .filter((w) => {
        if (!membership) return true;
        const id = this.dims.find('worker', w.sid);
        return id !== undefined && (membership.get(id) ?? []).some((qn) => wanted.has(qn));
      })
      .sort((a, b) => cmp(a.name, b.name));
    const f = this.valueField(q.metric);
    f.values = agents.map((w) => (w.activityMs === null ? null : Math.max(0, Math.round((now - w.activityMs) / 1000))));
    return {
      frames: [
        {
          name: q.metric.id,
          fields: [
            { name: 'worker', type: 'string', values: agents.map((w) => w.name) },
            { name: 'activity', type: 'string', values: agents.map((w) => w.activity ?? '') },
            f,
          ],
        },
      ],
    };
  }

  private occupancy(q: ParsedQuery): QueryResponse {
    const to = Math.min(q.to, this.now());
    const classify = this.population.activityClasses();
    const { rows, membership } = this.agentIntervals(q, to);
    const loggedIn = new Map<number, number>();
    for (const r of rows) if (!classify(this.dims.name(r.label)).offline) loggedIn.set(r.worker, (loggedIn.get(r.worker) ?? 0) + Math.max(0, r.end - r.start));
    const busy = new Map<number, number>();
    for (const r of this.clippedIntervals(INTERVAL_KIND_ID.in_progress, q.from, to)) if (loggedIn.has(r.worker)) busy.set(r.worker, (busy.get(r.worker) ?? 0) + Math.max(0, r.end - r.start));
    const ratio = (workers: number[]) => {
      const li = workers.reduce((s, w) => s + (loggedIn.get(w) ?? 0), 0);
      return li > 0 ? Math.min(100, (workers.reduce((s, w) => s + (busy.get(w) ?? 0), 0) / li) * 100) : null;
    };
    const f = this.valueField(q.metric);
    if (q.groupBy === 'worker') {
      const names = this.population.workerNames();
      const workers = [...loggedIn.keys()].sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? ''));
      f.values = workers.map((w) => ratio([w]));
      return { frames: [{ name: q.metric.id, fields: [{ name: 'worker', type: 'string', values: workers.map((w) => names.get(w) ?? String(w)) }, f] }] };
    }
    if (q.groupBy === 'queue') {
      const queues = q.queues.length ? q.queues : this.population.queueList().map((x) => x.name);
      f.values = queues.map((qn) => ratio([...loggedIn.keys()].filter((w) => (membership?.get(w) ?? []).includes(qn))));
      return { frames: [{ name: q.metric.id, fields: [{ name: 'queue', type: 'string', values: queues }, f] }] };
    }
    f.values = [ratio([...loggedIn.keys()])];
    return { frames: [{ name: q.metric.id, fields: [f] }] };
  }
}

export { isTimeGrouping };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
