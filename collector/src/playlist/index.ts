// `floorboard provision-playlist`: creates or updates the TV playlist (Wallboard, Summary, Queues) in
// Grafana. Uses Grafana's Kubernetes-style playlist API on Grafana 11+ (playlist.grafana.app, v1 then
// v0alpha1) and the legacy /api/playlists otherwise or when those answer 404. Idempotent: a playlist
// with the same name is updated in place, never duplicated.

export const DEFAULT_PLAYLIST_NAME = 'Floorboard TV';
export const DEFAULT_PLAYLIST_INTERVAL = '1m';
/** Dashboard uids shown in turn (the provisioned Floorboard dashboards). */
export const DEFAULT_PLAYLIST_DASHBOARDS = ['floorboard-wallboard', 'floorboard-summary', 'floorboard-queues'] as const;
/** Kubernetes-style namespace of Grafana's first organisation. */
export const GRAFANA_NAMESPACE = 'default';

export interface PlaylistOptions {
  /** Grafana's base URL, e.g. `http://localhost:3000` (a sub-path is kept). */
  grafanaUrl: string;
  /** Service-account token (Editor or a role that can write playlists). */
  token: string;
  name?: string;
  /** Time per dashboard, Grafana's duration form: `30s`, `1m`, `5m`. */
  interval?: string;
  /** Dashboard uids, in order. */
  dashboards?: string[];
}

export interface PlaylistResult {
  uid: string;
  created: boolean;
  /** Opens the playlist full-screen: `${grafanaUrl}/playlists/play/${uid}?kiosk`. */
  playUrl: string;
}

/** A problem the user can act on; the message is one line. */
export class PlaylistError extends Error {}

type Api = 'v1' | 'v0alpha1' | 'legacy';

interface Item {
  type: 'dashboard_by_uid';
  value: string;
}

interface Spec {
  title: string;
  interval: string;
  items: Item[];
}

interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: Partial<Spec>;
}

interface LegacyPlaylist {
  uid?: string;
  name?: string;
}

/** Grafana answered with a status the caller may want to handle (404: try the next API). */
class HttpStatus extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class Grafana {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, auth = true): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(auth ? { authorization: `Bearer ${this.token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new PlaylistError(`cannot reach Grafana at ${this.base} (${reason(err)})`);
    }
    const text = await res.text();
    if (res.status === 401)
      throw new PlaylistError(`token rejected by Grafana (401 from ${this.base}): pass a valid service-account token with --token`);
    if (res.status === 403)
      throw new PlaylistError(`the token may not manage playlists (403 from ${this.base}): give its service account the Editor role`);
    if (!res.ok) throw new HttpStatus(res.status, `Grafana answered ${res.status} to ${method} ${path}${detail(text)}`);
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PlaylistError(
        `Grafana at ${this.base} answered ${method} ${path} with something that is not JSON; is --grafana-url Grafana's address?`,
      );
    }
  }
}

function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'no answer within 15 s';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function detail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message !== '') return `: ${parsed.message.split('\n')[0]}`;
  } catch {
    // not JSON: no detail
  }
  return '';
}

/** Grafana's major version from `GET /api/health`, or null when it does not say. */
async function grafanaMajor(g: Grafana): Promise<number | null> {
  let health: { version?: unknown };
  try {
    health = await g.call<{ version?: unknown }>('GET', '/api/health', undefined, false);
  } catch (err) {
    if (err instanceof HttpStatus) throw new PlaylistError(`${err.message}; is --grafana-url Grafana's address?`);
    throw err;
  }
  const m = typeof health?.version === 'string' ? /^v?(\d+)\./.exec(health.version) : null;
  return m ? Number(m[1]) : null;
}

/** APIs to try, newest first: the Kubernetes-style ones exist from Grafana 11 (v1 from 12). */
export function apisFor(major: number | null): Api[] {
  if (major === null || major >= 12) return ['v1', 'v0alpha1', 'legacy'];
  if (major === 11) return ['v0alpha1', 'legacy'];
  return ['legacy'];
}

/** A uid for a new playlist: its name in lower-case words, Grafana's 40-character limit. */
function uidFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return slug === '' ? 'floorboard-tv' : slug;
}

