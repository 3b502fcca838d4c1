// Folds each newly stored event into the metric facts, inside the ingest transaction: a task's
// samples and intervals are re-derived from all of its events and diffed against what is stored;
// a worker's activity change splits its activity intervals.
import type { LoggedRecord } from '../store/events';
import type { Projection } from '../ingest/service';
import { serviceLevelSeconds, shortAbandonSeconds, type Sla } from '@floorboard/contract/sla';
import type { Db } from '../store/db';
import { TaskEventStore } from '../store/task-events';
import { eventRank } from '../taskrouter/ordering';
import { FactStore, INTERVAL_KIND_ID, Lru, OPEN_END, SAMPLE_KIND_ID, type IntervalRow, type SampleRow } from '../store/facts';
import type { TaskEvent } from '../store/task-events';
import { attributePath, deriveTaskFacts, type TaskRules } from './taskfacts';

/** Task events whose attributes the facts read (disposition, direction). */
const ATTRIBUTE_EVENTS = new Set(['task.created', 'task.completed', 'task.updated', 'task.wrapup']);

/**
 * Keeps only what the facts read from TaskAttributes (direction and the disposition paths), so the
 * task cache holds a few bytes per event however large the attributes are.
 */
export function compactAttributes(text: string | null, paths: readonly string[]): string | null {
  if (!text) return null;
  let attrs: unknown;
  try {
    attrs = JSON.parse(text);
  } catch {
    return null;
  }
  const kept: Record<string, unknown> = {};
  for (const path of ['direction', ...paths]) {
    const v = attributePath(attrs, path);
    if (v === null) continue;
    const keys = path.split('.');
    let node = kept;
    keys.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
    node[keys[keys.length - 1]!] = v;
  }
  return JSON.stringify(kept);
}

function taskEventOf(rec: LoggedRecord, queueName: (sid: string) => string | null, paths: readonly string[]): TaskEvent {
  return {
    sid: rec.sid,
    eventType: rec.eventType,
    eventMs: rec.eventMs,
    taskAge: rec.taskAge,
    // An event naming its queue only by Sid: the name other events gave it, else the Sid itself.
    queue: rec.queueName ?? (rec.queueSid ? (queueName(rec.queueSid) ?? rec.queueSid) : null),
    previousQueue: rec.previousQueueName ?? (rec.previousQueueSid ? (queueName(rec.previousQueueSid) ?? rec.previousQueueSid) : null),
    taskAgeInQueue: rec.taskAgeInQueue,
    queueEnteredMs: rec.queueEnteredMs,
    channel: rec.channel,
    workerSid: rec.workerSid,
    taskAttributes: ATTRIBUTE_EVENTS.has(rec.eventType) ? compactAttributes(rec.taskAttributes, paths) : null,
  };
}

/** Worker events that set (not just report) the worker's activity. */
const ACTIVITY_CHANGES = new Set(['worker.created', 'worker.activity.update', 'worker.deleted']);

export function taskRules(sla: Sla): TaskRules {
  return {
    serviceLevelSeconds: (q) => serviceLevelSeconds(sla, q),
    shortAbandonSeconds: (q) => shortAbandonSeconds(sla, q),
    dispositionPaths: sla.dispositionPaths,
  };
}

export class MetricsProjection implements Projection {
  readonly facts: FactStore;
  private readonly rules: TaskRules;
  private readonly taskEvents: TaskEventStore;
  private readonly deletedLabel: string;

  private added: SampleRow[] = [];
  /** Tasks with new events in the open transaction. */
  private readonly dirty = new Set<string>();
  /** Events of recently seen tasks, so a task's next event needs no re-read of the log. */
  private readonly eventsCache = new Lru<string, TaskEvent[]>(50_000);
  private readonly listeners: ((added: readonly SampleRow[]) => void)[] = [];
  /** The log position the open batch reaches: a task's events are read back up to it, never beyond. */
  private upTo = Number.MAX_SAFE_INTEGER;

