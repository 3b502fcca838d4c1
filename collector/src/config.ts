// Environment -> typed collector configuration, validated once at start (zod).
import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    PORT: z.coerce
      .number({ message: 'must be a port number from 0 to 65535' })
      .int()
      .min(0)
      .max(65535, 'must be a port number from 0 to 65535')
      .default(3300),
    HOST: z.string().default('0.0.0.0'),
    FLOORBOARD_DB: z.string().min(1).default('./data/floorboard.db'),
    TWILIO_AUTH_TOKEN: optionalString,
    FLOORBOARD_ALLOW_UNSIGNED: flag,
    FLOORBOARD_PUBLIC_URL: optionalString.pipe(
      z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://floorboard.example.com' }).optional(),
    ),
    TWILIO_ACCOUNT_SID: optionalString.pipe(
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_API_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^SK[0-9a-fA-F]{32}$/, 'must look like SK followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_API_SECRET: optionalString,
    TWILIO_WORKSPACE_SID: optionalString.pipe(
      z
        .string()
        .regex(/^WS[0-9a-fA-F]{32}$/, 'must look like WS followed by 32 hex digits')
        .optional(),
    ),
    FLOORBOARD_API_TOKEN: optionalString,
    FLOORBOARD_SLA: optionalString,
    /** Grafana's address, for the status page's links (the collector never calls it). */
    FLOORBOARD_GRAFANA_URL: optionalString.pipe(
      z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://localhost:3000' }).optional(),
    ),
    FLOORBOARD_TZ: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/London'),
    FLOORBOARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** SQLite `synchronous`: FULL survives power loss, NORMAL survives a process crash only. */
    FLOORBOARD_SYNC: z.enum(['full', 'normal']).default('full'),
    FLOORBOARD_RETENTION_DAYS: z.coerce
      .number({ message: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(31, 'must be at least 31 (TaskRouter can deliver events up to 30 days old)')
      .default(400),
    FLOORBOARD_TWILIO_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
    FLOORBOARD_METRICS_AUTH: flag,
    /** Basic-auth credentials of the Event Streams sink URL (`https://user:pass@host/...`), as `user:password`. */
    FLOORBOARD_EVENT_STREAMS_AUTH: optionalString.pipe(
      z
        .string()
        .regex(/^[^:]+:.+$/, 'must be user:password')
        .optional(),
    ),
    /** Start-up backfill runs when the newest stored event is older than this (minutes). */
    FLOORBOARD_BACKFILL_GAP_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).nonnegative().default(2),
    FLOORBOARD_HEARTBEAT_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).positive().max(300).default(15),
    FLOORBOARD_MAX_QUERY_DAYS: z.coerce.number({ message: 'must be a number of days' }).positive().default(400),
  })
  .superRefine((env, ctx) => {
    if (!env.TWILIO_AUTH_TOKEN && !env.FLOORBOARD_ALLOW_UNSIGNED)
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_AUTH_TOKEN'],
        message:
          'is required to check Twilio signatures (set FLOORBOARD_ALLOW_UNSIGNED=1 to accept unsigned events, for local testing only)',
      });
    if (env.FLOORBOARD_METRICS_AUTH && !env.FLOORBOARD_API_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['FLOORBOARD_METRICS_AUTH'],
        message: 'needs FLOORBOARD_API_TOKEN (the token /metrics will require)',
      });
    if (env.TWILIO_API_KEY && !env.TWILIO_API_SECRET)
      ctx.addIssue({ code: 'custom', path: ['TWILIO_API_SECRET'], message: 'is required when TWILIO_API_KEY is set' });
  });

/** Where the SLA file is looked for when FLOORBOARD_SLA is not set (relative to the working directory). */
export const DEFAULT_SLA_PATH = './sla.yaml';

/** The environment, validated, as the collector's typed configuration. */
const configSchema = envSchema.transform((e) => ({
  port: e.PORT,
  host: e.HOST,
  dbPath: resolve(e.FLOORBOARD_DB),
  /** Twilio auth token used to check `X-Twilio-Signature`; undefined only when unsigned events are allowed. */
  authToken: e.TWILIO_AUTH_TOKEN,
  allowUnsigned: e.FLOORBOARD_ALLOW_UNSIGNED,
  /** Public base URL Twilio calls (no trailing slash); signatures are checked against it plus the path. */
  publicUrl: e.FLOORBOARD_PUBLIC_URL?.replace(/\/+$/, ''),
  twilio: {
    accountSid: e.TWILIO_ACCOUNT_SID,
    apiKey: e.TWILIO_API_KEY,
    apiSecret: e.TWILIO_API_SECRET,
    workspaceSid: e.TWILIO_WORKSPACE_SID,
  },
  apiToken: e.FLOORBOARD_API_TOKEN,
  /** The SLA file: FLOORBOARD_SLA, else `./sla.yaml`. */
  slaPath: resolve(e.FLOORBOARD_SLA ?? DEFAULT_SLA_PATH),
  /** FLOORBOARD_SLA was set: the file must then exist (a default path may be missing: built-in defaults). */
  slaPathExplicit: e.FLOORBOARD_SLA !== undefined,
  grafanaUrl: e.FLOORBOARD_GRAFANA_URL?.replace(/\/+$/, ''),
  timezone: e.FLOORBOARD_TZ,
  logLevel: e.FLOORBOARD_LOG_LEVEL,
  sync: e.FLOORBOARD_SYNC,
  maxQueryDays: e.FLOORBOARD_MAX_QUERY_DAYS,
  /** SSE heartbeat comment interval on /api/live, ms. */
  heartbeatMs: e.FLOORBOARD_HEARTBEAT_SECONDS * 1000,
  /** Raw events older than this are pruned (rollups are kept). */
  retentionDays: e.FLOORBOARD_RETENTION_DAYS,
  /** TaskRouter REST origin override (a proxy, or a fake in tests). */
  twilioApiUrl: e.FLOORBOARD_TWILIO_API_URL,
  /** Require FLOORBOARD_API_TOKEN on /metrics too. */
  metricsAuth: e.FLOORBOARD_METRICS_AUTH,
  /** `user:password` an Event Streams sink may send as Basic auth instead of a Twilio signature. */
  eventStreamsAuth: e.FLOORBOARD_EVENT_STREAMS_AUTH,
  backfillGapMinutes: e.FLOORBOARD_BACKFILL_GAP_MINUTES,
}));
export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads the environment; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    const shown = value === undefined || /TOKEN|SECRET/.test(name) ? '' : ` (got "${value}")`;
    throw new ConfigError(`${name} ${issue.message.replace(/^Invalid input: /, '')}${shown}`);
  }
  return parsed.data;
}
