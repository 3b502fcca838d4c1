// GET /api/health and /metrics tell an operator when the answers lag the stored events: the log
// commits first and the projector folds events into the derived tables after it (ingest/projector.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handledTask } from '../test-helpers/fixtures';
import { postCallback, startTestCollector, type TestCollector } from '../test-helpers/harness';
import { normalizeEvent } from '../taskrouter/normalize';
import { PROM, type Health } from '@floorboard/contract';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.dispose());

const health = async () => (await (await fetch(`${c.url}/api/health`)).json()) as Health;
const exposition = async () => (await fetch(`${c.url}/metrics`)).text();

describe('events not yet projected', () => {
  it('is 0 once acknowledged events are answered, counts events logged behind the projector, and returns to 0 when it catches up', async () => {
    const [created, ...rest] = handledTask('WT' + 'a'.repeat(32), T0, 10, 60, 15);
    expect((await postCallback(c.url, created!)).status).toBe(204);
    expect((await health()).eventsNotProjected).toBe(0);
    expect(await exposition()).toMatch(new RegExp(`^${PROM.eventsNotProjected} 0$`, 'm'));

    // The log holds events the projector has not reached (as after a stop between the two commits).
    const { log, projector } = c.ingest;
    c.db.transaction(() => rest.forEach((e) => log.append(normalizeEvent(e, 'callback'), Date.now())))();
    log.flushTotals();
    expect((await health()).eventsNotProjected).toBe(rest.length);
    expect(await exposition()).toMatch(new RegExp(`^${PROM.eventsNotProjected} ${rest.length}$`, 'm'));

    projector.catchUp();
    expect((await health()).eventsNotProjected).toBe(0);
    expect(await exposition()).toMatch(new RegExp(`^${PROM.eventsNotProjected} 0$`, 'm'));
  });
});
