import type { Knex } from 'knex';

/**
 * A shop's after-sales timers (after-sales), in days: a refund-only request left unanswered is approved; an approved
 * return not shipped back closes; returned goods not confirmed are refunded; a completed order takes requests this long.
 * No row: the defaults (contracts' AFTER_SALES_TIMER_DEFAULTS).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('after_sales_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.smallint('auto_approve_days').unsigned().notNullable();
    t.smallint('return_ship_days').unsigned().notNullable();
    t.smallint('receive_confirm_days').unsigned().notNullable();
    t.smallint('after_completion_days').unsigned().notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('after_sales_settings');
}
