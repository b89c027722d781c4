import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A shopper belongs to one tenant: an openid is only meaningful for the mini-program appid that issued it.
  await knex.schema.createTable('shoppers', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('openid', 64).nullable();
    t.string('unionid', 64).nullable();
    t.string('phone', 20).nullable();
    t.string('nickname', 64).nullable();
    t.string('avatar_url', 500).nullable();
    t.enu('status', ['active', 'blocked']).notNullable().defaultTo('active');
    t.datetime('last_login_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'openid']);
    t.unique(['tenant_id', 'phone']);
    t.index(['tenant_id', 'unionid']);
    t.index(['tenant_id', 'created_at']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shoppers');
}
