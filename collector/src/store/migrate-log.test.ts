// Migration 8 on a database the previous schema wrote: its event log (the old `events` table with a
// text column per field and raw_json) and derived tables are moved to the compact log, and the
// collector then reads back the same events, raw payloads included, derives the same facts from
// them as new events arrive, and answers every catalogue metric and the snapshot the same as a
// database that was compact from the start.
//
// The old database is made the way the previous collector made it: schema migrations 1–7, then
// each event inserted with the previous EventLog's statement (`legacyAppend`, the column list and
// raw_json rule of store/events.ts before migration 8), and derived tables equal to a live run's.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '@floorboard/contract/sla';
import { MetricsProjection } from '../metrics/projection';
import { IngestService } from '../ingest/service';
import { simulateEvents } from '../simulate/index';
import { normalizeEvent } from '../taskrouter/normalize';
import { snakeCase, STRING_FIELDS, type EventRecord } from '../taskrouter/record';
import { removeDir, startTestCollector, tempDir, type TestCollector } from '../test-helpers/harness';
import { compareAnswers, compareSnapshots, metricBattery } from '../verify/consistency';
import { openDb, type Db } from './db';
import { DERIVED_TABLES } from './derived';
import { SQL_SID_TEXT } from './dictionary';
import { EventLog, type LoggedRecord } from './events';
import { storeFingerprint } from './fingerprint';
import { migrate, MIGRATIONS } from './migrations';
import { StateProjection } from './state';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 16, 8);
const end = start + 5 * HOUR;
const records: EventRecord[] = [...simulateEvents({ seed: 8, start, end, agents: 10 })].map((e) =>
  normalizeEvent(e, 'simulator', end + HOUR),
);
// Cut in the middle of the day: many tasks have events on both sides.
const cut = records.findIndex((r) => r.eventMs >= start + 3 * HOUR);
const before = records.slice(0, cut);
const after = records.slice(cut);

const ingestOn = (db: Db) => new IngestService(db, [new StateProjection(db), new MetricsProjection(db, DEFAULT_SLA)]);
function storeAll(db: Db, recs: EventRecord[]): void {
  const ingest = ingestOn(db);
  for (let i = 0; i < recs.length; i += 250) ingest.storeNow(recs.slice(i, i + 250));
}

/** The previous schema's event columns: each record field under its snake_case name. */
const OLD_KEYS = [
  'sid',
  'eventType',
  'eventMs',
  'source',
  ...Object.values(STRING_FIELDS),
  'taskAge',
  'taskPriority',
  'queueEnteredMs',
  'taskAgeInQueue',
  'taskCreatedMs',
  'workerTimeInPreviousActivityMs',
  'workerAvailable',
  'activityAvailable',
] as const;
const OLD_VERBATIM: Record<string, string> = { Sid: 'sid', EventType: 'eventType', ...STRING_FIELDS };

/** The previous EventLog.append: one text or number column per field, the other raw fields as JSON. */
function legacyAppend(db: Database.Database, id: number, rec: EventRecord, receivedMs: number): void {
  const cols = OLD_KEYS.map((k) => snakeCase(k));
  const values = OLD_KEYS.map((k) => {
    const v = rec[k];
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  });
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec.raw)) {
    const col = OLD_VERBATIM[k];
    if (col !== undefined && (rec as unknown as Record<string, unknown>)[col] === v) continue;
    kept[k] = v;
  }
  db.prepare(`INSERT INTO events (id, ${cols.join(', ')}, received_ms, raw_json) VALUES (?, ${cols.map(() => '?').join(', ')}, ?, ?)`).run(
    id,
    ...values,
    receivedMs,
    JSON.stringify(kept),
  );
}

