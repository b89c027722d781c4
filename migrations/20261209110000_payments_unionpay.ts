import type { Knex } from 'knex';

const PROVIDERS = ['wechatpay', 'alipay', 'sandbox'];
const METHODS = ['wechat_jsapi', 'wechat_h5', 'wechat_native', 'alipay_wap', 'sandbox'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * UnionPay (银联全渠道) as a payment provider (payments): its settings beside the others' (the merchant number and
 * certificate id in the clear, the .pfx, its password and the key read from it sealed), and the provider and its
 * method `unionpay_wap` in the enums. Values added at the end of an ENUM: no table copy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_settings', (t) => {
    t.json('unionpay').nullable();
    t.text('unionpay_secret').nullable();
  });
  await knex.raw(`ALTER TABLE payments MODIFY provider ENUM(${list([...PROVIDERS, 'unionpay'])}) NOT NULL`);
  await knex.raw(`ALTER TABLE payments MODIFY method ENUM(${list([...METHODS, 'unionpay_wap'])}) NOT NULL`);
  await knex.raw(
    `ALTER TABLE payment_notifications MODIFY provider ENUM(${list([...PROVIDERS, 'unionpay'])}) NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE payment_notifications MODIFY provider ENUM(${list(PROVIDERS)}) NOT NULL`);
  await knex.raw(`ALTER TABLE payments MODIFY method ENUM(${list(METHODS)}) NOT NULL`);
  await knex.raw(`ALTER TABLE payments MODIFY provider ENUM(${list(PROVIDERS)}) NOT NULL`);
  await knex.schema.alterTable('payment_settings', (t) => {
    t.dropColumn('unionpay');
    t.dropColumn('unionpay_secret');
  });
}
