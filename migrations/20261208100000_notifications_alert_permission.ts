import type { Knex } from 'knex';

/**
 * A live alert (an order paid, an after-sales request, a review) is for the staff who may see what it is about: its
 * row names the permission its readers need. Null: everyone in the shop (the notifications about the shop itself).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.string('permission', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumn('permission');
  });
}
