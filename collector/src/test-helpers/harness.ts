// A real collector for tests: real HTTP on an ephemeral port and a real SQLite file in a temp dir.
// Requests are signed with the twilio library's own helper, not with our validator.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import twilio from 'twilio';
import type { MetricQuery, QueryResponse } from '@floorboard/contract';
import { loadConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { startCollector, type RunningCollector } from '../server';
import { openDb, type Db } from '../store/db';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const PUBLIC_URL = 'https://floorboard.example.test';

export interface TestCollector extends RunningCollector {
  dir: string;
  cfg: Config;
  /** Stops the server and removes the temp dir. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'floorboard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `dir/sla.yaml`, created empty (the built-in defaults) unless the test wrote one. */
export function slaFileIn(dir: string): string {
  const path = join(dir, 'sla.yaml');
  if (!existsSync(path)) writeFileSync(path, '# empty: the built-in SLA defaults\n');
  return path;
}

/** `log`: a logger of the test's own (to read what the collector logs); silent by default. */
export async function startTestCollector(env: Record<string, string> = {}, dir = tempDir(), log?: Logger): Promise<TestCollector> {
  const cfg = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FLOORBOARD_DB: join(dir, 'floorboard.db'),
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    FLOORBOARD_PUBLIC_URL: PUBLIC_URL,
    FLOORBOARD_SLA: env.FLOORBOARD_SLA ?? slaFileIn(dir),
    FLOORBOARD_LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startCollector(cfg, log ?? createLogger(cfg.logLevel));
  return {
    ...running,
    dir,
    cfg,
    async dispose() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function signForm(path: string, params: Record<string, string>, token = AUTH_TOKEN, publicUrl = PUBLIC_URL): string {
  return twilio.getExpectedTwilioSignature(token, publicUrl + path, params);
}

/** POSTs a signed Event Callback; returns the response. */
export function postCallback(base: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/webhooks/taskrouter`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signForm('/webhooks/taskrouter', params),
      ...headers,
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** A test collector whose SLA file holds `slaYaml`, fed `events` (each must be acknowledged with 204). */
export async function startFedCollector(
  slaYaml: string,
  events: readonly Record<string, string>[],
  env: Record<string, string> = {},
): Promise<TestCollector> {
  const dir = tempDir();
  writeFileSync(join(dir, 'sla.yaml'), slaYaml);
  const c = await startTestCollector(env, dir);
  for (const p of events) {
    const res = await postCallback(c.url, p);
    if (res.status !== 204) throw new Error(`${p.EventType}: answered ${res.status} ${await res.text()}`);
  }
  return c;
}

/** Starts a collector on `dir` expecting it to refuse; returns the one-line reason and removes `dir`. */
export async function refusedStart(dir: string): Promise<string> {
  try {
    const c = await startTestCollector({}, dir);
    await c.dispose();
    throw new Error('the collector started');
  } catch (err) {
    removeDir(dir);
    return (err as Error).message;
  }
}

/** POST /api/query; throws with the collector's answer unless it is 200. */
export async function queryMetric(base: string, q: MetricQuery): Promise<QueryResponse> {
  const res = await fetch(`${base}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(q),
  });
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`POST /api/query answered ${res.status}: ${JSON.stringify(body)}`);
  return body as QueryResponse;
}

/** POSTs a signed Event Streams batch (raw body text) the way Twilio signs JSON bodies. */
export function postBatchBody(base: string, body: string, token = AUTH_TOKEN): Promise<Response> {
  const hash = createHash('sha256').update(body).digest('hex');
  const path = `/webhooks/event-streams?bodySHA256=${hash}`;
  return fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, PUBLIC_URL + path, {}) },
    body,
  });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A stream that keeps what a command writes (its stdout or stderr), for the test to read. */
export function captured(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs `read` on a read-only connection to the database file at `path` (beside a running collector). */
export function readDb<T>(path: string, read: (db: Db) => T): T {
  const db = openDb(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
