import type { Knex } from 'knex';

const BEFORE = ['merchant', 'order_cancelled', 'late_payment', 'duplicate_payment'];
const AFTER = [...BEFORE, 'price_changed'];
const kinds = (list: string[]) => list.map((k) => `'${k}'`).join(', ');

/**
 * A refund of kind `price_changed` (payments): a payment at the amount an unpaid order had before the merchant changed
 * its price is the shopper's money, refunded in full. A value added at the end of an ENUM: no table copy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE refunds MODIFY kind ENUM(${kinds(AFTER)}) NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('refunds').where({ kind: 'price_changed' }).update({ kind: 'duplicate_payment' });
  await knex.raw(`ALTER TABLE refunds MODIFY kind ENUM(${kinds(BEFORE)}) NOT NULL`);
}
