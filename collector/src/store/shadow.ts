// Owns the SQL of an online rebuild's shadow: a scratch database file beside the collector's
// (`<db>-rebuild`) where fresh derived tables are built under their own names with the live file
// attached (so the log is read where it is and every store's SQL works unchanged), the copy of those
// tables into the live file as `rebuild_new_*` in short transactions, and the swap that puts them in
// place in one transaction. The replaced tables become `rebuild_old_*` and are dropped one by one
// afterwards; whatever a crash leaves (the file, `rebuild_new_*`, `rebuild_old_*`) is discarded at
// the next start, so the tables that served before the crash keep serving.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './db';
import { DERIVED_TABLES } from './derived';

/** Every table a rebuild replaces: the derived tables and the dimension dictionary their ids point into. */
export const SWAPPED_TABLES = [...DERIVED_TABLES, 'dims'] as const;
export type SwappedTable = (typeof SWAPPED_TABLES)[number];

const NEW = 'rebuild_new_';
const OLD = 'rebuild_old_';
/**
 * An index of a swapped-in table keeps the name it was built under; the copy's indexes alternate
 * between their own name and this suffix, so they never clash with the live table's.
 */
export const INDEX_SUFFIX = '__rebuilt';

/** The shadow file of the database at `dbPath`. */
export function shadowPath(dbPath: string): string {
  return `${dbPath}-rebuild`;
}

interface SchemaRow {
  type: 'table' | 'index';
  name: string;
  tbl_name: string;
  sql: string;
}

function schemaOf(db: Db, schema: string, tables: readonly string[]): SchemaRow[] {
  return db
    .prepare<string[], SchemaRow>(
      `SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_master
        WHERE tbl_name IN (${tables.map(() => '?').join(', ')}) AND sql IS NOT NULL ORDER BY type DESC, name`,
    )
    .all(...tables);
}

