import type { Knex } from 'knex';

/**
 * A template build whose job gave up says why with a stable code; `runs` names each build's job, so a
 * retried build is a new job beside the failed one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    t.integer('runs').notNullable().defaultTo(1);
    t.string('failure_code', 40).nullable();
    t.json('failure_params').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    for (const c of ['runs', 'failure_code', 'failure_params']) t.dropColumn(c);
  });
}
