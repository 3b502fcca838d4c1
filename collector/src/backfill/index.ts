// Backfill: reads the TaskRouter Events list for a time window through the twilio library, maps each
// REST Event resource onto the Event Callback parameters, normalises it like a webhook delivery
// (source `backfill`) and commits it page by page through the ingest service. Events already stored
// (delivered by webhook, or by an earlier backfill) are recognised by Sid and counted as duplicates.
import type { Logger } from 'pino';
import type { Config } from '../config';
import { InputError } from '../errors';
import { normalizeEvent, UnreadableEventError } from '../taskrouter/normalize';
import type { EventRecord } from '../taskrouter/record';
import type { IngestService } from '../ingest/service';
import { parseInterval } from '../metrics/time';
import type { QuarantineEntry } from '../store/quarantine';
import { restEventJson, restEventToRaw, type RestEvent } from './mapping';
import { connectTwilio, type TwilioClientConfig } from './twilio-client';

export { connectTwilio, retryAfterMs, RetryingRequestClient } from './twilio-client';
export type { RetryInfo, TwilioClientConfig, TwilioConnection } from './twilio-client';
export { restEventToRaw } from './mapping';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** TaskRouter keeps Events for 30 days. */
export const TWILIO_EVENT_RETENTION_MS = 30 * DAY;
/** Start this far inside the retention edge, so the request is not refused by the time it arrives. */
const RETENTION_MARGIN_MS = 5 * MINUTE;
/** Largest page the Events list serves. */
export const MAX_PAGE_SIZE = 1000;

export type BackfillLog = Pick<Logger, 'info' | 'warn'>;

export interface BackfillOptions {
  ingest: IngestService;
  twilio: TwilioClientConfig;
  /** Window to read, epoch ms; `from` is clamped to Twilio's 30-day retention, `to` to now. */
  from: number;
  to: number;
  /** Events per page (and per commit), 1–1000 (default 1000). */
  pageSize?: number;
  now?: () => number;
  log?: BackfillLog;
  onProgress?: (progress: BackfillProgress) => void;
  /** Stops after the page in hand (graceful shutdown); the result then says `aborted`. */
  signal?: AbortSignal;
}

export interface BackfillCounts {
  /** Event resources read from Twilio. */
  fetched: number;
  /** Newly stored (they were missing). */
  stored: number;
  /** Already stored (webhook delivery or earlier backfill). */
  duplicates: number;
  /** Pages read. */
  pages: number;
  /** Resources that can't be read (no Sid, type or time): kept in the quarantine, see `rejectedSamples`. */
  rejected: number;
  /** HTTP requests retried after 429, 5xx or a dropped connection. */
  retries: number;
}

export interface BackfillProgress extends BackfillCounts {
  from: number;
  to: number;
  /** Share of the window the events read so far span, 0..1 (an estimate: pages come newest first). */
  covered: number;
}

export interface BackfillResult extends BackfillCounts {
  /** The window actually read, epoch ms. */
  from: number;
  to: number;
  /** What was asked, when the window was clamped. */
  requestedFrom: number;
  clamped: boolean;
  /** Up to 5 reasons events were rejected. */
  rejectedSamples: string[];
  /** Stopped early by `signal`: everything counted was committed, the rest of the window was not read. */
  aborted: boolean;
  durationMs: number;
}

/** What backfill uses of the library's EventPage. */
interface EventsPage {
  instances: unknown[];
  nextPage(): Promise<EventsPage> | undefined;
}

/** Reads TaskRouter's Events list for [from, to] and stores what is missing. */
export async function backfill(opts: BackfillOptions): Promise<BackfillResult> {
  const now = (opts.now ?? Date.now)();
  const started = Date.now();
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(opts.pageSize ?? MAX_PAGE_SIZE)));
  const oldest = now - TWILIO_EVENT_RETENTION_MS + RETENTION_MARGIN_MS;
  const from = Math.max(opts.from, oldest);
  const to = Math.min(opts.to, now);
  const clamped = from !== opts.from;
  if (clamped)
    opts.log?.warn(
      { requestedFrom: new Date(opts.from).toISOString(), from: new Date(from).toISOString() },
      'backfill: TaskRouter keeps events for 30 days; starting at the oldest still available',
    );
  const counts: BackfillCounts = { fetched: 0, stored: 0, duplicates: 0, pages: 0, rejected: 0, retries: 0 };
  const rejectedSamples: string[] = [];
  let aborted = false;
  const result = (): BackfillResult => ({
    ...counts,
    from,
    to,
    requestedFrom: opts.from,
    clamped,
    rejectedSamples,
    aborted,
    durationMs: Date.now() - started,
  });
  if (from >= to || opts.signal?.aborted) return { ...result(), aborted: !!opts.signal?.aborted };

  const conn = connectTwilio({
    ...opts.twilio,
    onRetry: (info) => {
      opts.log?.warn(
        { status: info.status, attempt: info.attempt, waitMs: info.waitMs },
        'backfill: TaskRouter asked us to slow down or failed; retrying',
      );
      opts.twilio.onRetry?.(info);
    },
  });
  let minSeen = Infinity;
  let maxSeen = -Infinity;
  const events = conn.client.taskrouter.v1.workspaces(conn.workspaceSid).events;
  let page: EventsPage = await events.page({ startDate: new Date(from), endDate: new Date(to), pageSize });
  for (;;) {
    counts.pages++;
    const records: EventRecord[] = [];
    const quarantine: QuarantineEntry[] = [];
    for (const instance of page.instances) {
      counts.fetched++;
      const resource = instance as unknown as RestEvent;
      try {
        const rec = normalizeEvent(restEventToRaw(resource), 'backfill', now);
        records.push(rec);
        minSeen = Math.min(minSeen, rec.eventMs);
        maxSeen = Math.max(maxSeen, rec.eventMs);
      } catch (err) {
        if (!(err instanceof UnreadableEventError)) throw err;
        counts.rejected++;
        const sid = typeof resource.sid === 'string' ? resource.sid : null;
        quarantine.push({ transport: 'backfill', reason: err.message, eventSid: sid, body: JSON.stringify(restEventJson(resource)) });
        if (rejectedSamples.length < 5) rejectedSamples.push(`${sid ?? '?'}: ${err.message}`);
      }
    }
    if (records.length > 0 || quarantine.length > 0) {
      const r = await opts.ingest.submit(records, quarantine);
      counts.stored += r.stored;
      counts.duplicates += r.duplicates;
    }
    counts.retries = conn.http.stats.retries;
    opts.onProgress?.({ ...counts, from, to, covered: maxSeen >= minSeen ? Math.min(1, (maxSeen - minSeen) / (to - from)) : 0 });
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    const next = page.nextPage();
    if (!next) break;
    page = await next;
  }
  counts.retries = conn.http.stats.retries;
  if (counts.rejected > 0)
    opts.log?.warn(
      { rejected: counts.rejected, samples: rejectedSamples },
      'backfill: some events could not be read; they are kept in the quarantine (npx floorboard quarantine list)',
    );
  const out = result();
  opts.log?.info({ ...out, rejectedSamples: undefined }, 'backfill finished');
  return out;
}

