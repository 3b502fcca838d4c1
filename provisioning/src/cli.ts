// `npm run provision [-- --check] [--sla FILE] [--out DIR]`: regenerate dashboards, data sources and
// alerting files from sla.yaml, or (--check) exit 1 listing the files that drifted. Either way the
// dashboards are first type-checked against Grafana 12.4's schema (schema-check.ts).
import { resolve } from 'node:path';
import { loadSla, SlaError } from '@floorboard/contract/sla';
import { DASHBOARDS, drift, generate, writeFiles } from './generate';
import { schemaProblems } from './schema-check';

const REPO = resolve(__dirname, '..', '..');
/** Where the user ran the command: npm runs workspace scripts in provisioning/ but keeps INIT_CWD. */
const CWD = process.env.INIT_CWD ?? process.cwd();

function parseArgs(argv: string[]): { check: boolean; sla: string; out: string } {
  const args = {
    check: false,
    sla: process.env.FLOORBOARD_SLA ? resolve(CWD, process.env.FLOORBOARD_SLA) : resolve(REPO, 'sla.yaml'),
    out: REPO,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return resolve(CWD, v);
    };
    if (a === '--check') args.check = true;
    else if (a === '--sla') args.sla = value();
    else if (a === '--out') args.out = value();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run provision [-- --check] [--sla sla.yaml] [--out repo-root]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const sla = loadSla(args.sla);
  const files = generate(sla);
  // A dashboard option Grafana 12.4's schema does not know would be silently ignored: stop here.
  const problems = schemaProblems(DASHBOARDS.map((d) => ({ file: d.file, dashboard: d.build(sla) })));
  if (problems.length > 0) {
    process.stderr.write(`provision: dashboards do not match Grafana 12.4's schema (@grafana/schema):\n`);
    for (const p of problems) process.stderr.write(`  ${p}\n`);
    return 1;
  }
  if (args.check) {
    const problems = drift(args.out, files);
    if (problems.length === 0) {
      process.stdout.write(`provisioning is up to date (${files.length} files)\n`);
      return 0;
    }
    process.stderr.write(`provisioning drifted from sla.yaml and provisioning/src; run \`npm run provision\`:\n`);
    for (const p of problems) process.stderr.write(`  ${p.path}: ${p.problem}\n`);
    return 1;
  }
  writeFiles(args.out, files);
  process.stdout.write(`wrote ${files.length} files from ${args.sla}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`provision: ${err instanceof SlaError || err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
