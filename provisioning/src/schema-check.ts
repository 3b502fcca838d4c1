// Type-checks generated dashboards against @grafana/schema 12.4's own generated types: each panel's
// `options` and field config against its `panelcfg` (stat, timeseries, table, barchart, bargauge,
// piechart), override properties against the field config they set, and the panel and dashboard
// around them. Grafana silently ignores an option its schema does not know (the 12.4 table reads
// its footer from `custom.footer`, not `options.footer`), so an unknown key is an error here; a
// missing one is not (Grafana fills in the panel plugin's defaults).
//
// How: the dashboards become object literals in a TypeScript source checked with `satisfies`
// against those types (excess-property checks included) by the TypeScript compiler, in memory.
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { dashboard } from './sdk';

/** Panel types the dashboards use, and the module of @grafana/schema holding each one's types. */
const PANEL_SCHEMAS: Record<string, { module: string; fieldConfig: boolean }> = {
  stat: { module: 'stat/panelcfg/x/StatPanelCfg_types.gen', fieldConfig: false },
  timeseries: { module: 'timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen', fieldConfig: true },
  table: { module: 'table/panelcfg/x/TablePanelCfg_types.gen', fieldConfig: true },
  barchart: { module: 'barchart/panelcfg/x/BarChartPanelCfg_types.gen', fieldConfig: true },
  bargauge: { module: 'bargauge/panelcfg/x/BarGaugePanelCfg_types.gen', fieldConfig: false },
  piechart: { module: 'piechart/panelcfg/x/PieChartPanelCfg_types.gen', fieldConfig: true },
};

/** Where the in-memory source pretends to live, so `@grafana/schema` resolves from node_modules. */
const SOURCE = join(dirname(__dirname), '.schema-check.ts');

const PRELUDE = `import type * as schema from '@grafana/schema';
${Object.entries(PANEL_SCHEMAS)
  .map(([type, s]) => `import type * as ${type} from '@grafana/schema/dist/esm/raw/composable/${s.module}';`)
  .join('\n')}

// JSON holds enum values as plain strings: accept an enum's values (and nothing else) for it.
type Json<T> = T extends string
  ? \`\${T}\`
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;
type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
type FieldDefaults = Json<Omit<schema.FieldConfig, 'custom'>>;
export {};
`;

/** One `satisfies` check and what it is about, for the error message. */
interface Check {
  what: string;
  value: unknown;
  type: string;
}

type Json = Record<string, unknown>;

const omit = (o: Json, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** `custom.a.b` = v as `{ a: { b: v } }`. */
function nested(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function panelChecks(where: string, panel: Json): Check[] {
  const type = String(panel.type);
  const at = `${where} panel ${String(panel.id)} "${String(panel.title ?? '')}" (${type})`;
  if (type === 'row') return [{ what: at, value: panel, type: 'Json<schema.RowPanel>' }];
  const s = PANEL_SCHEMAS[type];
  if (!s) return [{ what: `${at}: no @grafana/schema types known for this panel type`, value: 0, type: 'never' }];
  const fieldConfig = (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as {
    defaults: Json;
    overrides: Array<{ matcher: unknown; properties: Array<{ id: string; value?: unknown }> }>;
  };
  const custom = s.fieldConfig ? `DeepPartial<Json<${type}.FieldConfig>>` : 'Record<string, never>';
  const checks: Check[] = [
    { what: at, value: omit(panel, ['options', 'fieldConfig']), type: "Json<Omit<schema.Panel, 'options' | 'fieldConfig'>>" },
    { what: `${at} options`, value: panel.options ?? {}, type: `DeepPartial<Json<${type}.Options>>` },
    { what: `${at} fieldConfig.defaults`, value: omit(fieldConfig.defaults, ['custom']), type: 'FieldDefaults' },
    { what: `${at} fieldConfig.defaults.custom`, value: fieldConfig.defaults.custom ?? {}, type: custom },
  ];
  fieldConfig.overrides.forEach((o, i) => {
    for (const p of o.properties) {
      const [head, ...rest] = p.id.split('.');
      checks.push(
        head === 'custom'
          ? { what: `${at} override ${i} ${p.id}`, value: nested(rest, p.value), type: custom }
          : { what: `${at} override ${i} ${p.id}`, value: nested([head!, ...rest], p.value), type: 'Partial<FieldDefaults>' },
      );
    }
  });
  return checks;
}

function dashboardChecks(file: string, d: dashboard.Dashboard): Check[] {
  const json = d as unknown as Json;
  const panels = (json.panels ?? []) as Json[];
  const annotations = ((json.annotations as { list?: Json[] } | undefined)?.list ?? []) as Json[];
  const variables = ((json.templating as { list?: Json[] } | undefined)?.list ?? []) as Json[];
  return [
    {
      what: `${file} dashboard`,
      value: omit(json, ['panels', 'annotations', 'templating']),
      type: "Json<Omit<schema.Dashboard, 'panels' | 'annotations' | 'templating'>>",
    },
    // `definition` (a query variable's text in the variables list) is outside the schema's
    // VariableModel but Grafana reads it (dashboard-scene transformSaveModelToScene.ts).
    ...variables.map((v) => ({
      what: `${file} variable ${String(v.name)}`,
      value: v,
      type: 'Json<schema.VariableModel> & { definition?: string }',
    })),
    // An annotation's `target` is the data source's own query (the plugin's type checks it).
    ...annotations.map((a, i) => ({
      what: `${file} annotation ${i}`,
      value: omit(a, ['target']),
      type: "Json<Omit<schema.AnnotationQuery, 'target'>>",
    })),
    ...panels.flatMap((p) => [p, ...((p.panels as Json[] | undefined) ?? [])]).flatMap((p) => panelChecks(file, p)),
  ];
}

/**
 * Problems Grafana 12.4's schema finds in the dashboards, one line each ("queues.json panel 2
 * "Queues side by side" (table) options: Object literal may only specify known properties, and
 * 'footer' does not exist in type ..."); empty when every dashboard passes.
 */
export function schemaProblems(dashboards: ReadonlyArray<{ file: string; dashboard: dashboard.Dashboard }>): string[] {
  const checks = dashboards.flatMap((d) => dashboardChecks(d.file, d.dashboard));
  let source = PRELUDE;
  const lines: Array<{ from: number; check: Check }> = [];
  checks.forEach((check, i) => {
    lines.push({ from: source.split('\n').length, check });
    source += `export const c${i} = ${JSON.stringify(check.value, null, 1)} satisfies ${check.type};\n`;
  });

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) =>
    name === SOURCE ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === SOURCE || fileExists(name);
  const program = ts.createProgram([SOURCE], options, host);
  const file = program.getSourceFile(SOURCE)!;

  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ');
    if (diagnostic.file !== file || diagnostic.start === undefined) return `schema check: ${message}`;
    const line = file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    const check = [...lines].reverse().find((l) => l.from <= line)?.check;
    return `${check?.what ?? 'schema check'}: ${message}`;
  });
}
