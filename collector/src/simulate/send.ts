// Delivery of simulated events to a collector the way Twilio does it: signed Event Callbacks
// (form posts) and signed Event Streams batches (CloudEvents JSON), plus the history and live loops.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import { Simulation } from './engine';
import type { SimulationOptions } from './engine';
import { toCloudEvent } from './payloads';
import type { TaskRouterEventParams } from './payloads';
import type { Tally } from './tally';

/** Where to send: the URL to reach the collector, the URL Twilio would sign, the auth token. */
export interface CollectorTarget {
  /** URL the simulator connects to, e.g. `http://127.0.0.1:3300`. */
  baseUrl: string;
  /** URL the collector believes Twilio called (its `FLOORBOARD_PUBLIC_URL`); signatures cover it. */
  publicUrl: string;
  authToken: string;
}

const withoutSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Events per Event Streams batch the simulator sends. A documented TaskRouter CloudEvent is about
 * 2 KB (envelope, data wrapper, payload), so 250 keep a batch near 0.5 MB, under the collector's
 * 1 MiB body limit.
 */
export const BATCH_EVENTS = 250;

/** POSTs one Event Callback, form-encoded and signed; resolves to the HTTP status. */
export async function sendCallback(baseUrl: string, publicUrl: string, authToken: string, params: TaskRouterEventParams): Promise<number> {
  const path = '/webhooks/taskrouter';
  const signature = twilio.getExpectedTwilioSignature(authToken, withoutSlash(publicUrl) + path, params);
  const res = await fetch(withoutSlash(baseUrl) + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': params.Sid,
    },
    body: new URLSearchParams(params).toString(),
  });
  await res.arrayBuffer(); // drain, so the keep-alive connection is reused
  return res.status;
}

/** An Event Streams batch ready to POST: the path (with its `bodySHA256`), the JSON body and its signature. */
export interface SignedBatch {
  path: string;
  body: string;
  signature: string;
}

/**
 * Encodes events as one Event Streams batch (JSON array of CloudEvents), signed over `bodySHA256`:
 * the JSON-body variant of Twilio's request signature (Twilio docs, "Webhooks security",
 * twilio.com/docs/usage/webhooks/webhooks-security — the SHA-256 of the body in the URL, the URL
 * signed with no form parameters); the signature comes from the `twilio` library itself.
 */
export function signBatch(publicUrl: string, authToken: string, events: TaskRouterEventParams[]): SignedBatch {
  const body = JSON.stringify(events.map(toCloudEvent));
  const hash = createHash('sha256').update(body, 'utf8').digest('hex');
  const path = `/webhooks/event-streams?bodySHA256=${hash}`;
  return { path, body, signature: twilio.getExpectedTwilioSignature(authToken, withoutSlash(publicUrl) + path, {}) };
}

