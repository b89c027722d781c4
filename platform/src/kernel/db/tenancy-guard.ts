import type { Knex } from 'knex';
import { isPlatformTable } from './tables';

export interface TenancyViolation {
  table: string;
  problem: string;
}

/**
 * Checks the live schema against the tenancy rules: every tenant-owned table has a NOT NULL tenant_id,
 * and every index on it (but the primary key) starts with tenant_id.
 */
export async function findTenancyViolations(knex: Knex, schema: string): Promise<TenancyViolation[]> {
  const columns: Array<{ table_name: string; column_name: string; is_nullable: string }> = (
    await knex.raw(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, IS_NULLABLE AS is_nullable
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
      [schema],
    )
  )[0];
  const indexes: Array<{ table_name: string; index_name: string; seq: number; column_name: string }> = (
    await knex.raw(
      `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, SEQ_IN_INDEX AS seq, COLUMN_NAME AS column_name
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`,
      [schema],
    )
  )[0];

  const tables = new Set(columns.map((c) => c.table_name));
  const violations: TenancyViolation[] = [];
  for (const table of [...tables].sort()) {
    if (isPlatformTable(table)) continue;
    const tenantCol = columns.find((c) => c.table_name === table && c.column_name === 'tenant_id');
    if (!tenantCol) {
      violations.push({
        table,
        problem: 'tenant-owned table has no tenant_id column (or list it in PLATFORM_TABLES with a reason)',
      });
      continue;
    }
    if (tenantCol.is_nullable !== 'NO') violations.push({ table, problem: 'tenant_id must be NOT NULL' });
    for (const idx of indexes.filter((i) => i.table_name === table && Number(i.seq) === 1)) {
      if (idx.index_name === 'PRIMARY') continue;
      if (idx.column_name !== 'tenant_id') {
        violations.push({ table, problem: `index ${idx.index_name} starts with ${idx.column_name}, not tenant_id` });
      }
    }
  }
  return violations;
}
