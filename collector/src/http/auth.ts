// Bearer-token check for /api/* (and /metrics) when FLOORBOARD_API_TOKEN is set; constant-time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { InputError } from '../errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerAuth(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    // Hash both sides so the comparison takes the same time whatever the length of the guess.
    if (!m || !timingSafeEqual(digest(m[1]!.trim()), expected))
      throw new InputError('a valid bearer token is required (Authorization: Bearer <FLOORBOARD_API_TOKEN>)', 401);
    next();
  };
}
