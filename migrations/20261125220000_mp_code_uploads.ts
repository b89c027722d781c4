import type { Knex } from 'knex';

/**
 * The direct path for a shop that keeps its mini-program to itself (does not authorize the platform):
 * its code-upload key, and the uploads made with it by miniprogram-ci. The key is encrypted with the
 * platform's data key (`private_key_enc`); `fingerprint` (SHA-256 of the public half) lets the merchant
 * tell keys apart without it ever being shown. An upload is `in_flight` (1) until it ends (NULL), so the
 * unique (tenant_id, in_flight) index allows one at a time per shop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mp_upload_keys', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.string('appid', 32).notNullable();
    t.text('private_key_enc').notNullable();
    t.string('fingerprint', 64).notNullable();
    t.bigInteger('updated_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('mp_code_uploads', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('template_version_id').unsigned().notNullable();
    t.tinyint('in_flight').unsigned().nullable();
    t.string('status', 16).notNullable();
    t.string('appid', 32).notNullable();
    t.string('version', 64).notNullable();
    t.string('description', 200).notNullable();
    t.tinyint('robot').unsigned().notNullable();
    t.string('wechat_version', 32).nullable();
    t.integer('attempts').unsigned().notNullable().defaultTo(0);
    t.string('error_code', 32).nullable();
    t.string('error_message', 500).nullable();
    t.bigInteger('requested_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('uploaded_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'in_flight'], { indexName: 'mp_code_uploads_one_in_flight' });
    t.index(['tenant_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mp_code_uploads');
  await knex.schema.dropTable('mp_upload_keys');
}
