import type { Knex } from 'knex';

/**
 * A bulk release: platform staff release one template version to many shops, a canary set first,
 * then the rest, with at most `concurrency` of its releases in flight at once. Each target is one
 * shop and, once started, the release it got.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bulk_releases', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('template_version_id').unsigned().notNullable();
    t.string('status', 16).notNullable();
    /** The phase a paused batch goes back to. */
    t.string('paused_from', 16).nullable();
    t.smallint('concurrency').unsigned().notNullable();
    t.boolean('auto_release').notNullable();
    t.json('filter').nullable();
    t.bigInteger('created_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('finished_at', { precision: 3 }).nullable();
  });
  await knex.schema.createTable('bulk_release_targets', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('bulk_id').unsigned().notNullable();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('phase', 8).notNullable();
    t.string('state', 12).notNullable();
    t.bigInteger('release_id').unsigned().nullable();
    t.string('note', 300).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['bulk_id', 'tenant_id']);
    t.index(['bulk_id', 'phase', 'state']);
    t.foreign('bulk_id').references('bulk_releases.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bulk_release_targets');
  await knex.schema.dropTable('bulk_releases');
}
