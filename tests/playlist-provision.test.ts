// The TV playlist command against a fake Grafana (node:http, ephemeral port) that serves the
// playlist APIs the way a given Grafana version does: created once, updated in place after that.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runPlaylistCommand } from '../collector/src/commands/playlist';
import { DEFAULT_PLAYLIST_DASHBOARDS, PlaylistError, provisionPlaylist } from '../collector/src/playlist';

const TOKEN = 'glsa_test_token';

interface FakeOptions {
  version: string;
  /** Which playlist APIs exist; the rest answer 404 like a Grafana without them. */
  apis: Array<'v1' | 'v0alpha1' | 'legacy'>;
}

interface Stored {
  uid: string;
  title: string;
  interval: string;
  items: Array<{ type: string; value: string }>;
  resourceVersion: number;
}

class FakeGrafana {
  readonly playlists = new Map<string, Stored>();
  readonly requests: string[] = [];
  private server!: Server;
  url = '';
  private seq = 0;

  constructor(private readonly o: FakeOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : undefined;
    const url = new URL(req.url!, 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (url.pathname === '/api/health') return send(200, { commit: 'abc', database: 'ok', version: this.o.version });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Unauthorized' });

    const k8s = /^\/apis\/playlist\.grafana\.app\/(v1|v0alpha1)\/namespaces\/default\/playlists(?:\/([^/]+))?$/.exec(url.pathname);
    if (k8s) {
      const version = k8s[1] as 'v1' | 'v0alpha1';
      if (!this.o.apis.includes(version)) return send(404, { message: 'the server could not find the requested resource' });
      const resource = (p: Stored) => ({
        apiVersion: `playlist.grafana.app/${version}`,
        kind: 'Playlist',
        metadata: { name: p.uid, namespace: 'default', resourceVersion: String(p.resourceVersion) },
        spec: { title: p.title, interval: p.interval, items: p.items },
      });
      const name = k8s[2];
      if (req.method === 'GET' && !name)
        return send(200, {
          kind: 'PlaylistList',
          apiVersion: `playlist.grafana.app/${version}`,
          metadata: {},
          items: [...this.playlists.values()].map(resource),
        });
      const meta = body?.metadata as { name?: string; resourceVersion?: string } | undefined;
      const spec = body?.spec as { title: string; interval: string; items: Stored['items'] } | undefined;
      if (!spec || body?.kind !== 'Playlist' || body.apiVersion !== `playlist.grafana.app/${version}`)
        return send(400, { message: 'bad body' });
      if (req.method === 'POST' && !name) {
        const uid = meta?.name ?? `gen${++this.seq}`;
        if (this.playlists.has(uid)) return send(409, { message: 'already exists' });
        const p = { uid, ...spec, resourceVersion: 1 };
        this.playlists.set(uid, p);
        return send(201, resource(p));
      }
      if (req.method === 'PUT' && name) {
        const old = this.playlists.get(name);
        if (!old) return send(404, { message: 'not found' });
        if (meta?.name !== name) return send(400, { message: 'name mismatch' });
        if (meta.resourceVersion !== undefined && meta.resourceVersion !== String(old.resourceVersion))
          return send(409, { message: 'conflict' });
        const p = { uid: name, ...spec, resourceVersion: old.resourceVersion + 1 };
        this.playlists.set(name, p);
        return send(200, resource(p));
      }
      return send(405, { message: 'method not allowed' });
    }

    const legacy = /^\/api\/playlists(?:\/([^/]+))?$/.exec(url.pathname);
    if (legacy) {
      if (!this.o.apis.includes('legacy')) return send(404, { message: 'Not found' });
      const uid = legacy[1];
      const b = body as { name: string; interval: string; items: Array<{ type: string; value: string }> } | undefined;
      if (req.method === 'GET' && !uid) {
        const q = url.searchParams.get('query') ?? '';
        return send(
          200,
          [...this.playlists.values()]
            .filter((p) => p.title.includes(q))
            .map((p) => ({ id: 1, uid: p.uid, name: p.title, interval: p.interval })),
        );
      }
      if (req.method === 'POST' && !uid && b) {
        const p = {
          uid: `legacy${++this.seq}`,
          title: b.name,
          interval: b.interval,
          items: b.items.map(({ type, value }) => ({ type, value })),
          resourceVersion: 1,
        };
        this.playlists.set(p.uid, p);
        return send(200, { id: this.seq, uid: p.uid, name: p.title, interval: p.interval });
      }
      if (req.method === 'PUT' && uid && b) {
        if (!this.playlists.has(uid)) return send(404, { message: 'Playlist not found' });
        this.playlists.set(uid, {
          uid,
          title: b.name,
          interval: b.interval,
          items: b.items.map(({ type, value }) => ({ type, value })),
          resourceVersion: 1,
        });
        return send(200, { uid, name: b.name, interval: b.interval });
      }
    }
    return send(404, { message: 'Not found' });
  }
}

const fakes: FakeGrafana[] = [];
const fake = async (o: FakeOptions) => {
  const f = await new FakeGrafana(o).start();
  fakes.push(f);
  return f;
};
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

const WANT_ITEMS = DEFAULT_PLAYLIST_DASHBOARDS.map((value) => ({ type: 'dashboard_by_uid', value }));

describe('provisionPlaylist', () => {
  it('on Grafana 12 creates the playlist through playlist.grafana.app, then updates it instead of duplicating', async () => {
    const g = await fake({ version: '12.4.10', apis: ['v1', 'v0alpha1', 'legacy'] });
    const first = await provisionPlaylist({ grafanaUrl: g.url + '/', token: TOKEN });
    expect(first.created).toBe(true);
    expect(first.playUrl).toBe(`${g.url}/playlists/play/${first.uid}?kiosk`);
    expect(g.playlists.size).toBe(1);
    expect(g.playlists.get(first.uid)).toMatchObject({ title: 'Floorboard TV', interval: '1m', items: WANT_ITEMS });
    expect(WANT_ITEMS.map((i) => i.value)).toEqual(['floorboard-wallboard', 'floorboard-summary', 'floorboard-queues']);

    const second = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN, interval: '30s' });
    expect(second).toEqual({ ...first, created: false });
    expect(g.playlists.size).toBe(1);
    expect(g.playlists.get(first.uid)).toMatchObject({ interval: '30s', resourceVersion: 2 });
    expect(g.requests.filter((r) => r.startsWith('PUT'))).toEqual([
      `PUT /apis/playlist.grafana.app/v1/namespaces/default/playlists/${first.uid}`,
    ]);
    expect(g.requests.some((r) => r.includes('/api/playlists'))).toBe(false);
  });

