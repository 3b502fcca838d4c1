// `npx floorboard quarantine list|replay [--url http://collector] [--db path]`: the events that
// arrived authenticated but could not be read, and re-reading them with this version's parser
// (after an upgrade). With --url a running collector does it (through its own ingest, so its live
// state sees the replayed events); without, the database file is opened directly — for a stopped
// collector. Returns the process exit code.
import pino from 'pino';
import type { Config } from '../config';
import { databaseConfig, failer } from './database-config';
import { createContext, type Context } from '../context';
import { listQuarantine } from '../quarantine/list';
import { replayQuarantine, type ReplayResult } from '../quarantine/replay';
import { loadSla, SlaError } from '@floorboard/contract/sla';
import type { QuarantinedEventView, QuarantineListResponse, QuarantineReplayResponse } from '@floorboard/contract';

export interface QuarantineArgs {
  /** Ask a running collector instead of opening the database file. */
  url?: string;
  /** Include events already replayed (list). */
  all?: boolean;
  /** At most this many (list; default 100). */
  limit?: number;
  /** Print JSON instead of a table (list). */
  json?: boolean;
}

export const QUARANTINE_EXIT = { ok: 0, waiting: 1, failed: 2, config: 78 } as const;

type Out = NodeJS.WritableStream;

async function askCollector<T>(url: string, path: string, method: 'GET' | 'POST', apiToken: string | undefined): Promise<T> {
  const res = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: apiToken ? { authorization: `Bearer ${apiToken}` } : {},
  });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`collector answered ${res.status}: ${body.error ?? ''}`);
  return body;
}

/** Runs `fn` against the database file through the same ingest pipeline the server uses. */
async function withDatabase<T>(cfg: Config, fn: (c: Context) => Promise<T>): Promise<T> {
  const sla = loadSla(cfg.slaPath);
  const log = pino({ level: 'warn', base: undefined }, pino.destination(2));
  const collector = createContext({ cfg, log, sla });
  try {
    return await fn(collector);
  } finally {
    await collector.ingest.drain();
    collector.close();
  }
}

export function formatQuarantine(list: QuarantineListResponse): string {
  if (list.events.length === 0)
    return list.waiting === 0 ? 'quarantine: empty — every authenticated event was read' : `quarantine: ${list.waiting} waiting`;
  const rows = list.events.map((e: QuarantinedEventView) => [
    String(e.id),
    e.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    e.transport,
    e.eventSid ?? '-',
    e.replayedAt ? `replayed: ${e.replayResult ?? ''}` : e.reason,
  ]);
  const head = ['id', 'received', 'transport', 'event sid', 'reason'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]!))).join('  ');
  return [
    line(head),
    ...rows.map(line),
    `${list.waiting} waiting${list.events.length < list.waiting ? ` (${list.events.length} shown)` : ''}`,
  ].join('\n');
}

export function formatReplay(r: ReplayResult): string {
  return `quarantine replay: ${r.checked} checked, ${r.stored} stored, ${r.duplicates} already stored, ${r.ignored} not TaskRouter events, ${r.waiting} still unreadable`;
}

export async function runQuarantineCommand(
  action: 'list' | 'replay',
  args: QuarantineArgs,
  env: NodeJS.ProcessEnv = process.env,
  out: Out = process.stdout,
  err: Out = process.stderr,
): Promise<number> {
  const fail = failer(err);
  const cfg = databaseConfig(env, err, QUARANTINE_EXIT.config);
  if (typeof cfg === 'number') return cfg;
  try {
    if (action === 'list') {
      const limit = args.limit ?? 100;
      const list = args.url
        ? await askCollector<QuarantineListResponse>(
            args.url,
            `/api/quarantine?limit=${limit}${args.all ? '&all=1' : ''}`,
            'GET',
            cfg.apiToken,
          )
        : await withDatabase(cfg, async (c) => listQuarantine(c.ingest.quarantine, { all: args.all ?? false, limit }));
      out.write(args.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatQuarantine(list)}\n`);
      return QUARANTINE_EXIT.ok;
    }
    const result: QuarantineReplayResponse = args.url
      ? await askCollector<QuarantineReplayResponse>(args.url, '/api/quarantine/replay', 'POST', cfg.apiToken)
      : await withDatabase(cfg, (c) => replayQuarantine(c.ingest));
    out.write(`${formatReplay(result)}\n`);
    return result.waiting > 0 ? QUARANTINE_EXIT.waiting : QUARANTINE_EXIT.ok;
  } catch (e) {
    if (e instanceof SlaError) return fail(QUARANTINE_EXIT.config, e.message);
    return fail(QUARANTINE_EXIT.failed, `quarantine ${action} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
