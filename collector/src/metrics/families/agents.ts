// Agent metrics from activity intervals: time per activity, each agent's activity now, and
// occupancy (time with an accepted task ÷ time logged in). Handled counts and handle time per
// agent are flow metrics (families/flow.ts).
import type { FrameField, QueryResponse } from '@floorboard/contract';
import { INTERVAL_KIND_ID } from '../../store/facts';
import { occupancy as occupancyPercent } from '../formulas';
import { cmp, type ParsedQuery, type QueryKit, type Runner } from '../kit';

/** Agent intervals in [from, to), kept to members of the query's queues when it names any (or groups by queue). */
function agentIntervals(q: ParsedQuery, kit: QueryKit, to: number) {
  const membership = q.groupBy === 'queue' || q.queues.length ? kit.population.membership() : null;
  const wanted = new Set(q.queues);
  const rows = kit
    .clippedIntervals(INTERVAL_KIND_ID.agent, q.from, to)
    .filter((r) => !membership || (membership.get(r.worker) ?? []).some((qn) => wanted.size === 0 || wanted.has(qn)));
  return { membership, rows };
}

function activityTime(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const to = Math.min(q.to, kit.now());
  const { rows } = agentIntervals(q, kit, to);
  const totals = new Map<string, { worker: string; activity: string; seconds: number }>();
  const names = kit.population.workerNames();
  for (const r of rows) {
    const activity = kit.dims.name(r.label) ?? '(none)';
    const worker = q.groupBy === 'worker' ? (names.get(r.worker) ?? String(r.worker)) : '';
    const key = `${worker}\u0000${activity}`;
    const t = totals.get(key) ?? { worker, activity, seconds: 0 };
    t.seconds += Math.max(0, r.end - r.start) / 1000;
    totals.set(key, t);
  }
  const entries = [...totals.values()].sort((a, b) => cmp(a.worker, b.worker) || cmp(a.activity, b.activity));
  const f = kit.valueField(q.metric);
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

/**
 * Every agent's activity at the query's `to` (never later than now) and for how long. Up to date:
 * the directory's current state; for a past instant, the activity intervals open then.
 */
function currentActivity(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const at = kit.instant(q);
  const membership = q.queues.length ? kit.population.membership() : null;
  const wanted = new Set(q.queues);
  const inQueues = (id: number | undefined) => !membership || (id !== undefined && (membership.get(id) ?? []).some((qn) => wanted.has(qn)));
  const agents =
    at >= kit.now()
      ? kit.population
          .workerList()
          .filter((w) => !w.deleted && inQueues(kit.dims.find('worker', w.sid)))
          .map((w) => ({ name: w.name, activity: w.activity ?? '', since: w.activityMs }))
      : pastActivities(kit, at).filter((a) => inQueues(a.worker));
  agents.sort((a, b) => cmp(a.name, b.name));
  const f = kit.valueField(q.metric);
  f.values = agents.map((a) => (a.since === null ? null : Math.max(0, Math.round((at - a.since) / 1000))));
  const fields: FrameField[] = [
    { name: 'worker', type: 'string', values: agents.map((a) => a.name) },
    { name: 'activity', type: 'string', values: agents.map((a) => a.activity) },
    f,
  ];
  return { frames: [{ name: q.metric.id, fields }] };
}

/** Each agent's activity interval open at `at`: who, in what, since when. */
function pastActivities(kit: QueryKit, at: number): { worker: number; name: string; activity: string; since: number | null }[] {
  const names = kit.population.workerNames();
  return kit.intervals.openAt(INTERVAL_KIND_ID.agent, at).map((r) => ({
    worker: r.worker,
    name: names.get(r.worker) ?? String(r.worker),
    activity: kit.dims.name(r.label) ?? '',
    since: r.start_ms,
  }));
}

function occupancy(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const to = Math.min(q.to, kit.now());
  const classify = kit.population.activityClasses();
  const { rows, membership } = agentIntervals(q, kit, to);
  const loggedIn = new Map<number, number>();
  for (const r of rows)
    if (!classify(kit.dims.name(r.label)).offline) loggedIn.set(r.worker, (loggedIn.get(r.worker) ?? 0) + Math.max(0, r.end - r.start));
  const busy = new Map<number, number>();
  for (const r of kit.clippedIntervals(INTERVAL_KIND_ID.in_progress, q.from, to))
    if (loggedIn.has(r.worker)) busy.set(r.worker, (busy.get(r.worker) ?? 0) + Math.max(0, r.end - r.start));
  const ratio = (workers: number[]) =>
    occupancyPercent(
      workers.reduce((s, w) => s + (busy.get(w) ?? 0), 0),
      workers.reduce((s, w) => s + (loggedIn.get(w) ?? 0), 0),
    );
  const f = kit.valueField(q.metric);
  if (q.groupBy === 'worker') {
    const names = kit.population.workerNames();
    const workers = [...loggedIn.keys()].sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? ''));
    f.values = workers.map((w) => ratio([w]));
    return {
      frames: [
        { name: q.metric.id, fields: [{ name: 'worker', type: 'string', values: workers.map((w) => names.get(w) ?? String(w)) }, f] },
      ],
    };
  }
  if (q.groupBy === 'queue') {
    const queues = q.queues.length ? q.queues : kit.population.queueList().map((x) => x.name);
    f.values = queues.map((qn) => ratio([...loggedIn.keys()].filter((w) => (membership?.get(w) ?? []).includes(qn))));
    return { frames: [{ name: q.metric.id, fields: [{ name: 'queue', type: 'string', values: queues }, f] }] };
  }
  f.values = [ratio([...loggedIn.keys()])];
  return { frames: [{ name: q.metric.id, fields: [f] }] };
}

export const agentsFamily = {
  agent_activity_time: activityTime,
  agent_current_activity: currentActivity,
  agent_occupancy: occupancy,
} satisfies Record<string, Runner>;
