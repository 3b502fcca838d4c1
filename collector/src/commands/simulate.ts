// `floorboard simulate`: drives a collector with a simulated contact center through its real,
// signed webhook path — live, accelerated, or history fast-forwarded in Event Streams batches.
import { createTally, formatTally, runHistory, runLive, type CollectorTarget } from '../simulate';
import { progressBar } from './progress';

export interface SimulateArgs {
  url: string;
  publicUrl?: string;
  token: string;
  seed: number;
  agents: number;
  timezone: string;
  days?: number;
  speed?: number;
  hours?: number;
  printTally: boolean;
}

const DAY = 86_400_000;

export async function simulateCommand(a: SimulateArgs, signal: AbortSignal): Promise<void> {
  const target: CollectorTarget = { baseUrl: a.url, publicUrl: a.publicUrl ?? a.url, authToken: a.token };
  const tally = createTally();
  const base = { seed: a.seed, agents: a.agents, timezone: a.timezone, tally };
  const now = Date.now();
  if (a.days !== undefined) {
    const bar = progressBar(`history ${a.days} d`);
    const { events } = await runHistory({ ...base, start: now - a.days * DAY, end: now }, target, (done, total, n) =>
      bar.update(done, total, `${n.toLocaleString('en')} events`),
    );
    bar.stop();
    process.stdout.write(`sent ${events.toLocaleString('en')} events covering ${a.days} days\n`);
  } else {
    const speed = a.speed ?? 1;
    // Accelerated runs replay the last `hours` so event times never run ahead of the clock.
    const start = speed > 1 ? now - (a.hours ?? 1) * 3_600_000 : now;
    const end = speed > 1 ? now : a.hours !== undefined ? now + a.hours * 3_600_000 : undefined;
    let sent = 0;
    let failed = 0;
    process.stdout.write(`simulating live at ${speed}x into ${a.url} (Ctrl-C to stop)\n`);
    await runLive(
      { ...base, speed, start, ...(end === undefined ? {} : { end }), onEvent: (_p, status) => (status < 300 ? sent++ : failed++) },
      target,
      signal,
    );
    process.stdout.write(`sent ${sent} events${failed ? `, ${failed} rejected` : ''}\n`);
  }
  if (a.printTally) process.stdout.write(formatTally(tally) + '\n');
}