async function viaKubernetes(g: Grafana, version: 'v1' | 'v0alpha1', spec: Spec): Promise<{ uid: string; created: boolean }> {
  const apiVersion = `playlist.grafana.app/${version}`;
  const base = `/apis/${apiVersion}/namespaces/${GRAFANA_NAMESPACE}/playlists`;
  const list = await g.call<{ items?: Resource[] }>('GET', base);
  const existing = (list?.items ?? []).find((r) => r.spec?.title === spec.title && r.metadata?.name);
  if (existing) {
    const name = existing.metadata!.name!;
    const metadata = { name, ...(existing.metadata?.resourceVersion ? { resourceVersion: existing.metadata.resourceVersion } : {}) };
    await g.call('PUT', `${base}/${encodeURIComponent(name)}`, { apiVersion, kind: 'Playlist', metadata, spec });
    return { uid: name, created: false };
  }
  let name = uidFor(spec.title);
  for (let attempt = 0; ; attempt++) {
    try {
      const made = await g.call<Resource>('POST', base, { apiVersion, kind: 'Playlist', metadata: { name }, spec });
      return { uid: made?.metadata?.name ?? name, created: true };
    } catch (err) {
      // Another playlist (with another title) already has this uid: pick a fresh one.
      if (err instanceof HttpStatus && err.status === 409 && attempt < 3) {
        name = `${uidFor(spec.title).slice(0, 31)}-${Math.random().toString(36).slice(2, 8)}`;
        continue;
      }
      throw err;
    }
  }
}

async function viaLegacy(g: Grafana, spec: Spec): Promise<{ uid: string; created: boolean }> {
  const body = { name: spec.title, interval: spec.interval, items: spec.items.map((it, i) => ({ ...it, order: i + 1, title: it.value })) };
  const found = await g.call<LegacyPlaylist[]>('GET', `/api/playlists?query=${encodeURIComponent(spec.title)}`);
  const existing = (Array.isArray(found) ? found : []).find((p) => p.name === spec.title && p.uid);
  if (existing) {
    await g.call('PUT', `/api/playlists/${encodeURIComponent(existing.uid!)}`, body);
    return { uid: existing.uid!, created: false };
  }
  const made = await g.call<LegacyPlaylist>('POST', '/api/playlists', body);
  if (!made?.uid) throw new PlaylistError('Grafana created the playlist but did not say its uid');
  return { uid: made.uid, created: true };
}

export async function provisionPlaylist(opts: PlaylistOptions): Promise<PlaylistResult> {
  const base = opts.grafanaUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(base))
    throw new PlaylistError(`--grafana-url must be an http(s) URL such as http://localhost:3000 (got "${opts.grafanaUrl}")`);
  if (!opts.token || opts.token.trim() === '') throw new PlaylistError('--token is required: a Grafana service-account token');
  const interval = opts.interval ?? DEFAULT_PLAYLIST_INTERVAL;
  if (!/^\d+[smhd]$/.test(interval)) throw new PlaylistError(`--interval must be a duration such as 30s, 1m or 5m (got "${interval}")`);
  const dashboards = opts.dashboards ?? [...DEFAULT_PLAYLIST_DASHBOARDS];
  if (dashboards.length === 0) throw new PlaylistError('the playlist needs at least one dashboard');
  const spec: Spec = {
    title: opts.name?.trim() || DEFAULT_PLAYLIST_NAME,
    interval,
    items: dashboards.map((uid) => ({ type: 'dashboard_by_uid', value: uid })),
  };

  const g = new Grafana(base, opts.token.trim());
  const apis = apisFor(await grafanaMajor(g));
  for (const api of apis) {
    try {
      const r = api === 'legacy' ? await viaLegacy(g, spec) : await viaKubernetes(g, api, spec);
      return { ...r, playUrl: `${base}/playlists/play/${encodeURIComponent(r.uid)}?kiosk` };
    } catch (err) {
      // This Grafana does not serve that API: try the next one.
      if (err instanceof HttpStatus && err.status === 404 && api !== apis[apis.length - 1]) continue;
      if (err instanceof HttpStatus) throw new PlaylistError(err.message);
      throw err;
    }
  }
  throw new PlaylistError('Grafana offers no playlist API');
}
