import type { Knex } from 'knex';
import { isPlatformTable } from './tables';

type Row = Record<string, unknown>;

/**
 * The tenant-scoped data layer: every read, update and delete it builds carries the tenant condition,
 * and every insert is stamped with the tenant. Repositories of tenant-owned tables use only this.
 */
export class TenantScope {
  constructor(
    private readonly knex: Knex | Knex.Transaction,
    readonly tenantId: number,
  ) {
    if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`invalid tenant id ${tenantId}`);
  }

  /** A query on a tenant-owned table, already limited to this tenant. `alias` names the table in joins. */
  table(table: string, alias?: string): Knex.QueryBuilder {
    assertTenantTable(table);
    const ref = alias ?? table;
    const builder = this.knex(alias ? `${table} as ${alias}` : table).where(`${ref}.tenant_id`, this.tenantId);
    const stamp = this.stamp.bind(this);
    const insert = builder.insert.bind(builder) as (rows: Row | Row[]) => Knex.QueryBuilder;
    // A where() does not reach an INSERT, so inserts through this builder are stamped too.
    (builder as unknown as { insert: (rows: Row | Row[]) => Knex.QueryBuilder }).insert = (rows) => insert(stamp(rows));
    return builder;
  }

  /** Inserts rows stamped with this tenant; returns the first insert id. */
  async insert(table: string, rows: Row | Row[]): Promise<number> {
    assertTenantTable(table);
    const [id] = await this.knex(table).insert(this.stamp(rows));
    return Number(id);
  }

  /**
   * Inserts rows stamped with this tenant, or updates the rows they collide with: the `merge` columns to
   * the inserted values, or each column of a `merge` object to its value (an expression may keep it).
   */
  async upsert(table: string, rows: Row | Row[], merge: string[] | Row): Promise<void> {
    assertTenantTable(table);
    await this.knex(table).insert(this.stamp(rows)).onConflict().merge(merge);
  }

  /** Joins another tenant-owned table on the same tenant: no query ever spans two tenants. */
  joinScoped(builder: Knex.QueryBuilder, table: string, alias: string, left: string, right: string): Knex.QueryBuilder {
    assertTenantTable(table);
    return builder.join(`${table} as ${alias}`, (j) => {
      j.on(left, '=', right).andOn(`${alias}.tenant_id`, '=', this.knex.raw('?', [this.tenantId]));
    });
  }

  /** Runs `fn` in a transaction whose scope is this same tenant. */
  async transaction<T>(fn: (scope: TenantScope) => Promise<T>): Promise<T> {
    if (isTransaction(this.knex)) return fn(this);
    return (this.knex as Knex).transaction((trx) => fn(new TenantScope(trx, this.tenantId)));
  }

  private stamp(rows: Row | Row[]): Row | Row[] {
    const one = (row: Row): Row => {
      if ('tenant_id' in row && row.tenant_id !== this.tenantId)
        throw new Error('refusing to insert a row of another tenant');
      return { ...row, tenant_id: this.tenantId };
    };
    return Array.isArray(rows) ? rows.map(one) : one(rows);
  }
}

function isTransaction(k: Knex | Knex.Transaction): k is Knex.Transaction {
  return typeof (k as Knex.Transaction).commit === 'function' && (k as Knex.Transaction).isTransaction === true;
}

function assertTenantTable(table: string): void {
  if (isPlatformTable(table))
    throw new Error(`${table} is a platform table; use a platform accessor, not the tenant scope`);
}