  constructor(db: Db, sla: Sla) {
    this.facts = new FactStore(db);
    this.facts.onSampleAdded = (r) => {
      if (this.listeners.length) this.added.push(r);
    };
    this.rules = taskRules(sla);
    this.deletedLabel = sla.offlineActivities[0] ?? 'Offline';
    this.taskEvents = new TaskEventStore(db);
  }

  apply(rec: LoggedRecord): void {
    if (rec.taskSid) {
      const cached = this.eventsCache.get(rec.taskSid);
      if (cached) cached.push(taskEventOf(rec, (sid) => this.taskEvents.queueName(sid), this.rules.dispositionPaths));
      // Re-derived once per transaction at commit, however many of its events the batch holds.
      this.dirty.add(rec.taskSid);
    }
    this.applyWorker(rec);
  }

  /** Folds a worker's activity change into its activity intervals (order-independent: by event rank). */
  applyWorker(rec: LoggedRecord): void {
    if (rec.workerSid && ACTIVITY_CHANGES.has(rec.eventType)) {
      const name = rec.eventType === 'worker.deleted' ? this.deletedLabel : rec.workerActivityName;
      if (name) {
        const d = this.facts.dims;
        this.facts.addWorkerPoint(rec.workerSid, d.id('worker', rec.workerSid), eventRank(rec), rec.eventMs, d.id('label', name));
      }
    }
  }

  reset(): void {
    this.added = [];
    this.dirty.clear();
    this.eventsCache.clear();
    this.facts.clearCaches();
    this.facts.dims.reload(this.facts.db);
  }

  beforeCommit(upTo = Number.MAX_SAFE_INTEGER): void {
    this.upTo = upTo;
    for (const task of this.dirty) this.refreshTask(task, this.eventsCache.get(task));
    this.dirty.clear();
    this.facts.flush();
  }

  committed(): void {
    if (this.added.length === 0) return;
    const added = this.added;
    this.added = [];
    for (const l of this.listeners) l(added);
  }

  /** Subscribes to the samples each commit added (for Prometheus counters and histograms). */
  onCommittedSamples(listener: (added: readonly SampleRow[]) => void): void {
    this.listeners.push(listener);
  }

  /** The events of one task as read from the log, with the attributes cut to what the facts read. */
  compact(events: TaskEvent[]): TaskEvent[] {
    const paths = this.rules.dispositionPaths;
    return events.map((e) => ({ ...e, taskAttributes: compactAttributes(e.taskAttributes, paths) }));
  }

  /** Re-derives one task's facts from all its stored events (or from `known`, all of them). */
  refreshTask(taskSid: string, known?: TaskEvent[]): void {
    let events = known;
    if (!events) {
      events = this.compact(this.taskEvents.eventsOf(taskSid, this.upTo));
      this.eventsCache.set(taskSid, events);
    }
    const { samples, intervals } = deriveTaskFacts(events, this.rules);
    const d = this.facts.dims;
    const sampleRows: SampleRow[] = samples.map((s) => ({
      kind: SAMPLE_KIND_ID[s.kind],
      ms: s.ms,
      queue: d.id('queue', s.queue),
      channel: d.id('channel', s.channel),
      worker: d.id('worker', s.worker),
      label: d.id('label', s.label),
      value: s.value,
    }));
    const intervalRows: IntervalRow[] = intervals.map((i) => ({
      ref: `${i.kind}:${i.start}`,
      kind: INTERVAL_KIND_ID[i.kind],
      queue: d.id('queue', i.queue),
      channel: d.id('channel', i.channel),
      worker: d.id('worker', i.worker),
      label: 0,
      start_ms: i.start,
      end_ms: i.end ?? OPEN_END,
      origin_ms: Math.round(i.origin),
    }));
    this.facts.replaceSamples(taskSid, sampleRows);
    this.facts.replaceIntervals(taskSid, intervalRows);
  }
}
