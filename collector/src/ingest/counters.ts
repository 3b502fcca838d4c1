// In-memory ingest counters (accepted, duplicate, rejected by reason), read by /metrics.
import type { IngestResult } from './service';

export type Transport = 'callback' | 'event-streams' | 'backfill';

export class IngestCounters {
  readonly stored = new Map<Transport, number>();
  readonly duplicates = new Map<Transport, number>();
  readonly rejected = new Map<string, number>();

  accepted(transport: Transport, r: IngestResult): void {
    this.stored.set(transport, (this.stored.get(transport) ?? 0) + r.stored);
    this.duplicates.set(transport, (this.duplicates.get(transport) ?? 0) + r.duplicates);
  }

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }
}
