import type { Knex } from 'knex';

/**
 * An import that stops (its worker killed, its job given up) says why with a stable code, and a
 * retry goes on from its checkpoint: every product whose first row is at or before `checkpoint_row`
 * was written in the same transaction that moved the checkpoint. `runs` names each run's job.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('catalog_imports', (t) => {
    t.integer('checkpoint_row').notNullable().defaultTo(0);
    t.integer('runs').notNullable().defaultTo(1);
    t.string('failure_code', 40).nullable();
    t.json('failure_params').nullable();
    t.datetime('updated_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('catalog_imports', (t) => {
    for (const c of ['checkpoint_row', 'runs', 'failure_code', 'failure_params', 'updated_at']) t.dropColumn(c);
  });
}
