import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().nullable();
    t.string('actor_type', 16).notNullable();
    t.bigInteger('actor_id').unsigned().nullable();
    t.string('action', 64).notNullable();
    t.string('target_type', 32).nullable();
    t.string('target_id', 64).nullable();
    t.json('data').nullable();
    t.string('request_id', 64).nullable();
    t.string('ip', 45).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
