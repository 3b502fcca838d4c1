// The one error middleware: typed errors and body-parser failures -> `{ "error": "..." }` JSON with
// the right status; anything unexpected is logged and answered 500 without a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { InputError } from '../errors';

const BODY_PARSER_STATUS: Record<string, [number, string]> = {
  'entity.too.large': [413, 'request body is larger than the 1 MiB limit'],
  'parameters.too.many': [413, 'request has too many form parameters'],
  'entity.parse.failed': [400, 'request body is not valid JSON'],
  'encoding.unsupported': [415, 'request body encoding is not supported'],
  'charset.unsupported': [415, 'request body charset is not supported (use UTF-8)'],
  'request.aborted': [400, 'request was aborted by the client'],
  'request.size.invalid': [400, 'request body size does not match Content-Length'],
};

/** `onReject` sees every 4xx (for the rejected-by-reason counters). */
export function errorHandler(log: Logger, onReject?: (path: string, status: number) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status = 500;
    let message = 'internal error; see the collector log';
    if (err instanceof InputError) [status, message] = [err.status, err.message];
    else if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' && BODY_PARSER_STATUS[err.type])
      [status, message] = BODY_PARSER_STATUS[err.type]!;
    else if (
      typeof err === 'object' &&
      err !== null &&
      'status' in err &&
      typeof err.status === 'number' &&
      err.status >= 400 &&
      err.status < 500
    )
      [status, message] = [err.status, err instanceof Error ? err.message : 'bad request'];
    else log.error({ err, method: req.method, path: req.path }, 'request failed');
    if (status < 500) onReject?.(req.path, status);
    if (res.headersSent) return void res.end();
    res.status(status).json({ error: message });
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no such endpoint: ${req.method} ${req.path}` });
};

/** 415 unless the request's Content-Type is one of `types`. */
export function requireContentType(...types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(types)) throw new InputError(`Content-Type must be ${types.join(' or ')}`, 415);
    next();
  };
}
