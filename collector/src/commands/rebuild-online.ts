// `npx floorboard rebuild --online [--url http://collector]`: asks a running collector to rebuild its
// derived tables while it serves (POST /api/admin/rebuild, with FLOORBOARD_API_TOKEN), follows the
// progress (GET of the same path) with a progress bar on stderr, and prints one report line on stdout
// once the collector answers from the rebuilt tables. Returns the exit code.
import type { RebuildStatus } from '@floorboard/contract';
import type { Progress } from './progress';
import { failer } from './database-config';

export const ONLINE_EXIT = { ok: 0, failed: 2, refused: 3, running: 4 } as const;

const PHASE_DETAIL: Record<NonNullable<RebuildStatus['phase']>, string> = {
  state: 'state and agent activity',
  facts: 'task facts',
  'catch-up': 'events logged meanwhile',
  copy: 'copying into the database',
  swap: 'switching the answers',
};

export interface OnlineRebuildArgs {
  url: string;
  apiToken?: string;
  dropPrunedHistory?: boolean;
  /** How often to ask for progress, ms (default 500). */
  pollMs?: number;
}

export function formatOnlineRebuild(s: RebuildStatus): string {
  const seconds = (Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt ?? '')) / 1000;
  return `rebuild: ${s.events ?? 0} events, ${s.tasks ?? 0} tasks re-derived online in ${seconds.toFixed(1)} s (${s.eventsPerSecond ?? 0} events/s); the collector answers from the rebuilt tables`;
}

export async function runOnlineRebuild(
  args: OnlineRebuildArgs,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  progress: Progress,
): Promise<number> {
  const fail = failer(err);
  const base = args.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (args.apiToken) headers.authorization = `Bearer ${args.apiToken}`;
  const ask = async (
    method: 'GET' | 'POST',
    body?: unknown,
  ): Promise<{ status: number; body: RebuildStatus & { error: string | null } }> => {
    const res = await fetch(`${base}/api/admin/rebuild`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as RebuildStatus & { error: string | null } };
  };
  let started: RebuildStatus;
  try {
    const res = await ask('POST', args.dropPrunedHistory ? { dropPrunedHistory: true } : {});
    if (res.status === 409) return fail(ONLINE_EXIT.running, res.body.error ?? 'a rebuild is already running');
    if (res.status === 422)
      return fail(
        ONLINE_EXIT.refused,
        (res.body.error ?? 'retention pruned old events').replace('send {"dropPrunedHistory": true}', 'pass --drop-pruned-history'),
      );
    if (res.status !== 202) return fail(ONLINE_EXIT.failed, `the collector at ${base} answered ${res.status}: ${res.body.error ?? ''}`);
    started = res.body;
    for (;;) {
      await new Promise((r) => setTimeout(r, args.pollMs ?? 500));
      const { body: s } = await ask('GET');
      if (s.startedAt !== started.startedAt)
        return fail(ONLINE_EXIT.failed, 'the collector restarted during the rebuild; its old tables serve (run it again)');
      if (s.state === 'done') {
        progress.update(s.total, s.total, PHASE_DETAIL.swap);
        progress.stop();
        out.write(`${formatOnlineRebuild(s)}\n`);
        return ONLINE_EXIT.ok;
      }
      if (s.state === 'failed') {
        progress.stop();
        return fail(ONLINE_EXIT.failed, `rebuild failed: ${s.error ?? 'unknown reason'}`);
      }
      if (s.phase) progress.update(s.done, s.total, PHASE_DETAIL[s.phase]);
    }
  } catch (e) {
    progress.stop();
    return fail(ONLINE_EXIT.failed, `cannot reach the collector at ${base}: ${(e as Error).message.split('\n')[0]}`);
  }
}
