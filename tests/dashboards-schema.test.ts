// Every generated dashboard type-checked against @grafana/schema 12.4's own types (panelcfg options
// and field config of each panel type, the panel, the dashboard): an option Grafana would silently
// ignore fails. The committed files are checked too, and so is the checker itself: it must catch
// the pre-12.4 table footer and other unknown keys.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSla } from '@floorboard/contract/sla';
import { DASHBOARDS, GRAFANA_DIR, PLUGIN_DASHBOARD_DIR } from '../provisioning/src/generate';
import { schemaProblems } from '../provisioning/src/schema-check';
import type { dashboard } from '../provisioning/src/sdk';

const ROOT = join(__dirname, '..');
const SLA = loadSla(join(ROOT, 'sla.yaml'));

type Json = Record<string, unknown> & {
  panels?: Json[];
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: Array<{ properties: Array<{ id: string; value: unknown }> }> };
};

const committed = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file: `${dir}/${file}`, dashboard: JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as dashboard.Dashboard }));

/** The Queues dashboard with `edit` applied to its first panel of `type`. */
function queuesWith(type: string, edit: (panel: Json) => void): { file: string; dashboard: dashboard.Dashboard } {
  const d = JSON.parse(JSON.stringify(DASHBOARDS.find((x) => x.file === 'queues.json')!.build(SLA))) as Json;
  edit(d.panels!.find((p) => p.type === type)!);
  return { file: 'queues.json', dashboard: d as unknown as dashboard.Dashboard };
}

describe("dashboards against Grafana 12.4's schema", () => {
  it('every generated dashboard, and the committed copies, pass', () => {
    const generated = DASHBOARDS.map((d) => ({ file: d.file, dashboard: d.build(SLA) }));
    expect(schemaProblems([...generated, ...committed(`${GRAFANA_DIR}/dashboards`), ...committed(PLUGIN_DASHBOARD_DIR)])).toEqual([]);
  }, 30_000);

  it('catches the pre-12.4 table footer, an unknown option, field config key or override, and an unknown panel type', () => {
    const problems = schemaProblems([
      queuesWith('table', (p) => (p.options!.footer = { show: true, reducer: ['sum'] })),
      queuesWith('stat', (p) => (p.options!.colourMode = 'value')),
      queuesWith('timeseries', (p) => (p.fieldConfig!.defaults.units = 's')),
      queuesWith('table', (p) => p.fieldConfig!.overrides[0]!.properties.push({ id: 'custom.cellColour', value: 'red' })),
      queuesWith('bargauge', (p) => (p.type = 'gauge2')),
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^queues\.json panel \d+ "Queues side by side" \(table\) options: .*'"footer"' does not exist/);
    expect(problems[1]).toMatch(/\(stat\) options: .*'"colourMode"' does not exist/);
    expect(problems[2]).toMatch(/\(timeseries\) fieldConfig\.defaults: .*'"units"' does not exist/);
    expect(problems[3]).toMatch(/\(table\) override 0 custom\.cellColour: .*'"cellColour"' does not exist/);
    expect(problems[4]).toMatch(/\(gauge2\): no @grafana\/schema types known/);
  }, 30_000);

  it('accepts the 12.4 way of a table footer, in the field config', () => {
    const footer = queuesWith(
      'table',
      (p) => (p.fieldConfig!.defaults.custom = { ...(p.fieldConfig!.defaults.custom as object), footer: { reducers: ['sum'] } }),
    );
    expect(schemaProblems([footer])).toEqual([]);
  }, 30_000);
});
