import fs from 'node:fs';
import path from 'node:path';
import { TABLE_OWNERS, type OwnedTable } from './owners';

const ROOT = path.resolve(__dirname, '../../../..');
const TABLES = Object.keys(TABLE_OWNERS) as OwnedTable[];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Who a source file speaks for: its module, or the kernel and the wiring around the modules. */
function ownerOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return /^platform\/src\/modules\/([^/]+)\//.exec(rel)?.[1] ?? (rel.startsWith('workers/') ? 'workers' : 'kernel');
}

const name = TABLES.join('|');
/**
 * A table touched in code: named as the first argument of a query builder (`scope.table('orders')`,
 * `knex('skus as s')`, `.join('products as p', …)`, `insert('refunds', …)`, `platformTable('tenants')`…),
 * or after FROM / JOIN / INTO / UPDATE in SQL text.
 */
const TOUCH = [
  new RegExp(
    String.raw`\b(?:table|knex|trx|insert|upsert|platformTable|join|leftJoin|innerJoin|rightJoin|from|into|joinScoped|builder)\(\s*(?:[^'"\`()]{1,40},\s*)?['"\`](${name})(?: as \w+)?['"\`]`,
    'g',
  ),
  new RegExp(String.raw`\b(?:from|join|into|update)\s+\`?(${name})\b\`?`, 'gi'),
];

/** Every (file, table) where code outside the table's owner touches it. */
function crossings(): string[] {
  const files = [...filesUnder(path.join(ROOT, 'platform/src')), ...filesUnder(path.join(ROOT, 'workers/src'))];
  const found = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const owner = ownerOf(file);
    for (const re of TOUCH) {
      for (const m of text.matchAll(re)) {
        const table = m[1]!.toLowerCase() as OwnedTable;
        if (TABLE_OWNERS[table] !== owner)
          found.add(`${path.relative(ROOT, file).split(path.sep).join('/')} → ${table}`);
      }
    }
  }
  return [...found].sort();
}

describe('one owner per table', () => {
  it('every table the migrations create has an owner, and every owner names a table that exists', () => {
    const dir = path.join(ROOT, 'migrations');
    const created = new Set(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) =>
          [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/createTable\('(\w+)'/g)].map((m) => m[1]!),
        ),
    );
    const declared = TABLES.filter((t) => !t.startsWith('knex_'));
    expect([...created].filter((t) => !(t in TABLE_OWNERS)).sort()).toEqual([]);
    expect(declared.filter((t) => !created.has(t)).sort()).toEqual([]);
  });

  it('no code outside a table’s owner touches it', () => {
    expect(crossings()).toEqual([]);
  });

  it('docs/architecture.md shows each module with the tables it owns, as declared here', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const shown = new Map<string, string[]>();
    for (const m of doc.matchAll(/^\s*\| `([\w-]+)` \| ((?:`\w+`(?:, )?)+) \|$/gm)) {
      shown.set(m[1]!, [...m[2]!.matchAll(/`(\w+)`/g)].map((t) => t[1]!).sort());
    }
    const declared = new Map<string, string[]>();
    for (const t of TABLES) declared.set(TABLE_OWNERS[t], [...(declared.get(TABLE_OWNERS[t]) ?? []), t].sort());
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(declared));
  });

  it('sees a crossing when there is one (the scanner is not blind)', () => {
    const sample =
      "await scope.table('skus', 's').join('products as p', (j) => j); await trx.raw('update orders set x = 1')";
    const seen = TOUCH.flatMap((re) => [...sample.matchAll(re)].map((m) => m[1]!.toLowerCase())).sort();
    expect(seen).toEqual(['orders', 'products', 'skus']);
  });
});
