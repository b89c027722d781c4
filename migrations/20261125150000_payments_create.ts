import type { Knex } from 'knex';

/**
 * The money path after an order is placed: shop order settings and shipping templates, payment
 * settings (secrets sealed), payments and refunds, the notifications already applied (replays are
 * refused by their id), reconciliation findings, and reviews with the product's rating totals.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.bigInteger('paid_fen').notNullable().defaultTo(0);
    t.bigInteger('refunded_fen').notNullable().defaultTo(0);
    t.bigInteger('payment_id').unsigned().nullable();
    t.string('carrier', 16).nullable();
    t.string('tracking_no', 40).nullable();
    t.datetime('shipped_at', { precision: 3 }).nullable();
    t.datetime('auto_confirm_at', { precision: 3 }).nullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.datetime('reviewed_at', { precision: 3 }).nullable();
    t.string('merchant_remark', 500).notNullable().defaultTo('');
    t.enu('wechat_shipping', ['not_required', 'pending', 'uploaded', 'failed']).notNullable().defaultTo('not_required');
    t.index(['tenant_id', 'status', 'auto_confirm_at']);
    t.index(['tenant_id', 'created_at']);
  });

  await knex.schema.alterTable('products', (t) => {
    t.integer('rating_count').unsigned().notNullable().defaultTo(0);
    t.integer('rating_sum').unsigned().notNullable().defaultTo(0);
  });

  await knex.schema.alterTable('catalog_images', (t) => {
    /** Set for a shopper's review photo: only that shopper may attach it. */
    t.bigInteger('shopper_id').unsigned().nullable();
  });

  await knex.schema.createTable('order_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.integer('payment_window_minutes').unsigned().notNullable();
    t.integer('auto_confirm_days').unsigned().notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('shipping_templates', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 40).notNullable();
    t.bigInteger('base_fee_fen').notNullable();
    t.bigInteger('free_above_fen').nullable();
    t.json('rules').notNullable();
    t.json('excluded_regions').notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'is_default']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('payment_settings', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.boolean('test_mode').notNullable().defaultTo(true);
    /** The non-secret part of each provider's settings; the keys are sealed in the *_secret columns. */
    t.json('wechat').nullable();
    t.text('wechat_secret').nullable();
    t.json('alipay').nullable();
    t.text('alipay_secret').nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    /** Our out_trade_no: unique across tenants too, as the providers want it per merchant account. */
    t.string('payment_no', 32).notNullable();
    t.enu('provider', ['wechatpay', 'alipay', 'sandbox']).notNullable();
    t.enu('method', ['wechat_jsapi', 'wechat_h5', 'wechat_native', 'alipay_wap', 'sandbox']).notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.enu('status', ['pending', 'succeeded', 'closed']).notNullable();
    t.string('transaction_id', 64).nullable();
    t.string('payer', 128).nullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'payment_no']);
    t.index(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'created_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('refunds', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('payment_id').unsigned().notNullable();
    t.string('refund_no', 32).notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.string('reason', 80).notNullable();
    t.enu('kind', ['merchant', 'order_cancelled', 'late_payment', 'duplicate_payment']).notNullable();
    t.enu('status', ['processing', 'succeeded', 'failed']).notNullable();
    t.string('provider_refund_id', 64).nullable();
    t.string('failure', 200).nullable();
    t.integer('attempts').unsigned().notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('succeeded_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'refund_no']);
    t.index(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'payment_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('payment_notifications', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.enu('provider', ['wechatpay', 'alipay', 'sandbox']).notNullable();
    t.string('notification_id', 64).notNullable();
    t.string('event', 40).notNullable();
    t.string('reference', 32).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'provider', 'notification_id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('payment_discrepancies', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.date('day').notNullable();
    t.string('payment_no', 32).notNullable();
    t.enu('kind', [
      'missing_at_provider',
      'unpaid_at_provider',
      'paid_not_recorded',
      'amount_mismatch',
      'provider_error',
    ]).notNullable();
    t.string('detail', 300).notNullable();
    t.boolean('resolved').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'day', 'payment_no', 'kind']);
    t.index(['tenant_id', 'resolved', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('reviews', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('order_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('sku_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.json('spec_values').notNullable();
    t.tinyint('rating').unsigned().notNullable();
    t.text('content').notNullable();
    t.json('image_urls').notNullable();
    t.boolean('anonymous').notNullable();
    t.string('author', 40).notNullable();
    t.text('reply').nullable();
    t.datetime('replied_at', { precision: 3 }).nullable();
    t.boolean('hidden').notNullable().defaultTo(false);
    t.string('hidden_reason', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'order_id', 'sku_id']);
    t.index(['tenant_id', 'product_id', 'hidden', 'id']);
    t.index(['tenant_id', 'hidden', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'reviews',
    'payment_discrepancies',
    'payment_notifications',
    'refunds',
    'payments',
    'payment_settings',
    'shipping_templates',
    'order_settings',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('catalog_images', (t) => t.dropColumn('shopper_id'));
  await knex.schema.alterTable('products', (t) => {
    t.dropColumn('rating_count');
    t.dropColumn('rating_sum');
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['tenant_id', 'status', 'auto_confirm_at']);
    t.dropIndex(['tenant_id', 'created_at']);
    for (const c of [
      'paid_fen',
      'refunded_fen',
      'payment_id',
      'carrier',
      'tracking_no',
      'shipped_at',
      'auto_confirm_at',
      'completed_at',
      'reviewed_at',
      'merchant_remark',
      'wechat_shipping',
    ])
      t.dropColumn(c);
  });
}
