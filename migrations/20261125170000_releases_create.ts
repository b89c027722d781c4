import type { Knex } from 'knex';

/**
 * Build once, customize many: a template version is the shared template built once (its output stored
 * under its content hash); a tenant package is that output customized for one shop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('template_versions', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('version', 32).notNullable().unique();
    t.specificType('content_hash', 'CHAR(64)').notNullable();
    t.enu('status', ['building', 'ready', 'failed']).notNullable();
    t.string('object_key', 255).nullable();
    t.text('log').nullable();
    t.integer('build_ms').unsigned().nullable();
    t.string('description', 200).notNullable().defaultTo('');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('built_at', { precision: 3 }).nullable();
    t.index(['content_hash', 'status']);
  });
  await knex.schema.createTable('tenant_packages', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('template_version_id').unsigned().notNullable();
    t.specificType('settings_hash', 'CHAR(64)').notNullable();
    t.string('object_key', 255).notNullable();
    t.integer('size_bytes').unsigned().notNullable();
    t.integer('build_ms').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'template_version_id', 'settings_hash'], {
      indexName: 'tenant_packages_version_settings_unique',
    });
    t.index(['tenant_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenant_packages');
  await knex.schema.dropTable('template_versions');
}
