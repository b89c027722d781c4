import type { Knex } from 'knex';

/**
 * 秒杀 (marketing) and an order's campaign (orders):
 * - `flash_sessions`: a session's period, the payment window of its orders, whether it was stopped early, and when the
 *   stock left over went back to the SKUs (`stock_returned_at`: the end, or the stop);
 * - `flash_items`: a SKU of a session at its flash price, with the stock set aside from the SKU at set-up and `sold`,
 *   the units in orders not closed unpaid: `sold <= stock` is kept by a guarded update, the authority the Redis gate
 *   in front of it answers for; `returned_at` once the units left went back to the SKU;
 * - `flash_buyers`: each shopper's units of an item (in orders not closed unpaid), under the per-shopper limit, kept
 *   the same way;
 * - `flash_orders`: each order placed in a session, with the reservation that let it through the Redis gate (unique:
 *   a reservation makes one order) and its state (placed → paid, or released when it closed unpaid; closed when a
 *   paid one was refunded in full or cancelled);
 * - `orders.activity_kind`, `orders.activity_id`: the campaign an order was placed in (a flash item), which owns its
 *   stock: the order's goods go back to the campaign, not to the SKU, while it runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('flash_sessions', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 40).notNullable();
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    t.smallint('payment_window_minutes').unsigned().notNullable();
    t.enu('status', ['scheduled', 'stopped']).notNullable().defaultTo('scheduled');
    t.datetime('stock_returned_at', { precision: 3 }).nullable();
    /** Distinct visitors, kept when the session's live count (Redis) is retired at its end. */
    t.integer('visitors').unsigned().notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'ends_at'], 'flash_sessions_tenant_ends');
    t.index(['tenant_id', 'stock_returned_at', 'ends_at'], 'flash_sessions_returned_ends');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('flash_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('session_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.bigInteger('flash_price_fen').notNullable();
    t.integer('stock').unsigned().notNullable();
    t.integer('sold').unsigned().notNullable().defaultTo(0);
    t.tinyint('per_shopper_limit').unsigned().notNullable();
    /** The session's period, copied so that "is this SKU in another session then" is one indexed query. */
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    /** When the units left went back to the SKU: no order takes from it after. */
    t.datetime('returned_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'session_id', 'sku_id'], { indexName: 'flash_items_session_sku' });
    t.index(['tenant_id', 'sku_id', 'ends_at'], 'flash_items_sku_ends');
    t.index(['tenant_id', 'product_id', 'ends_at'], 'flash_items_product_ends');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('flash_buyers', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('item_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.tinyint('units').unsigned().notNullable().defaultTo(0);
    t.primary(['tenant_id', 'item_id', 'shopper_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('flash_orders', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('session_id').unsigned().notNullable();
    t.bigInteger('item_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.tinyint('quantity').unsigned().notNullable();
    t.bigInteger('total_fen').notNullable();
    t.string('reservation', 32).notNullable();
    t.enu('state', ['placed', 'paid', 'released', 'closed']).notNullable().defaultTo('placed');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'order_id'], { indexName: 'flash_orders_order' });
    t.unique(['tenant_id', 'item_id', 'reservation'], { indexName: 'flash_orders_reservation' });
    t.index(['tenant_id', 'session_id', 'state'], 'flash_orders_session_state');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.alterTable('orders', (t) => {
    t.enu('activity_kind', ['flash_sale']).nullable();
    t.bigInteger('activity_id').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('activity_id');
    t.dropColumn('activity_kind');
  });
  await knex.schema.dropTable('flash_orders');
  await knex.schema.dropTable('flash_buyers');
  await knex.schema.dropTable('flash_items');
  await knex.schema.dropTable('flash_sessions');
}
