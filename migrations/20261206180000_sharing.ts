import type { Knex } from 'knex';

/**
 * 分享 (sharing):
 * - `share_codes`: a shopper's share of a page (a product for now): a short random base62 code, unique in its shop and
 *   compared case-sensitively (ascii_bin: `aB3` and `Ab3` are two codes), standing for the page, its target and the
 *   sharer (none for the shop's own code). One sharer's share of one target is one row: concurrent creates meet on
 *   `share_codes_target`, whose `sharer_key` is the sharer or 0 (a NULL would not collide). A code of a shopper merged
 *   into another (one person's two shoppers) passes to the survivor; where the survivor has its own share of the same
 *   target, the merged one's is `retired`: it still resolves (posters are out there) but is no longer the share of it
 *   (a NULL key, so it collides with nothing);
 * - `share_images`: what was generated for a code and kept in object storage, by a key of everything it shows: the
 *   mini-program code or QR code of a code, and each poster (a new price or picture is a new key, so a new poster).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('share_codes', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.specificType('code', 'varchar(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL');
    t.enu('page', ['product']).notNullable();
    t.bigInteger('target_id').unsigned().notNullable();
    t.bigInteger('sharer_id').unsigned().nullable();
    t.boolean('retired').notNullable().defaultTo(false);
    t.specificType(
      'sharer_key',
      'bigint unsigned AS (CASE WHEN retired THEN NULL ELSE IFNULL(sharer_id, 0) END) STORED',
    );
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'code'], { indexName: 'share_codes_code' });
    t.unique(['tenant_id', 'page', 'target_id', 'sharer_key'], { indexName: 'share_codes_target' });
    t.index(['tenant_id', 'sharer_id'], 'share_codes_sharer');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('share_images', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('share_code_id').unsigned().notNullable();
    t.enu('kind', ['code', 'poster']).notNullable();
    t.enu('channel', ['mp-weixin', 'h5']).notNullable();
    t.specificType('cache_key', 'char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL');
    t.string('object_key', 255).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'cache_key'], { indexName: 'share_images_key' });
    t.index(['tenant_id', 'share_code_id'], 'share_images_code');
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('share_images');
  await knex.schema.dropTableIfExists('share_codes');
}
