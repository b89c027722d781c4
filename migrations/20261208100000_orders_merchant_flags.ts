import type { Knex } from 'knex';

/**
 * The merchant's coloured flag on an order (orders): `orders.merchant_flag`, one of red, yellow, green, blue, purple, or
 * null; the list filters by it, newest first, through (tenant_id, merchant_flag, id). An ADD COLUMN with no default
 * (instant on InnoDB) and one index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.enu('merchant_flag', ['red', 'yellow', 'green', 'blue', 'purple']).nullable();
    t.index(['tenant_id', 'merchant_flag', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['tenant_id', 'merchant_flag', 'id']);
    t.dropColumn('merchant_flag');
  });
}
