// Generated dashboards: committed files match the generator byte for byte, every target reads the
// `${datasource}` variable with a catalog metric and an allowed grouping, every seed graph is there,
// and SLA numbers become panel thresholds (and change when the SLA file changes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { metricById } from '@floorboard/contract';
import { loadSla, parseSla, SLA_METRICS, thresholdFor, type Sla, type SlaMetric } from '@floorboard/contract/sla';
import { DATA_AGE, LIVE_VALUES } from '@floorboard/contract';
import { DASHBOARDS, drift, generate, GRAFANA_DIR, PLUGIN_DASHBOARD_DIR, writeFiles } from '../provisioning/src/generate';
import { dashboard } from '../provisioning/src/sdk';

const ROOT = join(__dirname, '..');
const PLUGIN_ID = 'floorboard-taskrouter-datasource';
const SLA_TEXT = readFileSync(join(ROOT, 'sla.yaml'), 'utf8');
const SLA = loadSla(join(ROOT, 'sla.yaml'));

const temps: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'floorboard-provisioning-'));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Json = Record<string, unknown>;
interface Panel extends Json {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Json[];
  fieldConfig?: {
    defaults: Json & { unit?: string; thresholds?: { steps: Array<{ value: number | null; color: string }> }; custom?: Json };
    overrides: Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value: unknown }> }>;
  };
  repeat?: string;
}
interface Dash extends Json {
  uid: string;
  panels: Panel[];
}

function committed(file: string): Dash {
  return JSON.parse(readFileSync(join(ROOT, GRAFANA_DIR, 'dashboards', file), 'utf8')) as Dash;
}
const BOARDS: Record<string, Dash> = Object.fromEntries(DASHBOARDS.map((d) => [d.file.replace('.json', ''), committed(d.file)]));
const generated = (sla: Sla, name: string) =>
  JSON.parse(JSON.stringify(DASHBOARDS.find((d) => d.file === `${name}.json`)!.build(sla))) as Dash;

/** Every panel with the row that precedes it (rows are expanded: panels follow their row). */
function panelsWithRow(d: Dash): Array<{ panel: Panel; row: Panel | null }> {
  let row: Panel | null = null;
  const out: Array<{ panel: Panel; row: Panel | null }> = [];
  for (const p of d.panels) {
    if (p.type === 'row') row = p;
    else out.push({ panel: p, row });
  }
  return out;
}
const byTitle = (d: Dash, title: string) => panelsWithRow(d).filter((x) => x.panel.title === title);

/** The colours the collector's breachLevel gives, as Grafana steps (value >= step). */
function expectedSteps(metric: SlaMetric, t: { warn: number; breach: number }): Array<{ value: number | null; color: string }> {
  if (SLA_METRICS[metric] === 'above')
    return [
      { value: null, color: 'green' },
      ...(t.warn < t.breach ? [{ value: t.warn, color: 'orange' }] : []),
      { value: t.breach, color: 'red' },
    ];
  return [
    { value: null, color: 'red' },
    ...(t.warn > t.breach ? [{ value: t.breach, color: 'orange' }] : []),
    { value: t.warn, color: 'green' },
  ];
}

/** Steps equal: "bad when low" steps may sit a hair above the SLA number (see thresholds.ts). */
function expectSteps(
  actual: Array<{ value: number | null; color: string }> | undefined,
  metric: SlaMetric,
  t: { warn: number; breach: number },
  where: string,
) {
  const want = expectedSteps(metric, t);
  expect(
    actual?.map((s) => s.color),
    where,
  ).toEqual(want.map((s) => s.color));
  actual!.forEach((s, i) => {
    if (want[i]!.value === null) expect(s.value, where).toBeNull();
    else {
      expect(s.value, where).toBeGreaterThanOrEqual(want[i]!.value!);
      expect(s.value! - want[i]!.value!, where).toBeLessThan(1e-3);
    }
  });
}

