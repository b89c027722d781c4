import type { Knex } from 'knex';

/**
 * Orders with discounts by name, and refunds by line (orders):
 * - `orders.discounts`: the order's discounts as the shopper and merchant see them, `[{ source, sourceId, name, fen }]`
 *   (null when none): what each line's `discount_shares` split, with the names they had when the order was placed;
 * - `order_items.refunded_quantity`, `refunded_fen`, `refunded_shares`: what line refunds have given back of the line so
 *   far — units, money and each discount's part — so the next refund of it starts from what is left, to the fen.
 * All ADD COLUMNs with constant defaults: instant on InnoDB.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.json('discounts').nullable();
  });
  await knex.schema.alterTable('order_items', (t) => {
    t.integer('refunded_quantity').unsigned().notNullable().defaultTo(0);
    t.bigInteger('refunded_fen').notNullable().defaultTo(0);
    t.json('refunded_shares').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('order_items', (t) => {
    for (const c of ['refunded_quantity', 'refunded_fen', 'refunded_shares']) t.dropColumn(c);
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('discounts');
  });
}
