// The docker-compose stack: accepted by docker-compose v1.29 (the common subset v2 also reads), and
// wired consistently with the generated provisioning (service names, ports, mounts, env variables).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..');
const PLUGIN_ID = 'floorboard-taskrouter-datasource';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  environment?: Record<string, string> | string[];
  volumes?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
}
const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const env = (s: Service): Record<string, string | undefined> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((e) => [e.split('=')[0]!, e.includes('=') ? e.slice(e.indexOf('=') + 1) : undefined]))
    : (s.environment ?? {});
const mount = (s: Service, target: string) => s.volumes?.find((v) => v.split(':')[1] === target);

describe('docker-compose.yml', () => {
  it('passes `docker-compose config -q` (v1.29 rejects keys v2 alone accepts)', () => {
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TWILIO_AUTH_TOKEN: '' },
    });
    expect(r.error, 'docker-compose is not installed (apt-get install -y docker-compose)').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('Grafana: pinned 12.x image, the plugin read-only and allowed unsigned by id only, provisioning mounted', () => {
    const g = compose.services.grafana!;
    expect(g.image).toMatch(/^grafana\/grafana:12\.\d+\.\d+$/);
    expect(g.ports).toContain('3000:3000');
    expect(mount(g, `/var/lib/grafana/plugins/${PLUGIN_ID}`)).toBe(`./plugin/dist:/var/lib/grafana/plugins/${PLUGIN_ID}:ro`);
    expect(env(g).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(PLUGIN_ID);
    expect(mount(g, '/etc/grafana/provisioning')).toBe('./provisioning/grafana:/etc/grafana/provisioning:ro');
    // Every $VAR the provisioning files read is given to Grafana.
    for (const file of ['datasources/floorboard.yaml', 'alerting/contact-points.yaml']) {
      for (const [, name] of readFileSync(join(ROOT, 'provisioning/grafana', file), 'utf8').matchAll(/\$([A-Z_][A-Z0-9_]*)/g))
        expect(Object.keys(env(g)), `${name} (${file})`).toContain(name);
    }
  });

  it('the collector builds from collector/Dockerfile, keeps its data on a named volume, and runs the demo without Twilio', () => {
    const c = compose.services.collector!;
    expect(c.build).toEqual({ context: '.', dockerfile: 'collector/Dockerfile' });
    expect(c.ports).toContain('3300:3300');
    const data = c.volumes!.find((v) => v.endsWith(':/data'))!;
    expect(Object.keys(compose.volumes)).toContain(data.split(':')[0]);
    expect(env(c).FLOORBOARD_DB).toBe('/data/floorboard.db');
    // No command override: the image's CMD (node itself, demo without TWILIO_AUTH_TOKEN; see tests/signals.test.ts) runs.
    expect(c.command).toBeUndefined();
    const dockerfile = readFileSync(join(ROOT, 'collector/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(
      /^CMD \["sh", "-c", "if \[ -n \\"\$TWILIO_AUTH_TOKEN\\" \]; then exec node collector\/dist\/index\.js; else exec node collector\/dist\/cli\.js demo; fi"\]$/m,
    );
    // The Dockerfile copies only what exists.
    expect(dockerfile).toMatch(/^FROM node:20/m);
    for (const [, sources] of dockerfile.matchAll(/^COPY (.+) \S+$/gm))
      for (const s of sources!.split(/\s+/)) expect(existsSync(join(ROOT, s)), s).toBe(true);
  });

  it('checks collector health in the image and the stack, and starts Grafana once the collector is healthy', () => {
    const c = compose.services.collector!;
    const dockerfile = readFileSync(join(ROOT, 'collector/Dockerfile'), 'utf8');
    const check = ['node', 'collector/bin/healthcheck.js'];
    expect(dockerfile).toContain(
      `HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ${JSON.stringify(check).replace(/,/g, ', ')}`,
    );
    expect(c.healthcheck).toEqual({ test: ['CMD', ...check], interval: '10s', timeout: '5s', retries: 3, start_period: '60s' });
    expect(existsSync(join(ROOT, check[1]!))).toBe(true);
    expect(compose.services.grafana!.depends_on).toEqual({
      collector: { condition: 'service_healthy' },
      prometheus: { condition: 'service_started' },
    });
    expect(compose.services.prometheus!.depends_on).toEqual({ collector: { condition: 'service_started' } });
  });

  it('Prometheus scrapes collector:3300/metrics every 15 s and its config passes promtool', () => {
    const p = compose.services.prometheus!;
    expect(p.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(mount(p, '/etc/prometheus/prometheus.yml')).toBe('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const cfg = parseYaml(readFileSync(join(ROOT, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ metrics_path: string; scrape_interval: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(cfg.scrape_configs[0]).toMatchObject({
      metrics_path: '/metrics',
      scrape_interval: '15s',
      static_configs: [{ targets: ['collector:3300'] }],
    });
    const r = spawnSync('promtool', ['check', 'config', 'prometheus/prometheus.yml'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('the provisioned data sources point at the compose services', () => {
    const ds = parseYaml(readFileSync(join(ROOT, 'provisioning/grafana/datasources/floorboard.yaml'), 'utf8')) as {
      datasources: Array<{ uid: string; url?: string; jsonData: { url?: string } }>;
    };
    const floorboard = ds.datasources.find((d) => d.uid === 'floorboard')!;
    const prometheus = ds.datasources.find((d) => d.uid === 'floorboard-prometheus')!;
    expect(floorboard.jsonData.url).toBe('http://collector:3300');
    expect(prometheus.url).toBe('http://prometheus:9090');
    expect(compose.services.prometheus!.ports).toContain('9090:9090');
  });
});
