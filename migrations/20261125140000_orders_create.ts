import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('order_no', 32).notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.enu('status', ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled']).notNullable();
    t.bigInteger('items_total_fen').notNullable();
    t.bigInteger('shipping_fen').notNullable();
    t.bigInteger('total_fen').notNullable();
    t.json('address').notNullable();
    t.string('remark', 200).notNullable().defaultTo('');
    t.string('idempotency_key', 64).notNullable();
    t.datetime('payment_deadline', { precision: 3 }).notNullable();
    t.string('cancel_reason', 200).nullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'order_no']);
    t.unique(['tenant_id', 'shopper_id', 'idempotency_key']);
    t.index(['tenant_id', 'shopper_id', 'status', 'id']);
    t.index(['tenant_id', 'status', 'payment_deadline']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('order_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.string('title', 120).notNullable();
    t.json('spec_values').notNullable();
    t.string('image_url', 500).nullable();
    t.bigInteger('unit_price_fen').notNullable();
    t.integer('quantity').unsigned().notNullable();
    t.bigInteger('subtotal_fen').notNullable();
    t.index(['tenant_id', 'order_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('order_events', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.string('type', 32).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    t.string('actor_type', 16).notNullable();
    t.bigInteger('actor_id').unsigned().nullable();
    t.string('note', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'order_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('order_events');
  await knex.schema.dropTable('order_items');
  await knex.schema.dropTable('orders');
}
