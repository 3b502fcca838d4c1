// Reference fixture: the TaskRouter REST Event resource (what backfill reads).
// Sources:
//   https://www.twilio.com/docs/taskrouter/api/event (Event resource: properties, Fetch and List,
//     the example resource);
//   twilio/twilio-oai spec/json/twilio_taskrouter_v1.json, schema `taskrouter.v1.workspace.event`
//     and the `ListEventResponse` of GET /v1/Workspaces/{WorkspaceSid}/Events.
// What they settle: properties account_sid, actor_sid, actor_type, actor_url, description,
// event_data (an object, "data about the event"), event_date (ISO 8601 date-time, whole seconds in
// the example), event_date_ms (int64, "the time the event was sent in milliseconds"), event_type,
// resource_sid, resource_type, resource_url, sid (EV…), source, source_ip_address, url,
// workspace_sid. The example's event_data keys are snake_case and its values are strings, numbers
// included ("worker_time_in_previous_activity": "26", "…_ms": "26123"). A list page is
// `{ events: [...], meta: { first_page_url, key: "events", next_page_url, page, page_size,
// previous_page_url, url } }`; paging follows next_page_url (PageToken), never `Page` alone.
import { cloudEventOf, type JsonObject } from './event-streams';
import { ACCOUNT_SID, SCENARIO, WORKSPACE_SID, type ScenarioEvent } from './scenario';

export const SOURCES = [
  'https://www.twilio.com/docs/taskrouter/api/event',
  'twilio/twilio-oai spec/json/twilio_taskrouter_v1.json (taskrouter.v1.workspace.event, ListEventResponse)',
] as const;

const API = 'https://taskrouter.twilio.com/v1/Workspaces/' + WORKSPACE_SID;

/** Property -> JSON type (null allowed everywhere; event_data is an object). */
export const EVENT_PROPERTIES = {
  account_sid: 'string',
  actor_sid: 'string',
  actor_type: 'string',
  actor_url: 'string',
  description: 'string',
  event_data: 'object',
  event_date: 'string',
  event_date_ms: 'number',
  event_type: 'string',
  resource_sid: 'string',
  resource_type: 'string',
  resource_url: 'string',
  sid: 'string',
  source: 'string',
  source_ip_address: 'string',
  url: 'string',
  workspace_sid: 'string',
} as const;

export const META_PROPERTIES = {
  first_page_url: 'string',
  key: 'string',
  next_page_url: 'string',
  page: 'number',
  page_size: 'number',
  previous_page_url: 'string',
  url: 'string',
} as const;

/** Payload keys that are properties of the REST Event resource itself, not of its event_data. */
export const RESOURCE_LEVEL: ReadonlySet<string> = new Set([
  'sid',
  'eventtype',
  'account_sid',
  'timestamp',
  'event_description',
  'resource_type',
  'resource_sid',
]);
/** The REST collection a resource_type lives in, for resource_url (TaskRouter v1 paths in twilio-oai). */
export const PLURAL: Readonly<Record<string, string>> = {
  task: 'Tasks',
  reservation: 'Tasks',
  worker: 'Workers',
  activity: 'Activities',
  taskqueue: 'TaskQueues',
  workflow: 'Workflows',
};

/** One scenario event as the Events list returns it. */
export function restEventOf(e: ScenarioEvent): JsonObject {
  const payload = (cloudEventOf(e).data as JsonObject).payload as JsonObject;
  const eventData: JsonObject = {};
  for (const [k, v] of Object.entries(payload)) if (!RESOURCE_LEVEL.has(k)) eventData[k] = v === null ? null : String(v);
  const ms = Date.parse(String(payload.timestamp));
  const worker = typeof payload.worker_sid === 'string' ? payload.worker_sid : null;
  return {
    account_sid: ACCOUNT_SID,
    actor_sid: worker ?? WORKSPACE_SID,
    actor_type: worker ? 'worker' : 'workspace',
    actor_url: worker ? `${API}/Workers/${worker}` : API,
    description: String(payload.event_description),
    event_data: eventData,
    event_date: new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    event_date_ms: ms,
    event_type: e.type,
    resource_sid: String(payload.resource_sid),
    resource_type: String(payload.resource_type),
    resource_url: `${API}/${PLURAL[String(payload.resource_type)] ?? 'Resources'}/${String(payload.resource_sid)}`,
    sid: String(payload.sid),
    source: 'twilio',
    source_ip_address: '127.0.0.1',
    url: `${API}/Events/${String(payload.sid)}`,
    workspace_sid: WORKSPACE_SID,
  };
}

/** The whole scenario as Event resources, newest first as the list returns them. */
export const REST_EVENTS: readonly JsonObject[] = [...SCENARIO].reverse().map(restEventOf);

/** One list page holding every scenario event. */
export const EVENTS_PAGE: JsonObject = {
  events: [...REST_EVENTS],
  meta: {
    first_page_url: `${API}/Events?PageSize=50&Page=0`,
    key: 'events',
    next_page_url: null,
    page: 0,
    page_size: 50,
    previous_page_url: null,
    url: `${API}/Events?PageSize=50&Page=0`,
  },
};
