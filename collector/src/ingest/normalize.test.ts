import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { abandonedTask, activityEvent, AVAILABLE, handledTask, SALES_QUEUE, toCloudEvent, workerActivityUpdate } from '../test-helpers/fixtures';
import { normalizeCloudEvent, normalizeEvent } from './normalize';

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
    expect(rec).toMatchObject({ workerPreviousActivityName: 'Offline', workerActivityName: 'Available', workerTimeInPreviousActivityMs: 600_000 });
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
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: String(T0), TaskAge: 'NaN' }, 'TaskAge'],
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: String(T0), TaskAge: '-1' }, 'TaskAge'],
    [{ Sid: 'EV1', EventType: 'task.created', TimestampMs: String(T0), ActivityAvailable: 'maybe' }, 'ActivityAvailable'],
    [{ Sid: "EV1'; DROP TABLE events;--", EventType: 'task.created', TimestampMs: String(T0) }, 'Sid'],
  ])('rejects %j naming %s', (raw, field) => {
    expect(() => normalizeEvent(raw, 'callback')).toThrow(InputError);
    expect(() => normalizeEvent(raw, 'callback')).toThrow(field);
  });
});

describe('normalizeCloudEvent (Event Streams)', () => {
  it('gives the same record as the Event Callback for the same facts', () => {
    for (const p of [...handledTask('WT' + '3'.repeat(32), T0, 10, 60, 5), workerActivityUpdate(T0, 'Available', 'Offline', 3600), activityEvent('activity.created', T0, AVAILABLE, 'Available', true)]) {
      const viaCallback = normalizeEvent(p, 'callback');
      const viaStreams = normalizeCloudEvent(toCloudEvent(p), 0);
      const { raw: _a, source: _s, ...a } = viaCallback;
      const { raw: _b, source: _t, ...b } = viaStreams;
      expect(b).toEqual(a);
    }
  });

  it('falls back to the CloudEvent id, type and time', () => {
    const rec = normalizeCloudEvent({ type: 'com.twilio.taskrouter.task.created', id: 'EVabc', time: new Date(T0).toISOString(), data: { payload: { task_sid: 'WT1' } } }, 0);
    expect(rec).toMatchObject({ sid: 'EVabc', eventType: 'task.created', eventMs: T0, taskSid: 'WT1' });
  });

  it('names the offending element of a batch', () => {
    expect(() => normalizeCloudEvent({ type: 'com.twilio.messaging.inbound', data: {} }, 3)).toThrow('event [3]: type must start with');
    expect(() => normalizeCloudEvent('nope', 1)).toThrow('event [1]');
    expect(() => normalizeCloudEvent({ type: 'com.twilio.taskrouter.task.created', data: { payload: { sid: 'EV1' } } }, 2)).toThrow('event [2]: TimestampMs, Timestamp or EventDate');
  });
});
