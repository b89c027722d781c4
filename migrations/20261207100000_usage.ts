import type { Knex } from 'knex';

/**
 * Usage metering (用量):
 * - `usage_daily`: each shop's usage of a China-time day (the metrics are defined in the usage module's README):
 *   orders placed and WeChat audits submitted that day, and products, stored bytes and staff at the day's last
 *   snapshot (`measured_at`), written by the hourly snapshot; API requests that day, added as the counts kept in Redis
 *   are flushed. A platform table: staff list one day across every shop (the `(day, tenant_id)` index);
 * - `usage_objects`: the files each shop keeps in object storage and their sizes, recorded as they are stored, so that
 *   a shop's stored bytes are a sum over its rows and no bucket is ever listed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_daily', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.date('day').notNullable();
    t.integer('orders').unsigned().notNullable().defaultTo(0);
    t.integer('products').unsigned().notNullable().defaultTo(0);
    t.bigInteger('storage_bytes').unsigned().notNullable().defaultTo(0);
    t.integer('staff').unsigned().notNullable().defaultTo(0);
    t.integer('wechat_audits').unsigned().notNullable().defaultTo(0);
    t.bigInteger('api_requests').unsigned().notNullable().defaultTo(0);
    /** When the day's snapshot last ran; null while only API requests were flushed into the row. */
    t.datetime('measured_at', { precision: 3 }).nullable();
    t.primary(['tenant_id', 'day']);
    t.index(['day', 'tenant_id'], 'usage_daily_day');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('usage_objects', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('visibility', ['private', 'public']).notNullable();
    t.string('object_key', 255).notNullable();
    t.bigInteger('bytes').unsigned().notNullable();
    t.datetime('stored_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    // No foreign key: a file may be stored by work whose transaction has not committed its shop yet, and the meter
    // writes outside that transaction (it would wait on the shop's row).
    t.primary(['tenant_id', 'visibility', 'object_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_objects');
  await knex.schema.dropTable('usage_daily');
}
