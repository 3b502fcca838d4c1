import { LoadingState } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { Subject, type Subscription } from 'rxjs';

import { CollectorError } from './api';
import { createSseParser, snapshotResponses, snapshotStream } from './live';
import {
  FakeEventStream,
  FakeTemplateSrv,
  makeDataSource,
  makeRequest,
  queueSnapshot,
  SNAPSHOT,
  sseMessage,
  until,
} from './testing/fakes';
import { DATA_AGE, QUERY_DEFAULTS, type SnapshotTarget } from '@floorboard/contract';
import type { Snapshot } from './types/wire';

const FAST = { initialMs: 10, maxMs: 40, healthyMs: 1000 };

function changed(seq: number, salesWaiting: number): Snapshot {
  return { ...SNAPSHOT, seq, queues: [queueSnapshot('Sales', salesWaiting, 'ok'), queueSnapshot('Support', 3)] };
}

/** An `open` that hands out the given streams in order, recording each call's Last-Event-ID. */
function opener(...streams: FakeEventStream[]) {
  const calls: Array<{ lastEventId: string | undefined; signal: AbortSignal }> = [];
  const open = (lastEventId: string | undefined, signal: AbortSignal) => {
    calls.push({ lastEventId, signal });
    const stream = streams[calls.length - 1];
    return stream ? Promise.resolve(stream.asReader()) : Promise.reject(new Error('connection refused'));
  };
  return { open, calls };
}

describe('createSseParser', () => {
  it('assembles messages split across chunks, with CRLF, comments and multi-line data', () => {
    const retries: number[] = [];
    const parse = createSseParser((ms) => retries.push(ms));
    expect(parse('retry: 2000\n\n: heartbeat\n\nid: 4\r\nevent: snapshot\r\nda')).toEqual([]);
    expect(retries).toEqual([2000]);
    expect(parse('ta: {"a":\r\ndata: 1}\r\n\r\nevent: ping\ndata: x\n\n')).toEqual([
      { event: 'snapshot', id: '4', data: '{"a":\n1}' },
      { event: 'ping', id: '4', data: 'x' },
    ]);
    expect(parse('data: y\n')).toEqual([]);
    expect(parse('\n')).toEqual([{ event: 'message', id: '4', data: 'y' }]);
  });
});

