import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * What a module imports at run time: every import and re-export but those erased whole (`import type`,
 * `export type`). `import { type X }` counts: under verbatimModuleSyntax it stays as a bare import.
 */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** Every module `entry` loads, each with the packages it imports. */
function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const packages: string[] = [];
    graph.set(file, packages);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(join(dirname(file), `${specifier}.ts`));
      else packages.push(specifier);
    }
  };
  visit(entry);
  return graph;
}

describe('@shopfleet/contracts/constants', () => {
  const graph = moduleGraph(join(__dirname, 'constants.ts'));

  it('imports no package (no zod): the console and the shop bundle it without the schemas', () => {
    const offending = [...graph].flatMap(([file, packages]) =>
      packages.map((p) => `${file.slice(__dirname.length + 1)} imports ${p}`),
    );
    expect(offending).toEqual([]);
  });

  it('follows its re-exports into the modules that declare the constants', () => {
    const files = [...graph.keys()].map((file) => file.slice(__dirname.length + 1));
    expect(files).toEqual(
      expect.arrayContaining([
        'constants.ts',
        'errors.ts',
        'catalog.constants.ts',
        'orders.constants.ts',
        'wechat-text.ts',
      ]),
    );
  });

  it('finds an import of zod in a module that has one (the check can fail)', () => {
    expect(moduleGraph(join(__dirname, 'api.ts')).get(join(__dirname, 'api.ts'))).toContain('zod');
  });
});
