// deriveTaskFacts: the samples and intervals one task's events give, worked out by hand against
// METRICS.md, and the same facts whatever order the events come in.
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../store/task-events';
import { deriveTaskFacts, type Interval, type Sample, type TaskRules } from './taskfacts';

const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

/** Default SLA: answer target 20 s, short abandon < 5 s; Support has 40 s and 10 s. */
const rules: TaskRules = {
  serviceLevelSeconds: (q) => (q === 'Support' ? 40 : 20),
  shortAbandonSeconds: (q) => (q === 'Support' ? 10 : 5),
  dispositionPaths: ['conversations.outcome', 'disposition'],
};

let seq = 0;
/** One event of the task; TaskAge is seconds since T0 (the task's creation) unless given. */
function ev(eventType: string, atS: number, extra: Partial<TaskEvent> = {}): TaskEvent {
  seq++;
  return {
    sid: 'EV' + String(seq).padStart(32, '0'),
    eventType,
    eventMs: s(atS),
    taskAge: Math.floor(atS),
    queue: 'Sales',
    previousQueue: null,
    taskAgeInQueue: null,
    queueEnteredMs: null,
    channel: 'voice',
    workerSid: null,
    taskAttributes: null,
    ...extra,
  };
}

const kinds = (facts: { samples: Sample[] }) => facts.samples.map((x) => x.kind).sort();
const only = (facts: { samples: Sample[] }, kind: Sample['kind']) => facts.samples.filter((x) => x.kind === kind);
const canonical = (f: { samples: Sample[]; intervals: Interval[] }) => ({
  samples: [...f.samples].map((x) => JSON.stringify(x)).sort(),
  intervals: [...f.intervals].map((x) => JSON.stringify(x)).sort(),
});

