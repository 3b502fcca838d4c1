// Reference fixture: TaskRouter events as Event Streams delivers them to a webhook sink.
// Sources (one event-type page per family, all showing the same TaskRouter.WDSEvent/4 example):
//   https://www.twilio.com/docs/events/event-types/taskrouter/task
//   https://www.twilio.com/docs/events/event-types/taskrouter/reservation
//   https://www.twilio.com/docs/events/event-types/taskrouter/worker
//   https://www.twilio.com/docs/events/event-types/taskrouter/task-queue
//   https://www.twilio.com/docs/events/event-types/taskrouter/workflow
//   https://www.twilio.com/docs/events/event-types (the list, incl. activity.* and the test event)
//
// What the pages settle:
//  - the CloudEvent envelope: specversion "1.0", type `com.twilio.taskrouter.<eventtype>`, source,
//    id (an NO… notification id, not the event's EV Sid), dataschema
//    `https://events-schemas.twilio.com/TaskRouter.WDSEvent/4`, datacontenttype, data;
//  - `data` wraps the event: sid (EV…), name ("ReservationCreated"), account_sid,
//    account_friendly_name, parent_account_sid, parent_friendly_name, timestamp (ISO 8601 with
//    milliseconds), level "INFO", group, product_name "TaskRouter", publisher (the workspace name),
//    publisher_metadata "{}" (JSON text), payload_type "application/json", payload;
//  - `data.payload` holds the facts in snake_case: sid, eventtype, account_sid, timestamp (ISO 8601
//    string, not epoch seconds), workspace_sid, workspace_name, task_sid, task_attributes (JSON
//    text), task_age (number, seconds), task_date_created (ISO), task_priority (number),
//    task_assignment_status, task_completed_reason, task_canceled_reason, reason, task_channel_…;
//  - `worker_time_in_previous_activity` is in seconds since 21 May 2021; schema v2 added
//    `worker_time_in_previous_activity_ms`.
// The pages' example stops being readable after `task_channel_…`; the rest of the payload's field
// names and JSON types come from the published WDSEvent field list as two public consumers mirror
// it (elastic/integrations' Twilio package: task_age_in_queue, task_queue_entered_date,
// task_queue_target_expression, task_version, previous_task_queue_sid|name, worker_* incl.
// worker_time_in_previous_activity_ms as integers; a ClickHouse schema of wds_events: worker_available
// and activity_available as booleans, task_queue_entered_date a date-time). The pages' example puts
// a timestamp in `datacontenttype` and has no `time`; Twilio's own capture of a sink delivery (the
// test event, see sink-test-event.ts) has datacontenttype "application/json" and a `time`: the
// fixture follows the capture, and DOCS_EXAMPLE_ENVELOPE keeps the page's literal form.
import {
  ACCOUNT_SID,
  ACTIVITIES,
  ALICE,
  at,
  CHANNELS,
  ev,
  iso,
  QUEUES,
  RESERVATION_A,
  SCENARIO,
  WORKFLOW,
  WORKSPACE_NAME,
  WORKSPACE_SID,
  resourceOf,
  type ScenarioEvent,
} from './scenario';

export const SOURCES = [
  'https://www.twilio.com/docs/events/event-types/taskrouter/task',
  'https://www.twilio.com/docs/events/event-types/taskrouter/reservation',
  'https://www.twilio.com/docs/events/event-types/taskrouter/worker',
  'https://www.twilio.com/docs/events/event-types/taskrouter/task-queue',
  'https://www.twilio.com/docs/events/event-types/taskrouter/workflow',
  'https://www.twilio.com/docs/events/event-types',
] as const;

export const DATASCHEMA = 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/4';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The payload fields each family carries, with the JSON type of each. */
export const PAYLOAD_FIELDS = {
  common: {
    sid: 'string',
    eventtype: 'string',
    account_sid: 'string',
    timestamp: 'string',
    workspace_sid: 'string',
    workspace_name: 'string',
    event_description: 'string',
    resource_type: 'string',
    resource_sid: 'string',
  },
  task: {
    task_sid: 'string',
    task_attributes: 'string',
    task_age: 'number',
    task_date_created: 'string',
    task_priority: 'number',
    task_assignment_status: 'string',
    task_completed_reason: 'string',
    task_canceled_reason: 'string',
    reason: 'string',
    task_channel_sid: 'string',
    task_channel_unique_name: 'string',
    task_queue_sid: 'string',
    task_queue_name: 'string',
    task_queue_entered_date: 'string',
    task_queue_target_expression: 'string',
    task_age_in_queue: 'number',
    task_version: 'number',
    workflow_sid: 'string',
    workflow_name: 'string',
  },
  moved: { previous_task_queue_sid: 'string', previous_task_queue_name: 'string' },
  reservation: { reservation_sid: 'string', reservation_version: 'number' },
  worker: {
    worker_sid: 'string',
    worker_name: 'string',
    worker_attributes: 'string',
    worker_activity_sid: 'string',
    worker_activity_name: 'string',
    worker_available: 'boolean',
    worker_version: 'number',
  },
  workerActivity: {
    worker_previous_activity_sid: 'string',
    worker_previous_activity_name: 'string',
    worker_time_in_previous_activity: 'number',
    worker_time_in_previous_activity_ms: 'number',
  },
  activity: { activity_sid: 'string', activity_name: 'string', activity_available: 'boolean' },
} as const;

