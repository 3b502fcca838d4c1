// Webhook routes: TaskRouter Event Callback (form) and Event Streams (JSON CloudEvents batch).
// Parse -> verify signature -> normalise -> commit; the answer is sent only after the commit.
import express, { Router } from 'express';
import { InputError } from '../errors';
import { normalizeCloudEvent, normalizeEvent } from '../ingest/normalize';
import type { IngestService } from '../ingest/service';
import { verifyBodySignature, verifyFormSignature, type SignatureCheck } from '../ingest/signature';
import { requireContentType } from '../http/errors';
import type { IngestCounters } from '../ingest/counters';

export const BODY_LIMIT = '1mb';
/** Largest Event Streams batch accepted in one request. */
export const MAX_BATCH_EVENTS = 5000;

export function webhookRoutes(ingest: IngestService, check: SignatureCheck, counters: IngestCounters): Router {
  const router = Router();

  router.post(
    '/webhooks/taskrouter',
    requireContentType('application/x-www-form-urlencoded'),
    express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }),
    async (req, res) => {
      const params = formParams(req.body);
      verifyFormSignature(req, params, check);
      const rec = normalizeEvent(params, 'callback');
      const result = await ingest.submit([rec]);
      counters.accepted('callback', result);
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
      const records = events.map((ce, i) => normalizeCloudEvent(ce, i, now));
      const result = await ingest.submit(records);
      counters.accepted('event-streams', result);
      res.status(200).json(result);
    },
  );

  return router;
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
