// Keeps the latest snapshot and tells subscribers when it changes: recomputed shortly after each
// commit (coalescing bursts, so a busy floor costs one recompute per window, not one per event)
// and on a slow tick, because waits grow older and "today" rolls over without any event.
import { EventEmitter } from 'node:events';
import type { Snapshot } from '@floorboard/contract';
import type { SnapshotService } from './snapshot';

export interface LiveHubOptions {
  /** Delay after a commit before recomputing, ms: bounds both latency and recompute rate. */
  coalesceMs?: number;
  /** Recompute at least this often, ms. */
  tickMs?: number;
}

export class LiveHub extends EventEmitter<{ snapshot: [Snapshot]; closing: [] }> {
  private current: Snapshot;
  private fingerprint = '';
  private pending: NodeJS.Timeout | null = null;
  private readonly ticker: NodeJS.Timeout;
  private seq: number;

  constructor(
    private readonly service: SnapshotService,
    private readonly opts: LiveHubOptions = {},
  ) {
    super();
    this.setMaxListeners(0);
    // Sequence numbers start from the clock so a client's Last-Event-ID from before a restart is
    // always older than anything this process sends.
    this.seq = Date.now();
    this.current = service.compute(Date.now(), this.seq);
    this.fingerprint = fingerprintOf(this.current);
    this.ticker = setInterval(() => this.refresh(), opts.tickMs ?? 5000);
    this.ticker.unref();
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  private lastCost = 0;
  private lastDone = 0;

  /**
   * Called after each commit; the snapshot follows within `coalesceMs` — or, under load, once
   * the previous recompute has been paid back four times over, so recomputing never takes more
   * than a fifth of the process's time however fast events arrive.
   */
  changed(): void {
    if (this.pending) return;
    const earliest = this.lastDone + 4 * this.lastCost;
    const delay = Math.max(this.opts.coalesceMs ?? 20, earliest - performance.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      this.refresh();
    }, delay);
  }

  /** Recomputes now and notifies subscribers if anything a supervisor sees changed. */
  refresh(): Snapshot {
    const t0 = performance.now();
    const next = this.service.compute(Date.now(), this.seq + 1);
    this.lastDone = performance.now();
    this.lastCost = this.lastDone - t0;
    const fp = fingerprintOf(next);
    if (fp !== this.fingerprint) {
      this.seq++;
      this.current = next;
      this.fingerprint = fp;
      this.emit('snapshot', next);
    }
    return this.current;
  }

  close(): void {
    clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.emit('closing');
    this.removeAllListeners();
  }
}

/** What a supervisor sees: the numbers, the day, and how fresh the data is (a new event moves it). */
function fingerprintOf(s: Snapshot): string {
  return JSON.stringify([s.total, s.queues, s.dayStart, s.lastEventAt]);
}
