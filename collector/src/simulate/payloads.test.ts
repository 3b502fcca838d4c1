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
  it('wraps a reservation event as an Event Streams CloudEvent', () => {
    const params = find('reservation.accepted');
    const ce = toCloudEvent(params);
    expect(ce.specversion).toBe('1.0');
    expect(ce.type).toBe('com.twilio.taskrouter.reservation.accepted');
    expect(ce.source).toBe(`/v1/Workspaces/${params.WorkspaceSid}`);
    expect(ce.id).toBe(params.Sid);
    expect(ce.time).toBe(new Date(Number(params.TimestampMs)).toISOString());
    expect(ce.datacontenttype).toBe('application/json');
    expect(ce.dataschema).toMatch(/^https:\/\/events-schemas\.twilio\.com\/TaskRouter\.Reservation\//);
    const p = ce.data.payload;
    expect(Object.keys(p)).toHaveLength(Object.keys(params).length);
    for (const key of Object.keys(p)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(p.task_sid).toBe(params.TaskSid);
    expect(p.task_queue_name).toBe(params.TaskQueueName);
    expect(p.worker_activity_name).toBe('Available');
    expect(p.timestamp).toBe(Number(params.Timestamp));
    expect(p.timestamp_ms).toBe(Number(params.TimestampMs));
    expect(p.task_age).toBe(Number(params.TaskAge));
    expect(p.task_priority).toBe(Number(params.TaskPriority));
    // Attributes stay JSON text.
    expect(typeof p.task_attributes).toBe('string');
    expect(JSON.parse(p.task_attributes as string)).toEqual(JSON.parse(params.TaskAttributes!));
    expect(typeof p.worker_attributes).toBe('string');
  });

  it('types worker durations as numbers and activity availability as a boolean', () => {
    const update = toCloudEvent(find('worker.activity.update', (e) => e.WorkerPreviousActivityName === 'Available'));
    expect(update.type).toBe('com.twilio.taskrouter.worker.activity.update');
    expect(typeof update.data.payload.worker_time_in_previous_activity).toBe('number');
    expect(typeof update.data.payload.worker_time_in_previous_activity_ms).toBe('number');
    expect(update.data.payload.worker_previous_activity_name).toBe('Available');
    const activity = toCloudEvent(find('activity.created', (e) => e.ActivityName === 'Available'));
    expect(activity.data.payload.activity_available).toBe(true);
    expect(toCloudEvent(find('activity.created', (e) => e.ActivityName === 'Offline')).data.payload.activity_available).toBe(false);
  });
});
