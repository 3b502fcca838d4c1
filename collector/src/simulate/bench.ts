// Generation-speed benchmark of the simulator (prints figures; never part of `npm test`).
// Run compiled: `node collector/dist/simulate/bench.js [days] [agents]`.
import { Simulation } from './engine';

export interface GenerationFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Largest V8 heap seen while generating, MB. */
  maxHeapMb: number;
}

/** Generates `days` of a center of `agents` agents, discarding events, and measures the rate. */
export function benchGeneration(days = 30, agents = 300, seed = 7): GenerationFigures {
  const start = Date.UTC(2026, 0, 5);
  const began = process.hrtime.bigint();
  let events = 0;
  let maxHeap = 0;
  for (const _event of new Simulation({ seed, start, end: start + days * 86_400_000, agents }).events()) {
    if ((++events & 0xfffff) === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  return { events, seconds, eventsPerSecond: events / seconds, maxHeapMb: Math.max(maxHeap, process.memoryUsage().heapUsed) / 1e6 };
}

if (require.main === module) {
  const days = Number(process.argv[2] ?? 30);
  const agents = Number(process.argv[3] ?? 300);
  const f = benchGeneration(days, agents);
  process.stdout.write(
    `simulate: ${days} days × ${agents} agents → ${f.events.toLocaleString('en')} events in ${f.seconds.toFixed(1)} s = ` +
      `${Math.round(f.eventsPerSecond).toLocaleString('en')} events/s (max heap ${f.maxHeapMb.toFixed(0)} MB)\n`,
  );
}
