import type { Knex } from 'knex';

/**
 * Members (会员): levels, points, sign-in, favourites and browsing history.
 * - `member_settings`: a shop's points, sign-in and growth rules (one JSON document per shop);
 * - `member_levels`: a shop's levels by growth threshold (unique), each with its member price;
 * - `members`: one row per shopper with a balance: growth and level, points `available` / `frozen` / `debt` (never
 *   negative: a refund that finds the points spent records a debt), paid orders and spend, the sign-in streak. Every
 *   points change locks this row first;
 * - `points_lots`: each batch of points (an order's, a sign-in's, an adjustment's), with what is left of it, frozen or
 *   not, and when it expires: spending takes the batches that expire first;
 * - `points_ledger`: every change, by part (available, frozen, debt): per shopper, each part's sum is the balance;
 * - `member_orders`: what an order did to its shopper's membership (points used and earned, growth, what was refunded),
 *   so that a refund takes back its share and a close returns what was spent, once;
 * - `sign_ins`: one row per shopper and day (China time): the primary key makes a second sign-in a duplicate;
 * - `favourites`, `browse_history`: one row per shopper and product.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('member_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().primary();
    t.json('settings').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('member_levels', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 20).notNullable();
    t.integer('growth_threshold').unsigned().notNullable();
    t.tinyint('discount_percent').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'growth_threshold'], { indexName: 'member_levels_threshold' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('members', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.integer('growth').unsigned().notNullable().defaultTo(0);
    t.bigInteger('level_id').unsigned().nullable();
    t.bigInteger('points').unsigned().notNullable().defaultTo(0);
    t.bigInteger('points_frozen').unsigned().notNullable().defaultTo(0);
    t.bigInteger('points_debt').unsigned().notNullable().defaultTo(0);
    t.integer('orders_count').unsigned().notNullable().defaultTo(0);
    t.bigInteger('spend_fen').notNullable().defaultTo(0);
    t.integer('sign_streak').unsigned().notNullable().defaultTo(0);
    t.date('last_sign_on').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'shopper_id']);
    t.index(['tenant_id', 'level_id'], 'members_level');
    t.index(['tenant_id', 'spend_fen'], 'members_spend');
    t.index(['tenant_id', 'points'], 'members_points');
    t.foreign('tenant_id').references('tenants.id');
  });
  // Every shopper is a member: the shoppers of before get their (empty) row.
  await knex.raw('insert into members (tenant_id, shopper_id) select tenant_id, id from shoppers');

  await knex.schema.createTable('points_lots', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.enu('source', ['order', 'sign_in', 'adjusted', 'returned']).notNullable();
    t.bigInteger('order_id').unsigned().nullable();
    t.bigInteger('amount').unsigned().notNullable();
    t.bigInteger('remaining').unsigned().notNullable();
    t.boolean('frozen').notNullable().defaultTo(false);
    /** Null while frozen (validity runs from the release) or when the shop's points never expire. */
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'shopper_id', 'frozen', 'expires_at'], 'points_lots_shopper');
    t.index(['tenant_id', 'order_id'], 'points_lots_order');
    t.index(['tenant_id', 'frozen', 'expires_at'], 'points_lots_expiry');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('points_ledger', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.enu('kind', [
      'order_earned',
      'order_released',
      'order_taken_back',
      'order_spent',
      'order_returned',
      'sign_in',
      'adjusted',
      'expired',
      'debt_settled',
    ]).notNullable();
    t.bigInteger('available').notNullable().defaultTo(0);
    t.bigInteger('frozen').notNullable().defaultTo(0);
    t.bigInteger('debt').notNullable().defaultTo(0);
    t.bigInteger('order_id').unsigned().nullable();
    t.string('reason', 200).nullable();
    /** The merchant user who adjusted. */
    t.bigInteger('actor_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'shopper_id', 'id'], 'points_ledger_shopper');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('member_orders', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('points_used').unsigned().notNullable().defaultTo(0);
    t.boolean('points_returned').notNullable().defaultTo(false);
    /** What was paid for the goods (shipping apart), and what of it was refunded. */
    t.bigInteger('paid_fen').notNullable().defaultTo(0);
    t.bigInteger('refunded_fen').notNullable().defaultTo(0);
    t.bigInteger('points_earned').unsigned().notNullable().defaultTo(0);
    t.bigInteger('points_taken_back').unsigned().notNullable().defaultTo(0);
    t.integer('growth').unsigned().notNullable().defaultTo(0);
    t.integer('growth_taken_back').unsigned().notNullable().defaultTo(0);
    /** `placed` (unpaid), `frozen` (paid, its points frozen), `released`, `closed`. */
    t.enu('state', ['placed', 'frozen', 'released', 'closed']).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'state', 'order_id'], 'member_orders_state');
    t.index(['tenant_id', 'shopper_id'], 'member_orders_shopper');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('sign_ins', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.date('signed_on').notNullable();
    t.integer('streak').unsigned().notNullable();
    t.integer('points').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'shopper_id', 'signed_on']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('favourites', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'shopper_id', 'product_id']);
    t.index(['tenant_id', 'shopper_id', 'created_at'], 'favourites_shopper_time');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('browse_history', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.datetime('viewed_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'shopper_id', 'product_id']);
    t.index(['tenant_id', 'shopper_id', 'viewed_at'], 'browse_history_shopper_time');
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'browse_history',
    'favourites',
    'sign_ins',
    'member_orders',
    'points_ledger',
    'points_lots',
    'members',
    'member_levels',
    'member_settings',
  ])
    await knex.schema.dropTableIfExists(table);
}