describe('generation', () => {
  it('is deterministic and the committed files match it byte for byte', () => {
    const a = generate(SLA);
    const b = generate(parseSla(SLA_TEXT));
    expect(b).toEqual(a);
    const dir = temp();
    writeFiles(dir, a);
    for (const f of a) expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(readFileSync(join(ROOT, f.path), 'utf8'));
    expect(drift(ROOT, a)).toEqual([]);
  });

  it('writes the dashboards into the plugin too, the same but for uid, title and tags, so importing them never collides with the provisioned ones', () => {
    const read = (dir: string, file: string) =>
      JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as Json & {
        uid: string;
        title: string;
        tags: string[];
        links: Array<{ type: string; tags: string[] }>;
      };
    const provisioned = DASHBOARDS.map((d) => read(`${GRAFANA_DIR}/dashboards`, d.file));
    const bundled = DASHBOARDS.map((d) => read(PLUGIN_DASHBOARD_DIR, d.file));
    bundled.forEach((b, i) => {
      const p = provisioned[i]!;
      expect(b.uid).toBe(`${p.uid}-plugin`);
      expect(b.uid.length).toBeLessThanOrEqual(40);
      expect(b.title).toBe(`${p.title} (from the plugin)`);
      // Drill-down data links open the same set's floor dashboard.
      const links = JSON.stringify(b).match(/\/d\/floorboard-[a-z]+(-plugin)?\?/g) ?? [];
      expect(links.every((l) => l.endsWith('-plugin?'))).toBe(true);
      const unlinked = JSON.parse(JSON.stringify(b).replaceAll('-plugin?', '?')) as typeof b;
      expect({ ...unlinked, uid: p.uid, title: p.title, tags: p.tags, links: p.links }).toEqual(p);
    });
    // No shared uid or title (Grafana refuses to import over a provisioned uid, or a same-named dashboard in a folder).
    const uids = [...provisioned, ...bundled].map((d) => d.uid);
    const titles = [...provisioned, ...bundled].map((d) => d.title);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
    // Each set's links list its own set: a dashboard-links entry lists dashboards carrying all its tags.
    const reach = (from: typeof provisioned, all: typeof provisioned) =>
      from.map((d) =>
        all
          .filter((o) => d.links.filter((l) => l.type === 'dashboards').every((l) => l.tags.every((t) => o.tags.includes(t))))
          .map((o) => o.uid)
          .sort(),
      );
    const everyone = [...provisioned, ...bundled];
    for (const r of reach(provisioned, everyone)) expect(r).toEqual(provisioned.map((d) => d.uid).sort());
    for (const r of reach(bundled, everyone)) expect(r).toEqual(bundled.map((d) => d.uid).sort());
    // Both carry the common tag, for search.
    for (const d of everyone) expect(d.tags).toContain('floorboard');
  });

  it("lays JSON out as the plugin's Prettier does, so `prettier --write` in plugin/ changes nothing", async () => {
    const prettier = await import('prettier');
    for (const d of DASHBOARDS) {
      const path = join(ROOT, PLUGIN_DASHBOARD_DIR, d.file);
      const options = (await prettier.resolveConfig(path)) ?? {};
      const text = readFileSync(path, 'utf8');
      expect(await prettier.format(text, { ...options, filepath: path }), d.file).toBe(text);
    }
  });

  it('the plugin includes its dashboards', () => {
    const pluginJson = JSON.parse(readFileSync(join(ROOT, 'plugin/src/plugin.json'), 'utf8')) as {
      includes?: Array<{ type: string; path: string }>;
    };
    const included = (pluginJson.includes ?? [])
      .filter((i) => i.type === 'dashboard')
      .map((i) => i.path)
      .sort();
    expect(included).toEqual(DASHBOARDS.map((d) => `dashboards/${d.file}`).sort());
    // The Dashboards tab lists each by its include name: the plugin copy's own title.
    for (const i of (pluginJson.includes ?? []).filter((x) => x.type === 'dashboard') as unknown as Array<{ name: string; path: string }>) {
      expect(i.name).toBe((JSON.parse(readFileSync(join(ROOT, 'plugin/src', i.path), 'utf8')) as { title: string }).title);
    }
  });

  it('`npm run provision -- --check` passes on the repository and lists drift for another SLA file', () => {
    const ok = spawnSync('npx', ['vite-node', 'provisioning/src/cli.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FLOORBOARD_SLA: '' },
    });
    expect(ok.stdout + ok.stderr).toContain('up to date');
    expect(ok.status).toBe(0);
    const dir = temp();
    writeFileSync(
      join(dir, 'sla.yaml'),
      SLA_TEXT.replace('tasks_waiting: { warn: 5, breach: 10 }', 'tasks_waiting: { warn: 4, breach: 8 }'),
    );
    const bad = spawnSync('npx', ['vite-node', 'provisioning/src/cli.ts', '--check', '--sla', join(dir, 'sla.yaml')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FLOORBOARD_SLA: '' },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('provisioning/grafana/dashboards/summary.json: differs');
    expect(bad.stderr).toContain('provisioning/grafana/alerting/rules.yaml: differs');
    expect(bad.stderr).not.toContain('datasources/floorboard.yaml');
  }, 60_000);
});

describe('every dashboard', () => {
  const defaults = dashboard.defaultDashboard();

  it.each(Object.entries(BOARDS))(
    '%s has the SDK schema version, a stable uid, refresh, time ranges and a non-overlapping grid',
    (name, d) => {
      expect(d.schemaVersion).toBe(defaults.schemaVersion);
      expect(d.uid).toBe(`floorboard-${name}`);
      expect(d).toEqual(generated(SLA, name));
      const templating = d.templating as { list: Json[] };
      expect(Array.isArray(templating.list)).toBe(true);
      expect(Array.isArray((d.annotations as { list: unknown[] }).list)).toBe(true);
      expect(d.refresh).toBe(name === 'summary' || name === 'queues' ? '30s' : '10s');
      const picker = d.timepicker as { refresh_intervals: string[]; quick_ranges: Array<{ display: string; from: string; to: string }> };
      expect(picker.refresh_intervals).toContain(d.refresh);
      expect(picker.quick_ranges.map((r) => [r.from, r.to])).toEqual([
        ['now-1h', 'now'],
        ['now/d', 'now'],
        ['now/w', 'now'],
        ['now-30d', 'now'],
      ]);
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${name}: "${p.title}" overlaps another panel`).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    },
  );

  it.each(Object.entries(BOARDS))(
    '%s: the datasource variable defaults to the provisioned uid, and nothing else names a data-source uid',
    (name, d) => {
      const vars = (d.templating as { list: Array<Json & { name: string; type: string; query?: unknown; current?: { value: unknown } }> })
        .list;
      const ds = vars.find((v) => v.name === 'datasource');
      expect(ds?.type).toBe('datasource');
      expect(ds?.query).toBe(PLUGIN_ID);
      expect(ds?.current?.value).toBe('floorboard');
      const walk = (node: unknown, path: string): void => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
        if (!node || typeof node !== 'object') return;
        for (const [k, v] of Object.entries(node)) {
          if (k === 'datasource' && path !== '') expect(v, `${name}${path}.datasource`).toEqual({ type: PLUGIN_ID, uid: '${datasource}' });
          if (k === 'uid' && path !== '' && !path.endsWith('.datasource'))
            throw new Error(`${name}${path}: a uid outside the data-source reference: ${String(v)}`);
          walk(v, `${path}.${k}`);
        }
      };
      walk(d, '');
      expect(JSON.stringify(d)).not.toMatch(/"uid":\s*"(?!\$\{datasource\}|floorboard-)/);
    },
  );

  it.each(Object.entries(BOARDS))(
    '%s: every target is a catalog metric with an allowed grouping, every panel says how it is computed in the catalog unit',
    (name, d) => {
      for (const { panel } of panelsWithRow(d)) {
        expect(panel.datasource, panel.title).toEqual({ type: PLUGIN_ID, uid: '${datasource}' });
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        expect(panel.description?.length ?? 0, `${name}: "${panel.title}" has no description`).toBeGreaterThan(20);
        const refIds = new Set<string>();
        for (const t of panel.targets!) {
          refIds.add(t.refId as string);
          expect(t.datasource).toEqual({ type: PLUGIN_ID, uid: '${datasource}' });
          if (t.metric === DATA_AGE) {
            // Data freshness is the plugin's own live value (snapshot lastEventAt), not a catalog metric.
            expect(t.queryType).toBe('snapshot');
            expect(panel.fieldConfig?.defaults.unit).toBe('s');
            continue;
          }
          const entry = metricById(t.metric as string);
          expect(entry, `${name}: "${panel.title}" uses unknown metric ${String(t.metric)}`).toBeDefined();
          expect(panel.description, `${name}: "${panel.title}" should quote the catalog`).toContain(entry!.description);
          for (const q of t.queues as string[]) expect(q === '$queue' || Object.keys(SLA.queues).includes(q), `queue ${q}`).toBe(true);
          if (t.queryType === 'metric') {
            expect(entry!.groupBys, `${name}: "${panel.title}" groups ${entry!.id} by ${String(t.groupBy)}`).toContain(t.groupBy);
            for (const opt of Object.keys(t.options as Json)) expect(entry!.options.map((o) => o.name)).toContain(opt);
            expect(typeof t.interval).toBe('string');
            expect(t.channels).toEqual([]);
          } else {
            expect(t.queryType).toBe('snapshot');
            expect(LIVE_VALUES).toContain(t.metric);
          }
          if (panel.type !== 'table') expect(panel.fieldConfig?.defaults.unit, `${name}: "${panel.title}" unit`).toBe(entry!.unit);
          else
            expect(
              panel.fieldConfig!.defaults.unit === entry!.unit ||
                panel.fieldConfig!.overrides.some((o) => o.properties.some((p) => p.id === 'unit' && p.value === entry!.unit)),
            ).toBe(true);
        }
        expect(refIds.size).toBe(panel.targets!.length);
      }
    },
  );
});

describe('data freshness', () => {
  const dataAge = (d: Dash) => panelsWithRow(d).filter(({ panel }) => panel.targets?.some((t) => t.metric === DATA_AGE));

  it.each(Object.entries(BOARDS))(
    '%s opens with the age of the newest event: full width at the top of its header row, green / amber after 2 min / red at noEventsMinutes',
    (_name, d) => {
      const [first, ...others] = dataAge(d);
      expect(others).toEqual([]);
      const { panel, row } = first!;
      expect(row).toBe(d.panels.find((p) => p.type === 'row'));
      expect(panel.gridPos).toMatchObject({ x: 0, w: 24, y: row!.gridPos.y + 1 });
      expect(panel.type).toBe('stat');
      expect((panel.options as { colorMode: string }).colorMode).toBe('background');
      expect(panel.fieldConfig!.defaults.thresholds!.steps).toEqual([
        { value: null, color: 'green' },
        { value: 120, color: 'orange' },
        { value: SLA.noEventsMinutes * 60, color: 'red' },
      ]);
      expect(panel.description).toContain(`red after ${SLA.noEventsMinutes} minutes`);
    },
  );

  it("turns red where the SLA file's noEventsMinutes says, straight from green when that is 2 minutes or less", () => {
    for (const [minutes, steps] of [
      [
        30,
        [
          { value: null, color: 'green' },
          { value: 120, color: 'orange' },
          { value: 1800, color: 'red' },
        ],
      ],
      [
        2,
        [
          { value: null, color: 'green' },
          { value: 120, color: 'red' },
        ],
      ],
    ] as const) {
      const sla = { ...SLA, noEventsMinutes: minutes };
      for (const d of DASHBOARDS) {
        const built = JSON.parse(JSON.stringify(d.build(sla))) as Dash;
        expect(dataAge(built)[0]!.panel.fieldConfig!.defaults.thresholds!.steps, d.file).toEqual(steps);
      }
    }
  });
});

const snapshot = (metric: string) => ({ queryType: 'snapshot', metric });
const history = (metric: string, groupBy: string) => ({ queryType: 'metric', metric, groupBy });

/** Twilio's TaskRouter dashboards guide, and the brief's additions: title -> what it must query. */
const SEEDS: Record<string, Record<string, ReturnType<typeof snapshot> | ReturnType<typeof history>>> = {
  summary: {
    'Average waiting time by date': history('avg_wait', 'date'),
    'Average waiting time by queue': history('avg_wait', 'queue'),
    'Average waiting time by day of week': history('avg_wait', 'day_of_week'),
    'Average waiting time by hour': history('avg_wait', 'hour_of_day'),
    'Tasks queued by hour': history('tasks_entered', 'hour_of_day'),
    'Tasks queued by day of week': history('tasks_entered', 'day_of_week'),
    'Agents logged in over time': history('agents_logged_in', 'time'),
    'Agents logged in by day of week': history('agents_logged_in', 'day_of_week'),
    'Agents logged in by hour': history('agents_logged_in', 'hour_of_day'),
    'Agents logged in by queue': history('agents_logged_in', 'queue'),
    'Customers waiting now': snapshot('tasks_waiting'),
    'Customers waiting': history('tasks_waiting', 'time'),
    'Tasks in progress now': snapshot('tasks_in_progress'),
    'Tasks in progress': history('tasks_in_progress', 'time'),
    'Tasks abandoned today': snapshot('tasks_abandoned'),
    'Tasks abandoned': history('tasks_abandoned', 'time'),
    'Service level today': snapshot('service_level'),
    'Service level': history('service_level', 'time'),
    'Abandon rate': history('abandon_rate', 'none'),
    'Abandon rate over time': history('abandon_rate', 'time'),
  },
  queues: {
    'Waiting time': history('avg_wait', 'time'),
    'Customers waiting': history('tasks_waiting', 'time'),
    'Logged-in agents': history('agents_logged_in', 'time'),
    'Tasks received, handled and abandoned': history('tasks_received', 'time'),
    'Average abandon time': history('avg_abandon_time', 'time'),
    'Average call duration': history('avg_task_duration', 'time'),
    'Agent states': snapshot('agents_by_activity'),
    'Service level': history('service_level', 'time'),
    'Longest wait': history('longest_wait', 'time'),
    'Handle and wrap-up time': history('avg_handle_time', 'time'),
    'Timed-out calls per hour': history('tasks_timed_out', 'time'),
    'Queues side by side': history('tasks_waiting', 'queue'),
  },
  agents: {
    'Agents by state now': snapshot('agents_by_activity'),
    'Agents by state over time': history('agents_by_activity', 'time'),
    Agents: history('agent_current_activity', 'worker'),
    'Time in each activity': history('agent_activity_time', 'worker'),
    Dispositions: history('dispositions', 'none'),
  },
  wallboard: {
    'Waiting now': snapshot('tasks_waiting'),
    'Longest wait': snapshot('longest_wait'),
    'Service level today': snapshot('service_level'),
    'Agents available': snapshot('agents_available'),
  },
};

describe('seed graphs', () => {
  for (const [name, seeds] of Object.entries(SEEDS)) {
    it.each(Object.entries(seeds))(`${name}: "%s"`, (title, want) => {
      const found = byTitle(BOARDS[name]!, title);
      expect(found.length, `${name} has no panel "${title}"`).toBeGreaterThan(0);
      const first = found[0]!.panel.targets![0]!;
      expect({
        queryType: first.queryType,
        metric: first.metric,
        ...(want.queryType === 'metric' ? { groupBy: first.groupBy } : {}),
      }).toEqual(want);
    });
  }

  it('each real-time number on the Summary sits immediately left of its history', () => {
    const panels = panelsWithRow(BOARDS.summary!).map((x) => x.panel);
    const pairs: Array<[string, string]> = [
      ['Customers waiting now', 'Customers waiting'],
      ['Tasks in progress now', 'Tasks in progress'],
      ['Tasks abandoned today', 'Tasks abandoned'],
      ['Service level today', 'Service level'],
      ['Abandon rate', 'Abandon rate over time'],
      ['Agents logged in now', 'Agents logged in over time'],
    ];
    for (const [now, past] of pairs) {
      const a = panels.find((p) => p.title === now)!;
      const b = panels.find((p) => p.title === past)!;
      expect(b.gridPos.y).toBe(a.gridPos.y);
      expect(b.gridPos.x).toBe(a.gridPos.x + a.gridPos.w);
      expect(b.type).toBe('timeseries');
    }
  });

  it('the Queues table joins several per-queue targets, and the per-queue row repeats over $queue', () => {
    const table = byTitle(BOARDS.queues!, 'Queues side by side')[0]!.panel;
    expect(table.type).toBe('table');
    expect(table.targets!.length).toBeGreaterThan(5);
    expect(table.targets!.every((t) => t.groupBy === 'queue')).toBe(true);
    expect((table.transformations as Array<{ id: string }>).map((t) => t.id)).toContain('merge');
    const repeated = BOARDS.queues!.panels.find((p) => p.type === 'row' && p.repeat === 'queue');
    expect(repeated?.title).toBe('$queue');
    expect(byTitle(BOARDS.queues!, 'Waiting time')[0]!.row).toBe(repeated);
    const queueVar = (BOARDS.queues!.templating as { list: Array<Json & { name: string }> }).list.find((v) => v.name === 'queue')!;
    expect(queueVar).toMatchObject({
      type: 'query',
      multi: true,
      includeAll: true,
      query: { kind: 'queues' },
      datasource: { type: PLUGIN_ID, uid: '${datasource}' },
    });
  });

  it('the Agents table joins per-agent metrics on the agent', () => {
    const table = byTitle(BOARDS.agents!, 'Agents')[0]!.panel;
    expect(table.targets!.map((t) => t.metric)).toEqual([
      'agent_current_activity',
      'agent_tasks_handled',
      'agent_avg_handle_time',
      'agent_occupancy',
    ]);
    expect(table.targets!.every((t) => t.groupBy === 'worker')).toBe(true);
  });

  it('the Wallboard is kiosk-ready: live snapshot stats only, big and coloured, no time picker', () => {
    const d = BOARDS.wallboard!;
    expect((d.timepicker as { hidden: boolean }).hidden).toBe(true);
    for (const { panel } of panelsWithRow(d)) {
      expect(panel.type).toBe('stat');
      expect(panel.targets!.every((t) => t.queryType === 'snapshot')).toBe(true);
      expect((panel.options as { colorMode: string }).colorMode).toBe('background');
      expect(panel.gridPos.w * panel.gridPos.h).toBeGreaterThanOrEqual(48);
    }
    expect(d.panels.some((p) => p.type === 'row' && p.repeat === 'queue')).toBe(true);
  });
});

/** The SLA metric a panel's colours come from, and the queue whose override applies. */
function slaOf(panel: Panel, row: Panel | null): { metric: SlaMetric; queue: string | null } | null {
  const t = panel.targets![0]!;
  const metric = t.metric as string;
  if (!(metric in SLA_METRICS) || panel.type === 'table') return null;
  if (metric === 'tasks_abandoned' && t.queryType === 'metric') return null; // a daily number; see panels.ts
  const queues = t.queues as string[];
  const queue = queues.length === 1 && queues[0] !== '$queue' ? queues[0]! : null;
  expect(row === null || queue === null || row.title === queue).toBe(true);
  return { metric: metric as SlaMetric, queue };
}

function checkThresholds(d: Dash, sla: Sla): number {
  let checked = 0;
  for (const { panel, row } of panelsWithRow(d)) {
    const s = slaOf(panel, row);
    const t = s && thresholdFor(sla, s.metric, s.queue);
    if (!s || !t) continue;
    expectSteps(panel.fieldConfig?.defaults.thresholds?.steps, s.metric, t, `${d.uid}: "${panel.title}"`);
    if (panel.type === 'timeseries' || panel.type === 'barchart')
      expect((panel.fieldConfig!.defaults.custom as { thresholdsStyle: { mode: string } }).thresholdsStyle.mode).toBe('line');
    checked++;
  }
  for (const { panel } of panelsWithRow(d).filter((x) => x.panel.type === 'table')) {
    for (const t of panel.targets!) {
      const metric = t.metric as SlaMetric;
      const th = metric in SLA_METRICS && metric !== 'tasks_abandoned' ? thresholdFor(sla, metric, null) : undefined;
      if (!th) continue;
      const withThresholds = panel.fieldConfig!.overrides.filter((o) => o.properties.some((p) => p.id === 'thresholds'));
      const steps = withThresholds.map(
        (o) => (o.properties.find((p) => p.id === 'thresholds')!.value as { steps: Array<{ value: number | null; color: string }> }).steps,
      );
      expect(
        steps.some(
          (st) =>
            st.length === expectedSteps(metric, th).length &&
            st.every(
              (x, i) =>
                x.color === expectedSteps(metric, th)[i]!.color &&
                (x.value === null ? true : Math.abs(x.value - expectedSteps(metric, th)[i]!.value!) < 1e-3),
            ),
        ),
      ).toBe(true);
      checked++;
    }
  }
  return checked;
}

describe('SLA thresholds', () => {
  it('every panel of an SLA metric is green / amber / red at the SLA file numbers, direction-aware, per-queue on wallboard rows', () => {
    let checked = 0;
    for (const d of Object.values(BOARDS)) checked += checkThresholds(d, SLA);
    expect(checked).toBeGreaterThan(30);
    // 0 agents available is red; 1 is amber; 2 is green (agents_available: warn 1, breach 0).
    const steps = byTitle(BOARDS.wallboard!, 'Agents available')[0]!.panel.fieldConfig!.defaults.thresholds!.steps;
    const colourOf = (v: number) => [...steps].reverse().find((s) => s.value === null || v >= s.value)!.color;
    expect([0, 1, 2].map(colourOf)).toEqual(['red', 'orange', 'green']);
    // Sales has its own longest-wait numbers on its wallboard row; other rows use the defaults.
    const longest = byTitle(BOARDS.wallboard!, 'Longest wait');
    expect(longest.find((x) => x.row?.title === 'Sales')!.panel.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value)).toEqual([
      null,
      90,
      180,
    ]);
    expect(longest.find((x) => x.row?.title === '$queue')!.panel.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value)).toEqual([
      null,
      60,
      120,
    ]);
    const queueVar = (BOARDS.wallboard!.templating as { list: Array<Json & { name: string; regex: string }> }).list.find(
      (v) => v.name === 'queue',
    )!;
    expect(new RegExp(queueVar.regex.slice(1, -1)).test('Sales')).toBe(false);
    expect(new RegExp(queueVar.regex.slice(1, -1)).test('Sales Team')).toBe(true);
  });

  it('changing a number in a copy of the SLA file changes panel thresholds and alert rules', () => {
    const text = SLA_TEXT.replace('longest_wait: { warn: 60, breach: 120 }', 'longest_wait: { warn: 45, breach: 95 }')
      .replace('service_level: { warn: 85, breach: 80 }', 'service_level: { warn: 90, breach: 75 }')
      .replace('longest_wait: { warn: 90, breach: 180 }', 'longest_wait: { warn: 100, breach: 200 }');
    expect(text).not.toBe(SLA_TEXT);
    const dir = temp();
    writeFileSync(join(dir, 'sla.yaml'), text);
    const sla = loadSla(join(dir, 'sla.yaml'));
    for (const name of Object.keys(BOARDS)) expect(checkThresholds(generated(sla, name), sla)).toBeGreaterThan(0);
    const wall = generated(sla, 'wallboard');
    expect(
      byTitle(wall, 'Longest wait')
        .find((x) => x.row?.title === '$queue')!
        .panel.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value),
    ).toEqual([null, 45, 95]);
    expect(
      byTitle(wall, 'Longest wait')
        .find((x) => x.row?.title === 'Sales')!
        .panel.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value),
    ).toEqual([null, 100, 200]);
    const summaryLevel = byTitle(generated(sla, 'summary'), 'Service level')[0]!.panel.fieldConfig!.defaults.thresholds!.steps;
    expect(summaryLevel.map((s) => s.color)).toEqual(['red', 'orange', 'green']);
    expect(summaryLevel[1]!.value! - 75).toBeLessThan(1e-3);
    expect(summaryLevel[2]!.value! - 90).toBeLessThan(1e-3);

    const rules = parseYaml(generate(sla).find((f) => f.path.endsWith('alerting/rules.yaml'))!.content) as {
      groups: Array<{
        rules: Array<{
          uid: string;
          data: Array<{ refId: string; model: { expr?: string; conditions?: Array<{ evaluator: { params: number[] } }> } }>;
        }>;
      }>;
    };
    const rule = (uid: string) => rules.groups.flatMap((g) => g.rules).find((r) => r.uid === uid)!;
    expect(rule('floorboard-longest-wait-default').data[0]!.model.expr).toBe('floorboard_longest_wait_seconds{queue!~"Sales"} >= 95');
    expect(rule('fb-longest-wait-Sales').data[0]!.model.expr).toBe('floorboard_longest_wait_seconds{queue="Sales"} >= 200');
    expect(rule('floorboard-service-level-default').data[0]!.model.expr).toBe('floorboard_service_level_percent <= 75');
    expect(rule('floorboard-service-level-default').data[2]!.model.conditions![0]!.evaluator.params).toEqual([75]);
    // And the committed files are now out of date.
    expect(drift(ROOT, generate(sla)).map((p) => p.path)).toEqual(
      expect.arrayContaining([`${GRAFANA_DIR}/dashboards/wallboard.json`, `${GRAFANA_DIR}/alerting/rules.yaml`]),
    );
  });
});
