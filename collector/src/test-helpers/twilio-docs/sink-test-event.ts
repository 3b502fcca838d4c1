// Reference fixture: the event Event Streams sends when a sink is tested or validated.
// Sources:
//   https://www.twilio.com/docs/events/event-streams/sink-resource/test (POST …/Sinks/{Sid}/Test
//     "publishes a test event to your Sink"), …/sink-resource/validate (answer with its test_id);
//   https://www.twilio.com/en-us/blog/developers/tutorials/validate-twilio-event-streams-webhooks-rust
//     (Twilio's blog prints a webhook delivery of it: a JSON array of CloudEvents);
//   https://www.twilio.com/docs/events/eventstreams-quickstart (the Kinesis form, where `data` is
//     JSON text rather than an object).
// What they settle: type `com.twilio.eventstreams.test-event`, source "Sink", id the account Sid,
// dataschema `…/EventStreams.TestSink/1.json`, datacontenttype "application/json", a `time`, and
// data `{ test_id }`. It is not a TaskRouter event: a sink must acknowledge it (else Twilio keeps
// retrying) and must not count it as one.
import { ACCOUNT_SID } from './scenario';

export const SOURCES = [
  'https://www.twilio.com/docs/events/event-streams/sink-resource/test',
  'https://www.twilio.com/en-us/blog/developers/tutorials/validate-twilio-event-streams-webhooks-rust',
  'https://www.twilio.com/docs/events/eventstreams-quickstart',
] as const;

export const SINK_TEST_EVENT = {
  specversion: '1.0',
  type: 'com.twilio.eventstreams.test-event',
  source: 'Sink',
  id: ACCOUNT_SID,
  dataschema: 'https://events-schemas.twilio.com/EventStreams.TestSink/1.json',
  datacontenttype: 'application/json',
  time: '2026-11-20T08:59:58.377Z',
  data: { test_id: 'cae2f9e2-c277-4612-8ad3-93c1a7a3ef88' },
} as const;

/** Another product's event on a shared sink (a Messaging status event's envelope). */
export const OTHER_PRODUCT_EVENT = {
  specversion: '1.0',
  type: 'com.twilio.messaging.message.delivered',
  source: '/2010-04-01/Accounts/' + ACCOUNT_SID + '/Messages/SM' + 'ab'.repeat(16) + '.json',
  id: 'EZ' + 'cd'.repeat(16),
  dataschema: 'https://events-schemas.twilio.com/Messaging.MessageStatus/3',
  datacontenttype: 'application/json',
  time: '2026-11-20T09:00:01.000Z',
  data: { messageSid: 'SM' + 'ab'.repeat(16), messageStatus: 'DELIVERED', accountSid: ACCOUNT_SID },
} as const;
