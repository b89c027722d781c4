import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('addresses', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.string('name', 30).notNullable();
    t.string('phone', 20).notNullable();
    t.specificType('region_code', 'CHAR(6)').notNullable();
    t.string('province', 20).notNullable();
    t.string('city', 20).notNullable();
    t.string('district', 20).notNullable();
    t.string('detail', 120).notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'shopper_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('cart_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.integer('quantity').unsigned().notNullable();
    t.boolean('selected').notNullable().defaultTo(true);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'shopper_id', 'sku_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cart_items');
  await knex.schema.dropTable('addresses');
}
