import type { Knex } from 'knex';

/**
 * What a refund of part of an order needs once orders carry discounts (the pricing pipeline splits each discount over
 * the lines it applies to, to the fen):
 * - `order_items.discount_fen`: the line's share of all the order's discounts; what was paid for the line is
 *   `subtotal_fen − discount_fen`, the most a refund of that line may give back;
 * - `order_items.discount_shares`: the same share by discount, `[{ stage, source, sourceId, fen }]` (null when none), so a
 *   refund returns points as points and a coupon's part to the coupon's rules, not all of it as money;
 * - `orders.discount_fen`: the discounts together, so `total_fen = items_total_fen − discount_fen + shipping_fen` holds on
 *   the order row itself.
 * Orders placed before had no discounts: 0 and null. Both ADD COLUMNs with a constant default are instant on InnoDB.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('order_items', (t) => {
    t.bigInteger('discount_fen').notNullable().defaultTo(0);
    t.json('discount_shares').nullable();
  });
  await knex.schema.alterTable('orders', (t) => {
    t.bigInteger('discount_fen').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('discount_fen');
  });
  await knex.schema.alterTable('order_items', (t) => {
    for (const c of ['discount_fen', 'discount_shares']) t.dropColumn(c);
  });
}
