// Dictionary of names used as metric dimensions (queues, channels, workers, labels): text <-> small
// integer id, so rollups and samples stay narrow. Ids are cached in memory after first use.
import type { Db } from './db';

export const DIM_KINDS = ['queue', 'channel', 'worker', 'label'] as const;
export type DimKind = (typeof DIM_KINDS)[number];

/** Id 0 is "none" for every dimension. */
export const NONE = 0;

export class Dims {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly insert;
  private readonly select;
  private readonly byId;
  private readonly allOf;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO dims (kind, name) VALUES (?, ?) ON CONFLICT(kind, name) DO NOTHING');
    this.select = db.prepare<[string, string], { id: number }>('SELECT id FROM dims WHERE kind = ? AND name = ?');
    this.byId = db.prepare<[number], { kind: string; name: string }>('SELECT kind, name FROM dims WHERE id = ?');
    this.allOf = db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM dims WHERE kind = ?');
    for (const r of db.prepare<[], { id: number; kind: string; name: string }>('SELECT id, kind, name FROM dims').all()) {
      this.ids.set(`${r.kind}\u0000${r.name}`, r.id);
      this.names.set(r.id, r.name);
    }
  }

  /** Id of a name, creating it (inside the caller's transaction) when new; 0 for null. */
  id(kind: DimKind, name: string | null | undefined): number {
    if (name === null || name === undefined || name === '') return NONE;
    const key = `${kind}\u0000${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      this.insert.run(kind, name);
      id = this.select.get(kind, name)!.id;
      this.ids.set(key, id);
      this.names.set(id, name);
    }
    return id;
  }

  /**
   * Existing id only (for queries); undefined when the name was never seen. A miss is looked up in
   * the table, so names another connection added (a CLI backfill) are found without a restart.
   */
  find(kind: DimKind, name: string): number | undefined {
    const key = `${kind}\u0000${name}`;
    const id = this.ids.get(key) ?? this.select.get(kind, name)?.id;
    if (id !== undefined && !this.ids.has(key)) this.remember(kind, name, id);
    return id;
  }

  name(id: number): string | null {
    if (id === NONE) return null;
    const known = this.names.get(id);
    if (known !== undefined) return known;
    const row = this.byId.get(id);
    if (row) this.remember(row.kind as DimKind, row.name, id);
    return row?.name ?? null;
  }

  private remember(kind: DimKind, name: string, id: number): void {
    this.ids.set(`${kind}\u0000${name}`, id);
    this.names.set(id, name);
  }

  /** Every known name of a kind, sorted (read from the table: other connections may have added some). */
  all(kind: DimKind): { id: number; name: string }[] {
    return this.allOf.all(kind).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Forgets ids created by a transaction that rolled back. */
  reload(db: Db): void {
    this.ids.clear();
    this.names.clear();
    for (const r of db.prepare<[], { id: number; kind: string; name: string }>('SELECT id, kind, name FROM dims').all()) {
      this.ids.set(`${r.kind}\u0000${r.name}`, r.id);
      this.names.set(r.id, r.name);
    }
  }
}
