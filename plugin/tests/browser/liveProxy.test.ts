/**
 * Browser test: live values from a REAL collector, through a proxy that behaves like Grafana's data
 * proxy (grafanaProxy.ts: event streams flushed chunk by chunk, every response cut after a timeout),
 * into the BUILT plugin in headless Chromium. Signed TaskRouter events put one more customer in a
 * queue every 200 ms while the proxy cuts the stream every FLOORBOARD_PROXY_CUT_MS (1.5 s here;
 * Grafana's default is 30 s, which only makes cuts rarer). The panel must keep streaming: every
 * event shows up, in order, no frame twice, none older than the one before, and no gap longer than
 * one reconnect. Needs `npm run build` first.
 */
import { postCallback, startTestCollector, taskEvent, type TestCollector } from '@floorboard/collector/testing';
import { chromiumMissing, isCI } from './chromium';
import { type HarnessPage, openHarnessPage } from './harnessPage';

jest.setTimeout(180_000);

/** How often the proxy cuts a stream, in milliseconds (Grafana: `[dataproxy] timeout`, 30 s). */
const CUT_MS = Number(process.env.FLOORBOARD_PROXY_CUT_MS ?? 1500);
const EVENTS = 30;
const EVERY_MS = 200;
/** The collector's `retry:` hint: what one reconnect may take by the SSE rules. */
const ONE_RECONNECT_MS = 2000;

const QUEUE = { queueSid: 'WQ' + 'f'.repeat(32), queueName: 'Proxy test' };

const missing = chromiumMissing();
const describeInBrowser = missing && !isCI() ? describe.skip : describe;

interface Watched {
  frames: Array<{ at: number; value: number | null }>;
  seqs: number[];
}

interface HarnessWindow {
  harness: { watchLive(metric: string, queues: string[]): void; watched: Watched; stopWatching(): void };
}

describeInBrowser('live values through a proxy that cuts the stream', () => {
  let collector: TestCollector;
  let harness: HarnessPage;

  beforeAll(async () => {
    if (missing) {
      throw new Error(`Chromium is required in CI: ${missing}`);
    }
    collector = await startTestCollector();
    harness = await openHarnessPage({ collectorUrl: collector.url, cutAfterMs: CUT_MS });
  });

  afterAll(async () => {
    await harness?.close();
    await collector?.dispose();
  });

  it('keeps streaming across cuts: every event, in order, no repeat, no stale frame, no long gap', async () => {
    const { page } = harness;
    await page.evaluate(
      (queue) => (window as unknown as HarnessWindow).harness.watchLive('tasks_waiting', [queue]),
      QUEUE.queueName
    );
    const watched = () => page.evaluate(() => (window as unknown as HarnessWindow).harness.watched);

    const started = Date.now();
    for (let i = 0; i < EVENTS; i++) {
      const at = Date.now();
      const task = 'WT' + (i + 1).toString(16).padStart(32, '0');
      const response = await postCallback(
        collector.url,
        taskEvent('task-queue.entered', at, { task, createdMs: at, ...QUEUE })
      );
      expect(response.status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
    const deadline = Date.now() + 10_000;
    let log = await watched();
    while (log.frames.at(-1)?.value !== EVENTS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await watched();
    }
    await page.evaluate(() => (window as unknown as HarnessWindow).harness.stopWatching());

    // The proxy did cut the stream, several times, and the plugin resumed with Last-Event-ID.
    const streams = harness.server.proxy.requests.filter((request) => request.path === '/api/live');
    expect(streams.filter((stream) => stream.cut).length).toBeGreaterThanOrEqual(
      Math.floor((Date.now() - started) / CUT_MS) - 1
    );
    expect(streams.slice(1).every((stream) => typeof stream.headers['last-event-id'] === 'string')).toBe(true);

    // Every event, in order: the queue's count climbs one by one to the last, never repeats or drops back.
    const values = log.frames
      .map((frame) => frame.value)
      .filter((value): value is number => value !== null && value > 0);
    expect(values.at(-1)).toBe(EVENTS);
    for (let i = 1; i < values.length; i++) {
      expect(values[i]).toBeGreaterThan(values[i - 1]!);
    }
    expect(log.seqs.every((seq, i) => i === 0 || seq > log.seqs[i - 1]!)).toBe(true);

    // No gap between frames longer than one reconnect while events kept coming.
    const climbing = log.frames.filter((frame) => frame.value !== null && frame.value > 0);
    const gaps = climbing.slice(1).map((frame, i) => frame.at - climbing[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(ONE_RECONNECT_MS);
    expect(harness.pageErrors).toEqual([]);
  });
});
