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

  const rows = (await knex('storefront_tab_bars').select('tenant_id', 'tab_bar')) as Array<{
    tenant_id: number;
    tab_bar: string | object;
  }>;
  for (const row of rows) {
    const bar = (typeof row.tab_bar === 'string' ? JSON.parse(row.tab_bar) : row.tab_bar) as {
      items?: Array<Record<string, unknown>>;
    };
    if (!Array.isArray(bar.items)) continue;
    bar.items = bar.items.map(({ iconImageId: _icon, selectedIconImageId: _selected, ...item }) => ({
      ...item,
      iconId: null,
      selectedIconId: null,
    }));
    await knex('storefront_tab_bars')
      .where({ tenant_id: row.tenant_id })
      .update({ tab_bar: JSON.stringify(bar) });
  }
}

export async function down(knex: Knex): Promise<void> {
  const rows = (await knex('storefront_tab_bars').select('tenant_id', 'tab_bar')) as Array<{
    tenant_id: number;
    tab_bar: string | object;
  }>;
  for (const row of rows) {
    const bar = (typeof row.tab_bar === 'string' ? JSON.parse(row.tab_bar) : row.tab_bar) as {
      items?: Array<Record<string, unknown>>;
    };
    if (!Array.isArray(bar.items)) continue;
    bar.items = bar.items.map(({ iconId: _icon, selectedIconId: _selected, ...item }) => ({
      ...item,
      iconImageId: null,
      selectedIconImageId: null,
    }));
    await knex('storefront_tab_bars')
      .where({ tenant_id: row.tenant_id })
      .update({ tab_bar: JSON.stringify(bar) });
  }
  await knex.schema.dropTable('storefront_tab_icons');
}
