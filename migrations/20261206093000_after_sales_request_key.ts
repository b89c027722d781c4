import type { Knex } from 'knex';

/**
 * A shopper's after-sales request may carry an Idempotency-Key: a retried request (a double tap, a lost answer) finds
 * the case the first one opened instead of opening a second one on the same units. Unique per shopper.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('after_sales_cases', (t) => {
    t.string('request_key', 64).nullable();
    t.unique(['tenant_id', 'shopper_id', 'request_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('after_sales_cases', (t) => {
    t.dropUnique(['tenant_id', 'shopper_id', 'request_key']);
    t.dropColumn('request_key');
  });
}
