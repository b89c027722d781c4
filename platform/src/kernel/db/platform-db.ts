import type { Knex } from 'knex';
import { isPlatformTable } from './tables';

/**
 * The one accessor for platform-level tables (tenants, staff, sessions, audit). Greppable on purpose:
 * every cross-tenant read goes through here, and tenant-owned tables are refused.
 */
export function platformTable(knex: Knex | Knex.Transaction, table: string, alias?: string): Knex.QueryBuilder {
  if (!isPlatformTable(table)) throw new Error(`${table} is tenant-owned; use the tenant scope`);
  return knex(alias ? `${table} as ${alias}` : table);
}
