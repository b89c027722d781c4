import type { Knex } from 'knex';

/**
 * 拼团 (marketing) and an order waiting for its group (orders):
 * - `group_campaigns`: a product's campaign: the group's size, how long a group has to fill, the per-shopper limit,
 *   virtual fill, the leader's discount; `group_campaign_items` each SKU's group price;
 * - `group_buy_groups`: a group, `pending` until its leader pays, then `forming` until `expires_at`; `seats` counts the
 *   seats taken (paid, or held by an order waiting for payment), `paid` the paid ones: `seats <= size` is kept by a
 *   guarded update, so the last seat goes to one shopper;
 * - `group_buy_members`: who holds a seat, with the order (a virtual member has neither); `seat_key` (group:shopper)
 *   while the seat is live makes a shopper's second seat in one group a duplicate; `reservation` names the order;
 * - `group_buy_buyers`: each shopper's units in a campaign, under its limit (a guarded update);
 * - `orders.waiting_for_group`: a paid 拼团 order ships only once its group has formed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('group_campaigns', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 40).notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    t.enu('status', ['running', 'stopped']).notNullable().defaultTo('running');
    t.tinyint('group_size').unsigned().notNullable();
    t.integer('duration_minutes').unsigned().notNullable();
    t.tinyint('per_shopper_limit').unsigned().notNullable();
    t.boolean('virtual_fill').notNullable().defaultTo(false);
    t.bigInteger('leader_discount_fen').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'product_id', 'ends_at'], 'group_campaigns_product_ends');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('group_campaign_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('campaign_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.bigInteger('group_price_fen').notNullable();
    t.unique(['tenant_id', 'campaign_id', 'sku_id'], { indexName: 'group_items_campaign_sku' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('group_buy_groups', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('campaign_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('leader_shopper_id').unsigned().notNullable();
    t.tinyint('size').unsigned().notNullable();
    t.tinyint('seats').unsigned().notNullable().defaultTo(0);
    t.tinyint('paid').unsigned().notNullable().defaultTo(0);
    t.tinyint('virtual_members').unsigned().notNullable().defaultTo(0);
    t.enu('status', ['pending', 'forming', 'succeeded', 'failed', 'cancelled']).notNullable().defaultTo('pending');
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('closed_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'campaign_id', 'status'], 'groups_campaign_status');
    t.index(['tenant_id', 'status', 'expires_at'], 'groups_status_expires');
    t.index(['tenant_id', 'product_id', 'status'], 'groups_product_status');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('group_buy_members', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('group_id').unsigned().notNullable();
    t.bigInteger('campaign_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().nullable();
    t.bigInteger('shopper_id').unsigned().nullable();
    t.boolean('leader').notNullable().defaultTo(false);
    t.tinyint('quantity').unsigned().notNullable().defaultTo(0);
    /** The order's total, for the campaign's figures. */
    t.bigInteger('total_fen').notNullable().defaultTo(0);
    t.string('reservation', 32).nullable();
    t.string('seat_key', 48).nullable();
    t.enu('state', ['reserved', 'paid', 'released', 'refunded', 'virtual']).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'seat_key'], { indexName: 'group_members_seat' });
    t.unique(['tenant_id', 'reservation'], { indexName: 'group_members_reservation' });
    t.index(['tenant_id', 'group_id'], 'group_members_group');
    t.index(['tenant_id', 'order_id'], 'group_members_order');
    t.index(['tenant_id', 'shopper_id'], 'group_members_shopper');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('group_buy_buyers', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('campaign_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.tinyint('units').unsigned().notNullable().defaultTo(0);
    t.primary(['tenant_id', 'campaign_id', 'shopper_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.raw(`ALTER TABLE orders MODIFY activity_kind ENUM('flash_sale', 'group_buy') NULL`);
  await knex.schema.alterTable('orders', (t) => {
    t.boolean('waiting_for_group').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('waiting_for_group');
  });
  await knex.raw(`ALTER TABLE orders MODIFY activity_kind ENUM('flash_sale') NULL`);
  await knex.schema.dropTable('group_buy_buyers');
  await knex.schema.dropTable('group_buy_members');
  await knex.schema.dropTable('group_buy_groups');
  await knex.schema.dropTable('group_campaign_items');
  await knex.schema.dropTable('group_campaigns');
}
