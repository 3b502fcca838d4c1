// Owns the SQL that reads the workspace's people and places as the state tables hold them:
// activities (and whether TaskRouter says they are available), queues with their target
// expressions, workers with their attributes and current activity. Statements are prepared once.
import type { Db } from './db';

export interface StoredWorker {
  worker_sid: string;
  name: string | null;
  attributes: string | null;
  activity_name: string | null;
  activity_ms: number | null;
  deleted_ms: number | null;
}

export class DirectoryStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      activities: db.prepare<[], { name: string | null; available: number | null }>(
        'SELECT name, available FROM activities WHERE deleted_ms IS NULL',
      ),
      activityNames: db.prepare<[], { name: string; sid: string }>(
        'SELECT name, activity_sid AS sid FROM activities WHERE deleted_ms IS NULL AND name IS NOT NULL ORDER BY name',
      ),
      queues: db.prepare<[], { queue_sid: string; name: string | null; target_expression: string | null }>(
        'SELECT queue_sid, name, target_expression FROM queues',
      ),
      // Changes whenever a worker is added or its attributes change, or a queue's expression or name does.
      version: db.prepare<[], { w: number; wr: string | null; q: number; qr: string | null }>(
        `SELECT (SELECT count(*) FROM workers) AS w, (SELECT max(attributes_rank) FROM workers) AS wr,
                (SELECT count(*) FROM queues) AS q, (SELECT max(target_expression_rank) || max(name_rank) FROM queues) AS qr`,
      ),
      workers: db.prepare<[], StoredWorker>('SELECT worker_sid, name, attributes, activity_name, activity_ms, deleted_ms FROM workers'),
    };
  }

  /** Current activities with TaskRouter's availability (null until an event or the REST list says). */
  activities(): { name: string | null; available: number | null }[] {
    return this.s.activities.all();
  }

  /** Current activities with a name, by name. */
  activityNames(): { name: string; sid: string }[] {
    return this.s.activityNames.all();
  }

  queues(): { queue_sid: string; name: string | null; target_expression: string | null }[] {
    return this.s.queues.all();
  }

  workers(): StoredWorker[] {
    return this.s.workers.all();
  }

  /** A value that changes when queue membership could have changed (for caching it). */
  membershipVersion(): string {
    const v = this.s.version.get()!;
    return `${v.w}|${v.wr}|${v.q}|${v.qr}`;
  }
}
