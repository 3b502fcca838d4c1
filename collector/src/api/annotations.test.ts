import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abandonedTask, handledTask } from '../test-helpers/fixtures';
import { postCallback, startTestCollector, type TestCollector } from '../test-helpers/harness';

// Default SLA: service level warn 85 / breach 80, abandon rate warn 5 / breach 10, longest wait warn 60 / breach 120.
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
let c: TestCollector;
let n = 0;
const task = () => 'WT' + (++n).toString(16).padStart(32, '0');

beforeAll(async () => {
  c = await startTestCollector({ FLOORBOARD_TZ: 'UTC' });
  // 09:00-09:15 healthy: two calls answered in 10 s. 09:30-09:45: a caller waits 150 s and hangs up.
  const events = [
    ...handledTask(task(), T0, 10, 60, 5),
    ...handledTask(task(), T0 + 60_000, 10, 60, 5),
    ...abandonedTask(task(), T0 + 30 * 60_000, 150),
  ];
  for (const e of events) expect((await postCallback(c.url, e)).status).toBe(204);
});
afterAll(() => c.dispose());

describe('GET /api/annotations', () => {
  it('marks the quarter-hours where a queue breached its SLA, and nothing where it was healthy', async () => {
    const res = await fetch(`${c.url}/api/annotations?from=${T0}&to=${T0 + 3_600_000}&queue=Sales`);
    expect(res.status).toBe(200);
    const { annotations } = (await res.json()) as {
      annotations: { time: number; timeEnd: number; metric: string; level: string; queue: string; title: string; text: string }[];
    };
    const at = (metric: string) => annotations.filter((a) => a.metric === metric);
    // The abandon at 09:32:30 makes that quarter's abandon rate 100 % and its service level 0 %.
    expect(at('abandon_rate')).toEqual([
      expect.objectContaining({ time: T0 + 30 * 60_000, timeEnd: T0 + 45 * 60_000, level: 'breach', queue: 'Sales' }),
    ]);
    expect(at('service_level')).toEqual([expect.objectContaining({ time: T0 + 30 * 60_000, level: 'breach' })]);
    // The caller waited from 09:30 until 09:32:30: the longest wait peaked at 150 s (> 120 s breach).
    const lw = at('longest_wait');
    expect(lw).toHaveLength(1);
    expect(lw[0]!.text).toContain('150 s');
    expect(annotations.some((a) => a.time < T0 + 30 * 60_000)).toBe(false);
  });

  it('rejects a bad range with a 400 naming the field', async () => {
    const res = await fetch(`${c.url}/api/annotations?from=${T0}&to=${T0}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'from: must be before to' });
  });
});
