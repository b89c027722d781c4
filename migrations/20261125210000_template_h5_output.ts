import type { Knex } from 'knex';

/** A template version's h5 build, stored beside its mp-weixin build. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    t.string('h5_object_key', 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    t.dropColumn('h5_object_key');
  });
}