/** Deterministic Fisher-Yates shuffle (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('deriveTaskFacts: a handled task', () => {
  // created 0, queued 0, accepted at 12 s, wrap-up at 72 s, completed at 102 s.
  const events = [
    ev('task.created', 0, { taskAttributes: JSON.stringify({ direction: 'inbound' }) }),
    ev('task-queue.entered', 0),
    ev('reservation.created', 10, { workerSid: 'WKalice' }),
    ev('reservation.accepted', 12, { workerSid: 'WKalice' }),
    ev('task.wrapup', 72),
    ev('task.completed', 102, { taskAttributes: JSON.stringify({ direction: 'inbound', conversations: { outcome: 'resolved' } }) }),
  ];
  const facts = deriveTaskFacts(events, rules);

  it('counts it created, queued, handled within the 20 s target, and completed', () => {
    expect(kinds(facts)).toEqual(
      ['completed', 'created', 'entered', 'handle_time', 'handled', 'handled_in_sl', 'queue_wait', 'received', 'wrapup_time'].sort(),
    );
  });

  it('gives the time in the queue until answered (12 s), from the task-queue.entered event when the event names no entry time', () => {
    expect(only(facts, 'queue_wait')).toEqual([expect.objectContaining({ value: 12, ms: s(12), queue: 'Sales', worker: 'WKalice' })]);
  });

  it('gives the wait (12 s), call duration (102 s), handle time (90 s) and wrap-up time (30 s)', () => {
    expect(only(facts, 'handled')[0]).toMatchObject({ value: 12, ms: s(12), queue: 'Sales', worker: 'WKalice' });
    expect(only(facts, 'completed')[0]).toMatchObject({ value: 102, ms: s(102), worker: 'WKalice' });
    expect(only(facts, 'handle_time')[0]!.value).toBe(90); // 102 - 12
    expect(only(facts, 'wrapup_time')[0]!.value).toBe(30); // 102 - 72
  });

  it('reads the disposition from the attributes at completion and the direction at creation', () => {
    expect(only(facts, 'completed')[0]!.label).toBe('resolved');
    expect(only(facts, 'created')[0]!.label).toBe('inbound');
  });

  it('is waiting from queue entry to acceptance and in progress (wrap-up included) until completion', () => {
    const waiting = facts.intervals.filter((i) => i.kind === 'waiting');
    const busy = facts.intervals.filter((i) => i.kind === 'in_progress');
    expect(waiting).toEqual([expect.objectContaining({ queue: 'Sales', start: s(0), end: s(12) })]);
    expect(busy).toEqual([expect.objectContaining({ queue: 'Sales', worker: 'WKalice', start: s(12), end: s(102) })]);
  });

  it('gives the same facts for every arrival order', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(canonical(deriveTaskFacts(shuffled(events, seed), rules))).toEqual(canonical(facts));
  });
});

describe('deriveTaskFacts: acceptance and service level', () => {
  it('counts a task handled once even when two reservations are accepted, with the wait at the first', () => {
    const facts = deriveTaskFacts(
      [
        ev('task.created', 0),
        ev('task-queue.entered', 0),
        ev('reservation.rejected', 8, { workerSid: 'WKbob' }),
        ev('reservation.timeout', 20, { workerSid: 'WKbob' }),
        ev('reservation.accepted', 31, { workerSid: 'WKalice' }),
        ev('reservation.accepted', 33, { workerSid: 'WKcarol' }),
        ev('task.completed', 91),
      ],
      rules,
    );
    expect(only(facts, 'handled')).toHaveLength(1);
    expect(only(facts, 'handled')[0]).toMatchObject({ value: 31, worker: 'WKalice' });
    expect(only(facts, 'handled_in_sl')).toHaveLength(0); // 31 > 20
    expect(only(facts, 'handle_time')[0]!.value).toBe(60); // 91 - 31 (the first acceptance)
    expect(only(facts, 'res_rejected')).toEqual([expect.objectContaining({ worker: 'WKbob', ms: s(8) })]);
    expect(only(facts, 'res_timed_out')).toHaveLength(1);
    expect(facts.intervals.filter((i) => i.kind === 'in_progress')).toHaveLength(1);
  });

  it('counts an answer exactly at the target within service level (wait <= T)', () => {
    const at = (wait: number) =>
      only(deriveTaskFacts([ev('task-queue.entered', 0), ev('reservation.accepted', wait)], rules), 'handled_in_sl').length;
    expect(at(20)).toBe(1);
    expect(at(21)).toBe(0);
  });

  it('uses the target of the queue the task was answered in (Support: 40 s)', () => {
    const facts = deriveTaskFacts(
      [ev('task-queue.entered', 0, { queue: 'Support' }), ev('reservation.accepted', 35, { queue: 'Support' })],
      rules,
    );
    expect(only(facts, 'handled_in_sl')).toHaveLength(1);
  });
});

describe('deriveTaskFacts: abandons', () => {
  const abandoned = (age: number, queue = 'Sales') =>
    deriveTaskFacts([ev('task.created', 0, { queue }), ev('task-queue.entered', 0, { queue }), ev('task.canceled', age, { queue })], rules);

  it('counts a task canceled before acceptance as abandoned, with the wait as its age', () => {
    const f = abandoned(40);
    expect(only(f, 'abandoned')).toEqual([expect.objectContaining({ value: 40, queue: 'Sales' })]);
    expect(only(f, 'abandoned_short')).toHaveLength(0);
    expect(f.intervals).toEqual([expect.objectContaining({ kind: 'waiting', start: s(0), end: s(40) })]);
  });

  it('calls an abandon short when TaskAge < 5 s (4 s is short, 5 s is not)', () => {
    expect(only(abandoned(4), 'abandoned_short')).toHaveLength(1);
    expect(only(abandoned(5), 'abandoned_short')).toHaveLength(0);
  });

  it("uses the queue's own short-abandon limit (Support: 10 s)", () => {
    expect(only(abandoned(7, 'Support'), 'abandoned_short')).toHaveLength(1);
    expect(only(abandoned(7, 'Sales'), 'abandoned_short')).toHaveLength(0);
  });

  it('does not count a task canceled after acceptance as abandoned; its in-progress time ends at the cancel', () => {
    const f = deriveTaskFacts(
      [ev('task-queue.entered', 0), ev('reservation.accepted', 6, { workerSid: 'WKalice' }), ev('task.canceled', 50)],
      rules,
    );
    expect(only(f, 'abandoned')).toHaveLength(0);
    expect(only(f, 'handled')).toHaveLength(1);
    expect(f.intervals.find((i) => i.kind === 'in_progress')).toMatchObject({ start: s(6), end: s(50) });
  });

  it('counts queue and workflow timeouts as two timeouts', () => {
    const f = deriveTaskFacts(
      [ev('task-queue.entered', 0), ev('task-queue.timeout', 60), ev('workflow.timeout', 60.5), ev('task.canceled', 61)],
      rules,
    );
    expect(only(f, 'timed_out')).toHaveLength(2);
    expect(only(f, 'abandoned')[0]!.value).toBe(61);
  });
});

describe('deriveTaskFacts: a task moved between queues', () => {
  // Sales at 0 s, moved to Support at 15 s, accepted there at 32 s, completed at 100 s.
  const events = [
    ev('task.created', 0, { queue: null }),
    ev('task-queue.entered', 0, { queue: 'Sales' }),
    ev('task-queue.moved', 15, { queue: 'Sales' }),
    ev('task-queue.entered', 15, { queue: 'Support' }),
    ev('reservation.accepted', 32, { queue: null, workerSid: 'WKalice' }),
    ev('task.completed', 100, { queue: null }),
  ];
  const facts = deriveTaskFacts(events, rules);

  it('counts the move in the queue it left and the entries in each queue', () => {
    expect(only(facts, 'moved').map((x) => x.queue)).toEqual(['Sales']);
    expect(
      only(facts, 'entered')
        .map((x) => x.queue)
        .sort(),
    ).toEqual(['Sales', 'Support']);
  });

  it('attributes events without a queue to the last known queue (Support), and creation to the first', () => {
    expect(only(facts, 'handled')[0]!.queue).toBe('Support');
    expect(only(facts, 'completed')[0]!.queue).toBe('Support');
    expect(only(facts, 'created')[0]!.queue).toBe('Sales');
  });

  it('judges service level against the answering queue (Support 40 s: 32 s is in)', () => {
    expect(only(facts, 'handled_in_sl')).toHaveLength(1);
  });

  it('waits in Sales until the move, then in Support until acceptance, both aged from creation', () => {
    const waiting = facts.intervals.filter((i) => i.kind === 'waiting').sort((a, b) => a.start - b.start);
    expect(waiting).toEqual([
      expect.objectContaining({ queue: 'Sales', start: s(0), end: s(15) }),
      expect.objectContaining({ queue: 'Support', start: s(15), end: s(32) }),
    ]);
    for (const w of waiting) expect(w.origin).toBe(s(0));
  });

  it('gives the same facts for every arrival order', () => {
    for (const seed of [7, 8, 9]) expect(canonical(deriveTaskFacts(shuffled(events, seed), rules))).toEqual(canonical(facts));
  });

  it('counts the time in Support only (17 s) as the queue wait, the whole 32 s as the wait', () => {
    expect(only(facts, 'queue_wait')).toEqual([expect.objectContaining({ value: 17, queue: 'Support' })]);
    expect(only(facts, 'handled')[0]!.value).toBe(32);
  });
});

describe('deriveTaskFacts: a move as Twilio documents it (task_queue_* the queue entered, previous_task_queue_* the one left)', () => {
  // Sales at 0 s; at 15 s task-queue.moved names Support, previous Sales; accepted in Support at 32 s.
  const events = [
    ev('task.created', 0, { queue: 'Sales' }),
    ev('task-queue.entered', 0, { queue: 'Sales' }),
    ev('task-queue.timeout', 15, { queue: 'Sales' }),
    ev('task-queue.moved', 15, { queue: 'Support', previousQueue: 'Sales', queueEnteredMs: s(15) }),
    ev('task-queue.entered', 15, { queue: 'Support', queueEnteredMs: s(15) }),
    ev('reservation.accepted', 32, { queue: 'Support', workerSid: 'WKalice', taskAgeInQueue: 17, queueEnteredMs: s(15) }),
  ];
  const facts = deriveTaskFacts(events, rules);

  it('counts the move (and the timeout) in Sales, received once in Support', () => {
    expect(only(facts, 'moved').map((x) => x.queue)).toEqual(['Sales']);
    expect(only(facts, 'timed_out').map((x) => x.queue)).toEqual(['Sales']);
    expect(only(facts, 'received').map((x) => x.queue)).toEqual(['Support']);
  });

  it('is in Support from the move on, and waits there until acceptance', () => {
    const waiting = facts.intervals.filter((i) => i.kind === 'waiting').sort((a, b) => a.start - b.start);
    expect(waiting.map((w) => [w.queue, w.start, w.end])).toEqual([
      ['Sales', s(0), s(15)],
      ['Support', s(15), s(32)],
    ]);
    expect(only(facts, 'handled')[0]!.queue).toBe('Support');
  });

  it("takes Twilio's task_age_in_queue for the queue wait", () => {
    expect(only(facts, 'queue_wait')).toEqual([expect.objectContaining({ value: 17, queue: 'Support' })]);
  });

  it('gives the same facts for every arrival order', () => {
    for (const seed of [3, 4, 5]) expect(canonical(deriveTaskFacts(shuffled(events, seed), rules))).toEqual(canonical(facts));
  });
});

describe('deriveTaskFacts: queue wait of an abandoned task', () => {
  it('is measured from TaskQueueEnteredDate to the cancel when Twilio gives no task_age_in_queue', () => {
    const facts = deriveTaskFacts(
      [ev('task.created', 0), ev('task-queue.entered', 0), ev('task.canceled', 40, { queueEnteredMs: s(10) })],
      rules,
    );
    expect(only(facts, 'queue_wait')).toEqual([expect.objectContaining({ value: 30, ms: s(40), queue: 'Sales', worker: null })]);
    expect(only(facts, 'abandoned')[0]!.value).toBe(40);
  });
});

describe('deriveTaskFacts: open intervals and dispositions', () => {
  it('leaves a task still waiting open (end null)', () => {
    const f = deriveTaskFacts([ev('task.created', 0), ev('task-queue.entered', 1)], rules);
    expect(f.intervals).toEqual([expect.objectContaining({ kind: 'waiting', start: s(1), end: null })]);
  });

  it('leaves a task accepted but not completed in progress (end null), and ends waiting at the acceptance', () => {
    const f = deriveTaskFacts(
      [ev('task-queue.entered', 0), ev('reservation.accepted', 9, { workerSid: 'WKalice' }), ev('task.wrapup', 60)],
      rules,
    );
    expect(f.intervals.find((i) => i.kind === 'waiting')).toMatchObject({ end: s(9) });
    expect(f.intervals.find((i) => i.kind === 'in_progress')).toMatchObject({ start: s(9), end: null });
  });

  it.each(['task.deleted', 'task.system-deleted'])('stops waiting at %s without calling it an abandon', (type) => {
    const f = deriveTaskFacts([ev('task-queue.entered', 0), ev(type, 30)], rules);
    expect(f.intervals).toEqual([expect.objectContaining({ kind: 'waiting', start: s(0), end: s(30) })]);
    expect(only(f, 'abandoned')).toHaveLength(0);
  });

  it('falls back to the second disposition path (disposition) when the first is absent', () => {
    const f = deriveTaskFacts(
      [
        ev('task-queue.entered', 0),
        ev('reservation.accepted', 3),
        ev('task.completed', 30, { taskAttributes: JSON.stringify({ disposition: 'sale' }) }),
      ],
      rules,
    );
    expect(only(f, 'completed')[0]!.label).toBe('sale');
  });

  it('has no disposition when the attributes hold none or are not JSON', () => {
    const f = deriveTaskFacts([ev('reservation.accepted', 3), ev('task.completed', 30, { taskAttributes: '{not json' })], rules);
    expect(only(f, 'completed')[0]!.label).toBeNull();
  });
});