  it('keeps separate playlists by name, and falls back to v0alpha1 when v1 is not served', async () => {
    const g = await fake({ version: '12.0.2', apis: ['v0alpha1', 'legacy'] });
    const tv = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN });
    const lobby = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN, name: 'Lobby screen', dashboards: ['floorboard-wallboard'] });
    expect(lobby.uid).not.toBe(tv.uid);
    expect(g.playlists.size).toBe(2);
    expect(
      (await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN, name: 'Lobby screen', dashboards: ['floorboard-wallboard'] })).created,
    ).toBe(false);
    expect(g.playlists.size).toBe(2);
    expect(g.requests).toContain('POST /apis/playlist.grafana.app/v0alpha1/namespaces/default/playlists');
    expect(g.requests.some((r) => r.includes('/api/playlists'))).toBe(false);
  });

  it('on Grafana 10 uses the legacy /api/playlists, idempotently', async () => {
    const g = await fake({ version: '10.4.3', apis: ['legacy'] });
    const first = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN });
    const second = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN, interval: '2m' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(g.playlists.size).toBe(1);
    expect(g.playlists.get(first.uid)).toMatchObject({ interval: '2m', items: WANT_ITEMS });
    expect(g.requests.some((r) => r.includes('/apis/'))).toBe(false);
    expect(g.requests).toContain(`PUT /api/playlists/${first.uid}`);
  });

  it('on Grafana 11 without the new API falls back to the legacy one on 404', async () => {
    const g = await fake({ version: '11.3.0', apis: ['legacy'] });
    const r = await provisionPlaylist({ grafanaUrl: g.url, token: TOKEN });
    expect(r.created).toBe(true);
    expect(g.requests).toContain('GET /apis/playlist.grafana.app/v0alpha1/namespaces/default/playlists');
    expect(g.requests).toContain('POST /api/playlists');
  });

  it('a rejected token is a clear one-line error', async () => {
    const g = await fake({ version: '12.4.10', apis: ['v1'] });
    const err = await provisionPlaylist({ grafanaUrl: g.url, token: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaylistError);
    expect((err as Error).message).toMatch(/^token rejected by Grafana/);
    expect((err as Error).message).not.toContain('\n');
    expect(g.playlists.size).toBe(0);
  });

  it('an unreachable Grafana is one line naming the address', async () => {
    const g = await fake({ version: '12.4.10', apis: ['v1'] });
    const url = g.url;
    await g.stop();
    fakes.splice(fakes.indexOf(g), 1);
    const err = await provisionPlaylist({ grafanaUrl: url, token: TOKEN }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaylistError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot reach Grafana at ${url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)$`));
  });

  it('rejects a bad interval or URL before calling Grafana', async () => {
    await expect(provisionPlaylist({ grafanaUrl: 'http://127.0.0.1:1', token: TOKEN, interval: 'soon' })).rejects.toThrow(/--interval/);
    await expect(provisionPlaylist({ grafanaUrl: 'localhost:3000', token: TOKEN })).rejects.toThrow(/--grafana-url/);
    await expect(provisionPlaylist({ grafanaUrl: 'http://127.0.0.1:1', token: ' ' })).rejects.toThrow(/--token/);
  });

  it('the command prints the kiosk URL, or one line and exit 1 when Grafana refuses', async () => {
    const g = await fake({ version: '12.4.10', apis: ['v1'] });
    const text = (stream: PassThrough) => String(stream.read() ?? '');
    const [out, err] = [new PassThrough(), new PassThrough()];
    expect(await runPlaylistCommand({ grafanaUrl: g.url, token: TOKEN, name: 'Floorboard TV' }, out, err)).toBe(0);
    expect(text(out)).toMatch(/^created playlist "Floorboard TV" \(\S+\)\nopen on the TV: http:\/\/127\.0\.0\.1:\d+\/playlists\/play\/\S+/);
    const [out2, err2] = [new PassThrough(), new PassThrough()];
    expect(await runPlaylistCommand({ grafanaUrl: g.url, token: 'wrong', name: 'Floorboard TV' }, out2, err2)).toBe(1);
    expect(text(err2)).toMatch(/^floorboard: token rejected by Grafana[^\n]*\n$/);
    expect(text(out2)).toBe('');
  });
});
