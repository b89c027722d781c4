import type { Knex } from 'knex';

/**
 * Complaints (投诉, the after-sales module's) and the platform's arbitration of them:
 * - `complaints`: a shopper's complaint about an order or a refused case, or a WeChat Pay consumer complaint against a
 *   shop that is a sub-merchant of the platform's service-provider account (`wechat_complaint_id`, unique per shop);
 *   `open_key` holds `order:case` while the complaint is open and NULL after, so an order or a case has at most one
 *   open complaint (the unique index decides two filed at once); `status` moves by a guarded UPDATE, so a complaint
 *   decided twice at once is decided once;
 * - `complaint_statements`: what each side said, with photos (WeChat Pay's negotiation history arrives here too, once
 *   per `wechat_log_id`);
 * - `arbitration_queue` (platform): every complaint across shops with its state and when it was filed, for the
 *   platform's queue (oldest open first), written with the complaint it mirrors;
 * - `wechatpay_sub_merchants` (platform, payments): which shop a sub-merchant number belongs to, for WeChat Pay's
 *   notifications to the service provider, written with the shop's payment settings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('complaints', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('complaint_no', 32).notNullable();
    t.enu('source', ['shop', 'wechatpay']).notNullable();
    t.enu('status', ['open', 'resolved', 'withdrawn']).notNullable();
    t.string('reason', 32).notNullable();
    t.bigInteger('order_id').unsigned().nullable();
    t.string('order_no', 32).nullable();
    t.bigInteger('case_id').unsigned().nullable();
    t.string('case_no', 32).nullable();
    t.bigInteger('shopper_id').unsigned().nullable();
    t.bigInteger('requested_fen').nullable();
    t.string('open_key', 48).nullable();
    t.enu('decision', ['refund', 'refuse']).nullable();
    t.bigInteger('decided_fen').notNullable().defaultTo(0);
    t.string('decision_note', 200).notNullable().defaultTo('');
    t.bigInteger('decided_by').unsigned().nullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.bigInteger('refund_id').unsigned().nullable();
    t.boolean('shopper_unread').notNullable().defaultTo(false);
    t.string('wechat_complaint_id', 64).nullable();
    t.string('wechat_state', 16).nullable();
    t.string('wechat_problem', 500).nullable();
    t.string('wechat_problem_type', 32).nullable();
    t.enu('wechat_reply', ['pending', 'sent', 'failed']).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'complaint_no']);
    t.unique(['tenant_id', 'open_key']);
    t.unique(['tenant_id', 'wechat_complaint_id']);
    t.index(['tenant_id', 'status', 'id']);
    t.index(['tenant_id', 'shopper_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('complaint_statements', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('complaint_id').unsigned().notNullable();
    t.enu('side', ['shopper', 'merchant', 'platform', 'wechatpay']).notNullable();
    t.bigInteger('actor_id').unsigned().nullable();
    t.string('body', 1000).notNullable();
    t.json('photo_ids').notNullable();
    t.json('media_urls').notNullable();
    t.string('wechat_log_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'complaint_id', 'id']);
    t.unique(['tenant_id', 'complaint_id', 'wechat_log_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('arbitration_queue', (t) => {
    t.bigInteger('complaint_id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('source', ['shop', 'wechatpay']).notNullable();
    t.enu('status', ['open', 'resolved', 'withdrawn']).notNullable();
    t.datetime('filed_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.index(['status', 'filed_at', 'complaint_id']);
    t.index(['status', 'decided_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('wechatpay_sub_merchants', (t) => {
    t.string('sub_mchid', 32).primary();
    t.bigInteger('tenant_id').unsigned().notNullable().unique();
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('wechatpay_sub_merchants');
  await knex.schema.dropTableIfExists('arbitration_queue');
  await knex.schema.dropTableIfExists('complaint_statements');
  await knex.schema.dropTableIfExists('complaints');
}