/** The data wrapper's fields and their JSON types. */
export const DATA_FIELDS = {
  sid: 'string',
  name: 'string',
  account_sid: 'string',
  account_friendly_name: 'string',
  parent_account_sid: 'string',
  parent_friendly_name: 'string',
  timestamp: 'string',
  level: 'string',
  group: 'string',
  product_name: 'string',
  publisher: 'string',
  publisher_metadata: 'string',
  payload_type: 'string',
  payload: 'object',
} as const;

/** The envelope's attributes and their JSON types. */
export const ENVELOPE_FIELDS = {
  specversion: 'string',
  type: 'string',
  source: 'string',
  id: 'string',
  dataschema: 'string',
  datacontenttype: 'string',
  time: 'string',
  data: 'object',
} as const;

/** `task-queue.entered` -> `TaskQueueEntered`: the data wrapper's `name`. */
export function eventName(eventType: string): string {
  return eventType
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** One scenario event as a CloudEvent in an Event Streams webhook batch. */
export function cloudEventOf(e: ScenarioEvent): JsonObject {
  const ms = at(e.atS);
  const [resourceType, resourceSid] = resourceOf(e);
  const payload: JsonObject = {
    sid: ev(e.n),
    eventtype: e.type,
    account_sid: ACCOUNT_SID,
    timestamp: iso(ms),
    workspace_sid: WORKSPACE_SID,
    workspace_name: WORKSPACE_NAME,
    event_description: `${e.type} for ${resourceSid}`,
    resource_type: resourceType,
    resource_sid: resourceSid,
  };
  if (e.activity) {
    const a = ACTIVITIES[e.activity];
    Object.assign(payload, { activity_sid: a.sid, activity_name: a.name, activity_available: a.available });
  }
  if (e.task) {
    const q = QUEUES[e.queue!];
    const ch = CHANNELS[e.task.channel];
    Object.assign(payload, {
      task_sid: e.task.sid,
      task_attributes: e.task.attributes,
      task_age: e.atS - e.task.createdS,
      task_date_created: iso(at(e.task.createdS)),
      task_priority: 0,
      task_assignment_status: e.status!,
      task_channel_sid: ch.sid,
      task_channel_unique_name: ch.name,
      task_queue_sid: q.sid,
      task_queue_name: q.name,
      task_queue_entered_date: iso(at(e.enteredQueueS!)),
      task_queue_target_expression: q.target,
      task_age_in_queue: e.atS - e.enteredQueueS!,
      task_version: e.n,
      workflow_sid: WORKFLOW.sid,
      workflow_name: WORKFLOW.name,
    });
    if (e.type === 'task.canceled') Object.assign(payload, { task_canceled_reason: e.reason!, reason: e.reason! });
    if (e.type === 'task.completed') Object.assign(payload, { task_completed_reason: e.reason!, reason: e.reason! });
  }
  if (e.previousQueue)
    Object.assign(payload, {
      previous_task_queue_sid: QUEUES[e.previousQueue].sid,
      previous_task_queue_name: QUEUES[e.previousQueue].name,
    });
  if (e.reservation) Object.assign(payload, { reservation_sid: RESERVATION_A, reservation_version: e.n });
  if (e.worker) {
    const a = ACTIVITIES[e.worker.activity];
    Object.assign(payload, {
      worker_sid: ALICE.sid,
      worker_name: ALICE.name,
      worker_attributes: ALICE.attributes,
      worker_activity_sid: a.sid,
      worker_activity_name: a.name,
      worker_available: a.available,
      worker_version: e.n,
    });
    if (e.worker.previous) {
      const prev = ACTIVITIES[e.worker.previous];
      Object.assign(payload, {
        worker_previous_activity_sid: prev.sid,
        worker_previous_activity_name: prev.name,
        worker_time_in_previous_activity: Math.floor(e.worker.inPreviousMs! / 1000),
        worker_time_in_previous_activity_ms: e.worker.inPreviousMs!,
      });
    }
  }
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${e.type}`,
    source: WORKSPACE_SID,
    id: 'NO' + e.n.toString(16).padStart(32, '0'),
    dataschema: DATASCHEMA,
    datacontenttype: 'application/json',
    time: iso(ms + 40),
    data: {
      sid: ev(e.n),
      name: eventName(e.type),
      account_sid: ACCOUNT_SID,
      account_friendly_name: 'Floor One account',
      parent_account_sid: ACCOUNT_SID,
      parent_friendly_name: 'Floor One account',
      timestamp: iso(ms),
      level: 'INFO',
      group: e.type.split('.')[0]!,
      product_name: 'TaskRouter',
      publisher: WORKSPACE_NAME,
      publisher_metadata: '{}',
      payload_type: 'application/json',
      payload,
    },
  };
}

/** The whole scenario as CloudEvents (a sink receives them in batches: JSON arrays). */
export const CLOUD_EVENTS: readonly JsonObject[] = SCENARIO.map(cloudEventOf);

/** The event-type pages' envelope as printed: a timestamp where datacontenttype goes, no `time`. */
export function docsExampleEnvelope(ce: JsonObject): JsonObject {
  const { time: _time, ...rest } = ce;
  return { ...rest, datacontenttype: '2025-10-08T07:17:02.363Z' };
}
