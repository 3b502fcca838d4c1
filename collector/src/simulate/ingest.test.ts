// The simulator's payloads are what the collector accepts: every event of a simulated weekday, of
// every family, passes the ingest parser through both transports and gives the same record.
import { describe, expect, it } from 'vitest';
import { normalizeCloudEvent, normalizeEvent } from '../taskrouter/normalize';
import { KNOWN_FIELDS } from '../taskrouter/record';
import { sharedFacts } from '../test-helpers/records';
import { simulateEvents, toCloudEvent } from './index';

const start = Date.UTC(2026, 10, 17, 0);
const events = [...simulateEvents({ seed: 21, start, end: start + 86_400_000, agents: 25 })];

describe('simulator payloads through the ingest parser', () => {
  it('covers every event family METRICS.md lists', () => {
    const types = new Set(events.map((e) => e.EventType));
    for (const t of [
      'task.created',
      'task.canceled',
      'task.wrapup',
      'task.completed',
      'task.updated',
      'task-queue.entered',
      'task-queue.moved',
      'task-queue.timeout',
      'reservation.created',
      'reservation.accepted',
      'reservation.rejected',
      'reservation.timeout',
      'reservation.canceled',
      'reservation.wrapup',
      'reservation.completed',
      'worker.created',
      'worker.activity.update',
      'activity.created',
      'workflow.entered',
    ])
      expect(types, t).toContain(t);
  });

  it('parses every event on both transports into the same record, every field known, nothing unreadable', () => {
    const known = new Set<string>(KNOWN_FIELDS);
    const extra = { callback: new Set<string>(), streams: new Set<string>() };
    for (const e of events) {
      const viaCallback = normalizeEvent(e, 'callback', start + 2 * 86_400_000);
      const viaStreams = normalizeCloudEvent(toCloudEvent(e), 0, start + 2 * 86_400_000);
      expect(sharedFacts(viaStreams)).toEqual(sharedFacts(viaCallback));
      expect([...viaCallback.issues, ...viaStreams.issues]).toEqual([]);
      // What only Event Streams carries is exact: creation to the ms, time in queue, availability.
      if (e.TaskSid) {
        expect(viaStreams.taskCreatedMs).toBeLessThanOrEqual(viaStreams.eventMs - (viaStreams.taskAge ?? 0) * 1000);
        expect(viaStreams.taskAgeInQueue).toBe(Math.floor((viaStreams.eventMs - viaCallback.queueEnteredMs!) / 1000));
      }
      if (e.WorkerSid) expect(viaStreams.workerAvailable).toBe(e.WorkerActivityName === 'Available');
      for (const k of Object.keys(e)) if (!known.has(k)) extra.callback.add(k);
      for (const k of Object.keys(viaStreams.raw)) if (!known.has(k)) extra.streams.add(k);
    }
    expect([...extra.callback]).toEqual([]);
    // `reason` repeats task_canceled_reason / task_completed_reason: kept in the raw payload.
    expect([...extra.streams]).toEqual(['reason']);
  });
});
