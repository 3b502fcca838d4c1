// No deprecated @grafana/ui component in the plugin: every name plugin/src imports from @grafana/ui
// is looked up in @grafana/ui 12.4's own type declarations, where Grafana marks a component it is
// retiring with `@deprecated` (Select and MultiSelect: "Use Combobox component instead").
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const PLUGIN = join(__dirname, '..', 'plugin');

let program: ts.Program;
let checker: ts.TypeChecker;

/** Whether a symbol (followed through re-exports) is marked `@deprecated` where it is declared. */
function isDeprecated(symbol: ts.Symbol): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return target.getJsDocTags(checker).some((tag) => tag.name === 'deprecated');
}

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PLUGIN, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const sources = config.fileNames.filter((f) => f.startsWith(join(PLUGIN, 'src')) && !/\.test\.tsx?$/.test(f));
  program = ts.createProgram(sources, { ...config.options, noEmit: true });
  checker = program.getTypeChecker();
}, 60_000);

describe('@grafana/ui in the plugin', () => {
  it('imports no component Grafana 12.4 marks deprecated', () => {
    const used: string[] = [];
    const deprecated: string[] = [];
    for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(join(PLUGIN, 'src')))) {
      for (const statement of file.statements) {
        if (!ts.isImportDeclaration(statement) || (statement.moduleSpecifier as ts.StringLiteral).text !== '@grafana/ui') continue;
        const names = statement.importClause?.namedBindings;
        if (!names || !ts.isNamedImports(names)) continue;
        for (const element of names.elements) {
          const symbol = checker.getSymbolAtLocation(element.name);
          used.push(element.name.text);
          if (symbol && isDeprecated(symbol)) deprecated.push(`${file.fileName.slice(PLUGIN.length + 1)}: ${element.name.text}`);
        }
      }
    }
    expect(used).toEqual(expect.arrayContaining(['Combobox', 'MultiCombobox']));
    expect(deprecated).toEqual([]);
  });

  it('would notice one: Select and MultiSelect are deprecated in @grafana/ui 12.4', () => {
    const ui = checker.getSymbolAtLocation(
      program
        .getSourceFiles()
        .flatMap((f) => f.statements)
        .filter(ts.isImportDeclaration)
        .find((s) => (s.moduleSpecifier as ts.StringLiteral).text === '@grafana/ui')!.moduleSpecifier,
    )!;
    const exports = checker.getExportsOfModule(ui);
    for (const name of ['Select', 'MultiSelect']) expect(isDeprecated(exports.find((s) => s.name === name)!), name).toBe(true);
    expect(isDeprecated(exports.find((s) => s.name === 'Combobox')!)).toBe(false);
  });
});
