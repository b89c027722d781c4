import type { Knex } from 'knex';

const BEFORE = ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled'];
const AFTER = [...BEFORE, 'refunded'];

/**
 * What refunds, payments and the unpaid limit need of the schema:
 * - `refunded`, the state of an order whose payment was refunded in full (closed: never shipped or
 *   completed again);
 * - `shopper_unpaid_orders`, each shopper's count of unpaid orders, locked and moved in the same
 *   transaction as the orders it counts, so the limit holds under any concurrency and any number of
 *   processes; filled from the orders waiting for payment now;
 * - `products.sales_count`, counted from now on at payment: filled from the orders paid so far and not
 *   cancelled or refunded in full.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE orders MODIFY status ENUM(${AFTER.map(() => '?').join(', ')}) NOT NULL`, AFTER);

  await knex.schema.createTable('shopper_unpaid_orders', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.integer('unpaid').notNullable().defaultTo(0);
    t.primary(['tenant_id', 'shopper_id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.raw(
    `INSERT INTO shopper_unpaid_orders (tenant_id, shopper_id, unpaid)
     SELECT tenant_id, shopper_id, COUNT(*) FROM orders WHERE status = ? GROUP BY tenant_id, shopper_id`,
    ['pending_payment'],
  );

  await knex.raw(
    `UPDATE products p
     JOIN (SELECT i.tenant_id, i.product_id, SUM(i.quantity) AS sold
           FROM order_items i
           JOIN orders o ON o.id = i.order_id AND o.tenant_id = i.tenant_id
           WHERE o.status IN (?, ?, ?)
           GROUP BY i.tenant_id, i.product_id) s ON s.product_id = p.id AND s.tenant_id = p.tenant_id
     SET p.sales_count = s.sold`,
    ['paid', 'shipped', 'completed'],
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shopper_unpaid_orders');
  await knex('orders').where({ status: 'refunded' }).update({ status: 'cancelled' });
  await knex.raw(`ALTER TABLE orders MODIFY status ENUM(${BEFORE.map(() => '?').join(', ')}) NOT NULL`, BEFORE);
}
