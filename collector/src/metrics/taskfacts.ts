// Pure derivation of a task's metric facts from the set of its events: the samples counted and
// averaged by the flow and duration metrics, and the waiting / in-progress intervals behind the
// state metrics. Depends only on the set of events (sorted here by time, then Sid), never on the
// order they arrived in — that is what makes every metric order-independent.

import type { IntervalKind, SampleKind } from '../store/kinds';
import type { TaskEvent } from '../store/task-events';
import { causalOrder } from '../taskrouter/ordering';

/** One countable occurrence; `value` is seconds for durations, 1 for plain counts. */
export interface Sample {
  kind: SampleKind;
  ms: number;
  queue: string | null;
  channel: string | null;
  worker: string | null;
  /** Disposition code (completed) or direction (created). */
  label: string | null;
  value: number;
}

export interface Interval {
  kind: IntervalKind;
  queue: string | null;
  channel: string | null;
  worker: string | null;
  start: number;
  /** null while still open. */
  end: number | null;
  /** When the task was created: a waiting task's age is measured from here. */
  origin: number;
}

export interface TaskRules {
  serviceLevelSeconds(queue: string | null): number;
  shortAbandonSeconds(queue: string | null): number;
  dispositionPaths: readonly string[];
}

export interface TaskFacts {
  samples: Sample[];
  intervals: Interval[];
}

const PER_EVENT: Record<string, SampleKind> = {
  'task.created': 'created',
  'task-queue.entered': 'entered',
  'task-queue.moved': 'moved',
  'task-queue.timeout': 'timed_out',
  'workflow.timeout': 'timed_out',
  'reservation.rejected': 'res_rejected',
  'reservation.timeout': 'res_timed_out',
};
/**
 * These carry the queue the task is leaving, so they don't change the task's current queue — except
 * a `task-queue.moved` that names the queue it left in previous_task_queue_*: its task_queue_* is
 * the queue it moved to.
 */
const LEAVING = new Set(['task-queue.moved', 'task-queue.timeout']);
const leaves = (e: Pick<TaskEvent, 'eventType' | 'previousQueue'>) =>
  LEAVING.has(e.eventType) && !(e.eventType === 'task-queue.moved' && e.previousQueue);
const ENDS_TASK = new Set(['task.completed', 'task.canceled', 'task.deleted', 'task.system-deleted']);

export function compareEvents(
  a: Pick<TaskEvent, 'eventMs' | 'sid' | 'eventType'>,
  b: Pick<TaskEvent, 'eventMs' | 'sid' | 'eventType'>,
): number {
  return a.eventMs - b.eventMs || causalOrder(a.eventType) - causalOrder(b.eventType) || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0);
}

