import type { Knex } from 'knex';

/**
 * Product videos (主图视频): each uploaded MP4 stored once in the public bucket (`object_key`), its size, and the
 * product that shows it as the first slide of its gallery (`products.video_id`, null: none).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_videos', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('object_key', 200).notNullable();
    t.bigInteger('bytes').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.alterTable('products', (t) => {
    t.bigInteger('video_id').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => t.dropColumn('video_id'));
  await knex.schema.dropTable('catalog_videos');
}
