// Fills a bench database in-process with a simulated center's events through the same ingest code
// the webhooks use (no HTTP), in batches, with a progress bar; checkpoints the WAL at the end so the
// file alone holds everything and can be cached under .bench/.
import { progressBar } from '../commands/progress';
import { loadConfig } from '../config';
import { createContext } from '../context';
import { createLogger } from '../logger';
import { DEFAULT_SLA } from '@floorboard/contract/sla';
import { simulateEvents } from '../simulate';
import { normalizeEvent } from '../taskrouter/normalize';

export interface FillOptions {
  seed: number;
  start: number;
  end: number;
  agents: number;
  /** Shown beside the progress bar. */
  label: string;
}

/** Stores every simulated event of [start, end) into the database at `path`; returns the count and time taken. */
export function fillSimulated(path: string, o: FillOptions): { events: number; seconds: number } {
  const cfg = loadConfig({
    FLOORBOARD_DB: path,
    FLOORBOARD_SYNC: 'normal',
    FLOORBOARD_ALLOW_UNSIGNED: '1',
    FLOORBOARD_LOG_LEVEL: 'silent',
  });
  const ctx = createContext({ cfg, log: createLogger(cfg.logLevel), sla: DEFAULT_SLA });
  const bar = progressBar(o.label);
  const t0 = performance.now();
  let batch: ReturnType<typeof normalizeEvent>[] = [];
  let n = 0;
  try {
    for (const e of simulateEvents({ seed: o.seed, start: o.start, end: o.end, agents: o.agents })) {
      batch.push(normalizeEvent(e, 'simulator'));
      if (batch.length === 5000) {
        ctx.ingest.storeNow(batch);
        n += batch.length;
        batch = [];
        if (n % 100_000 === 0) bar.update(Number(e.TimestampMs) - o.start, o.end - o.start, `${n.toLocaleString('en')} events`);
      }
    }
    ctx.ingest.storeNow(batch);
    n += batch.length;
    bar.stop();
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    ctx.close();
  }
  return { events: n, seconds: (performance.now() - t0) / 1000 };
}