/** Reads a dotted path (`conversations.outcome`) from attributes JSON text; null when absent or not JSON. */
export function attributePath(attributes: unknown, path: string): string | null {
  let v: unknown = attributes;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** Attributes JSON text as a value; null when absent or not JSON. */
export function parseAttributes(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function deriveTaskFacts(unsorted: readonly TaskEvent[], rules: TaskRules): TaskFacts {
  const events = [...unsorted].sort(compareEvents);
  const firstQueue = events.find((e) => e.queue && !leaves(e))?.queue ?? events.find((e) => e.queue)?.queue ?? null;
  const channel = [...events].reverse().find((e) => e.channel)?.channel ?? null;
  const first = (type: string) => events.find((e) => e.eventType === type);
  const accepted = first('reservation.accepted');
  const canceled = first('task.canceled');
  const completed = first('task.completed');
  const wrapup = first('task.wrapup');
  const ended = events.find((e) => ENDS_TASK.has(e.eventType));
  const worker = accepted?.workerSid ?? null;
  const created =
    first('task.created')?.eventMs ?? Math.min(...events.map((e) => (e.taskAge === null ? e.eventMs : e.eventMs - e.taskAge * 1000)));

  const samples: Sample[] = [];
  const intervals: Interval[] = [];
  const queueAt = new Map<TaskEvent, string | null>();
  let current: string | null = null;
  for (const e of events) {
    if (e.queue && !leaves(e)) current = e.queue;
    queueAt.set(e, e.queue ?? current ?? firstQueue);
  }
  /** The queue a move took the task out of. */
  const movedFrom = (e: TaskEvent) => e.previousQueue ?? queueAt.get(e) ?? null;
  const sample = (kind: SampleKind, e: TaskEvent, value: number, extra: Partial<Sample> = {}) =>
    samples.push({ kind, ms: e.eventMs, queue: queueAt.get(e) ?? null, channel, worker: null, label: null, value, ...extra });

  for (const e of events) {
    const kind = PER_EVENT[e.eventType];
    if (!kind) continue;
    const label = kind === 'created' ? attributePath(parseAttributes(e.taskAttributes), 'direction') : null;
    sample(kind, e, 1, {
      label,
      worker: kind.startsWith('res_') ? e.workerSid : null,
      ...(kind === 'moved' ? { queue: movedFrom(e) } : {}),
    });
  }

  // Received: a queue entry the task did not later move on from (entered − moved, per task).
  const entered = events.filter((e) => e.eventType === 'task-queue.entered');
  entered.forEach((e, i) => {
    const queue = queueAt.get(e) ?? null;
    const nextEntry = entered[i + 1]?.eventMs ?? Infinity;
    const movedOn = events.some(
      (m) => m.eventType === 'task-queue.moved' && movedFrom(m) === queue && m.eventMs >= e.eventMs && m.eventMs <= nextEntry,
    );
    if (!movedOn) sample('received', e, 1);
  });

  // Time in this queue until the wait ended: Twilio's own figure, else from when it entered the
  // queue — in whole seconds, as Twilio gives task_age_in_queue (and TaskAge), so every transport agrees.
  const queueWait = (e: TaskEvent): number | null => {
    if (e.taskAgeInQueue !== null) return e.taskAgeInQueue;
    const enteredMs = e.queueEnteredMs ?? [...entered].reverse().find((x) => x.eventMs <= e.eventMs)?.eventMs ?? null;
    return enteredMs === null ? null : Math.max(0, Math.floor((e.eventMs - enteredMs) / 1000));
  };
  const waitEnd = accepted ?? canceled;
  if (accepted) {
    const wait = accepted.taskAge ?? 0;
    sample('handled', accepted, wait, { worker });
    if (wait <= rules.serviceLevelSeconds(queueAt.get(accepted) ?? null)) sample('handled_in_sl', accepted, wait, { worker });
  } else if (canceled) {
    const wait = canceled.taskAge ?? 0;
    sample('abandoned', canceled, wait);
    const queue = queueAt.get(canceled) ?? null;
    if (wait < rules.shortAbandonSeconds(queue)) sample('abandoned_short', canceled, wait);
    // Met under `serviceLevelAbandons: met_within_threshold`: abandoned within T, and not a short abandon.
    else if (wait <= rules.serviceLevelSeconds(queue)) sample('abandoned_in_sl', canceled, wait);
  }
  const inQueue = waitEnd ? queueWait(waitEnd) : null;
  if (waitEnd && inQueue !== null) sample('queue_wait', waitEnd, inQueue, { worker: accepted ? worker : null });

  if (completed) {
    const attrs = parseAttributes([...events].reverse().find((e) => e.taskAttributes)?.taskAttributes ?? null);
    let disposition: string | null = null;
    for (const path of rules.dispositionPaths) if ((disposition = attributePath(attrs, path)) !== null) break;
    sample('completed', completed, completed.taskAge ?? 0, { worker, label: disposition });
    if (accepted && completed.eventMs >= accepted.eventMs)
      sample('handle_time', completed, (completed.eventMs - accepted.eventMs) / 1000, { worker });
    if (wrapup && completed.eventMs >= wrapup.eventMs)
      sample('wrapup_time', completed, (completed.eventMs - wrapup.eventMs) / 1000, { worker });
  }

  // Waiting: from each queue entry to the next entry, or until the task is accepted or ends.
  const stopsWaiting = Math.min(accepted?.eventMs ?? Infinity, ended?.eventMs ?? Infinity);
  entered.forEach((e, i) => {
    const next = entered[i + 1]?.eventMs ?? Infinity;
    const end = Math.min(next, stopsWaiting);
    if (end <= e.eventMs && end !== Infinity) return;
    intervals.push({
      kind: 'waiting',
      queue: queueAt.get(e) ?? null,
      channel,
      worker: null,
      start: e.eventMs,
      end: end === Infinity ? null : end,
      origin: created,
    });
  });
  if (accepted) {
    const end = ended && ended.eventMs >= accepted.eventMs ? ended.eventMs : null;
    intervals.push({
      kind: 'in_progress',
      queue: queueAt.get(accepted) ?? null,
      channel,
      worker,
      start: accepted.eventMs,
      end,
      origin: created,
    });
  }
  return { samples, intervals };
}
