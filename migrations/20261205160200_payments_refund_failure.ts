import type { Knex } from 'knex';

/**
 * A refund that failed says why with a stable code and params (the provider refused it, or its job
 * gave up), so the merchant reads the reason in their language and can retry it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refunds', (t) => {
    t.string('failure_code', 40).nullable();
    t.json('failure_params').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refunds', (t) => {
    for (const c of ['failure_code', 'failure_params']) t.dropColumn(c);
  });
}
