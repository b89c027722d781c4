import type { Knex } from 'knex';

/**
 * One person, one shopper: when a shopper binds a phone that another shopper of the shop signed in with, the other is
 * merged into them (`orders/workflows/link-phone.ts`). What is left of the other is a tombstone: status `merged`,
 * `merged_into` the survivor, its openid, unionid and phone cleared so the unique keys are free for the survivor.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE shoppers MODIFY status ENUM('active', 'blocked', 'merged') NOT NULL DEFAULT 'active'`);
  await knex.schema.alterTable('shoppers', (t) => {
    t.bigInteger('merged_into').unsigned().nullable();
    t.datetime('merged_at', { precision: 3 }).nullable();
    t.index(['tenant_id', 'status', 'id'], 'shoppers_status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shoppers', (t) => {
    t.dropIndex(['tenant_id', 'status', 'id'], 'shoppers_status');
    t.dropColumn('merged_at');
    t.dropColumn('merged_into');
  });
  await knex.raw(`UPDATE shoppers SET status = 'blocked' WHERE status = 'merged'`);
  await knex.raw(`ALTER TABLE shoppers MODIFY status ENUM('active', 'blocked') NOT NULL DEFAULT 'active'`);
}
