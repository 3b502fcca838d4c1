// Opens the SQLite database: one better-sqlite3 connection, WAL, durability pragmas, migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * `full` (default): each commit fsyncs the WAL, so an acknowledged event survives a process crash
   * *and* a power cut or kernel panic. `normal`: the WAL is written (to the OS) before commit
   * returns, so it survives a process crash (SIGKILL) but the last commits may be lost on power loss.
   * Group commit in the ingest service keeps `full` fast: concurrent requests share one fsync.
   */
  sync?: 'full' | 'normal';
  readonly?: boolean;
}

export function openDb(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB page cache
  db.pragma('temp_store = MEMORY');
  // Checkpoint the WAL every ~40 MB instead of every 4 MB: fewer, larger checkpoints on the commit path.
  db.pragma('wal_autocheckpoint = 10000');
  if (!opts.readonly) migrate(db);
  return db;
}
