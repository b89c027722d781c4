import type { Knex } from 'knex';

/**
 * Release and code-upload events, a bulk release target's note, and a stopped release's or upload's
 * error say what happened with a stable code and its params (`RELEASE_EVENTS` in contracts, or an error
 * reason or job failure code), which the console says in the reader's language. The English message
 * stays: for logs, and as the only text of rows written before, whose code is null.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['mp_release_events', 'mp_code_upload_events']) {
    await knex.schema.alterTable(table, (t) => {
      t.string('code', 64).nullable();
      t.json('params').nullable();
    });
  }
  await knex.schema.alterTable('bulk_release_targets', (t) => {
    t.string('note_code', 64).nullable();
    t.json('note_params').nullable();
  });
  for (const table of ['mp_releases', 'mp_code_uploads']) {
    await knex.schema.alterTable(table, (t) => {
      t.string('error_reason', 64).nullable();
      t.json('error_params').nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['mp_releases', 'mp_code_uploads']) {
    await knex.schema.alterTable(table, (t) => {
      for (const c of ['error_reason', 'error_params']) t.dropColumn(c);
    });
  }
  await knex.schema.alterTable('bulk_release_targets', (t) => {
    for (const c of ['note_code', 'note_params']) t.dropColumn(c);
  });
  for (const table of ['mp_release_events', 'mp_code_upload_events']) {
    await knex.schema.alterTable(table, (t) => {
      for (const c of ['code', 'params']) t.dropColumn(c);
    });
  }
}
