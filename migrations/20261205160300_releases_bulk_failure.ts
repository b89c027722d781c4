import type { Knex } from 'knex';

/**
 * A bulk release whose dispatcher job gave up ends as failed (status is a string column) and says why
 * with a stable code; `paused_from` keeps the phase a retry goes back to.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bulk_releases', (t) => {
    t.string('failure_code', 40).nullable();
    t.json('failure_params').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bulk_releases', (t) => {
    for (const c of ['failure_code', 'failure_params']) t.dropColumn(c);
  });
}
