import type { Knex } from 'knex';

/**
 * Customer service (客服, the `support` module):
 * - `support_conversations`: one per shopper per shop (`channel` shop), or per WeChat user for the messages WeChat's
 *   own contact button brings (`channel` wechat, `wechat_openid`); `last_seq` is the seq of its latest message, taken
 *   with the row locked, so seqs are 1, 2, 3… with no gap and no repeat; its agent, and unread counts both ways;
 * - `support_messages`: stored before they are acknowledged, `(conversation_id, seq)` unique, and
 *   `(conversation_id, sender, client_msg_id)` unique so a client's retry stores nothing new;
 * - `support_agents`: merchant staff's availability and open load (least busy first), locked when a conversation is
 *   handed out so two at once are spread;
 * - `support_quick_replies`: the shop's canned answers.
 * Search in history is a scan of the shop's messages (`LIKE`, newest first, paged): MariaDB has no ngram parser for
 * a Chinese full-text index, and a shop's chat history stays small enough for it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('support_conversations', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('channel', ['shop', 'wechat']).notNullable();
    t.bigInteger('shopper_id').unsigned().nullable();
    t.string('wechat_openid', 64).nullable();
    t.enu('status', ['queued', 'open', 'closed']).notNullable();
    t.bigInteger('agent_id').unsigned().nullable();
    t.bigInteger('last_seq').unsigned().notNullable().defaultTo(0);
    t.enu('last_sender', ['shopper', 'agent', 'system']).nullable();
    t.string('last_kind', 16).nullable();
    t.string('last_preview', 120).nullable();
    t.datetime('last_message_at', { precision: 3 }).nullable();
    t.bigInteger('shopper_read_seq').unsigned().notNullable().defaultTo(0);
    t.bigInteger('agent_read_seq').unsigned().notNullable().defaultTo(0);
    t.integer('shopper_unread').unsigned().notNullable().defaultTo(0);
    t.integer('agent_unread').unsigned().notNullable().defaultTo(0);
    t.json('started_with').nullable();
    t.datetime('wechat_last_inbound_at', { precision: 3 }).nullable();
    t.datetime('queued_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'channel', 'shopper_id'], { indexName: 'support_conv_shopper_unique' });
    t.unique(['tenant_id', 'wechat_openid'], { indexName: 'support_conv_openid_unique' });
    t.index(['tenant_id', 'status', 'last_message_at'], 'support_conv_status_idx');
    t.index(['tenant_id', 'agent_id', 'status', 'last_message_at'], 'support_conv_agent_idx');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('support_messages', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('conversation_id').unsigned().notNullable();
    t.bigInteger('seq').unsigned().notNullable();
    t.enu('sender', ['shopper', 'agent', 'system']).notNullable();
    t.bigInteger('sender_id').unsigned().nullable();
    t.enu('kind', ['text', 'image', 'product', 'order', 'after_sales']).notNullable();
    t.text('text').nullable();
    t.bigInteger('image_id').unsigned().nullable();
    t.json('card').nullable();
    t.string('client_msg_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'conversation_id', 'seq'], { indexName: 'support_msg_seq_unique' });
    t.unique(['tenant_id', 'conversation_id', 'sender', 'client_msg_id'], { indexName: 'support_msg_client_unique' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('support_agents', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('user_id').unsigned().notNullable();
    t.enu('status', ['online', 'away', 'offline']).notNullable().defaultTo('offline');
    t.integer('open_count').unsigned().notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['tenant_id', 'user_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('support_quick_replies', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('text', 300).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('support_quick_replies');
  await knex.schema.dropTableIfExists('support_agents');
  await knex.schema.dropTableIfExists('support_messages');
  await knex.schema.dropTableIfExists('support_conversations');
}