export interface GapOptions extends Omit<BackfillOptions, 'from' | 'to'> {
  /** Backfill only when the newest stored event is older than this, ms (default 2 min). */
  gapMs?: number;
  /** Read this much before the newest stored event too, ms, for events that arrived late or out of order (default 10 min). */
  overlapMs?: number;
  /** On an empty store, read this far back, ms (default 0: an empty store is a new install; nothing to fill). */
  emptyStoreLookbackMs?: number;
}

export type GapResult = ({ skipped: false } & BackfillResult) | { skipped: true; reason: string; newestEventMs: number };

/**
 * Start-up gap filling: when the newest stored event is older than `gapMs`, reads from it (minus
 * `overlapMs`) up to now, so events TaskRouter could not deliver while the collector was down are
 * stored. Safe to run while webhooks arrive: both paths are idempotent on Sid.
 */
export async function backfillGap(opts: GapOptions): Promise<GapResult> {
  const now = (opts.now ?? Date.now)();
  const newest = opts.ingest.log.counts().lastEventMs;
  const gapMs = opts.gapMs ?? 2 * MINUTE;
  if (newest === 0 && !opts.emptyStoreLookbackMs) return { skipped: true, reason: 'no events stored yet', newestEventMs: 0 };
  if (newest !== 0 && now - newest <= gapMs)
    return { skipped: true, reason: `newest event is ${Math.round((now - newest) / 1000)} s old`, newestEventMs: newest };
  const from = newest === 0 ? now - opts.emptyStoreLookbackMs! : newest - (opts.overlapMs ?? 10 * MINUTE);
  opts.log?.info(
    { newestEvent: newest ? new Date(newest).toISOString() : null, from: new Date(from).toISOString() },
    'backfill: filling the gap since the newest stored event',
  );
  return { skipped: false, ...(await backfill({ ...opts, from, to: now })) };
}

/** The REST credentials from the collector config; undefined when backfill is not configured. */
export function twilioClientConfig(cfg: Pick<Config, 'twilio' | 'authToken'>): TwilioClientConfig | undefined {
  const { accountSid, workspaceSid, apiKey, apiSecret } = cfg.twilio;
  if (!accountSid || !workspaceSid) return undefined;
  if (apiKey && apiSecret) return { accountSid, workspaceSid, apiKey, apiSecret };
  if (cfg.authToken) return { accountSid, workspaceSid, authToken: cfg.authToken };
  return undefined;
}

/**
 * CLI window: `--since 2h` (up to now) or `--from ISO [--to ISO]` (to defaults to now).
 * Throws InputError naming the option.
 */
export function windowFromArgs(args: { since?: string; from?: string; to?: string }, now = Date.now()): { from: number; to: number } {
  const instant = (value: string, option: string) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) throw new InputError(`${option}: "${value}" is not an ISO 8601 time or epoch milliseconds`);
    return ms;
  };
  if (args.since !== undefined && args.from !== undefined) throw new InputError('give either --since or --from, not both');
  const to = args.to !== undefined ? instant(args.to, '--to') : now;
  let from: number;
  if (args.since !== undefined) {
    const ms = parseInterval(args.since);
    if (ms === null) throw new InputError(`--since: "${args.since}" is not a duration such as 30m, 2h or 7d`);
    from = to - ms;
  } else if (args.from !== undefined) from = instant(args.from, '--from');
  else throw new InputError('give --since <duration> or --from <time>');
  if (from >= to) throw new InputError('--from must be before --to');
  return { from, to };
}

/** The final one-line report. */
export function formatBackfillReport(r: BackfillResult): string {
  const window = `${new Date(r.from).toISOString()} .. ${new Date(r.to).toISOString()}`;
  const parts = [
    `${r.fetched} events read in ${r.pages} page${r.pages === 1 ? '' : 's'}`,
    `${r.stored} new`,
    `${r.duplicates} already stored`,
  ];
  if (r.rejected) parts.push(`${r.rejected} unreadable (quarantined)`);
  if (r.retries) parts.push(`${r.retries} retries`);
  return `backfill ${window}: ${parts.join(', ')} (${(r.durationMs / 1000).toFixed(1)} s)${r.clamped ? ' — started at the 30-day retention limit' : ''}${r.aborted ? ' — stopped early' : ''}`;
}
