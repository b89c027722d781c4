import type { Knex } from 'knex';

/** Every state change of an upload with the shop's own key (requested, each attempt, a retry's cause, the outcome). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mp_code_upload_events', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('upload_id').unsigned().notNullable();
    t.string('status', 16).notNullable();
    t.string('message', 500).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'upload_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mp_code_upload_events');
}