describe('migration 8 (the compact event log) on a database the previous schema wrote', () => {
  const compactDir = tempDir();
  const oldDir = tempDir();
  const compactPath = join(compactDir, 'floorboard.db');
  const oldPath = join(oldDir, 'floorboard.db');
  let compact: TestCollector | undefined;
  let migrated: TestCollector | undefined;
  let migrateMs = 0;

  beforeAll(() => {
    // Compact from the start: the first part of the day through the collector's own ingest.
    const a = openDb(compactPath);
    storeAll(a, before);
    const stored = a.prepare('SELECT id, sid, received_ms FROM events').all() as { id: number; sid: string; received_ms: number }[];
    a.close();

    // The same events in the previous schema, at the same positions, and the same derived tables.
    const old = new Database(oldPath);
    old.pragma('journal_mode = WAL');
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 7),
    );
    const bySid = new Map(before.map((r) => [r.sid, r]));
    old.exec(`ATTACH DATABASE '${compactPath}' AS compact`);
    old.transaction(() => {
      for (const s of stored) legacyAppend(old, s.id, bySid.get(s.sid)!, s.received_ms);
      for (const t of DERIVED_TABLES.filter((t) => t !== 'samples' && t !== 'tasks'))
        old.exec(`INSERT INTO main.${t} SELECT * FROM compact.${t}`);
      // The previous schema kept a task's attributes as text.
      const taskCols = old.prepare("SELECT name FROM pragma_table_info('tasks')").pluck().all() as string[];
      old.exec(
        `INSERT INTO main.tasks (${taskCols.join(', ')}) SELECT ${taskCols
          .map((c) => (c === 'attributes' ? '(SELECT p.body FROM compact.payloads p WHERE p.id = t.attributes)' : `t.${c}`))
          .join(', ')} FROM compact.tasks t`,
      );
      old.exec(`INSERT INTO main.samples (id, task_sid, kind, ms, queue, channel, worker, label, value)
        SELECT s.id, (SELECT ${SQL_SID_TEXT('d.value')} FROM compact.sids d WHERE d.id = s.task), s.kind, s.ms, s.queue, s.channel, s.worker, s.label, s.value
          FROM compact.samples s`);
      old.exec('DELETE FROM main.dims; INSERT INTO main.dims SELECT * FROM compact.dims');
      old.exec('DELETE FROM main.meta; INSERT INTO main.meta SELECT * FROM compact.meta');
    })();
    old.exec('DETACH DATABASE compact');
    expect(old.pragma('user_version', { simple: true })).toBe(7);
    old.close();

    // Opening it migrates it.
    const t0 = performance.now();
    const m = openDb(oldPath);
    migrateMs = performance.now() - t0;
    m.close();
  }, 120_000);

  afterAll(async () => {
    await compact?.dispose();
    await migrated?.dispose();
    removeDir(compactDir);
    removeDir(oldDir);
  });

  it('gives back every event as it was stored, raw payload included, at the same log position', () => {
    const a = openDb(compactPath, { readonly: true });
    const b = openDb(oldPath, { readonly: true });
    try {
      expect(b.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      const read = (db: Db) => new EventLog(db).readAfter(0, 1e9);
      const ra = read(a);
      const rb = read(b);
      expect(rb.length).toBe(before.length);
      expect(rb).toEqual(ra);
      const strip = ({ raw: _raw, issues: _issues, ...rec }: EventRecord): LoggedRecord => rec;
      expect(rb.map((r) => r.rec)).toEqual(before.map(strip));
      const log = new EventLog(b);
      for (const r of before) expect(log.raw(r.sid)).toEqual(r.raw);
      // The view of the old table's columns reads the same from both.
      expect(b.prepare('SELECT * FROM events ORDER BY id').all()).toEqual(a.prepare('SELECT * FROM events ORDER BY id').all());
      expect(b.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'events'").pluck().get()).toBe(0);
      expect(storeFingerprint(b)).toEqual(storeFingerprint(a));
      expect(migrateMs).toBeGreaterThan(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('derives the same facts from migrated events as the rest of the day arrives, and answers every metric the same', async () => {
    for (const path of [compactPath, oldPath]) {
      const db = openDb(path);
      storeAll(db, after);
      db.close();
    }
    const a = openDb(compactPath, { readonly: true });
    const b = openDb(oldPath, { readonly: true });
    try {
      const fa = storeFingerprint(a);
      expect(fa.samples!.length).toBeGreaterThan(100);
      expect(storeFingerprint(b)).toEqual(fa);
    } finally {
      a.close();
      b.close();
    }
    compact = await startTestCollector({}, compactDir);
    migrated = await startTestCollector({}, oldDir);
    const battery = metricBattery(start, end + HOUR, { interval: '15m', queues: ['Sales'] });
    expect(battery.length).toBeGreaterThan(30);
    expect(await compareAnswers(compact, migrated, battery)).toEqual([]);
    expect(await compareSnapshots(compact, migrated)).toEqual([]);
  }, 60_000);
});
