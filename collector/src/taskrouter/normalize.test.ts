import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import {
  abandonedTask,
  activityEvent,
  AVAILABLE,
  handledTask,
  SALES_QUEUE,
  toCloudEvent,
  workerActivityUpdate,
} from '../test-helpers/fixtures';
import { sharedFacts } from '../test-helpers/records';
import { normalizeCloudEvent, normalizeEvent, readCloudEvent, UnreadableEventError } from './normalize';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

describe('normalizeEvent (Event Callback fields)', () => {
  it('maps every task field to typed values', () => {
    const accepted = handledTask('WT' + '1'.repeat(32), T0, 42, 120, 30)[3]!;
    const rec = normalizeEvent(accepted, 'callback');
    expect(rec).toMatchObject({
      eventType: 'reservation.accepted',
      eventMs: T0 + 42_000,
      taskAge: 42,
      taskPriority: 0,
      channel: 'voice',
      queueSid: SALES_QUEUE,
      queueName: 'Sales',
      queueTargetExpression: 'skills HAS "sales"',
      queueEnteredMs: T0,
      workerName: 'alice',
      workerActivityName: 'Available',
      taskAssignmentStatus: 'assigned',
    });
    expect(rec.reservationSid).toMatch(/^WR/);
    expect(JSON.parse(rec.taskAttributes!)).toMatchObject({ direction: 'inbound' });
  });

  it('maps worker activity changes, converting seconds in the previous activity to ms when only seconds are given', () => {
    const p = workerActivityUpdate(T0, 'Offline', 'Available', 600);
    delete p.WorkerTimeInPreviousActivityMs;
    const rec = normalizeEvent(p, 'callback');
    expect(rec).toMatchObject({
      workerPreviousActivityName: 'Offline',
      workerActivityName: 'Available',
      workerTimeInPreviousActivityMs: 600_000,
    });
  });

  it('reads ActivityAvailable as a boolean', () => {
    expect(normalizeEvent(activityEvent('activity.created', T0, AVAILABLE, 'Available', true), 'callback').activityAvailable).toBe(true);
    expect(normalizeEvent(activityEvent('activity.updated', T0, AVAILABLE, 'Break', false), 'callback').activityAvailable).toBe(false);
  });

  it('takes the event time from TimestampMs, else Timestamp (seconds), else EventDate', () => {
    const base = { Sid: 'EV1', EventType: 'task.created' };
    expect(normalizeEvent({ ...base, TimestampMs: String(T0 + 123), Timestamp: String(T0 / 1000) }, 'callback').eventMs).toBe(T0 + 123);
    expect(normalizeEvent({ ...base, Timestamp: String(T0 / 1000) }, 'callback').eventMs).toBe(T0);
    expect(normalizeEvent({ ...base, EventDate: new Date(T0).toISOString() }, 'callback').eventMs).toBe(T0);
  });

  it('keeps attributes that are not valid JSON as text, and keeps unknown fields', () => {
    const p = { ...abandonedTask('WT' + '2'.repeat(32), T0, 3)[2]!, TaskAttributes: '{not json', FutureField: 'kept' };
    const rec = normalizeEvent(p, 'callback');
    expect(rec.taskAttributes).toBe('{not json');
    expect(rec.raw.FutureField).toBe('kept');
    expect(rec.taskCanceledReason).toBe('hangup');
  });

  it.each([
    [{ EventType: 'task.created', TimestampMs: String(T0) }, 'Sid'],
    [{ Sid: 'EV1', TimestampMs: String(T0) }, 'EventType'],
    [{ Sid: 'EV1', EventType: 'task.created' }, 'TimestampMs, Timestamp or EventDate'],
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: 'soon' }, 'TimestampMs'],
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: '-5' }, 'TimestampMs'],
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: String(Date.now() + 10 * 86400_000) }, 'TimestampMs'],
    [{ Sid: "EV1'; DROP TABLE events;--", EventType: 'task.created', TimestampMs: String(T0) }, 'Sid'],
  ])('cannot read %j (no usable %s): an UnreadableEventError naming it', (raw, field) => {
    expect(() => normalizeEvent(raw, 'callback')).toThrow(UnreadableEventError);
    expect(() => normalizeEvent(raw, 'callback')).toThrow(field);
  });

  it.each([
    ['TaskAge', 'NaN', 'taskAge'],
    ['TaskAge', '-1', 'taskAge'],
    ['ActivityAvailable', 'maybe', 'activityAvailable'],
    ['TaskQueueEnteredDate', 'not a date', 'queueEnteredMs'],
    ['WorkerTimeInPreviousActivityMs', '1e400', 'workerTimeInPreviousActivityMs'],
  ])(
    'keeps an event whose optional %s is unreadable (%s): the value stays raw, out of the record, reported as an issue',
    (field, value, key) => {
      const rec = normalizeEvent({ Sid: 'EV1', EventType: 'task.created', TimestampMs: String(T0), [field]: value }, 'callback');
      expect(rec.sid).toBe('EV1');
      expect((rec as unknown as Record<string, unknown>)[key]).toBeNull();
      expect(rec.raw[field]).toBe(value);
      expect(rec.issues.map((i) => i.field)).toEqual([field]);
      expect(rec.issues[0]!.message).toContain(field);
    },
  );

  it('reads every documented variant of a field: numbers or numeric text, ISO dates or epoch times, booleans or their text', () => {
    const base = { Sid: 'EV1', EventType: 'task.updated', TimestampMs: String(T0) };
    const asText = normalizeEvent(
      { ...base, TaskAge: '18', TaskAgeInQueue: '7', TaskQueueEnteredDate: new Date(T0 - 7000).toISOString(), WorkerAvailable: 'true' },
      'callback',
    );
    const typed = normalizeEvent(
      { ...base, TaskAge: 18, TaskAgeInQueue: 7, TaskQueueEnteredDate: String((T0 - 7000) / 1000), WorkerAvailable: true },
      'callback',
    );
    const epochMs = normalizeEvent({ ...base, TaskQueueEnteredDate: T0 - 7000 }, 'callback');
    for (const rec of [asText, typed])
      expect(rec).toMatchObject({ taskAge: 18, taskAgeInQueue: 7, queueEnteredMs: T0 - 7000, workerAvailable: true, issues: [] });
    expect(epochMs.queueEnteredMs).toBe(T0 - 7000);
  });

  it('falls back to the next time field when a more precise one is unreadable, and says so', () => {
    const rec = normalizeEvent(
      { Sid: 'EV1', EventType: 'task.created', TimestampMs: 'yesterday', Timestamp: String(T0 / 1000) },
      'callback',
    );
    expect(rec.eventMs).toBe(T0);
    expect(rec.issues.map((i) => i.field)).toEqual(['TimestampMs']);
  });
});

