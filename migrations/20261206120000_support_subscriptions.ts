import type { Knex } from 'knex';

/**
 * Subscribe messages (订阅消息) for customer service:
 * - `support_settings`: a shop's own subscribe-message template for replies (added to its mini-program from WeChat's
 *   public library the first time a shopper is asked);
 * - `support_subscriptions`: per shopper, how many replies the shop may still tell them of through WeChat (each
 *   acceptance of `wx.requestSubscribeMessage` grants one; a sent message spends one with a guarded decrement).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('support_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.string('reply_template_id', 64).nullable();
    t.string('reply_template_appid', 32).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('support_subscriptions', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.integer('credits').unsigned().notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'shopper_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('support_subscriptions');
  await knex.schema.dropTableIfExists('support_settings');
}
