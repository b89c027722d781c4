import type { Knex } from 'knex';

/**
 * A shop's mini-program as authorized to our WeChat third-party platform: its AppID and the
 * authorizer refresh token (sealed) from which its access tokens are renewed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wechat_authorizations', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.string('authorizer_appid', 32).notNullable();
    t.text('refresh_token').notNullable();
    t.json('func_info').notNullable();
    t.datetime('authorized_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('wechat_authorizations');
}
