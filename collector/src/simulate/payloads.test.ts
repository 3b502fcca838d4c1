import { describe, expect, it } from 'vitest';
import { simulateEvents, snakeCase, toCloudEvent } from './index';
import type { TaskRouterEventParams } from './index';

const start = Date.parse('2026-11-16T09:00:00Z');
const events = [...simulateEvents({ seed: 8, start, end: start + 3_600_000 })];
const find = (type: string, where: (e: TaskRouterEventParams) => boolean = () => true): TaskRouterEventParams => {
  const e = events.find((x) => x.EventType === type && where(x));
  if (!e) throw new Error(`no ${type} in the sample`);
  return e;
};

describe('snakeCase', () => {
  it('puts _ before each capital after the first and lower-cases', () => {
    expect(snakeCase('TaskQueueName')).toBe('task_queue_name');
    expect(snakeCase('TimestampMs')).toBe('timestamp_ms');
    expect(snakeCase('Sid')).toBe('sid');
    expect(snakeCase('EventType')).toBe('event_type');
    expect(snakeCase('WorkerTimeInPreviousActivityMs')).toBe('worker_time_in_previous_activity_ms');
  });
});

describe('toCloudEvent', () => {
  it('wraps a reservation event as Twilio does: envelope, data wrapper, snake_case payload', () => {
    const params = find('reservation.accepted');
    const ce = toCloudEvent(params);
    expect(ce).toMatchObject({
      specversion: '1.0',
      type: 'com.twilio.taskrouter.reservation.accepted',
      dataschema: 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/4',
      datacontenttype: 'application/json',
      time: new Date(Number(params.TimestampMs)).toISOString(),
    });
    expect(ce.id).not.toBe(params.Sid); // a delivery id; the event's Sid is data.sid
    expect(ce.data).toMatchObject({
      sid: params.Sid,
      name: 'ReservationAccepted',
      group: 'reservation',
      level: 'INFO',
      product_name: 'TaskRouter',
      payload_type: 'application/json',
    });
    expect(ce.data.timestamp).toBe(new Date(Number(params.TimestampMs)).toISOString());
    const p = ce.data.payload;
    for (const key of Object.keys(p)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(p).toMatchObject({
      sid: params.Sid,
      eventtype: 'reservation.accepted',
      task_sid: params.TaskSid,
      task_queue_name: params.TaskQueueName,
      worker_activity_name: 'Available',
    });
    // Times are ISO 8601 strings; ages are numbers of seconds.
    expect(p.timestamp).toBe(new Date(Number(params.TimestampMs)).toISOString());
    expect(p).not.toHaveProperty('timestamp_ms');
    expect(p.task_age).toBe(Number(params.TaskAge));
    expect(p.task_priority).toBe(Number(params.TaskPriority));
    expect(p.task_age_in_queue).toBe(Math.floor((Number(params.TimestampMs) - Date.parse(params.TaskQueueEnteredDate!)) / 1000));
    expect(Date.parse(p.task_date_created as string)).toBeLessThanOrEqual(Number(params.TimestampMs) - Number(params.TaskAge) * 1000);
    // Attributes stay JSON text.
    expect(JSON.parse(p.task_attributes as string)).toEqual(JSON.parse(params.TaskAttributes!));
    expect(typeof p.worker_attributes).toBe('string');
    expect(p.worker_available).toBe(true);
  });

  it('types worker durations as numbers and availability as booleans', () => {
    const update = toCloudEvent(find('worker.activity.update', (e) => e.WorkerPreviousActivityName === 'Available'));
    expect(update.type).toBe('com.twilio.taskrouter.worker.activity.update');
    expect(typeof update.data.payload.worker_time_in_previous_activity).toBe('number');
    expect(typeof update.data.payload.worker_time_in_previous_activity_ms).toBe('number');
    expect(update.data.payload.worker_previous_activity_name).toBe('Available');
    expect(update.data.payload.worker_available).toBe(update.data.payload.worker_activity_name === 'Available');
    const activity = toCloudEvent(find('activity.created', (e) => e.ActivityName === 'Available'));
    expect(activity.data.payload.activity_available).toBe(true);
    expect(toCloudEvent(find('activity.created', (e) => e.ActivityName === 'Offline')).data.payload.activity_available).toBe(false);
  });

  it('names both queues of a move: the one entered (task_queue_*) and the one left (previous_task_queue_*)', () => {
    const moved = toCloudEvent(find('task-queue.moved')).data.payload;
    expect(moved.task_queue_name).toBe('Everyone');
    expect(moved.previous_task_queue_name).not.toBe('Everyone');
    expect(typeof moved.previous_task_queue_sid).toBe('string');
  });
});