/** POSTs events as one Event Streams batch (see `signBatch`); resolves to the HTTP status. */
export async function sendBatch(baseUrl: string, publicUrl: string, authToken: string, events: TaskRouterEventParams[]): Promise<number> {
  const { path, body, signature } = signBatch(publicUrl, authToken, events);
  const res = await fetch(withoutSlash(baseUrl) + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

export interface HistoryOptions extends SimulationOptions {
  /** Ground truth to fill while sending. */
  tally?: Tally;
  /** Batches in flight at once (default 4). */
  concurrency?: number;
}

/**
 * Fast-forwards a simulation into the collector through Event Streams batches, a few in flight.
 * `onProgress` gets simulated ms done (acknowledged, in order), the total ms and events sent.
 * Rejects on the first non-2xx answer or network error.
 */
export async function runHistory(
  opts: HistoryOptions,
  target: CollectorTarget,
  onProgress?: (doneMs: number, totalMs: number, events: number) => void,
  batchSize = BATCH_EVENTS,
): Promise<{ events: number }> {
  if (!Number.isFinite(opts.end)) throw new RangeError('runHistory needs a finite end');
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const totalMs = opts.end - opts.start;
  const inFlight: Array<{ done: Promise<Error | null>; lastMs: number; count: number }> = [];
  let acknowledged = 0;

  const send = (batch: TaskRouterEventParams[]): void => {
    const done = sendBatch(target.baseUrl, target.publicUrl, target.authToken, batch).then(
      (status) => (status >= 200 && status < 300 ? null : new Error(`collector answered ${status} to a batch of ${batch.length} events`)),
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    inFlight.push({ done, lastMs: Number(batch[batch.length - 1]!.TimestampMs), count: batch.length });
  };
  const settleOldest = async (): Promise<void> => {
    const oldest = inFlight.shift();
    if (oldest === undefined) return;
    const error = await oldest.done;
    if (error !== null) {
      await Promise.all(inFlight.map((b) => b.done)); // let the rest finish before reporting
      throw error;
    }
    acknowledged += oldest.count;
    onProgress?.(Math.min(totalMs, oldest.lastMs - opts.start), totalMs, acknowledged);
  };

  let batch: TaskRouterEventParams[] = [];
  for (const event of new Simulation(opts, opts.tally).events()) {
    batch.push(event);
    if (batch.length < batchSize) continue;
    send(batch);
    batch = [];
    while (inFlight.length >= concurrency) await settleOldest();
  }
  if (batch.length > 0) send(batch);
  while (inFlight.length > 0) await settleOldest();
  onProgress?.(totalMs, totalMs, acknowledged);
  return { events: acknowledged };
}

export interface LiveOptions extends Omit<SimulationOptions, 'start' | 'end'> {
  /** Simulated time per wall-clock time: 1 is real time, 60 plays an hour in a minute. */
  speed: number;
  /** Simulated start, epoch ms (default now); ignored with `backfillFrom`. */
  start?: number;
  /**
   * Start the simulation in the past (epoch ms): events before now are fast-forwarded as Event
   * Streams batches, then the same simulation plays on live from now, so no task is left open
   * between the history and the live part.
   */
  backfillFrom?: number;
  /** Progress of the fast-forward part: simulated ms done, total ms, events sent. */
  onBackfillProgress?: (doneMs: number, totalMs: number, events: number) => void;
  /** Simulated end, epoch ms (default: run until aborted). */
  end?: number;
  tally?: Tally;
  /** Called after each event is answered. */
  onEvent?: (params: TaskRouterEventParams, status: number) => void;
  /** Called when an event cannot be delivered (network error); without it the run rejects. */
  onError?: (error: unknown, params: TaskRouterEventParams) => void;
}

/**
 * Plays a simulation against the collector paced by the wall clock (`speed` times faster), one
 * signed Event Callback per event, from now until `end` or until `signal` aborts. Event times are
 * simulated times: at speed N they run ahead of the wall clock. With `backfillFrom`, the past part
 * of the same simulation is fast-forwarded first (see `LiveOptions.backfillFrom`).
 */
export async function runLive(opts: LiveOptions, target: CollectorTarget, signal: AbortSignal): Promise<void> {
  if (!(opts.speed > 0)) throw new RangeError('speed must be a positive number');
  const now = Date.now();
  const backfill = opts.backfillFrom !== undefined && opts.backfillFrom < now;
  const start = backfill ? opts.backfillFrom! : (opts.start ?? now);
  /** Simulated time played at wall-clock `now`; events before it are fast-forwarded. */
  const liveFrom = backfill ? now : start;
  const simulation = new Simulation({ ...opts, start, end: opts.end ?? Infinity }, opts.tally);
  let batch: TaskRouterEventParams[] = [];
  let backfilled = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const status = await sendBatch(target.baseUrl, target.publicUrl, target.authToken, batch);
    if (status < 200 || status >= 300) throw new Error(`collector answered ${status} to a batch of ${batch.length} events`);
    backfilled += batch.length;
    opts.onBackfillProgress?.(Number(batch[batch.length - 1]!.TimestampMs) - start, liveFrom - start, backfilled);
    batch = [];
  };
  for (const event of simulation.events()) {
    if (signal.aborted) return;
    const at = Number(event.TimestampMs);
    if (at < liveFrom) {
      batch.push(event);
      if (batch.length >= BATCH_EVENTS) await flush();
      continue;
    }
    await flush();
    const due = now + (at - liveFrom) / opts.speed;
    const wait = due - Date.now();
    if (wait > 0) {
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return; // aborted
      }
    }
    try {
      const status = await sendCallback(target.baseUrl, target.publicUrl, target.authToken, event);
      opts.onEvent?.(event, status);
    } catch (err) {
      if (signal.aborted) return;
      if (opts.onError) opts.onError(err, event);
      else throw err;
    }
  }
  if (!signal.aborted) await flush(); // a run that ended before now
}
