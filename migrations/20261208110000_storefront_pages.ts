import type { Knex } from 'knex';

/**
 * The shop designer (装修):
 * - `storefront_pages`: each page of a shop — its home page (key `home`) and custom pages (活动页) — with the draft the
 *   merchant edits and the version shoppers see (`published_version`, null before the first publish);
 * - `storefront_page_versions`: every published version, immutable; a roll back publishes an earlier one's content
 *   again as a new version (`restored_from` names it), so the list reads as what shoppers saw, in order;
 * - `storefront_tab_bars`: the shop's tab bar (colours, items and icons), one row per shop once edited.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('storefront_pages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('page_key', 32).notNullable();
    t.enu('kind', ['home', 'custom']).notNullable();
    t.string('title', 60).notNullable();
    t.json('draft').notNullable();
    t.datetime('draft_updated_at', { precision: 3 }).notNullable();
    t.integer('published_version').unsigned().nullable();
    t.datetime('published_at', { precision: 3 }).nullable();
    /** Whether the draft differs from the published version (set on save, cleared on publish). */
    t.boolean('changed').notNullable().defaultTo(true);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'page_key'], { indexName: 'storefront_pages_key' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('storefront_page_versions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('page_id').unsigned().notNullable();
    t.integer('version').unsigned().notNullable();
    t.json('content').notNullable();
    t.integer('restored_from').unsigned().nullable();
    t.bigInteger('published_by').unsigned().nullable();
    t.datetime('published_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'page_id', 'version'], { indexName: 'storefront_page_versions_version' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('storefront_tab_bars', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.json('tab_bar').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('storefront_tab_bars');
  await knex.schema.dropTable('storefront_page_versions');
  await knex.schema.dropTable('storefront_pages');
}