describe('normalizeCloudEvent (Event Streams)', () => {
  it('gives the same record as the Event Callback for the same facts', () => {
    for (const p of [
      ...handledTask('WT' + '3'.repeat(32), T0, 10, 60, 5),
      workerActivityUpdate(T0, 'Available', 'Offline', 3600),
      activityEvent('activity.created', T0, AVAILABLE, 'Available', true),
    ]) {
      const viaCallback = normalizeEvent(p, 'callback');
      const viaStreams = normalizeCloudEvent(toCloudEvent(p), 0);
      expect(sharedFacts(viaStreams)).toEqual(sharedFacts(viaCallback));
      expect(viaStreams.issues).toEqual([]);
    }
  });

  it('reads the ISO 8601 payload timestamp (to the ms) before the CloudEvent time', () => {
    const ce = {
      type: 'com.twilio.taskrouter.task.created',
      id: 'NO1',
      time: new Date(T0 + 900).toISOString(),
      data: {
        sid: 'EV9',
        timestamp: new Date(T0 + 500).toISOString(),
        payload: { sid: 'EV9', eventtype: 'task.created', timestamp: '2026-11-20T09:00:00.123Z' },
      },
    };
    expect(normalizeCloudEvent(ce, 0)).toMatchObject({ sid: 'EV9', eventMs: T0 + 123 });
    const { timestamp: _t, ...noPayloadTime } = ce.data.payload;
    expect(normalizeCloudEvent({ ...ce, data: { ...ce.data, payload: noPayloadTime } }, 0).eventMs).toBe(T0 + 500);
    expect(normalizeCloudEvent({ ...ce, data: { payload: noPayloadTime } }, 0).eventMs).toBe(T0 + 900);
  });

  it('falls back to data.sid, then the CloudEvent id, and to the type for the event type', () => {
    const rec = normalizeCloudEvent(
      { type: 'com.twilio.taskrouter.task.created', id: 'EVabc', time: new Date(T0).toISOString(), data: { payload: { task_sid: 'WT1' } } },
      0,
    );
    expect(rec).toMatchObject({ sid: 'EVabc', eventType: 'task.created', eventMs: T0, taskSid: 'WT1' });
    expect(
      normalizeCloudEvent(
        { type: 'com.twilio.taskrouter.task.created', id: 'NO1', time: new Date(T0).toISOString(), data: { sid: 'EVdef', payload: {} } },
        0,
      ).sid,
    ).toBe('EVdef');
  });

  it('tells apart other products (ignored) from TaskRouter events it cannot read (unreadable), naming the element', () => {
    expect(readCloudEvent({ type: 'com.twilio.eventstreams.test-event', data: { test_id: 'x' } }, 3)).toEqual({
      kind: 'ignored',
      type: 'com.twilio.eventstreams.test-event',
    });
    expect(readCloudEvent('nope', 1)).toMatchObject({ kind: 'unreadable', reason: 'event [1] is not a CloudEvent object' });
    expect(readCloudEvent({ type: 'com.twilio.taskrouter.task.created', data: { payload: { sid: 'EV1' } } }, 2)).toMatchObject({
      kind: 'unreadable',
      sid: 'EV1',
      reason: expect.stringContaining('event [2]: TimestampMs, Timestamp or EventDate'),
    });
    expect(readCloudEvent({ type: 'com.twilio.taskrouter.task.created', data: 'not json' }, 4)).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('data.payload'),
    });
    expect(() => normalizeCloudEvent({ type: 'com.twilio.messaging.inbound', data: {} }, 3)).toThrow(InputError);
  });
});
