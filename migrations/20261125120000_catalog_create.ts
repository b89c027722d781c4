import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_images', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.specificType('hash', 'CHAR(64)').nullable();
    /** Our stored sizes live under this key prefix; an imported image may instead keep its source URL. */
    t.string('key_prefix', 255).nullable();
    t.string('external_url', 500).nullable();
    t.integer('width').unsigned().notNullable().defaultTo(0);
    t.integer('height').unsigned().notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'hash']);
    t.index(['tenant_id', 'external_url'], 'catalog_images_tenant_external_idx');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('categories', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('parent_id').unsigned().nullable();
    t.string('name', 40).notNullable();
    t.tinyint('level').unsigned().notNullable();
    t.integer('sort').notNullable().defaultTo(0);
    t.bigInteger('icon_image_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'parent_id', 'sort']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('spu_code', 64).nullable();
    t.string('title', 120).notNullable();
    t.string('subtitle', 200).notNullable().defaultTo('');
    t.string('brand', 60).notNullable().defaultTo('');
    t.json('tags').notNullable();
    t.text('description_html', 'mediumtext').notNullable();
    t.bigInteger('category_id').unsigned().notNullable();
    // The category path, so a listing by any level is one indexed condition.
    t.bigInteger('c1_id').unsigned().nullable();
    t.bigInteger('c2_id').unsigned().nullable();
    t.bigInteger('c3_id').unsigned().nullable();
    t.json('image_ids').notNullable();
    t.json('attributes').notNullable();
    t.json('specs').notNullable();
    t.enu('status', ['draft', 'on_sale', 'off_sale']).notNullable().defaultTo('draft');
    /** On sale and not deleted: what shoppers see. */
    t.boolean('visible').notNullable().defaultTo(false);
    t.bigInteger('min_price_fen').notNullable();
    t.bigInteger('max_price_fen').notNullable();
    t.bigInteger('original_price_fen').nullable();
    t.integer('total_stock').notNullable().defaultTo(0);
    t.integer('sales_count').notNullable().defaultTo(0);
    t.integer('sort_weight').notNullable().defaultTo(0);
    t.datetime('published_at', { precision: 3 }).nullable();
    t.datetime('deleted_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'spu_code']);
    t.index(['tenant_id', 'deleted_at', 'id']);
    t.index(['tenant_id', 'visible', 'c1_id', 'id']);
    t.index(['tenant_id', 'visible', 'c2_id', 'id']);
    t.index(['tenant_id', 'visible', 'c3_id', 'id']);
    t.index(['tenant_id', 'visible', 'sales_count', 'id']);
    t.index(['tenant_id', 'visible', 'min_price_fen', 'id']);
    t.index(['tenant_id', 'visible', 'published_at', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('skus', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    /** The spec values joined, to match a SKU across edits. */
    t.string('spec_key', 120).notNullable();
    t.json('spec_values').notNullable();
    t.string('code', 64).nullable();
    t.bigInteger('price_fen').notNullable();
    t.bigInteger('original_price_fen').nullable();
    t.integer('stock').notNullable().defaultTo(0);
    t.bigInteger('image_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'product_id', 'spec_key']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('product_facets', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 20).notNullable();
    t.string('value', 30).notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.primary(['tenant_id', 'name', 'value', 'product_id']);
    t.index(['tenant_id', 'product_id']);
  });

  await knex.schema.createTable('product_search_terms', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('term', 32).notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.primary(['tenant_id', 'term', 'product_id']);
    t.index(['tenant_id', 'product_id']);
  });

  await knex.schema.createTable('catalog_home', (t) => {
    t.bigInteger('tenant_id').unsigned().primary();
    t.json('layout').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('catalog_imports', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('format', ['csv', 'xlsx']).notNullable();
    t.string('file_name', 200).notNullable();
    t.string('storage_key', 255).notNullable();
    t.enu('status', ['queued', 'running', 'done', 'failed']).notNullable().defaultTo('queued');
    t.integer('total_rows').notNullable().defaultTo(0);
    t.integer('processed_rows').notNullable().defaultTo(0);
    t.integer('created_products').notNullable().defaultTo(0);
    t.integer('updated_products').notNullable().defaultTo(0);
    t.integer('rejected_rows').notNullable().defaultTo(0);
    t.json('errors').nullable();
    t.string('failure_reason', 500).nullable();
    t.bigInteger('created_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('finished_at', { precision: 3 }).nullable();
    t.index(['tenant_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'catalog_imports',
    'catalog_home',
    'product_search_terms',
    'product_facets',
    'skus',
    'products',
    'categories',
    'catalog_images',
  ]) {
    await knex.schema.dropTable(table);
  }
}
