// The Twilio REST client used by backfill and verify: the official `twilio` library with our own
// `httpClient` (a RequestClient subclass, the library's supported extension point) that
//  - retries 429 and 5xx answers and dropped connections with backoff, honouring `Retry-After`
//    (the library's own `autoRetry` covers 429 only and ignores the header), and
//  - when `baseUrl` is set, sends every request for `https://<product>.twilio.com` to that origin
//    instead (a local fake of the API in tests, or a recording proxy), keeping path and query, so
//    the library still builds every URL, parameter, page token and credential itself.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/** How to reach a TaskRouter workspace. Either the auth token or an API key and secret. */
export interface TwilioClientConfig {
  accountSid: string;
  workspaceSid: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Origin that replaces `https://*.twilio.com`, e.g. `http://127.0.0.1:4010` (tests). */
  baseUrl?: string;
  /** Retries of one request on 429, 5xx or a dropped connection (default 6). */
  maxRetries?: number;
  /** First backoff when the answer has no Retry-After, ms; doubles each attempt (default 500). */
  backoffMs?: number;
  /** Longest single wait, ms, whatever Retry-After says (default 60 s). */
  maxWaitMs?: number;
  /** Called before each retry (for progress output and logs). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  uri: string;
  /** HTTP status, or 0 for a network error. */
  status: number;
  attempt: number;
  waitMs: number;
}

const TWILIO_HOST = /^https:\/\/[a-z0-9.-]+\.twilio\.com(?=\/|$)/i;

/** `Retry-After` as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The library's RequestClient with retries and an optional origin rewrite (see the header). */
export class RetryingRequestClient extends twilio.RequestClient {
  private readonly retryLimit: number;
  private readonly firstBackoffMs: number;
  private readonly longestWaitMs: number;
  /** Requests sent (retries included) and retries made, for reports. */
  readonly stats = { requests: 0, retries: 0 };

  constructor(private readonly retryCfg: Pick<TwilioClientConfig, 'baseUrl' | 'maxRetries' | 'backoffMs' | 'maxWaitMs' | 'onRetry'> = {}) {
    super({ timeout: 30_000, keepAlive: true });
    this.retryLimit = retryCfg.maxRetries ?? 6;
    this.firstBackoffMs = retryCfg.backoffMs ?? 500;
    this.longestWaitMs = retryCfg.maxWaitMs ?? 60_000;
  }

  /** `https://taskrouter.twilio.com/v1/...` -> `<baseUrl>/v1/...` when a base URL is configured. */
  rewrite(uri: string): string {
    return this.retryCfg.baseUrl ? uri.replace(TWILIO_HOST, this.retryCfg.baseUrl.replace(/\/+$/, '')) : uri;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = this.rewrite(opts.uri);
    for (let attempt = 1; ; attempt++) {
      this.stats.requests++;
      let status = 0;
      let wait: number | undefined;
      try {
        const res = await super.request({ ...opts, uri, headers: { ...opts.headers } });
        status = res.statusCode;
        if (status !== 429 && status < 500) return res;
        wait = retryAfterMs((res.headers as Record<string, unknown> | undefined)?.['retry-after']);
        if (attempt > this.retryLimit) return res;
      } catch (err) {
        if (attempt > this.retryLimit || !isTransient(err)) throw err;
      }
      const waitMs = Math.min(this.longestWaitMs, wait ?? this.firstBackoffMs * 2 ** (attempt - 1));
      this.stats.retries++;
      this.retryCfg.onRetry?.({ uri, status, attempt, waitMs });
      await sleep(waitMs);
    }
  }
}

/** Connection-level failures worth another try (reset, refused, timed out), not programming errors. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|ENOTFOUND|ERR_BAD_RESPONSE|ERR_NETWORK)$/.test(code)
  );
}

export interface TwilioConnection {
  client: twilio.Twilio;
  http: RetryingRequestClient;
  workspaceSid: string;
}

/** A twilio client for the workspace: API key + secret when given, else account SID + auth token. */
export function connectTwilio(cfg: TwilioClientConfig): TwilioConnection {
  const http = new RetryingRequestClient(cfg);
  const [username, password] = cfg.apiKey ? [cfg.apiKey, cfg.apiSecret] : [cfg.accountSid, cfg.authToken];
  if (!password)
    throw new Error(
      cfg.apiKey
        ? 'TWILIO_API_SECRET is required with TWILIO_API_KEY'
        : 'TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) is required to read the TaskRouter REST API',
    );
  const client = twilio(username, password, { accountSid: cfg.accountSid, httpClient: http });
  return { client, http, workspaceSid: cfg.workspaceSid };
}
