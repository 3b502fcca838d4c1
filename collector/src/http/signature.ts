// Twilio request signatures (X-Twilio-Signature), checked with the twilio library against the
// public URL Twilio called — FLOORBOARD_PUBLIC_URL when set, so it works behind a proxy.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import twilio from 'twilio';
import { InputError } from '../errors';

export interface SignatureCheck {
  /** null when unsigned events are allowed (FLOORBOARD_ALLOW_UNSIGNED=1, no auth token). */
  authToken: string | undefined;
  publicUrl: string | undefined;
  /** `user:password` of an Event Streams sink URL with credentials (Basic auth), if configured. */
  eventStreamsAuth?: string | undefined;
}

const sha = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the sink's configured Basic credentials (constant-time compare). */
function hasSinkCredentials(req: Request, expected: string | undefined): boolean {
  if (!expected) return false;
  const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim(), 'base64').toString('utf8');
  return timingSafeEqual(sha(given), sha(expected));
}

/** The URL Twilio signed: public base URL + the path and query it called. */
export function signedUrl(req: Request, publicUrl: string | undefined): string {
  const base = publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return base + req.originalUrl;
}

function header(req: Request): string {
  const sig = req.get('x-twilio-signature');
  if (!sig) throw new InputError('X-Twilio-Signature header is required', 400);
  return sig;
}

/** Event Callback: form parameters are part of the signature. */
export function verifyFormSignature(req: Request, params: Record<string, string>, check: SignatureCheck): void {
  if (!check.authToken) return;
  const sig = header(req);
  if (!twilio.validateRequest(check.authToken, sig, signedUrl(req, check.publicUrl), params))
    throw new InputError('X-Twilio-Signature does not match this request (check TWILIO_AUTH_TOKEN and FLOORBOARD_PUBLIC_URL)', 403);
}

/** Event Streams (JSON body): the URL carries `bodySHA256`, which must match the raw body. */
export function verifyBodySignature(req: Request, rawBody: string, check: SignatureCheck): void {
  // A sink whose URL carries credentials authenticates with them (Event Streams sends Basic auth).
  if (hasSinkCredentials(req, check.eventStreamsAuth)) return;
  if (check.eventStreamsAuth && req.get('authorization') && !req.get('x-twilio-signature'))
    throw new InputError('the Event Streams credentials do not match FLOORBOARD_EVENT_STREAMS_AUTH', 401);
  if (!check.authToken) return;
  const sig = header(req);
  const url = signedUrl(req, check.publicUrl);
  if (!new URL(url).searchParams.get('bodySHA256'))
    throw new InputError('bodySHA256 query parameter is required on signed Event Streams requests', 403);
  if (!twilio.validateRequestWithBody(check.authToken, sig, url, rawBody))
    throw new InputError('X-Twilio-Signature does not match this request body (check TWILIO_AUTH_TOKEN and FLOORBOARD_PUBLIC_URL)', 403);
}
