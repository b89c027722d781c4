import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platform_users', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('password_hash', 255).notNullable();
    t.enu('role', ['admin', 'reviewer']).notNullable();
    t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
    t.datetime('last_login_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable('merchant_users', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('email', 254).notNullable().unique();
    t.string('phone', 20).nullable();
    t.string('name', 100).notNullable();
    t.string('password_hash', 255).notNullable();
    t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
    t.datetime('last_login_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  // Tenant-owned: a person's role in one shop.
  await knex.schema.createTable('merchant_memberships', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('merchant_user_id').unsigned().notNullable();
    t.enu('role', ['owner', 'staff']).notNullable();
    t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'merchant_user_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  // Platform-level directory of a person's shops, so sign-in needs no cross-tenant query.
  await knex.schema.createTable('merchant_user_shops', (t) => {
    t.bigInteger('merchant_user_id').unsigned().notNullable();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.primary(['merchant_user_id', 'tenant_id']);
    t.foreign('merchant_user_id').references('merchant_users.id');
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.specificType('token_hash', 'CHAR(64)').notNullable().unique();
    t.specificType('family_id', 'CHAR(36)').notNullable().index();
    t.enu('audience', ['platform', 'merchant', 'shopper']).notNullable();
    t.bigInteger('subject_id').unsigned().notNullable();
    t.bigInteger('tenant_id').unsigned().nullable();
    t.datetime('expires_at', { precision: 3 }).notNullable().index();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.datetime('replaced_at', { precision: 3 }).nullable();
    t.string('user_agent', 255).nullable();
    t.string('ip', 45).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['audience', 'subject_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refresh_tokens');
  await knex.schema.dropTable('merchant_user_shops');
  await knex.schema.dropTable('merchant_memberships');
  await knex.schema.dropTable('merchant_users');
  await knex.schema.dropTable('platform_users');
}