describe('snapshotStream', () => {
  it('emits a snapshot for each SSE message', async () => {
    const stream = new FakeEventStream();
    const { open, calls } = opener(stream);
    const received: Snapshot[] = [];
    const subscription = snapshotStream(open, FAST).subscribe((snapshot) => received.push(snapshot));

    const first = sseMessage(changed(1, 4));
    stream.push(first.slice(0, 20));
    stream.push(first.slice(20));
    stream.push(`: heartbeat\n\nevent: ping\ndata: {}\n\n`);
    stream.push(`id: 2\ndata: ${JSON.stringify(changed(2, 5))}\n\n`);
    await until(() => received.length === 2);
    expect(received.map((snapshot) => snapshot.seq)).toEqual([1, 2]);
    expect(calls[0]?.lastEventId).toBeUndefined();
    subscription.unsubscribe();
  });

  it('reconnects at once after a healthy stream ends, resuming with Last-Event-ID, and backs off while the collector is down', async () => {
    const first = new FakeEventStream();
    const second = new FakeEventStream();
    const calls: Array<{ lastEventId: string | undefined; at: number }> = [];
    const streams = [first, undefined, undefined, second];
    const open = (lastEventId: string | undefined) => {
      calls.push({ lastEventId, at: Date.now() });
      const stream = streams[calls.length - 1];
      return stream
        ? Promise.resolve(stream.asReader())
        : Promise.reject(new CollectorError('Cannot reach the collector', 'unreachable', 502));
    };
    const received: number[] = [];
    // Delays wide enough that a loaded CI machine cannot blur "at once" into "after the first delay".
    const backoff = { initialMs: 200, maxMs: 1000, healthyMs: 1000 };
    const subscription = snapshotStream(open, backoff).subscribe((snapshot) => received.push(snapshot.seq));

    first.push(sseMessage(changed(41, 4)));
    await until(() => received.length === 1);
    first.end();
    await until(() => calls.length === 4, 5000);
    expect(calls.map((call) => call.lastEventId)).toEqual([undefined, '41', '41', '41']);
    // The stream had delivered a snapshot: reconnect at once (before the first back-off delay could
    // have passed); then 200, 400 ms while attempts fail.
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    expect(gaps[0]!).toBeLessThan(backoff.initialMs);
    expect(gaps[1]!).toBeGreaterThanOrEqual(backoff.initialMs - 5);
    expect(gaps[2]!).toBeGreaterThanOrEqual(2 * backoff.initialMs - 5);

    second.push(sseMessage(changed(42, 6)));
    await until(() => received.length === 2);
    expect(received).toEqual([41, 42]);
    subscription.unsubscribe();
  });

  it('never emits a repeated or older snapshot after a reconnect', async () => {
    const first = new FakeEventStream();
    const second = new FakeEventStream();
    const { open, calls } = opener(first, second);
    const received: number[] = [];
    const subscription = snapshotStream(open, FAST).subscribe((snapshot) => received.push(snapshot.seq));
    first.push(sseMessage(changed(5, 4)));
    await until(() => received.length === 1);
    first.end();
    await until(() => calls.length === 2);
    second.push(sseMessage(changed(5, 4)) + sseMessage(changed(4, 1)) + sseMessage(changed(6, 5)));
    await until(() => received.length === 2);
    expect(received).toEqual([5, 6]);
    subscription.unsubscribe();
  });

  it('closes the reader and aborts the request when the panel unsubscribes', async () => {
    const stream = new FakeEventStream();
    const { open, calls } = opener(stream);
    const subscription = snapshotStream(open, FAST).subscribe();
    await until(() => calls.length === 1);
    stream.push(sseMessage(changed(1, 4)));
    subscription.unsubscribe();
    expect(stream.cancelled).toBe(true);
    expect(calls[0]?.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(1);
  });

  it('fails instead of retrying when the token is refused', async () => {
    const open = () =>
      Promise.reject(new CollectorError('The collector refused the API token (401)', 'unauthorized', 401));
    const error = await new Promise<unknown>((resolve) => snapshotStream(open, FAST).subscribe({ error: resolve }));
    expect(error).toBeInstanceOf(CollectorError);
  });
});

describe('live targets', () => {
  const target: SnapshotTarget = { ...QUERY_DEFAULTS.snapshot, refId: 'L', queues: ['Sales'] };

  it('streams a frame when the shown numbers change and skips snapshots that change nothing here', async () => {
    const stream = new FakeEventStream();
    const { open } = opener(stream);
    const responses: number[] = [];
    const states: LoadingState[] = [];
    const subscription = snapshotResponses(snapshotStream(open, FAST), target, ['Sales'], () => undefined).subscribe(
      (response) => {
        states.push(response.state!);
        responses.push(response.data[0].fields[1].values[0]);
      }
    );
    stream.push(sseMessage(changed(1, 4)));
    stream.push(sseMessage({ ...changed(2, 4), total: queueSnapshot(null, 99) }));
    stream.push(sseMessage(changed(3, 5)));
    await until(() => responses.length === 2);
    expect(responses).toEqual([4, 5]);
    expect(states).toEqual([LoadingState.Streaming, LoadingState.Streaming]);
    subscription.unsubscribe();
  });

  it('shows the age of the newest event, ticking every second while no snapshot comes', () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-20T10:00:00.000Z') });
    const snapshots = new Subject<Snapshot>();
    const ages: unknown[] = [];
    const subscription = snapshotResponses(
      snapshots,
      { ...target, metric: DATA_AGE },
      ['Sales'],
      () => undefined
    ).subscribe((response) => ages.push(response.data[0].fields[1].values[0]));
    snapshots.next({ ...SNAPSHOT, lastEventAt: '2026-11-20T09:59:58.000Z' });
    jest.advanceTimersByTime(3000);
    expect(ages).toEqual([2, 3, 4, 5]);
    snapshots.next({ ...SNAPSHOT, seq: 8, lastEventAt: '2026-11-20T10:00:03.000Z' });
    expect(ages.at(-1)).toBe(0);
    subscription.unsubscribe();
    jest.useRealTimers();
  });

  it('shares one /api/live connection between the live panels of a data source', async () => {
    setTemplateSrv(new FakeTemplateSrv());
    const ds = makeDataSource();
    jest.spyOn(ds, 'getCatalog').mockRejectedValue(new Error('offline'));
    const stream = new FakeEventStream();
    const openLive = jest.spyOn(ds.api, 'openLive').mockResolvedValue(stream.asReader());
    const seen: string[] = [];
    const subscriptions: Subscription[] = ['A', 'B'].map((refId) =>
      ds
        .query(makeRequest([{ ...target, refId }]))
        .subscribe((response) => seen.push(`${response.key}:${response.data[0].fields[1].values[0]}`))
    );
    stream.push(sseMessage(changed(1, 7)));
    await until(() => seen.length === 2);
    expect(seen.sort()).toEqual(['A:7', 'B:7']);
    expect(openLive).toHaveBeenCalledTimes(1);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    expect(stream.cancelled).toBe(true);
  });
});
