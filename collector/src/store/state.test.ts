import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../taskrouter/normalize';
import { IngestService } from '../ingest/service';
import {
  abandonedTask,
  activityEvent,
  ALICE,
  AVAILABLE,
  handledTask,
  OFFLINE,
  SUPPORT_QUEUE,
  taskEvent,
  workerActivityUpdate,
  workerEvent,
} from '../test-helpers/fixtures';
import { removeDir, tempDir } from '../test-helpers/harness';
import { openDb } from './db';
import { StateProjection } from './state';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** A morning on the floor: activity changes, a handled task, an abandon, a task moved to another queue. */
function morning(): Record<string, string>[] {
  const moved = { task: 'WT' + 'm'.repeat(32), createdMs: T0 + 60_000 };
  return [
    activityEvent('activity.created', T0 - 1000, AVAILABLE, 'Available', true),
    activityEvent('activity.created', T0 - 1000, OFFLINE, 'Offline', false),
    workerEvent('worker.created', T0 - 500, 'Offline'),
    workerActivityUpdate(T0, 'Offline', 'Available', 500),
    ...handledTask('WT' + 'h'.repeat(32), T0 + 1000, 15, 100, 20),
    ...abandonedTask('WT' + 'a'.repeat(32), T0 + 2000, 40),
    taskEvent('task.created', moved.createdMs, moved),
    taskEvent('task-queue.entered', moved.createdMs + 10, moved),
    taskEvent('task-queue.timeout', moved.createdMs + 120_000, moved),
    taskEvent('task-queue.moved', moved.createdMs + 120_000, moved),
    taskEvent('task-queue.entered', moved.createdMs + 120_000, { ...moved, queueSid: SUPPORT_QUEUE }),
    workerActivityUpdate(T0 + 3_600_000, 'Available', 'Offline', 3600),
  ];
}

function replay(events: Record<string, string>[]) {
  const dir = tempDir();
  dirs.push(dir);
  const db = openDb(join(dir, 'state.db'));
  const ingest = new IngestService(db, [new StateProjection(db)]);
  const result = ingest.storeNow(events.map((p) => normalizeEvent(p, 'callback')));
  const dump = (table: string, key: string) => db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all();
  // A task's attributes are stored as a payload id (ids follow arrival order): compared as their text.
  const tasks = (db.prepare('SELECT * FROM tasks ORDER BY task_sid').all() as Record<string, unknown>[]).map(
    (t): Record<string, unknown> => ({
      ...t,
      attributes: db.prepare('SELECT body FROM payloads WHERE id = ?').pluck().get(t.attributes) ?? null,
    }),
  );
  const state = {
    tasks,
    workers: dump('workers', 'worker_sid'),
    activities: dump('activities', 'activity_sid'),
    queues: dump('queues', 'queue_sid'),
  };
  db.close();
  return { state, result };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('current state', () => {
  const inOrder = replay(morning()).state;

  it('follows each task through its life', () => {
    const byStatus = Object.fromEntries(inOrder.tasks.map((t) => [(t as { task_sid: string }).task_sid.slice(0, 3), t]));
    expect(byStatus['WTh']).toMatchObject({
      accepted_ms: T0 + 16_000,
      accepted_worker_sid: ALICE,
      accepted_age: 15,
      completed_ms: T0 + 136_000,
      queue_name: 'Sales',
      channel: 'voice',
    });
    expect(byStatus['WTa']).toMatchObject({ canceled_ms: T0 + 42_000, canceled_age: 40, accepted_ms: null });
    // The moved task is in the queue it moved to, not the one it left.
    expect(byStatus['WTm']).toMatchObject({ queue_sid: SUPPORT_QUEUE, queue_name: 'Support', accepted_ms: null, created_ms: T0 + 60_000 });
  });

  it('knows each worker, activity and queue', () => {
    expect(inOrder.workers).toEqual([
      expect.objectContaining({
        worker_sid: ALICE,
        name: 'alice',
        activity_name: 'Offline',
        activity_ms: T0 + 3_600_000,
        created_ms: T0 - 500,
      }),
    ]);
    expect(inOrder.activities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Available', available: 1 }),
        expect.objectContaining({ name: 'Offline', available: 0 }),
      ]),
    );
    expect(inOrder.queues.map((q) => (q as { name: string }).name).sort()).toEqual(['Sales', 'Support']);
  });

  it('is identical whatever order the events arrive in, and with duplicates', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const events = morning();
      // Same events (same Sids), shuffled, with a third of them delivered twice.
      const delivered = shuffle([...events, ...events.filter((_, i) => i % 3 === 0)], seed);
      const fresh = events.map((e) => e.Sid);
      const { state, result } = replay(delivered.map((e) => ({ ...e, Sid: e.Sid! })));
      expect(result.stored).toBe(new Set(fresh).size);
      expect(state).toEqual(replayWithSameSids(events));
    }
  });
});

// Fixtures mint new Sids on every call; replay the exact same events to compare like with like.
const cache = new Map<string, ReturnType<typeof replay>['state']>();
function replayWithSameSids(events: Record<string, string>[]) {
  const key = events.map((e) => e.Sid).join();
  if (!cache.has(key)) cache.set(key, replay(events).state);
  return cache.get(key)!;
}

describe('events in the same millisecond', () => {
  it('orders them causally: a worker created Offline and made Available in the same ms is Available, whatever the Sids', () => {
    for (const [createdSid, updateSid] of [
      ['EV' + 'f'.repeat(32), 'EV' + '0'.repeat(32)],
      ['EV' + '0'.repeat(32), 'EV' + 'f'.repeat(32)],
    ]) {
      const created = { ...workerEvent('worker.created', T0, 'Offline'), Sid: createdSid! };
      const update = { ...workerActivityUpdate(T0, 'Offline', 'Available', 0), Sid: updateSid! };
      for (const order of [
        [created, update],
        [update, created],
      ]) {
        const { state } = replay(order);
        expect(state.workers).toEqual([expect.objectContaining({ worker_sid: ALICE, activity_name: 'Available' })]);
      }
    }
  });
});
