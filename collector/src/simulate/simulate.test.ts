import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCenter, createTally, emptyCounts, formatTally, SIMULATED_EVENT_TYPES, simulateEvents } from './index';
import type { Tally, TallyCounts, TaskRouterEventParams } from './index';

const DAY = 86_400_000;
/** A Monday in Europe/London winter time (UTC+0). */
const MONDAY = Date.parse('2026-11-16T00:00:00Z');

function run(opts: Parameters<typeof simulateEvents>[0], tally?: Tally): TaskRouterEventParams[] {
  return [...simulateEvents(opts, tally)];
}

function hashOf(events: Iterable<TaskRouterEventParams>, n: number): string {
  const h = createHash('sha256');
  let i = 0;
  for (const e of events) {
    if (i++ >= n) break;
    h.update(JSON.stringify(e));
  }
  return h.digest('hex');
}

const num = (e: TaskRouterEventParams, key: string): number => Number(e[key]);

// One simulated weekday of the default 40-agent center, shared by the tests below.
const dayTally = createTally();
const day = run({ seed: 1, start: MONDAY, end: MONDAY + DAY }, dayTally);
const byTask = new Map<string, TaskRouterEventParams[]>();
for (const e of day) {
  if (e.TaskSid === undefined) continue;
  const list = byTask.get(e.TaskSid) ?? [];
  list.push(e);
  byTask.set(e.TaskSid, list);
}

describe('determinism', () => {
  it('gives the same events for the same seed and different ones for another seed', () => {
    const opts = { seed: 99, start: MONDAY, end: MONDAY + DAY };
    expect(hashOf(simulateEvents(opts), 5_000)).toBe(hashOf(simulateEvents(opts), 5_000));
    expect(hashOf(simulateEvents({ ...opts, seed: 100 }), 5_000)).not.toBe(hashOf(simulateEvents(opts), 5_000));
    expect(hashOf(day, 5_000)).toBe(hashOf(simulateEvents({ seed: 1, start: MONDAY, end: MONDAY + DAY }), 5_000));
  });

  it('never reuses event sids between runs that start at different times', () => {
    const later = run({ seed: 1, start: MONDAY + DAY, end: MONDAY + DAY + 3_600_000 });
    const sids = new Set(day.map((e) => e.Sid));
    expect(later.some((e) => sids.has(e.Sid))).toBe(false);
  });
});

