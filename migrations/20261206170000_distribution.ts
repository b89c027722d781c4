import type { Knex } from 'knex';

/**
 * Distribution (分销), on two levels at most:
 * - `distribution_settings`: a shop's rules (one JSON document);
 * - `distributors`: a shopper's application and, once approved, their money: `frozen_fen` (commission of orders still
 *   in their after-sales window), `available_fen`, `withdrawing_fen` (asked for, not yet paid), `withdrawn_fen` (paid,
 *   ever), `debt_fen` (taken back after it was withdrawn). Every change locks this row first; none goes below 0;
 * - `distribution_bindings`: whom a shopper is bound to (one row per shopper), since when, protected until when; and
 *   `distribution_binding_log`, every decision on an arrival (bound, moved, kept, refused and why), for disputes;
 * - `commission_rules`: a product's own rates;
 * - `distribution_orders`: what was paid for an attributed order and refunded of it, for the take-back on refunds;
 * - `commissions`: one row per order and level — `level` is 1 or 2 (a CHECK, and unique per order): a third level
 *   cannot be stored;
 * - `commission_ledger`: every change, by part: per distributor each part's sum is its balance;
 * - `withdrawals`: asked for, paid by WeChat Pay's transfer (`bill_no` is its idempotent out_bill_no) or by hand.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('distribution_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().primary();
    t.json('settings').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('distributors', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.enu('status', ['pending', 'approved', 'rejected', 'disabled']).notNullable();
    t.string('reject_reason', 200).nullable();
    t.bigInteger('frozen_fen').unsigned().notNullable().defaultTo(0);
    t.bigInteger('available_fen').unsigned().notNullable().defaultTo(0);
    t.bigInteger('withdrawing_fen').unsigned().notNullable().defaultTo(0);
    t.bigInteger('withdrawn_fen').unsigned().notNullable().defaultTo(0);
    t.bigInteger('debt_fen').unsigned().notNullable().defaultTo(0);
    t.datetime('applied_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.primary(['tenant_id', 'shopper_id']);
    t.index(['tenant_id', 'status', 'shopper_id'], 'distributors_status');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('distribution_bindings', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('distributor_id').unsigned().notNullable();
    t.datetime('bound_at', { precision: 3 }).notNullable();
    t.datetime('protect_until', { precision: 3 }).nullable();
    t.primary(['tenant_id', 'shopper_id']);
    t.index(['tenant_id', 'distributor_id', 'bound_at'], 'bindings_distributor');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('distribution_binding_log', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('sharer_id').unsigned().notNullable();
    t.bigInteger('previous_id').unsigned().nullable();
    t.enu('decision', ['bound', 'moved', 'kept', 'same', 'self', 'loop', 'not_distributor', 'off']).notNullable();
    t.string('code', 16).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'shopper_id', 'id'], 'binding_log_shopper');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('commission_rules', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.smallint('level1_bp').unsigned().notNullable();
    t.smallint('level2_bp').unsigned().notNullable();
    t.primary(['tenant_id', 'product_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('distribution_orders', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('buyer_id').unsigned().notNullable();
    t.bigInteger('paid_fen').notNullable();
    t.bigInteger('refunded_fen').notNullable().defaultTo(0);
    t.enu('state', ['frozen', 'released', 'closed']).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'state', 'order_id'], 'distribution_orders_state');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('commissions', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('distributor_id').unsigned().notNullable();
    t.bigInteger('buyer_id').unsigned().notNullable();
    t.tinyint('level').unsigned().notNullable();
    t.bigInteger('base_fen').notNullable();
    t.bigInteger('amount_fen').unsigned().notNullable();
    t.bigInteger('taken_back_fen').unsigned().notNullable().defaultTo(0);
    t.enu('state', ['frozen', 'released', 'cancelled']).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('released_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'order_id', 'level'], { indexName: 'commissions_order_level' });
    t.index(['tenant_id', 'distributor_id', 'id'], 'commissions_distributor');
    t.index(['tenant_id', 'state', 'id'], 'commissions_state');
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.raw('alter table commissions add constraint commissions_two_levels check (level in (1, 2))');

  await knex.schema.createTable('commission_ledger', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('distributor_id').unsigned().notNullable();
    t.enu('kind', [
      'earned',
      'released',
      'taken_back',
      'withdraw_requested',
      'withdraw_returned',
      'withdraw_paid',
      'debt_settled',
    ]).notNullable();
    t.bigInteger('available_fen').notNullable().defaultTo(0);
    t.bigInteger('frozen_fen').notNullable().defaultTo(0);
    t.bigInteger('withdrawing_fen').notNullable().defaultTo(0);
    t.bigInteger('debt_fen').notNullable().defaultTo(0);
    t.bigInteger('order_id').unsigned().nullable();
    t.bigInteger('withdrawal_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'distributor_id', 'id'], 'commission_ledger_distributor');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('withdrawals', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('bill_no', 32).notNullable();
    t.bigInteger('distributor_id').unsigned().notNullable();
    t.bigInteger('amount_fen').unsigned().notNullable();
    t.enu('status', ['requested', 'paying', 'paid', 'rejected', 'failed']).notNullable();
    t.enu('method', ['wechat', 'manual']).nullable();
    t.string('transfer_bill_no', 64).nullable();
    t.text('package_info').nullable();
    t.string('reason', 200).nullable();
    t.datetime('requested_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'bill_no'], { indexName: 'withdrawals_bill_no' });
    t.index(['tenant_id', 'status', 'id'], 'withdrawals_status');
    t.index(['tenant_id', 'distributor_id', 'id'], 'withdrawals_distributor');
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'withdrawals',
    'commission_ledger',
    'commissions',
    'distribution_orders',
    'commission_rules',
    'distribution_binding_log',
    'distribution_bindings',
    'distributors',
    'distribution_settings',
  ])
    await knex.schema.dropTableIfExists(table);
}
