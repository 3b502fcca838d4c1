// Who is who at query time: activity availability (the events' ActivityAvailable / worker_available,
// else the SLA file's names),
// queue membership of workers (each queue's target expression evaluated on worker attributes),
// and display names of queues, channels and workers.
import { queuesOf, type Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import type { Dims } from '../store/dims';
import { DirectoryStore } from '../store/directory';
import { compileExpression } from '../taskrouter/expression';

export interface ActivityClass {
  offline: boolean;
  available: boolean;
}

export class Population {
  private readonly directory: DirectoryStore;

  constructor(
    db: Db,
    private readonly dims: Dims,
    private readonly sla: Sla,
  ) {
    this.directory = new DirectoryStore(db);
  }

  /** Classifies activity names: what TaskRouter's events said (ActivityAvailable, worker_available) wins, the SLA names fill the gaps. */
  activityClasses(): (name: string | null) => ActivityClass {
    const known = new Map<string, boolean>();
    for (const a of this.directory.activities()) if (a.name !== null && a.available !== null) known.set(a.name, a.available === 1);
    const offline = new Set(this.sla.offlineActivities);
    const available = new Set(this.sla.availableActivities);
    return (name) => {
      if (name === null) return { offline: true, available: false };
      const isOffline = offline.has(name);
      return { offline: isOffline, available: !isOffline && (known.get(name) ?? available.has(name)) };
    };
  }

  /** The workspace's activities by name (for the `activity` template variable). */
  activityList(): { name: string; sid: string }[] {
    return this.directory.activityNames();
  }

  queueList(): { name: string; sid: string | null; targetExpression: string | null }[] {
    const byName = new Map<string, { name: string; sid: string | null; targetExpression: string | null }>();
    for (const q of this.directory.queues())
      if (q.name) byName.set(q.name, { name: q.name, sid: q.queue_sid, targetExpression: q.target_expression });
    for (const d of this.dims.all('queue'))
      if (!byName.has(d.name)) byName.set(d.name, { name: d.name, sid: null, targetExpression: null });
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  workerList() {
    return this.directory.workers().map((w) => ({
      sid: w.worker_sid,
      name: w.name ?? w.worker_sid,
      attributes: w.attributes,
      activity: w.activity_name,
      activityMs: w.activity_ms,
      deleted: w.deleted_ms !== null,
    }));
  }

  private membershipCache: { version: string; value: Map<number, string[]> } | null = null;

  /** A TaskRouter queue known to the store that has a group's name (SLA file `groups`), if any. */
  groupClash(): { name: string; sid: string | null } | null {
    return this.queueList().find((q) => q.name in this.sla.groups) ?? null;
  }

  /** The queues a queue or group name stands for (SLA file `groups`). */
  queuesOf(name: string): string[] {
    return queuesOf(this.sla, name);
  }

  /**
   * Worker dim id -> names of the queues whose target expression matches the worker's attributes,
   * then the groups holding any of them (so a filter on a group counts each agent once).
   * Cached until a worker's attributes or a queue's expression change (the snapshot asks often).
   */
  membership(): Map<number, string[]> {
    const version = this.directory.membershipVersion();
    if (this.membershipCache?.version === version) return this.membershipCache.value;
    const value = this.computeMembership();
    this.membershipCache = { version, value };
    return value;
  }

  /** Forgets what is cached (the derived tables were replaced: worker ids may differ). */
  forgetCaches(): void {
    this.membershipCache = null;
  }

  private computeMembership(): Map<number, string[]> {
    const queues = this.queueList()
      .filter((q) => q.targetExpression)
      .map((q) => ({ name: q.name, matches: compileExpression(q.targetExpression!) }));
    const out = new Map<number, string[]>();
    for (const w of this.directory.workers()) {
      const id = this.dims.find('worker', w.worker_sid);
      if (id === undefined) continue;
      let attrs: unknown = {};
      try {
        attrs = w.attributes ? JSON.parse(w.attributes) : {};
      } catch {
        attrs = {};
      }
      const matched = queues.filter((q) => q.matches(attrs)).map((q) => q.name);
      const groups = Object.entries(this.sla.groups)
        .filter(([, members]) => members.some((m) => matched.includes(m)))
        .map(([g]) => g);
      out.set(id, [...matched, ...groups]);
    }
    return out;
  }

  /** Worker dim id -> display name. */
  workerNames(): Map<number, string> {
    const out = new Map<number, string>();
    for (const w of this.directory.workers()) {
      const id = this.dims.find('worker', w.worker_sid);
      if (id !== undefined) out.set(id, w.name ?? w.worker_sid);
    }
    return out;
  }
}
