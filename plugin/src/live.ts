// Live values: reads the collector's Server-Sent Events (`GET /api/live`, one JSON Snapshot per
// message), reconnects after a drop (at once after a healthy stream, with back-off while failing;
// resuming with Last-Event-ID), and turns snapshots into `LoadingState.Streaming` responses.
// Closing the subscription aborts the request.
import { type DataQueryResponse, LoadingState } from '@grafana/data';
import { combineLatest, distinctUntilChanged, map, Observable, timer } from 'rxjs';

import { CollectorError } from './api';
import { frameSignature, snapshotFrame } from './frames';
import { DATA_AGE, type SnapshotTarget } from '@floorboard/contract';
import type { Catalog, Snapshot } from './types/wire';

/** One dispatched SSE message. */
export interface SseMessage {
  /** `event:` field; `message` when absent. The collector names its snapshots `snapshot`. */
  event: string;
  data: string;
  /** The last `id:` seen so far (the stream's resume point). */
  id?: string;
}

/** Event types that carry a Snapshot: the collector's `snapshot`, or an unnamed message. */
const SNAPSHOT_EVENTS = new Set(['snapshot', 'message']);

/**
 * Incremental SSE parser (the WHATWG event-stream format): feed it text as it arrives, get back
 * the messages completed by that text. Handles CRLF/CR/LF, multi-line data and comments; a
 * `retry:` field takes effect at once through `onRetry`, as the format specifies.
 */
export function createSseParser(onRetry: (ms: number) => void = () => undefined): (chunk: string) => SseMessage[] {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;

  return (chunk) => {
    buffer += chunk;
    const messages: SseMessage[] = [];
    const lines = buffer.split(/\r\n|\r|\n/);
    // The last piece has no line end yet (or is a lone '\r' that may be half of '\r\n'): keep it.
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) {
          messages.push({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
        }
        data = [];
        event = '';
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') {
        data.push(value);
      } else if (field === 'event') {
        event = value;
      } else if (field === 'id' && !value.includes('\0')) {
        id = value;
      } else if (field === 'retry' && /^\d+$/.test(value)) {
        onRetry(Number(value));
      }
    }
    return messages;
  };
}

/** Opens the event stream; `CollectorApi.openLive` in the plugin, a fake in tests. */
export type OpenLive = (
  lastEventId: string | undefined,
  signal: AbortSignal
) => Promise<ReadableStreamDefaultReader<Uint8Array>>;

export interface Backoff {
  /** Delay before retrying a connection that failed, in milliseconds (the server's `retry:` wins). */
  initialMs: number;
  /** Ceiling of the doubling delay, in milliseconds. */
  maxMs: number;
  /**
   * A connection that stayed open this long, or delivered a snapshot, was healthy: when it ends
   * (Grafana's data proxy cuts every stream at its timeout, 30 s by default) reconnect at once.
   */
  healthyMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, healthyMs: 1000 };

/**
 * Snapshots as they change. Reconnects forever on network drops and server errors (a wallboard
 * must recover on its own): at once after a healthy connection ends, with a doubling delay while
 * attempts fail; fails on a refused token or a missing endpoint, which waiting won't fix. Resumes
 * with Last-Event-ID and never emits a snapshot older than one already emitted (a proxy or a
 * replayed buffer cannot take a panel back in time).
 */
export function snapshotStream(open: OpenLive, backoff: Backoff = DEFAULT_BACKOFF): Observable<Snapshot> {
  return new Observable<Snapshot>((subscriber) => {
    let closed = false;
    let failures = 0;
    let lastEventId: string | undefined;
    let lastSeq = -Infinity;
    let serverRetryMs: number | undefined;
    let controller: AbortController | undefined;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async (): Promise<void> => {
      controller = new AbortController();
      let openedAt: number | undefined;
      let delivered = false;
      try {
        reader = await open(lastEventId, controller.signal);
        openedAt = Date.now();
        const parse = createSseParser((ms) => (serverRetryMs = ms));
        const decoder = new TextDecoder();
        while (!closed) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          for (const message of parse(decoder.decode(value, { stream: true }))) {
            lastEventId = message.id ?? lastEventId;
            const snapshot = SNAPSHOT_EVENTS.has(message.event) ? parseSnapshot(message.data) : undefined;
            if (snapshot && snapshot.seq > lastSeq) {
              lastSeq = snapshot.seq;
              delivered = true;
              subscriber.next(snapshot);
            }
          }
        }
      } catch (error) {
        if (error instanceof CollectorError && (error.reason === 'unauthorized' || error.reason === 'not-found')) {
          if (!closed) {
            subscriber.error(error);
          }
          return;
        }
      }
      if (!closed) {
        const healthy = delivered || (openedAt !== undefined && Date.now() - openedAt >= backoff.healthyMs);
        failures = healthy ? 0 : failures + 1;
        const delay =
          failures === 0 ? 0 : Math.min(backoff.maxMs, (serverRetryMs ?? backoff.initialMs) * 2 ** (failures - 1));
        timer = setTimeout(() => void connect(), delay);
      }
    };

    void connect();

    return () => {
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer);
      }
      reader?.cancel().catch(() => undefined);
      controller?.abort();
    };
  });
}

function parseSnapshot(data: string): Snapshot | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    if (
      parsed &&
      typeof parsed === 'object' &&
      'total' in parsed &&
      'queues' in parsed &&
      Array.isArray(parsed.queues)
    ) {
      return parsed as Snapshot;
    }
  } catch {
    // A malformed message is skipped; the next snapshot carries the full state anyway.
  }
  return undefined;
}

/** How often the data-age value is recomputed while no snapshot arrives, in milliseconds. */
export const DATA_AGE_TICK_MS = 1000;

/**
 * Streaming responses for a real-time target: a frame whenever its numbers change. The data age
 * also changes with time alone, so it is recomputed every second from the latest snapshot.
 */
export function snapshotResponses(
  snapshots: Observable<Snapshot>,
  target: SnapshotTarget,
  queues: string[],
  catalog: () => Catalog | undefined
): Observable<DataQueryResponse> {
  const latest =
    target.metric === DATA_AGE
      ? combineLatest([snapshots, timer(0, DATA_AGE_TICK_MS)]).pipe(map(([snapshot]) => snapshot))
      : snapshots;
  return latest.pipe(
    map((snapshot) => snapshotFrame(snapshot, target, queues, catalog())),
    distinctUntilChanged((previous, next) => frameSignature(previous) === frameSignature(next)),
    map((frame) => ({ data: [frame], key: target.refId, state: LoadingState.Streaming }))
  );
}
