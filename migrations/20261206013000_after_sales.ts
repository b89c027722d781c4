import type { Knex } from 'knex';

/**
 * After-sales (its own module): a case per request on units of one line of an order — 仅退款, 退货退款 or 换货 — with
 * its states and every step in a history; the shop's return addresses; and its timers' settings.
 * - `after_sales_cases.status` moves only by a guarded UPDATE on the state it leaves, so two steps at once (approved
 *   twice, refunded and shipped) end in one outcome;
 * - the units of a line asked for are counted from its open cases with the order's row locked, so two requests at once
 *   never ask for more than the line has left;
 * - `deadline_at` is when the current step's timer acts (indexed for the sweeper).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('after_sales_cases', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('case_no', 32).notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.string('order_no', 32).notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.string('title', 120).notNullable();
    t.json('spec_values').notNullable();
    t.string('image_url', 500).nullable();
    t.integer('quantity').unsigned().notNullable();
    t.enu('kind', ['refund_only', 'return_refund', 'exchange']).notNullable();
    t.enu('status', [
      'requested',
      'approved',
      'returned',
      'received',
      'reshipped',
      'refunded',
      'completed',
      'refused',
      'receipt_refused',
      'cancelled',
      'closed',
    ]).notNullable();
    t.string('reason', 32).notNullable();
    t.string('description', 500).notNullable().defaultTo('');
    t.json('photo_ids').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.json('return_address').nullable();
    t.string('return_carrier', 16).nullable();
    t.string('return_tracking_no', 40).nullable();
    t.datetime('returned_at', { precision: 3 }).nullable();
    t.string('reship_carrier', 16).nullable();
    t.string('reship_tracking_no', 40).nullable();
    t.datetime('reshipped_at', { precision: 3 }).nullable();
    t.bigInteger('refund_id').unsigned().nullable();
    t.datetime('deadline_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'case_no']);
    t.index(['tenant_id', 'status', 'id']);
    t.index(['tenant_id', 'shopper_id', 'id']);
    t.index(['tenant_id', 'order_id', 'sku_id', 'status']);
    t.index(['tenant_id', 'deadline_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('after_sales_events', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('case_id').unsigned().notNullable();
    t.string('type', 32).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).notNullable();
    t.string('actor_type', 16).notNullable();
    t.bigInteger('actor_id').unsigned().nullable();
    t.string('note', 500).notNullable().defaultTo('');
    t.json('photo_ids').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'case_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('return_addresses', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 30).notNullable();
    t.string('phone', 20).notNullable();
    t.string('region_code', 6).notNullable();
    t.string('province', 20).notNullable();
    t.string('city', 20).notNullable();
    t.string('district', 20).notNullable();
    t.string('detail', 120).notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'is_default']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('return_addresses');
  await knex.schema.dropTable('after_sales_events');
  await knex.schema.dropTable('after_sales_cases');
}
