import type { Knex } from 'knex';

/**
 * A notification says what happened with a stable code and its params (`NOTIFICATION_TEXTS` in
 * contracts), which the console says in the reader's language. The Chinese title and body stay: they are
 * what the email and the SMS said, and the only text of rows written before, whose code is null.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.string('text_code', 64).nullable();
    t.json('text_params').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    for (const c of ['text_code', 'text_params']) t.dropColumn(c);
  });
}
