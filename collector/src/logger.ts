// Structured logging (pino): JSON lines on stdout; secrets are redacted by path as a second guard.
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'floorboard-collector' },
    redact: { paths: ['authorization', 'token', 'authToken', 'apiToken', 'apiSecret', '*.authorization', '*.token'], censor: '[redacted]' },
  });
}
