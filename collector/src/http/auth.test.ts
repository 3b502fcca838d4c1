import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createContext } from '../context';
import { loadConfig } from '../config';
import { DEFAULT_SLA } from '@floorboard/contract/sla';
import { taskEvent } from '../test-helpers/fixtures';
import { AUTH_TOKEN, postCallback, PUBLIC_URL, startTestCollector, tempDir, removeDir } from '../test-helpers/harness';

const TOKEN = 'api-token-5f4dcc3b5aa765d61d8327deb882cf99';
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('FLOORBOARD_API_TOKEN', () => {
  it('guards /api/* with a bearer token and leaves webhooks to Twilio signatures', async () => {
    const c = await startTestCollector({ FLOORBOARD_API_TOKEN: TOKEN });
    try {
      const get = (auth?: string) => fetch(`${c.url}/api/health`, auth ? { headers: { authorization: auth } } : {});
      for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const res = await get(auth);
        expect(res.status, String(auth)).toBe(401);
        expect(((await res.json()) as { error: string }).error).toMatch(/bearer token/);
      }
      expect((await get(`Bearer ${TOKEN}`)).status).toBe(200);
      // Webhooks are authenticated by the signature alone, never by the API token.
      const t0 = Date.UTC(2026, 10, 20, 9);
      expect((await postCallback(c.url, taskEvent('task.created', t0, { task: 'WT' + '1'.repeat(32), createdMs: t0 }))).status).toBe(204);
      // /metrics stays open unless FLOORBOARD_METRICS_AUTH=1.
      expect((await fetch(`${c.url}/metrics`)).status).toBe(200);
    } finally {
      await c.dispose();
    }
  });

  it('protects /metrics the same way when FLOORBOARD_METRICS_AUTH=1', async () => {
    const c = await startTestCollector({ FLOORBOARD_API_TOKEN: TOKEN, FLOORBOARD_METRICS_AUTH: '1' });
    try {
      expect((await fetch(`${c.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${c.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    } finally {
      await c.dispose();
    }
  });

  it('refuses FLOORBOARD_METRICS_AUTH without a token to require', () => {
    expect(() => loadConfig({ TWILIO_AUTH_TOKEN: 't', FLOORBOARD_METRICS_AUTH: '1' })).toThrow(
      /^FLOORBOARD_METRICS_AUTH needs FLOORBOARD_API_TOKEN/,
    );
  });
});

describe('request logs', () => {
  it('never contain tokens, signatures or task attributes', async () => {
    const dir = tempDir();
    dirs.push(dir);
    let logged = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((logged += chunk.toString()), done()) });
    const cfg = loadConfig({
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      FLOORBOARD_PUBLIC_URL: PUBLIC_URL,
      FLOORBOARD_API_TOKEN: TOKEN,
      FLOORBOARD_DB: join(dir, 'db.sqlite'),
      FLOORBOARD_LOG_LEVEL: 'trace',
    });
    const ctx = createContext({ cfg, log: pino({ level: 'trace' }, sink), sla: DEFAULT_SLA });
    const app = createApp(ctx);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const t0 = Date.UTC(2026, 10, 20, 9);
      const secretAttributes = JSON.stringify({ customer: 'Jane Secret-Caller', card: '4111111111111111' });
      await postCallback(url, taskEvent('task.created', t0, { task: 'WT' + '2'.repeat(32), createdMs: t0, attributes: secretAttributes }));
      await postCallback(url, taskEvent('task.created', t0, { task: 'WT' + '3'.repeat(32), createdMs: t0 }), {
        'x-twilio-signature': 'forged-signature-value',
      });
      await fetch(`${url}/api/health?token=${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      await fetch(`${url}/api/health`, { headers: { authorization: 'Bearer guessed-token-value' } });
      expect(logged).toContain('"path":"/webhooks/taskrouter"');
      for (const secret of [TOKEN, 'guessed-token-value', 'forged-signature-value', 'Jane Secret-Caller', '4111111111111111', AUTH_TOKEN])
        expect(logged).not.toContain(secret);
    } finally {
      server.close();
      ctx.close();
    }
  });
});
