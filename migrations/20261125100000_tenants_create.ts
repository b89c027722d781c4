import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('slug', 32).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('description', 500).nullable();
    t.string('logo_key', 255).nullable();
    t.string('theme_color', 7).notNullable().defaultTo('#e4393c');
    t.enu('status', ['pending_review', 'active', 'suspended']).notNullable().defaultTo('pending_review');
    t.string('mp_appid', 32).nullable().unique();
    t.text('mp_secret_enc').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['status', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenants');
}
