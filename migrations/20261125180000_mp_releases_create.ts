import type { Knex } from 'knex';

/**
 * A shop's mini-program release: one template version carried through WeChat (domains, privacy
 * settings, commit, trial QR code, audit, release). `in_flight` is 1 while the release is under way
 * and NULL once it ends, so the unique (tenant_id, in_flight) index allows one release in flight per
 * shop and any number of finished ones (NULLs never collide). Every state change is a row of `mp_release_events`.
 */
export async function up(knex: Knex): Promise<void> {
  // The template in the third-party platform's template library that /wxa/commit names (found by
  // user_version in the library, or added from the draft box, on a version's first release).
  await knex.schema.alterTable('template_versions', (t) => {
    t.bigInteger('wechat_template_id').unsigned().nullable();
  });
  await knex.schema.createTable('mp_releases', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('template_version_id').unsigned().notNullable();
    t.tinyint('in_flight').unsigned().nullable();
    t.string('status', 24).notNullable();
    t.string('appid', 32).notNullable();
    t.string('user_version', 64).notNullable();
    t.string('user_desc', 200).notNullable();
    t.boolean('auto_release').notNullable().defaultTo(false);
    t.tinyint('gray_percentage').unsigned().nullable();
    t.bigInteger('auditid').unsigned().nullable();
    t.string('audit_reason', 2000).nullable();
    t.string('audit_screenshots', 2000).nullable();
    t.string('qrcode_key', 255).nullable();
    t.string('error_code', 32).nullable();
    t.string('error_message', 500).nullable();
    t.bigInteger('requested_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('submitted_at', { precision: 3 }).nullable();
    t.datetime('audited_at', { precision: 3 }).nullable();
    t.datetime('released_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'in_flight'], { indexName: 'mp_releases_one_in_flight' });
    t.index(['tenant_id', 'status', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('mp_release_events', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('release_id').unsigned().notNullable();
    t.string('status', 24).notNullable();
    t.string('message', 500).notNullable();
    t.json('data').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'release_id', 'id']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mp_release_events');
  await knex.schema.dropTable('mp_releases');
  await knex.schema.alterTable('template_versions', (t) => {
    t.dropColumn('wechat_template_id');
  });
}