describe('a simulated weekday', () => {
  it('is busy enough to be realistic', () => {
    expect(day.length).toBeGreaterThan(8_000);
    expect(dayTally.total.tasksCreated).toBeGreaterThan(800);
  });

  it('has unique EV sids and every common field, all values strings', () => {
    expect(new Set(day.map((e) => e.Sid)).size).toBe(day.length);
    const created = day.filter((e) => e.EventType === 'task.created').map((e) => e.TaskSid!);
    expect(new Set(created).size).toBe(created.length);
    for (const sid of created) expect(sid).toMatch(/^WT[0-9a-f]{32}$/);
    const reserved = day.filter((e) => e.EventType === 'reservation.created').map((e) => e.ReservationSid!);
    expect(new Set(reserved).size).toBe(reserved.length);
    expect(reserved[0]).toMatch(/^WR[0-9a-f]{32}$/);
    const common = [
      'Sid',
      'EventType',
      'AccountSid',
      'WorkspaceSid',
      'WorkspaceName',
      'ResourceType',
      'ResourceSid',
      'Timestamp',
      'TimestampMs',
      'EventDescription',
    ];
    const problems: string[] = [];
    for (const e of day) {
      for (const k of common) if (!e[k]) problems.push(`${e.EventType} lacks ${k}`);
      for (const [k, v] of Object.entries(e)) if (typeof v !== 'string') problems.push(`${e.EventType} ${k} is a ${typeof v}`);
      if (!/^EV[0-9a-f]{32}$/.test(e.Sid)) problems.push(`bad sid ${e.Sid}`);
      if (Number(e.Timestamp) !== Math.floor(Number(e.TimestampMs) / 1000)) problems.push(`${e.Sid}: Timestamp ≠ TimestampMs`);
      if (!['task', 'reservation', 'worker', 'activity', 'taskqueue', 'workflow'].includes(e.ResourceType))
        problems.push(`${e.Sid}: ResourceType ${e.ResourceType}`);
    }
    expect(problems).toEqual([]);
  });

  it('is in time order, inside the simulated window', () => {
    let last = MONDAY;
    let backwards = 0;
    for (const e of day) {
      const t = num(e, 'TimestampMs');
      if (t < last) backwards++;
      last = t;
    }
    expect(backwards).toBe(0);
    expect(num(day[0]!, 'TimestampMs')).toBe(MONDAY);
    expect(last).toBeLessThan(MONDAY + DAY);
  });

  it('produces every event family', () => {
    const seen = new Set(day.map((e) => e.EventType));
    for (const type of SIMULATED_EVENT_TYPES) expect(seen, type).toContain(type);
  });

  it('announces activities and workers before any traffic', () => {
    const firstTraffic = day.findIndex((e) => e.EventType !== 'activity.created' && e.EventType !== 'worker.created');
    expect(day.slice(0, firstTraffic).map((e) => e.EventType)).toEqual([
      ...Array(5).fill('activity.created'),
      ...Array(40).fill('worker.created'),
    ]);
    expect(day.slice(firstTraffic).some((e) => e.EventType === 'activity.created' || e.EventType === 'worker.created')).toBe(false);
    for (const e of day.slice(5, 45)) expect(e.WorkerActivityName).toBe('Offline');
    expect(day.filter((e) => e.EventType === 'activity.created' && e.ActivityAvailable === 'true').map((e) => e.ActivityName)).toEqual([
      'Available',
    ]);
  });

  it('puts TaskAge = whole seconds since task.created on every task event', () => {
    const problems: string[] = [];
    for (const events of byTask.values()) {
      const created = events[0]!;
      expect(created.EventType).toBe('task.created');
      expect(created.TaskAge).toBe('0');
      expect(created.TaskAssignmentStatus).toBe('pending');
      for (const e of events)
        if (num(e, 'TaskAge') !== Math.floor((num(e, 'TimestampMs') - num(created, 'TimestampMs')) / 1000))
          problems.push(`${e.EventType} ${e.Sid}`);
    }
    expect(problems).toEqual([]);
  });

  it('follows the task lifecycle: created → entered → reserved → accepted → wrap-up → completed', () => {
    let accepted = 0;
    for (const events of byTask.values()) {
      const types = events.map((e) => e.EventType);
      const firstAccept = types.indexOf('reservation.accepted');
      const canceled = types.includes('task.canceled');
      expect(firstAccept >= 0 && canceled, 'handled and abandoned').toBe(false);
      if (firstAccept < 0) continue;
      accepted++;
      const created = types.indexOf('task.created');
      const entered = types.indexOf('task-queue.entered');
      const reserved = types.indexOf('reservation.created');
      expect(created).toBe(0);
      expect(entered).toBeGreaterThan(created);
      expect(reserved).toBeGreaterThan(entered);
      expect(firstAccept).toBeGreaterThan(reserved);
      expect(events[firstAccept]!.TaskAssignmentStatus).toBe('assigned');
      const completed = types.indexOf('task.completed');
      if (completed >= 0) {
        expect(types.indexOf('task.wrapup')).toBeGreaterThan(firstAccept);
        expect(completed).toBeGreaterThan(types.indexOf('task.wrapup'));
        const attributes = JSON.parse(events[completed]!.TaskAttributes!) as { conversations?: { outcome?: string }; disposition?: string };
        expect(['resolved', 'callback', 'escalated', 'sale']).toContain(attributes.disposition);
        expect(attributes.conversations?.outcome).toBe(attributes.disposition);
        expect(events[completed]!.TaskCompletedReason).toBe('Task completed');
      }
    }
    expect(accepted).toBeGreaterThan(500);
  });

  it('answers every reservation once, and re-reserves after a rejection or timeout', () => {
    const reservations = new Map<string, string[]>();
    for (const e of day)
      if (e.ReservationSid !== undefined) reservations.set(e.ReservationSid, [...(reservations.get(e.ReservationSid) ?? []), e.EventType]);
    for (const types of reservations.values()) {
      expect(types[0]).toBe('reservation.created');
      const answers = types.filter((t) =>
        ['reservation.accepted', 'reservation.rejected', 'reservation.timeout', 'reservation.canceled'].includes(t),
      );
      expect(answers.length).toBeLessThanOrEqual(1);
    }
    let rereserved = 0;
    for (const events of byTask.values()) {
      const i = events.findIndex((e) => e.EventType === 'reservation.rejected' || e.EventType === 'reservation.timeout');
      if (i >= 0 && events.slice(i + 1).some((e) => e.EventType === 'reservation.created')) rereserved++;
    }
    expect(rereserved).toBeGreaterThan(0);
  });

  it('moves timed-out tasks to the overflow queue, the moved event naming the queue moved to and the one left (previous)', () => {
    let moved = 0;
    for (const events of byTask.values()) {
      events.forEach((e, i) => {
        if (e.EventType !== 'task-queue.moved') return;
        moved++;
        const previousEntered = events
          .slice(0, i)
          .reverse()
          .find((x) => x.EventType === 'task-queue.entered')!;
        expect(events[i - 1]!.EventType).toBe('task-queue.timeout');
        expect(events[i - 1]!.TaskQueueName).toBe(previousEntered.TaskQueueName);
        expect(e.PreviousTaskQueueName).toBe(previousEntered.TaskQueueName);
        expect(e.PreviousTaskQueueSid).toBe(previousEntered.TaskQueueSid);
        expect(e.PreviousTaskQueueName).not.toBe('Everyone');
        expect(e.TaskQueueName).toBe('Everyone');
        expect(e.TaskQueueEnteredDate).toBe(new Date(Number(e.TimestampMs)).toISOString());
        const next = events[i + 1]!;
        expect(next.EventType).toBe('task-queue.entered');
        expect(next.TaskQueueName).toBe('Everyone');
        expect(next.TaskQueueTargetExpression).toBe('1==1');
      });
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('cancels abandoned tasks with reason hangup, some within 5 seconds', () => {
    const canceled = day.filter((e) => e.EventType === 'task.canceled');
    expect(canceled.every((e) => e.TaskCanceledReason === 'hangup' || e.TaskCanceledReason === 'Task TTL Exceeded')).toBe(true);
    expect(canceled.some((e) => num(e, 'TaskAge') < 5)).toBe(true);
  });

  it('sends agents on pauses only when they are not handling a task, and tracks time in activity', () => {
    const open = new Map<string, string>(); // worker → open reservation
    const since = new Map<string, number>();
    const seen = new Set<string>();
    for (const e of day) {
      const t = e.EventType;
      if (t === 'worker.created') since.set(e.WorkerSid!, num(e, 'TimestampMs'));
      if (t === 'reservation.created') open.set(e.WorkerSid!, e.ReservationSid!);
      if (['reservation.rejected', 'reservation.timeout', 'reservation.canceled', 'reservation.completed'].includes(t))
        open.delete(e.WorkerSid!);
      if (t !== 'worker.activity.update') continue;
      seen.add(`${e.WorkerPreviousActivityName}→${e.WorkerActivityName}`);
      if (e.WorkerActivityName !== 'Available') expect(open.has(e.WorkerSid!), `${e.WorkerName} paused with a task`).toBe(false);
      const ms = num(e, 'TimestampMs') - since.get(e.WorkerSid!)!;
      expect(num(e, 'WorkerTimeInPreviousActivityMs')).toBe(ms);
      expect(num(e, 'WorkerTimeInPreviousActivity')).toBe(Math.floor(ms / 1000));
      since.set(e.WorkerSid!, num(e, 'TimestampMs'));
    }
    for (const change of [
      'Offline→Available',
      'Available→Break',
      'Break→Available',
      'Available→Lunch',
      'Lunch→Available',
      'Available→Offline',
    ])
      expect(seen, change).toContain(change);
  });
});

describe('ground truth', () => {
  /** The METRICS.md definitions, applied to the emitted events. */
  function recompute(events: TaskRouterEventParams[], shortAbandonSeconds: number): Map<string, TallyCounts> {
    const result = new Map<string, TallyCounts>();
    const acceptedTasks = new Set<string>();
    const get = (name: string): TallyCounts[] => {
      let c = result.get(name);
      if (!c) result.set(name, (c = emptyCounts()));
      let total = result.get('TOTAL');
      if (!total) result.set('TOTAL', (total = emptyCounts()));
      return [c, total];
    };
    for (const e of events) {
      // A move counts in the queue the task left (Twilio's previous_task_queue_*).
      const queue = e.EventType === 'task-queue.moved' ? e.PreviousTaskQueueName : e.TaskQueueName;
      if (queue === undefined) continue;
      const age = Number(e.TaskAge);
      for (const c of get(queue)) {
        switch (e.EventType) {
          case 'task.created':
            c.tasksCreated++;
            break;
          case 'task-queue.entered':
            c.tasksEntered++;
            break;
          case 'task-queue.moved':
            c.tasksMoved++;
            break;
          case 'task-queue.timeout':
            c.tasksTimedOut++;
            break;
          case 'task.completed':
            c.tasksCompleted++;
            break;
          case 'reservation.rejected':
            c.reservationsRejected++;
            break;
          case 'reservation.timeout':
            c.reservationsTimedOut++;
            break;
          case 'reservation.accepted':
            if (!acceptedTasks.has(e.TaskSid!)) {
              c.tasksHandled++;
              if (age <= 20) c.tasksHandledWithinSl++; // METRICS.md: handled with wait ≤ T, T = 20 s by default
              c.waitSamples++;
              c.waitSecondsSum += age;
            }
            break;
          case 'task.canceled':
            if (!acceptedTasks.has(e.TaskSid!)) {
              c.tasksAbandoned++;
              if (age < shortAbandonSeconds) c.tasksShortAbandoned++;
              c.waitSamples++;
              c.waitSecondsSum += age;
            }
            break;
        }
      }
      if (e.EventType === 'reservation.accepted') acceptedTasks.add(e.TaskSid!);
    }
    return result;
  }

  it('equals a recomputation from the emitted events, per queue and in total', () => {
    const expected = recompute(day, 5);
    for (const [queue, counts] of dayTally.queues) expect(counts, queue).toEqual(expected.get(queue));
    expect(dayTally.total).toEqual(expected.get('TOTAL'));
    expect(dayTally.total.tasksMoved).toBeGreaterThan(0);
    expect(dayTally.total.tasksShortAbandoned).toBeGreaterThan(0);
  });

  it('honours another short-abandon threshold', () => {
    const tally = createTally(30);
    const events = run({ seed: 5, start: MONDAY, end: MONDAY + DAY / 2 }, tally);
    expect(tally.total).toEqual(recompute(events, 30).get('TOTAL'));
  });

  it('prints as a table with a row per queue and a total', () => {
    const table = formatTally(dayTally);
    for (const q of ['Sales', 'Support', 'Billing', 'Spanish', 'Everyone', 'TOTAL']) expect(table).toMatch(new RegExp(`^${q}\\s`, 'm'));
    expect(table).toContain('avg wait s');
    expect(table).toContain('SL %');
  });
});

describe('options', () => {
  it('follows the center time zone for shifts', () => {
    const tuesday = MONDAY + DAY;
    /** Local hour of the first log-in after 05:00 local (the night crew starts at 22:00). */
    const firstMorningLogin = (timezone: string, utcOffsetHours: number): number => {
      const after = tuesday + (5 - utcOffsetHours) * 3_600_000;
      const login = run({ seed: 2, start: tuesday - DAY, end: tuesday + 2 * DAY, timezone }).find(
        (e) => e.EventType === 'worker.activity.update' && e.WorkerPreviousActivityName === 'Offline' && num(e, 'TimestampMs') > after,
      )!;
      return (num(login, 'TimestampMs') - tuesday) / 3_600_000 + utcOffsetHours;
    };
    // The earliest day shift starts at the same local hour: e.g. 06:00Z in London, 11:00Z in New York (November).
    const earliest = Math.min(
      ...buildCenter()
        .agents.map((a) => a.shift.startHour)
        .filter((h) => h < 22),
    );
    expect(Math.abs(firstMorningLogin('Europe/London', 0) - earliest)).toBeLessThan(0.5);
    expect(Math.abs(firstMorningLogin('America/New_York', -5) - earliest)).toBeLessThan(0.5);
  });

  it('scales to 300 agents with weekend traffic lighter than weekdays', () => {
    const saturday = MONDAY + 5 * DAY;
    const count = (start: number): number => {
      let n = 0;
      for (const e of simulateEvents({ seed: 4, start: start + 9 * 3_600_000, end: start + 12 * 3_600_000, agents: 300 }))
        if (e.EventType === 'task.created') n++;
      return n;
    };
    const weekday = count(MONDAY);
    expect(weekday).toBeGreaterThan(2_500);
    expect(count(saturday)).toBeLessThan(weekday * 0.6);
  });

  it('rejects an end before the start', () => {
    expect(() => [...simulateEvents({ seed: 1, start: MONDAY, end: MONDAY - 1 })]).toThrow(/end/);
  });
});
