// In-memory ingest counters read by /metrics: events stored and duplicate per transport, requests
// rejected by reason, events quarantined per transport, CloudEvents of other products acknowledged
// per type, and unreadable optional fields per field name (each logged once).
import type { Logger } from 'pino';
import type { FieldIssue } from '../taskrouter/record';
import type { IngestResult } from './service';

export type Transport = 'callback' | 'event-streams' | 'backfill';

/** Distinct CloudEvent types counted by name; beyond this many, the rest count as `other`. */
const MAX_IGNORED_TYPES = 50;

export class IngestCounters {
  readonly stored = new Map<Transport, number>();
  readonly duplicates = new Map<Transport, number>();
  readonly quarantined = new Map<Transport, number>();
  readonly rejected = new Map<string, number>();
  readonly ignored = new Map<string, number>();
  readonly fieldIssues = new Map<string, number>();
  private readonly warned = new Set<string>();

  constructor(private readonly log?: Pick<Logger, 'warn'>) {}

  accepted(transport: Transport, r: IngestResult): void {
    bump(this.stored, transport, r.stored);
    bump(this.duplicates, transport, r.duplicates);
    if (r.quarantined > 0) bump(this.quarantined, transport, r.quarantined);
  }

  reject(reason: string): void {
    bump(this.rejected, reason, 1);
  }

  /** A CloudEvent that is not a TaskRouter event (the sink test event, another product's). */
  ignore(type: string): void {
    const key = this.ignored.has(type) || this.ignored.size < MAX_IGNORED_TYPES ? type.slice(0, 120) : 'other';
    bump(this.ignored, key, 1);
  }

  /** Optional fields an event carried unreadable: counted, and logged once per field name. */
  issues(issues: readonly FieldIssue[], sid: string): void {
    for (const issue of issues) {
      bump(this.fieldIssues, issue.field, 1);
      if (this.warned.has(issue.field)) continue;
      this.warned.add(issue.field);
      this.log?.warn(
        { field: issue.field, sid },
        `${issue.message}: the event is stored, the value kept as received and left out of metrics (logged once per field)`,
      );
    }
  }
}

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
