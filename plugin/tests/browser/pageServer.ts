// Serves the harness page, the Grafana bundle, RequireJS, the built plugin (dist/) and @grafana/ui's
// icons on a loopback port, and plays Grafana's data-source proxy (grafanaProxy.ts): requests to
// `/api/datasources/proxy/uid/floorboard/collector/*` are forwarded to the collector. Grafana's
// dashboard route `/d/<uid>` answers a tiny page, for data links to land on.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';

import { type GrafanaProxy, grafanaProxy } from './grafanaProxy';

export const PROXY_PATH = '/api/datasources/proxy/uid/floorboard';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

export interface PageServer {
  url: string;
  /** Headers the browser sent to the proxy path: the token must never be among them. */
  proxiedHeaders: IncomingHttpHeaders[];
  /** The data-source proxy, with what it forwarded. */
  proxy: GrafanaProxy;
  close(): Promise<void>;
}

export interface PageServerOptions {
  pluginDir: string;
  bundleDir: string;
  collectorUrl: string;
  /** The data source's token, added by the proxy (as Grafana's route does). */
  token?: string;
  /** Cut every proxied response after this long, as Grafana's data-proxy timeout does. */
  cutAfterMs?: number;
}

export async function startPageServer({
  pluginDir,
  bundleDir,
  collectorUrl,
  token,
  cutAfterMs,
}: PageServerOptions): Promise<PageServer> {
  const iconsDir = join(
    dirname(require.resolve('@grafana/ui/package.json', { paths: [pluginDir] })),
    'dist',
    'public',
    'img',
    'icons'
  );
  const requireJs = require.resolve('requirejs/require.js', { paths: [pluginDir] });
  const mounts: Array<[prefix: string, dir: string]> = [
    ['/bundle/', bundleDir],
    ['/dist/', join(pluginDir, 'dist')],
    ['/public/build/img/icons/', iconsDir],
    ['/', join(pluginDir, 'tests', 'browser', 'harness')],
  ];
  const proxy = grafanaProxy({ target: collectorUrl, prefix: `${PROXY_PATH}/collector`, token, cutAfterMs });

  const server = createServer((request, response) => {
    if (proxy.handle(request, response)) {
      return;
    }
    const url = new URL(request.url ?? '/', 'http://page');
    const path = decodeURIComponent(url.pathname);
    const dashboard = /^\/d\/([A-Za-z0-9_-]+)$/.exec(path);
    if (dashboard) {
      response.writeHead(200, { 'Content-Type': TYPES['.html']! });
      response.end(`<!doctype html><title>Dashboard ${dashboard[1]!}</title><body data-dashboard="${dashboard[1]!}"><h1>Dashboard ${dashboard[1]!}</h1></body>`);
      return;
    }
    if (path === '/requirejs/require.js') {
      response.writeHead(200, { 'Content-Type': TYPES['.js']! });
      createReadStream(requireJs).pipe(response);
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      const file = normalize(join(dir, path === '/' ? 'index.html' : path.slice(prefix.length)));
      if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
        response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(response);
        return;
      }
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end(`not found: ${path}`);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get proxiedHeaders() {
      return proxy.requests.map((request) => request.headers);
    },
    proxy,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
