// Webhook routes: TaskRouter Event Callback (form) and Event Streams (JSON CloudEvents batch).
// Parse -> verify the request is Twilio's -> read each event -> commit; the answer is sent only
// after the commit. Once a request is authenticated nothing in it is dropped silently: readable
// TaskRouter events are stored, unreadable ones quarantined verbatim with the reason (and the rest
// of the batch still commits, so Twilio does not retry it forever), other products' CloudEvents
// (the sink test event) acknowledged and counted.
import express, { Router } from 'express';
import { InputError } from '../errors';
import type { IngestCounters } from '../ingest/counters';
import { normalizeEvent, readCloudEvent, UnreadableEventError } from '../taskrouter/normalize';
import type { EventRecord } from '../taskrouter/record';
import type { IngestService } from '../ingest/service';
import { verifyBodySignature, verifyFormSignature, type SignatureCheck } from '../http/signature';
import { requireContentType } from '../http/errors';
import type { QuarantineEntry } from '../store/quarantine';

export const BODY_LIMIT = '1mb';
/** Largest Event Streams batch accepted in one request. */
export const MAX_BATCH_EVENTS = 5000;

/** The answer to an Event Streams batch. */
export interface BatchAnswer {
  stored: number;
  duplicates: number;
  quarantined: number;
  /** CloudEvents of other products (the sink test event): acknowledged, not stored. */
  ignored: number;
}

export function webhookRoutes(ingest: IngestService, check: SignatureCheck, counters: IngestCounters): Router {
  const router = Router();

  router.post(
    '/webhooks/taskrouter',
    requireContentType('application/x-www-form-urlencoded'),
    express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }),
    async (req, res) => {
      const params = formParams(req.body);
      verifyFormSignature(req, params, check);
      let rec: EventRecord;
      try {
        rec = normalizeEvent(params, 'callback');
      } catch (err) {
        if (!(err instanceof UnreadableEventError)) throw err;
        const entry: QuarantineEntry = {
          transport: 'callback',
          reason: err.message,
          eventSid: claimedSid(params.Sid),
          body: JSON.stringify(params),
        };
        counters.accepted('callback', await ingest.submit([], [entry]));
        // 2xx: the event is kept (quarantined); an error here would only make Twilio send it again.
        res.status(202).json({ stored: 0, duplicates: 0, quarantined: 1, reason: err.message });
        return;
      }
      counters.issues(rec.issues, rec.sid);
      counters.accepted('callback', await ingest.submit([rec]));
      res.status(204).end();
    },
  );

  router.post(
    '/webhooks/event-streams',
    requireContentType('application/json', 'application/cloudevents-batch+json', 'application/cloudevents+json'),
    express.text({ type: () => true, limit: BODY_LIMIT }),
    async (req, res) => {
      const body = typeof req.body === 'string' ? req.body : '';
      verifyBodySignature(req, body, check);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new InputError('request body is not valid JSON');
      }
      const events = Array.isArray(parsed) ? parsed : [parsed];
      if (events.length === 0) throw new InputError('the batch is empty: send a JSON array of CloudEvents');
      if (events.length > MAX_BATCH_EVENTS) throw new InputError(`the batch has more than ${MAX_BATCH_EVENTS} events`, 413);
      const now = Date.now();
      const records: EventRecord[] = [];
      const quarantine: QuarantineEntry[] = [];
      let ignored = 0;
      events.forEach((ce, i) => {
        const out = readCloudEvent(ce, i, now);
        if (out.kind === 'event') {
          counters.issues(out.record.issues, out.record.sid);
          records.push(out.record);
        } else if (out.kind === 'ignored') {
          counters.ignore(out.type);
          ignored++;
        } else
          quarantine.push({
            transport: 'event-streams',
            reason: out.reason,
            eventSid: claimedSid(out.sid),
            body: verbatim(ce, events.length === 1 ? body : null),
          });
      });
      const result = await ingest.submit(records, quarantine);
      counters.accepted('event-streams', result);
      const answer: BatchAnswer = { ...result, ignored };
      res.status(200).json(answer);
    },
  );

  return router;
}

/**
 * A batch element as JSON text to keep. JSON nested deeper than the stack can't be written back:
 * then the request body itself (a one-element batch) or a note saying what arrived.
 */
function verbatim(element: unknown, wholeBody: string | null): string {
  try {
    return JSON.stringify(element) ?? 'null';
  } catch {
    return wholeBody ?? JSON.stringify({ unrepresentable: 'an element of the batch nested too deeply to keep as JSON' });
  }
}

/** A Sid worth recording beside a quarantined event (short, printable), else null. */
function claimedSid(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.replace(/[^\x20-\x7e]/g, '?').slice(0, 64) : null;
}

/** Form body -> flat string map; a field given twice is ambiguous and rejected. */
function formParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) throw new InputError('request body must be form fields');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new InputError(`${k.slice(0, 60)} is given more than once`);
    out[k] = v;
  }
  return out;
}
