import type { Knex } from 'knex';

/**
 * The shop designer's tab icons:
 * - `storefront_tab_icons`: each icon a shop uploaded, kept once per content (`hash`) as an 81 × 81 PNG at `object_key`
 *   in the public bucket (a tab icon keeps its transparency, which the catalog's images, flattened to JPEG, lose);
 * - the tab bars kept so far named catalog images as icons (`iconImageId`, `selectedIconImageId`), never shown anywhere:
 *   their items now name tab icons (`iconId`, `selectedIconId`), none yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('storefront_tab_icons', (t) => {
    t.bigIncrements('id');
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.specificType('hash', 'char(64)').notNullable();
    t.string('object_key', 255).notNullable();
    t.integer('bytes').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'hash'], { indexName: 'storefront_tab_icons_hash' });
    t.foreign('tenant_id').references('tenants.id');
  });

  await renameIcons(knex, ['iconImageId', 'selectedIconImageId'], ['iconId', 'selectedIconId']);
}

export async function down(knex: Knex): Promise<void> {
  await renameIcons(knex, ['iconId', 'selectedIconId'], ['iconImageId', 'selectedIconImageId']);
  await knex.schema.dropTable('storefront_tab_icons');
}

/** Every stored tab bar's items: the icon fields `from` dropped, the fields `to` set to none. */
async function renameIcons(knex: Knex, from: [string, string], to: [string, string]): Promise<void> {
  const rows = (await knex('storefront_tab_bars').select('tenant_id', 'tab_bar')) as Array<{
    tenant_id: number;
    tab_bar: string | object;
  }>;
  for (const row of rows) {
    const bar = (typeof row.tab_bar === 'string' ? JSON.parse(row.tab_bar) : row.tab_bar) as {
      items?: Array<Record<string, unknown>>;
    };
    if (!Array.isArray(bar.items)) continue;
    bar.items = bar.items.map((item) => {
      const { [from[0]]: _icon, [from[1]]: _selected, ...rest } = item;
      return { ...rest, [to[0]]: null, [to[1]]: null };
    });
    await knex('storefront_tab_bars')
      .where({ tenant_id: row.tenant_id })
      .update({ tab_bar: JSON.stringify(bar) });
  }
}
