import type { Knex } from 'knex';

/**
 * A product's own rules, set in the product editor:
 * - `on_sale_at` / `off_sale_at`: when it goes on sale or off sale by itself (定时上下架); the schedule job applies and
 *   clears them each minute;
 * - `limit_per_order` / `limit_per_shopper`: how many units one order, and one shopper over all their orders not
 *   cancelled, may buy (限购); null: no limit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.datetime('on_sale_at', { precision: 3 }).nullable();
    t.datetime('off_sale_at', { precision: 3 }).nullable();
    t.integer('limit_per_order').unsigned().nullable();
    t.integer('limit_per_shopper').unsigned().nullable();
    t.index(['tenant_id', 'on_sale_at'], 'products_tenant_on_sale_at');
    t.index(['tenant_id', 'off_sale_at'], 'products_tenant_off_sale_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.dropIndex(['tenant_id', 'on_sale_at'], 'products_tenant_on_sale_at');
    t.dropIndex(['tenant_id', 'off_sale_at'], 'products_tenant_off_sale_at');
    t.dropColumn('on_sale_at');
    t.dropColumn('off_sale_at');
    t.dropColumn('limit_per_order');
    t.dropColumn('limit_per_shopper');
  });
}