/** Tables of a rebuild in the live file: copied ones not swapped in yet, replaced ones not dropped yet. */
export function rebuildTables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND (name GLOB '${NEW}*' OR name GLOB '${OLD}*') ORDER BY name`,
    )
    .all()
    .map((r) => r.name);
}

/** Leftovers of a rebuild that did not finish (a crash, a stop): dropped, with the shadow file. */
export function discardShadow(db: Db): { dropped: string[] } {
  const names = rebuildTables(db);
  for (const name of names) db.exec(`DROP TABLE "${name}"`);
  if (db.name !== ':memory:') removeShadowFile(db.name);
  return { dropped: names };
}

export function removeShadowFile(dbPath: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(shadowPath(dbPath) + suffix, { force: true });
}

/**
 * Opens a fresh shadow file for the live database `live` (its own connection): the derived tables
 * exactly as the live schema defines them, empty but for the dictionary's "none" row, and the live
 * file attached as `live`, so `events` (and anything else not derived) reads from the collector's file.
 * Nothing is fsynced: a shadow that a crash cut short is thrown away.
 */
export function openShadow(live: Db): Db {
  removeShadowFile(live.name);
  const shadow = new Database(shadowPath(live.name));
  try {
    shadow.pragma('journal_mode = MEMORY');
    shadow.pragma('synchronous = OFF');
    shadow.pragma('cache_size = -65536');
    shadow.pragma('temp_store = MEMORY');
    shadow.pragma('busy_timeout = 5000');
    shadow.prepare('ATTACH DATABASE ? AS live').run(live.name);
    shadow.transaction(() => {
      for (const row of schemaOf(shadow, 'live', SWAPPED_TABLES)) shadow.exec(row.sql);
      shadow.exec('INSERT INTO main.dims SELECT * FROM live.dims WHERE id = 0');
    })();
    return shadow;
  } catch (err) {
    shadow.close();
    removeShadowFile(live.name);
    throw err;
  }
}

/** The primary-key columns of `table` in `schema`, in key order (the copy walks them). */
function keyColumns(db: Db, schema: string, table: string): string[] {
  return db
    .prepare<[], { name: string; pk: number }>(`PRAGMA ${schema}.table_info("${table}")`)
    .all()
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}

/** `CREATE TABLE name` / `CREATE [UNIQUE] INDEX name ON table` of a live definition, renamed for the copy. */
function renamedDefinition(row: SchemaRow): string {
  if (row.type === 'table') {
    const m = /^CREATE TABLE\s+(?:IF NOT EXISTS\s+)?"?(\w+)"?/i.exec(row.sql);
    if (!m || m[1] !== row.name) throw new Error(`unexpected definition of table ${row.name}`);
    return `CREATE TABLE live."${NEW}${row.name}"${row.sql.slice(m[0].length)}`;
  }
  const m = /^CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF NOT EXISTS\s+)?"?(\w+)"?\s+ON\s+"?(\w+)"?/i.exec(row.sql);
  if (!m || m[2] !== row.name || m[3] !== row.tbl_name) throw new Error(`unexpected definition of index ${row.name}`);
  const name = row.name.endsWith(INDEX_SUFFIX) ? row.name.slice(0, -INDEX_SUFFIX.length) : row.name + INDEX_SUFFIX;
  return `CREATE ${m[1] ?? ''}INDEX live."${name}" ON "${NEW}${row.tbl_name}"${row.sql.slice(m[0].length)}`;
}

export interface ShadowCopy {
  /** Rows in the shadow's tables (what the copy moves). */
  total: number;
  /** Copies up to `rows` more rows in one transaction on the live file; false when everything is copied. */
  step(rows: number): { copied: number; more: boolean };
}

/**
 * Prepares the copy of the shadow's tables into the live file as `rebuild_new_*` (with the live
 * tables' indexes under alternate names), walked in primary-key order so each step is one short
 * write transaction on the live file.
 */
export function startCopy(shadow: Db): ShadowCopy {
  shadow.transaction(() => {
    for (const name of SWAPPED_TABLES) shadow.exec(`DROP TABLE IF EXISTS live."${NEW}${name}"`);
    for (const row of schemaOf(shadow, 'live', SWAPPED_TABLES)) shadow.exec(renamedDefinition(row));
  })();
  const count = (t: string) => (shadow.prepare(`SELECT count(*) AS n FROM main."${t}"`).get() as { n: number }).n;
  const tables = SWAPPED_TABLES.map((name) => {
    const key = keyColumns(shadow, 'main', name).map((c) => `"${c}"`);
    const tuple = `(${key.join(', ')})`;
    const order = key.join(', ');
    const params = key.map(() => '?').join(', ');
    return {
      name,
      rows: count(name),
      last: null as unknown[] | null,
      // The key of the step's last row, then every row up to it after the previous step's.
      first: shadow.prepare(`SELECT ${order} FROM main."${name}" ORDER BY ${order} LIMIT 1 OFFSET ?`).raw(),
      next: shadow.prepare(`SELECT ${order} FROM main."${name}" WHERE ${tuple} > (${params}) ORDER BY ${order} LIMIT 1 OFFSET ?`).raw(),
      copyTo: shadow.prepare(`INSERT INTO live."${NEW}${name}" SELECT * FROM main."${name}" WHERE ${tuple} <= (${params})`),
      copyBetween: shadow.prepare(
        `INSERT INTO live."${NEW}${name}" SELECT * FROM main."${name}" WHERE ${tuple} > (${params}) AND ${tuple} <= (${params})`,
      ),
      copyRest: shadow.prepare(`INSERT INTO live."${NEW}${name}" SELECT * FROM main."${name}" WHERE ${tuple} > (${params})`),
      copyAll: shadow.prepare(`INSERT INTO live."${NEW}${name}" SELECT * FROM main."${name}"`),
      done: false,
    };
  });
  const step = shadow.transaction((rows: number) => {
    let copied = 0;
    for (const t of tables) {
      if (t.done) continue;
      const end = (t.last === null ? t.first.get(rows - 1) : t.next.get(...t.last, rows - 1)) as unknown[] | undefined;
      if (end === undefined) {
        // Fewer than `rows` left: the rest of the table.
        copied += (t.last === null ? t.copyAll.run() : t.copyRest.run(...t.last)).changes;
        t.done = true;
      } else {
        copied += (t.last === null ? t.copyTo.run(...end) : t.copyBetween.run(...t.last, ...end)).changes;
        t.last = end;
      }
      if (copied >= rows) break;
    }
    return { copied, more: tables.some((t) => !t.done) };
  });
  return { total: tables.reduce((n, t) => n + t.rows, 0), step: (rows) => step.immediate(rows) };
}

/**
 * Puts the copied tables in place of the live ones in one transaction on the collector's own
 * connection, with the projector's position (`position`: every event up to it is in the copy) and
 * the rebuild flag cleared. The pruned-history mark goes too, unless retention pruned again since the
 * rebuild began (`prunedAtStart`: the mark then). The replaced tables stay as `rebuild_old_*` for
 * `dropRetired`.
 */
export function swapIn(db: Db, position: number, prunedAtStart: number | null): void {
  db.transaction(() => {
    for (const name of SWAPPED_TABLES) {
      db.exec(`ALTER TABLE "${name}" RENAME TO "${OLD}${name}"`);
      db.exec(`ALTER TABLE "${NEW}${name}" RENAME TO "${name}"`);
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'projected_id'").run(position);
    db.exec("DELETE FROM meta WHERE key = 'rebuild_required'");
    db.prepare("DELETE FROM meta WHERE key = 'pruned_before_ms' AND value = ?").run(prunedAtStart ?? -1);
  }).immediate();
}

/** Drops one replaced table (each its own transaction, so serving waits for one table at most); false when none is left. */
export function dropRetired(db: Db): boolean {
  const row = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '${OLD}*' LIMIT 1`).get();
  if (!row) return false;
  db.exec(`DROP TABLE "${row.name}"`);
  return true;
}

/**
 * Gives indexes that an online rebuild swapped in under the alternate name their own name back (each
 * rebuilt under it), so a migration finds every index by the name it was created with. Run before
 * migrations are applied; returns how many were renamed.
 */
export function restoreIndexNames(db: Db): number {
  const rows = db
    .prepare<[], SchemaRow>(
      `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name GLOB '*${INDEX_SUFFIX}' AND sql IS NOT NULL`,
    )
    .all();
  if (rows.length === 0) return 0;
  db.transaction(() => {
    for (const row of rows) {
      const m = /^CREATE\s+(UNIQUE\s+)?INDEX\s+"?(\w+)"?/i.exec(row.sql);
      if (!m) throw new Error(`unexpected definition of index ${row.name}`);
      db.exec(`DROP INDEX "${row.name}"`);
      db.exec(`CREATE ${m[1] ?? ''}INDEX "${row.name.slice(0, -INDEX_SUFFIX.length)}"${row.sql.slice(m[0].length)}`);
    }
  })();
  return rows.length;
}
