// Current state of tasks, workers, activities and queues, folded from events in the ingest
// transaction. Every column group is "last writer wins" (or "first") by event rank — event time,
// then Sid — never by arrival, so any arrival order of the same events leaves the same state.
// One upsert per table per event: groups the event doesn't carry are passed with a null rank.
import type { LoggedRecord } from './events';
import { eventRank } from '../taskrouter/ordering';
import type { Db } from './db';
import { LogDictionaries } from './dictionary';

type Mode = 'first' | 'last';
type Value = string | number | null;

interface Group {
  name: string;
  cols: readonly string[];
  mode: Mode;
}

/**
 * A table whose column groups are each written only when the event outranks the stored one. With
 * `fold`, rows of the same key are first merged in memory by the same rule and written once at
 * `flush` (a rebuild's long batches); the result is the same, as "outranks" is a total order.
 */
class RankedTable<G extends string> {
  private readonly stmt;
  private readonly index = new Map<string, number>();
  /** [first value column, rank column, mode] of each group. */
  private readonly spans: [number, number, Mode][] = [];
  private readonly width: number;
  private readonly folded = new Map<string, Value[]>();

  constructor(
    db: Db,
    table: string,
    key: string,
    groups: readonly (Group & { name: G })[],
    private readonly fold = false,
  ) {
    const cols: string[] = [key];
    const sets: string[] = [];
    for (const g of groups) {
      const rank = `${g.name}_rank`;
      const cmp = g.mode === 'last' ? '>' : '<';
      const wins = `excluded.${rank} IS NOT NULL AND (${table}.${rank} IS NULL OR excluded.${rank} ${cmp} ${table}.${rank})`;
      this.index.set(g.name, cols.length);
      this.spans.push([cols.length, cols.length + g.cols.length, g.mode]);
      for (const c of [...g.cols, rank]) {
        cols.push(c);
        sets.push(`${c} = CASE WHEN ${wins} THEN excluded.${c} ELSE ${table}.${c} END`);
      }
    }
    this.width = cols.length;
    this.stmt = db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
       ON CONFLICT(${key}) DO UPDATE SET ${sets.join(', ')}`,
    );
  }

  /** A parameter row for one event: fill groups with `set`, then `write`. */
  row(key: string): Value[] {
    const r = new Array<Value>(this.width).fill(null);
    r[0] = key;
    return r;
  }

  set(row: Value[], group: G, values: Value[], rank: string): void {
    const at = this.index.get(group)!;
    values.forEach((v, i) => (row[at + i] = v));
    row[at + values.length] = rank;
  }

  write(row: Value[]): void {
    if (!this.fold) {
      this.stmt.run(row);
      return;
    }
    const held = this.folded.get(row[0] as string);
    if (!held) {
      this.folded.set(row[0] as string, row);
      return;
    }
    for (const [from, rank, mode] of this.spans) {
      const r = row[rank] as string | null;
      const h = held[rank] as string | null;
      if (r !== null && (h === null || (mode === 'last' ? r > h : r < h))) for (let i = from; i <= rank; i++) held[i] = row[i]!;
    }
  }

  /** Writes the rows merged so far (fold mode). */
  flush(): void {
    for (const row of this.folded.values()) this.stmt.run(row);
    this.folded.clear();
  }

  /** Forgets merged rows of a rolled-back transaction. */
  reset(): void {
    this.folded.clear();
  }
}

const QUEUE_LEAVING_EVENTS = new Set(['task-queue.moved', 'task-queue.timeout']);
/** Whether the event's task_queue_* is a queue the task is leaving (see metrics/taskfacts.ts). */
const leavesQueue = (rec: LoggedRecord) =>
  QUEUE_LEAVING_EVENTS.has(rec.eventType) && !(rec.eventType === 'task-queue.moved' && (rec.previousQueueSid || rec.previousQueueName));
const TASK_DELETED = new Set(['task.deleted', 'task.system-deleted']);

const TASK_GROUPS = [
  { name: 'created', cols: ['created_ms'], mode: 'first' },
  { name: 'queue', cols: ['queue_sid', 'queue_name'], mode: 'last' },
  { name: 'channel', cols: ['channel'], mode: 'last' },
  { name: 'attributes', cols: ['attributes'], mode: 'last' },
  { name: 'priority', cols: ['priority'], mode: 'last' },
  { name: 'entered', cols: ['entered_ms'], mode: 'first' },
  { name: 'accepted', cols: ['accepted_ms', 'accepted_worker_sid', 'accepted_age'], mode: 'first' },
  { name: 'wrapup', cols: ['wrapup_ms'], mode: 'first' },
  { name: 'completed', cols: ['completed_ms'], mode: 'first' },
  { name: 'canceled', cols: ['canceled_ms', 'canceled_age'], mode: 'first' },
  { name: 'deleted', cols: ['deleted_ms'], mode: 'first' },
] as const;
const WORKER_GROUPS = [
  { name: 'name', cols: ['name'], mode: 'last' },
  { name: 'attributes', cols: ['attributes'], mode: 'last' },
  { name: 'activity', cols: ['activity_sid', 'activity_name', 'activity_ms'], mode: 'last' },
  { name: 'created', cols: ['created_ms'], mode: 'first' },
  { name: 'deleted', cols: ['deleted_ms'], mode: 'first' },
] as const;
const ACTIVITY_GROUPS = [
  { name: 'name', cols: ['name'], mode: 'last' },
  { name: 'available', cols: ['available'], mode: 'last' },
  { name: 'deleted', cols: ['deleted_ms'], mode: 'first' },
] as const;
const QUEUE_GROUPS = [
  { name: 'name', cols: ['name'], mode: 'last' },
  { name: 'target_expression', cols: ['target_expression'], mode: 'last' },
] as const;

type Names<T extends readonly { name: string }[]> = T[number]['name'];

export class StateProjection {
  private readonly tasks: RankedTable<Names<typeof TASK_GROUPS>>;
  private readonly workers: RankedTable<Names<typeof WORKER_GROUPS>>;
  private readonly activities: RankedTable<Names<typeof ACTIVITY_GROUPS>>;
  private readonly queues: RankedTable<Names<typeof QUEUE_GROUPS>>;
  private readonly payloads: LogDictionaries['payloads'];

  /**
   * `fold`: each transaction's rows are merged per key in memory and written at `beforeCommit`
   * (for a rebuild, where nothing reads the state tables until the pass ends).
   */
  constructor(db: Db, opts: { fold?: boolean } = {}) {
    const fold = opts.fold ?? false;
    this.payloads = LogDictionaries.of(db).payloads;
    this.tasks = new RankedTable(db, 'tasks', 'task_sid', TASK_GROUPS, fold);
    this.workers = new RankedTable(db, 'workers', 'worker_sid', WORKER_GROUPS, fold);
    this.activities = new RankedTable(db, 'activities', 'activity_sid', ACTIVITY_GROUPS, fold);
    this.queues = new RankedTable(db, 'queues', 'queue_sid', QUEUE_GROUPS, fold);
  }

  private get tables() {
    return [this.tasks, this.workers, this.activities, this.queues] as const;
  }

  beforeCommit(): void {
    for (const t of this.tables) t.flush();
  }

  reset(): void {
    this.payloads.forget();
    for (const t of this.tables) t.reset();
  }

  /** Folds one newly stored event into the state. Call inside the ingest transaction. */
  apply(rec: LoggedRecord): void {
    const r = eventRank(rec);
    const t = rec.eventType;
    if (rec.taskSid) this.applyTask(rec, r);
    if (rec.workerSid) {
      const w = this.workers;
      const row = w.row(rec.workerSid);
      if (rec.workerName) w.set(row, 'name', [rec.workerName], r);
      if (rec.workerAttributes) w.set(row, 'attributes', [rec.workerAttributes], r);
      if (rec.workerActivitySid || rec.workerActivityName)
        w.set(row, 'activity', [rec.workerActivitySid, rec.workerActivityName, rec.eventMs], r);
      if (t === 'worker.created') w.set(row, 'created', [rec.eventMs], r);
      if (t === 'worker.deleted') w.set(row, 'deleted', [rec.eventMs], r);
      w.write(row);
      if (rec.workerActivitySid && (rec.workerActivityName || rec.workerAvailable !== null)) {
        // The worker's own event says whether its activity makes it available (worker_available).
        const a = this.activities.row(rec.workerActivitySid);
        if (rec.workerActivityName) this.activities.set(a, 'name', [rec.workerActivityName], r);
        if (rec.workerAvailable !== null) this.activities.set(a, 'available', [rec.workerAvailable ? 1 : 0], r);
        this.activities.write(a);
      }
    }
    if (rec.activitySid) {
      const a = this.activities;
      const row = a.row(rec.activitySid);
      if (rec.activityName) a.set(row, 'name', [rec.activityName], r);
      if (rec.activityAvailable !== null) a.set(row, 'available', [rec.activityAvailable ? 1 : 0], r);
      if (t === 'activity.deleted') a.set(row, 'deleted', [rec.eventMs], r);
      a.write(row);
    }
    if (rec.queueSid && !leavesQueue(rec) && (rec.queueName || rec.queueTargetExpression)) {
      const q = this.queues;
      const row = q.row(rec.queueSid);
      if (rec.queueName) q.set(row, 'name', [rec.queueName], r);
      if (rec.queueTargetExpression) q.set(row, 'target_expression', [rec.queueTargetExpression], r);
      q.write(row);
    }
    if (rec.previousQueueSid && rec.previousQueueName) {
      const q = this.queues;
      const row = q.row(rec.previousQueueSid);
      q.set(row, 'name', [rec.previousQueueName], r);
      q.write(row);
    }
  }

  private applyTask(rec: LoggedRecord, r: string): void {
    const tb = this.tasks;
    const row = tb.row(rec.taskSid!);
    const t = rec.eventType;
    // Creation time: exact from task.created, else Twilio's task_date_created, else estimated from the
    // task's age at this event.
    const created =
      t === 'task.created'
        ? rec.eventMs
        : rec.taskCreatedMs !== null
          ? rec.taskCreatedMs
          : rec.taskAge !== null
            ? Math.round(rec.eventMs - rec.taskAge * 1000)
            : null;
    if (created !== null) tb.set(row, 'created', [created], eventRank({ eventMs: created, sid: rec.sid }));
    if ((rec.queueSid || rec.queueName) && !leavesQueue(rec)) tb.set(row, 'queue', [rec.queueSid, rec.queueName], r);
    if (rec.channel) tb.set(row, 'channel', [rec.channel], r);
    // The task's attributes as their id among the log's payloads (stored there with the event).
    if (rec.taskAttributes) tb.set(row, 'attributes', [this.payloads.id(rec.taskAttributes)], r);
    if (rec.taskPriority !== null) tb.set(row, 'priority', [rec.taskPriority], r);
    if (t === 'task-queue.entered') tb.set(row, 'entered', [rec.eventMs], r);
    else if (t === 'reservation.accepted') tb.set(row, 'accepted', [rec.eventMs, rec.workerSid, rec.taskAge], r);
    else if (t === 'task.wrapup') tb.set(row, 'wrapup', [rec.eventMs], r);
    else if (t === 'task.completed') tb.set(row, 'completed', [rec.eventMs], r);
    else if (t === 'task.canceled') tb.set(row, 'canceled', [rec.eventMs, rec.taskAge], r);
    else if (TASK_DELETED.has(t)) tb.set(row, 'deleted', [rec.eventMs], r);
    tb.write(row);
  }
}

/** A task not completed, canceled or deleted, as the state table holds it. */
export interface OpenTask {
  task_sid: string;
  queue_sid: string | null;
  queue_name: string | null;
}

/** Tasks still open (waiting or in progress), and the account and workspace their events came from. */
export function openTasks(db: Db): { tasks: OpenTask[]; accountSid: string | null; workspaceSid: string | null } {
  const tasks = db
    .prepare<[], OpenTask>(
      'SELECT task_sid, queue_sid, queue_name FROM tasks WHERE completed_ms IS NULL AND canceled_ms IS NULL AND deleted_ms IS NULL',
    )
    .all();
  const ws = db
    .prepare<[], { account_sid: string | null; workspace_sid: string | null }>(
      'SELECT account_sid, workspace_sid FROM events WHERE workspace_sid IS NOT NULL LIMIT 1',
    )
    .get();
  return { tasks, accountSid: ws?.account_sid ?? null, workspaceSid: ws?.workspace_sid ?? null };
}
