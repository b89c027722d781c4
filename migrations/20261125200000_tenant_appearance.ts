import type { Knex } from 'knex';

/** The shop's mini-program appearance (see appearanceBodySchema) and its share image. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.json('appearance').nullable();
    t.string('share_image_key', 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('appearance');
    t.dropColumn('share_image_key');
  });
}
