import type { Knex } from 'knex';

/**
 * Analytics (数据): the shop's events and their roll-ups.
 * - `analytics_events`: what happened, when (`occurred_at`), to whom: a shop's page and product views and cart adds
 *   (sent in batches by the shop, the visitor a device id), and the services' order placed / paid / refunded, with a
 *   row per paid line (`item_paid`). `(event_id, line)` is unique per shop, so a batch sent twice counts once;
 * - `analytics_dirty`: the hours that events landed in since they were last rolled up (append-only: a busy hour never
 *   makes writers queue on one row); the roll-up recomputes each such hour and its day from the raw events;
 * - `analytics_state`: one row per shop, locked by each roll-up (so two never interleave), with when it last ran and
 *   the last month whose monthly product figures are built;
 * - `analytics_hourly`, `analytics_daily`: the figures of each hour and day (China time), sums and people;
 * - `analytics_day_sketches`: the day's HyperLogLog of each kind of people (visitors, product viewers, cart adders,
 *   buyers, payers), as Redis writes it, so that the people of any range are the merge of its days;
 * - `analytics_product_daily`, `analytics_product_monthly`: each product's views, cart adds and paid units and amount
 *   by day, and by month for months that are over (what a long range reads).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_events', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('event_id', 40).notNullable();
    t.smallint('line').unsigned().notNullable().defaultTo(0);
    t.enu('kind', [
      'page_view',
      'product_view',
      'add_to_cart',
      'order_placed',
      'order_paid',
      'item_paid',
      'order_refunded',
    ]).notNullable();
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    /** A device id for the shop's events; `s<id>` (a shopper) for the services'. */
    t.string('visitor', 64).notNullable();
    t.string('session_id', 40).nullable();
    t.string('page', 64).nullable();
    t.bigInteger('product_id').unsigned().nullable();
    t.bigInteger('order_id').unsigned().nullable();
    t.integer('quantity').nullable();
    t.bigInteger('amount_fen').nullable();
    t.datetime('received_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'event_id', 'line'], { indexName: 'analytics_events_event' });
    // With kind and visitor, counting a range's people reads the index alone.
    t.index(['tenant_id', 'occurred_at', 'kind', 'visitor'], 'analytics_events_time');
    t.index(['tenant_id', 'visitor', 'occurred_at'], 'analytics_events_visitor');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('analytics_dirty', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    /** The hour's start (UTC). */
    t.datetime('hour').notNullable();
    t.index(['tenant_id', 'id'], 'analytics_dirty_tenant');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('analytics_state', (t) => {
    t.bigInteger('tenant_id').unsigned().primary();
    t.datetime('rolled_up_at', { precision: 3 }).nullable();
    /** The first day of the last month whose `analytics_product_monthly` rows are built (null: none yet). */
    t.date('months_built_through').nullable();
    t.foreign('tenant_id').references('tenants.id');
  });

  const figures = (t: Knex.CreateTableBuilder) => {
    t.integer('page_views').unsigned().notNullable().defaultTo(0);
    t.integer('product_views').unsigned().notNullable().defaultTo(0);
    t.integer('cart_adds').unsigned().notNullable().defaultTo(0);
    t.integer('visitors').unsigned().notNullable().defaultTo(0);
    t.integer('orders_placed').unsigned().notNullable().defaultTo(0);
    t.bigInteger('placed_fen').notNullable().defaultTo(0);
    t.integer('orders_paid').unsigned().notNullable().defaultTo(0);
    t.integer('payers').unsigned().notNullable().defaultTo(0);
    t.bigInteger('gmv_fen').notNullable().defaultTo(0);
    t.integer('refunds').unsigned().notNullable().defaultTo(0);
    t.integer('refunded_orders').unsigned().notNullable().defaultTo(0);
    t.bigInteger('refund_fen').notNullable().defaultTo(0);
  };

  await knex.schema.createTable('analytics_hourly', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    /** The hour's start (UTC; China time has no daylight saving, so every hour is in one China day). */
    t.datetime('hour').notNullable();
    figures(t);
    t.primary(['tenant_id', 'hour']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('analytics_daily', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    /** The China-time day. */
    t.date('day').notNullable();
    figures(t);
    t.integer('product_viewers').unsigned().notNullable().defaultTo(0);
    t.integer('cart_adders').unsigned().notNullable().defaultTo(0);
    t.integer('buyers').unsigned().notNullable().defaultTo(0);
    t.primary(['tenant_id', 'day']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('analytics_day_sketches', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.date('day').notNullable();
    t.enu('people', ['visitors', 'product_viewers', 'cart_adders', 'buyers', 'payers']).notNullable();
    /** Redis's HyperLogLog string (sparse or dense, at most 12 KiB). */
    t.binary('sketch', 16_384).notNullable();
    t.primary(['tenant_id', 'day', 'people']);
    t.foreign('tenant_id').references('tenants.id');
  });

  const products = (t: Knex.CreateTableBuilder) => {
    t.bigInteger('product_id').unsigned().notNullable();
    t.integer('views').unsigned().notNullable().defaultTo(0);
    t.integer('cart_adds').unsigned().notNullable().defaultTo(0);
    t.integer('paid_units').unsigned().notNullable().defaultTo(0);
    t.bigInteger('paid_fen').notNullable().defaultTo(0);
  };
  await knex.schema.createTable('analytics_product_daily', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.date('day').notNullable();
    products(t);
    t.primary(['tenant_id', 'day', 'product_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('analytics_product_monthly', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    /** The month's first day. */
    t.date('month').notNullable();
    products(t);
    t.primary(['tenant_id', 'month', 'product_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'analytics_product_monthly',
    'analytics_product_daily',
    'analytics_day_sketches',
    'analytics_daily',
    'analytics_hourly',
    'analytics_state',
    'analytics_dirty',
    'analytics_events',
  ])
    await knex.schema.dropTableIfExists(table);
}
