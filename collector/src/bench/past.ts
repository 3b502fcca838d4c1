// The bench's past snapshots: `GET /api/snapshot?at=` at random instants of a log, timed one after
// another, and the 90-day database they are measured over (a smaller simulated center than the big
// database, so it spans a true 90 days and builds in minutes; cached under .bench/ with a note of
// what it holds, and reused).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Random } from '../simulate/random';
import { fillSimulated } from './fill';

const DAY = 86_400_000;
export const PAST_DAYS = 90;

export interface Span {
  first: number;
  last: number;
}

/** Epoch ms of the oldest and newest stored events of a database file. */
export function eventSpan(path: string): Span {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT min(ms) AS first, max(ms) AS last FROM event_log').get() as Span;
  } finally {
    db.close();
  }
}

export interface PastDb extends Span {
  path: string;
  agents: number;
  events: number;
  /** Seconds the build took; 0 when reused. */
  seconds: number;
  reused: boolean;
}

/** What the cached file holds, written beside it once the build has finished. */
interface PastDbNote extends Span {
  agents: number;
  days: number;
  seed: number;
  events: number;
}

const SEED = 90;

/** The 90-day database of a center with `agents` agents under `dir`: reused when a finished build is there. */
export function loadPastDb(dir: string, agents: number, end = Date.now()): PastDb {
  const path = join(dir, `past-${PAST_DAYS}d-${agents}a.db`);
  const notePath = `${path}.json`;
  if (existsSync(path) && existsSync(notePath)) {
    const note = JSON.parse(readFileSync(notePath, 'utf8')) as PastDbNote;
    if (note.agents === agents && note.days === PAST_DAYS && note.seed === SEED) {
      return { path, agents, events: note.events, first: note.first, last: note.last, seconds: 0, reused: true };
    }
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`, notePath]) rmSync(f, { force: true });
  const built = fillSimulated(path, { seed: SEED, start: end - PAST_DAYS * DAY, end, agents, label: `${PAST_DAYS}-day database` });
  const span = eventSpan(path);
  const note: PastDbNote = { agents, days: PAST_DAYS, seed: SEED, events: built.events, ...span };
  writeFileSync(notePath, JSON.stringify(note) + '\n');
  return { path, agents, events: built.events, ...span, seconds: built.seconds, reused: false };
}

/**
 * `samples` instants drawn at random (fixed seed, so runs compare) over the span, a tenth of them in
 * its oldest day — the instants furthest from the newest checkpoint, whose floor must cost no more.
 */
export function randomInstants(span: Span, samples: number, seed = 16): number[] {
  const random = new Random(seed);
  const oldest = Math.max(1, Math.round(samples / 10));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const to = i < oldest ? Math.min(span.last, span.first + DAY) : span.last;
    out.push(Math.round(random.uniform(span.first, to)));
  }
  // Shuffled, so the oldest day's instants are not all read back to back.
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Times `GET /api/snapshot?at=` at each instant, sequentially, after one untimed call that warms the page cache. */
export async function timePastSnapshots(url: string, instants: number[]): Promise<number[]> {
  const ms: number[] = [];
  for (let i = -1; i < instants.length; i++) {
    const at = instants[Math.max(0, i)]!;
    const t0 = performance.now();
    const res = await fetch(`${url}/api/snapshot?at=${at}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`snapshot at ${new Date(at).toISOString()} answered ${res.status}`);
    if (i >= 0) ms.push(performance.now() - t0);
  }
  return ms;
}

/** The instants of the log's last 90 days (all of it when it holds less). */
export function lastDays(span: Span, days = PAST_DAYS): Span {
  return { first: Math.max(span.first, span.last - days * DAY), last: span.last };
}
