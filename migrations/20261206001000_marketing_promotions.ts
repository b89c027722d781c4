import type { Knex } from 'knex';

/**
 * Promotions and what campaigns bring (marketing):
 * - `coupon_templates.combines_with`: the promotion kinds a coupon combines with (`["full_reduction","timed_discount"]`),
 *   in place of the yes/no `combines_with_promotions`; `used` goes: it is counted from the coupons, never a hot counter
 *   every order with a coupon of the template would have to lock;
 * - `promotions`: 满减/满折 (`full_reduction`: tiers over a scope) and 限时折扣 (`timed_discount`: the items in
 *   `promotion_items`), each over a period, stoppable early;
 * - `promotion_items`: a 限时折扣's price or percent off per product (sku_id null: every SKU) or SKU, with the period
 *   copied from its promotion so that "is this product in another running 限时折扣" is one indexed query;
 * - `campaign_orders`: one row per order and campaign that gave it a discount (the coupon's template, a promotion),
 *   with the discount and the order's total; `state` follows the order (placed → paid → closed when it is cancelled
 *   or refunded in full). A campaign's figures are sums over its rows.
 * - `coupons (tenant_id, order_id)`: an order's coupon is found to give it back when the order closes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('coupon_templates', (t) => {
    t.json('combines_with').nullable();
  });
  await knex('coupon_templates').update({
    combines_with: knex.raw(
      `CASE WHEN combines_with_promotions THEN '["full_reduction","timed_discount"]' ELSE '[]' END`,
    ),
  });
  await knex.schema.alterTable('coupon_templates', (t) => {
    t.dropColumn('combines_with_promotions');
    t.dropColumn('used');
  });
  await knex.schema.alterTable('coupons', (t) => {
    t.index(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'template_id', 'state']);
  });

  await knex.schema.createTable('promotions', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('kind', ['full_reduction', 'timed_discount']).notNullable();
    t.string('name', 40).notNullable();
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    t.enu('status', ['running', 'stopped']).notNullable().defaultTo('running');
    /** full_reduction: what a tier's threshold counts, and the tiers [{ threshold, amountOffFen, discountPercent }]. */
    t.enu('basis', ['amount', 'quantity']).nullable();
    t.json('tiers').nullable();
    t.enu('scope', ['shop', 'categories', 'products']).notNullable().defaultTo('shop');
    t.json('scope_ids').notNullable();
    t.json('excluded_product_ids').notNullable();
    /** timed_discount: the tag shown by the price. */
    t.string('tag', 16).notNullable().defaultTo('');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'kind', 'status', 'ends_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('promotion_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('promotion_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().nullable();
    t.bigInteger('price_fen').nullable();
    t.tinyint('discount_percent').unsigned().nullable();
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    t.boolean('stopped').notNullable().defaultTo(false);
    t.index(['tenant_id', 'promotion_id']);
    t.index(['tenant_id', 'product_id', 'ends_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('campaign_orders', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.enu('kind', ['coupon', 'full_reduction', 'timed_discount']).notNullable();
    /** The coupon template, or the promotion. */
    t.bigInteger('campaign_id').unsigned().notNullable();
    t.bigInteger('discount_fen').notNullable();
    t.bigInteger('order_total_fen').notNullable();
    t.enu('state', ['placed', 'paid', 'closed']).notNullable().defaultTo('placed');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'order_id', 'kind', 'campaign_id']);
    t.index(['tenant_id', 'kind', 'campaign_id', 'state']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaign_orders');
  await knex.schema.dropTable('promotion_items');
  await knex.schema.dropTable('promotions');
  await knex.schema.alterTable('coupons', (t) => {
    t.dropIndex(['tenant_id', 'template_id', 'state']);
    t.dropIndex(['tenant_id', 'order_id']);
  });
  await knex.schema.alterTable('coupon_templates', (t) => {
    t.boolean('combines_with_promotions').notNullable().defaultTo(false);
    t.integer('used').unsigned().notNullable().defaultTo(0);
  });
  await knex('coupon_templates').update({
    combines_with_promotions: knex.raw(`JSON_LENGTH(combines_with) > 0`),
  });
  await knex.schema.alterTable('coupon_templates', (t) => {
    t.dropColumn('combines_with');
  });
}
