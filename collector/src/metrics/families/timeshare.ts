// Where each agent's time goes (agent_time_share, the seed's "time in queued / internal / external /
// outgoing calls, otherwise unavailable, logged in"): logged-in time as a share of the range, and
// logged-in time split into holding an accepted task (by task type), unavailable and idle.
import type { FrameField, QueryResponse } from '@floorboard/contract';
import { TASK_TYPES, type Sla, type TaskType } from '@floorboard/contract/sla';
import { INTERVAL_KIND_ID, OPEN_END } from '../../store/facts';
import { compileExpression } from '../../taskrouter/expression';
import { cmp, type ParsedQuery, type QueryKit, type Runner } from '../kit';
import type { ActivityClass } from '../population';

/** The parts of logged-in time, in the order of the frame's fields. */
const PARTS = ['queued', 'internal', 'external', 'outgoing', 'unavailable', 'idle'] as const;
type Part = (typeof PARTS)[number];

const TITLES: Record<'logged_in' | Part, string> = {
  logged_in: 'Logged in',
  queued: 'Queued calls',
  internal: 'Internal calls',
  external: 'External calls',
  outgoing: 'Outgoing calls',
  unavailable: 'Unavailable',
  idle: 'Idle',
};

/** Milliseconds of one agent (or a population): logged in, and each part of it. */
interface Split {
  agents: number;
  loggedIn: number;
  parts: Record<Part, number>;
}

const emptySplit = (): Split => ({
  agents: 0,
  loggedIn: 0,
  parts: { queued: 0, internal: 0, external: 0, outgoing: 0, unavailable: 0, idle: 0 },
});

/** Classes a task by the SLA file's `taskTypes` expressions over its attributes: the first match, else queued. */
export function taskClassifier(sla: Sla): (attributesJson: string | null) => TaskType {
  const matchers = TASK_TYPES.map((t) => [t, compileExpression(sla.taskTypes[t])] as const);
  return (json) => {
    let attrs: unknown = {};
    try {
      attrs = json ? JSON.parse(json) : {};
    } catch {
      attrs = {};
    }
    return matchers.find(([, matches]) => matches(attrs))?.[0] ?? 'queued';
  };
}

interface Span {
  start: number;
  end: number;
}

/**
 * One agent's logged-in time split at every change: while a task is held, the time is that task's
 * type (with several at once, the one accepted first); otherwise unavailable or idle by activity.
 */
export function splitAgentTime(activities: (Span & { cls: ActivityClass })[], tasks: (Span & { type: TaskType })[]): Split {
  const out = emptySplit();
  const acts = [...activities].sort((a, b) => a.start - b.start);
  const held = [...tasks].sort((a, b) => a.start - b.start);
  const cuts = [...new Set([...acts, ...held].flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  let ai = 0;
  let ti = 0;
  let open: (Span & { type: TaskType })[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k]!;
    const b = cuts[k + 1]!;
    while (ai < acts.length && acts[ai]!.end <= a) ai++;
    while (ti < held.length && held[ti]!.start <= a) open.push(held[ti++]!);
    open = open.filter((t) => t.end > a);
    const act = acts[ai];
    if (!act || act.start > a || act.cls.offline) continue;
    out.loggedIn += b - a;
    const first = open[0];
    out.parts[first ? (first.type as Part) : act.cls.available ? 'idle' : 'unavailable'] += b - a;
  }
  if (out.loggedIn > 0) out.agents = 1;
  return out;
}

function addSplit(into: Split, s: Split): void {
  into.agents += s.agents;
  into.loggedIn += s.loggedIn;
  for (const p of PARTS) into.parts[p] += s.parts[p];
}

function timeShare(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const to = Math.min(q.to, kit.now());
  const windowMs = Math.max(0, to - q.from);
  const classify = kit.population.activityClasses();
  const typeOf = taskClassifier(kit.sla);
  const activities = new Map<number, (Span & { cls: ActivityClass })[]>();
  for (const r of kit.clippedIntervals(INTERVAL_KIND_ID.agent, q.from, to)) {
    const list = activities.get(r.worker) ?? [];
    list.push({ start: r.start, end: r.end, cls: classify(kit.dims.name(r.label)) });
    activities.set(r.worker, list);
  }
  const tasks = new Map<number, (Span & { type: TaskType })[]>();
  for (const r of kit.intervals.heldTasks(INTERVAL_KIND_ID.in_progress, q.from, to)) {
    const list = tasks.get(r.worker) ?? [];
    list.push({
      start: Math.max(r.start_ms, q.from),
      end: Math.min(r.end_ms === OPEN_END ? to : r.end_ms, to),
      type: typeOf(r.attributes),
    });
    tasks.set(r.worker, list);
  }
  const splits = new Map([...activities].map(([w, acts]) => [w, splitAgentTime(acts, tasks.get(w) ?? [])] as const));

  const membership = q.groupBy === 'queue' || q.queues.length ? kit.population.membership() : null;
  const serves = (w: number, names: readonly string[]) => !membership || (membership.get(w) ?? []).some((n) => names.includes(n));
  const total = (workers: number[]) => {
    const sum = emptySplit();
    for (const w of workers) addSplit(sum, splits.get(w)!);
    return sum;
  };
  const wanted = [...splits.keys()].filter((w) => q.queues.length === 0 || serves(w, q.queues));
  let keyField: FrameField | null = null;
  let rows: Split[];
  if (q.groupBy === 'worker') {
    const names = kit.population.workerNames();
    const workers = wanted.filter((w) => splits.get(w)!.loggedIn > 0).sort((a, b) => cmp(names.get(a) ?? '', names.get(b) ?? ''));
    keyField = { name: 'worker', type: 'string', values: workers.map((w) => names.get(w) ?? String(w)) };
    rows = workers.map((w) => splits.get(w)!);
  } else if (q.groupBy === 'queue') {
    const queues = q.queues.length ? q.queues : kit.population.queueList().map((x) => x.name);
    keyField = { name: 'queue', type: 'string', values: queues };
    rows = queues.map((name) => total(wanted.filter((w) => serves(w, [name]))));
  } else rows = [total(wanted)];

  const field = (name: 'logged_in' | Part, value: (s: Split) => number | null): FrameField => ({
    name,
    type: 'number',
    values: rows.map(value),
    config: { unit: q.metric.unit, displayName: TITLES[name] },
  });
  const share = (num: number, den: number) => (den > 0 ? (num / den) * 100 : null);
  const fields: FrameField[] = [
    field('logged_in', (s) => share(s.loggedIn, s.agents * windowMs)),
    ...PARTS.map((p) => field(p, (s) => share(s.parts[p], s.loggedIn))),
  ];
  return { frames: [{ name: q.metric.id, fields: keyField ? [keyField, ...fields] : fields }] };
}

export const timeShareFamily = { agent_time_share: timeShare } satisfies Record<string, Runner>;
