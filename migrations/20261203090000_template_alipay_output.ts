import type { Knex } from 'knex';

/** A template version's mp-alipay build, stored beside its mp-weixin and h5 builds. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    t.string('alipay_object_key', 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('template_versions', (t) => {
    t.dropColumn('alipay_object_key');
  });
}
