import type { Knex } from 'knex';

/**
 * Freight charged by piece, weight or volume (运费模板 按件/按重量/按体积), and per product.
 *
 * - `shipping_templates` (orders): `charge_mode` piece | weight | volume; the flat `base_fee_fen` becomes the first
 *   units' fee `first_fee_fen` of a rate `first_units` + `first_fee_fen`, each `additional_units` + `additional_fee_fen`,
 *   free when `free_above_fen` and/or `free_min_units` are reached. Each rule in `rules` carries the same fields.
 *   Existing templates keep their meaning: piece mode, the first 1 piece at the old fee, each further piece free (a
 *   flat fee); a rule whose free-above threshold was null (the template's applied) gets the template's written in,
 *   since a rule's free condition no longer falls back to the template's.
 * - `skus` (catalog): `weight_grams`, `volume_cm3`, whole grams and cm³, 0 when not given.
 * - `products` (catalog): `freight_template_id`, null for the shop's default template; no foreign key (another module's
 *   table), indexed to count the products of a template before it is deleted.
 */
interface OldRule {
  regions: string[];
  feeFen: number;
  freeAboveFen?: number | null;
}
interface NewRule {
  regions: string[];
  firstUnits: number;
  firstFeeFen: number;
  additionalUnits: number;
  additionalFeeFen: number;
  freeAboveFen: number | null;
  freeMinUnits: number | null;
}

const parse = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

async function rewriteRules(
  knex: Knex,
  rewrite: (rules: unknown[], row: { free_above_fen: number | null }) => unknown[],
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await knex('shipping_templates')
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .select('id', 'rules', 'free_above_fen')) as Array<{ id: number; rules: unknown; free_above_fen: number | null }>;
    if (rows.length === 0) return;
    for (const row of rows) {
      const rules = (parse(row.rules) as unknown[] | null) ?? [];
      await knex('shipping_templates')
        .where({ id: row.id })
        .update({ rules: JSON.stringify(rewrite(rules, row)) });
    }
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipping_templates', (t) => {
    t.renameColumn('base_fee_fen', 'first_fee_fen');
  });
  await knex.schema.alterTable('shipping_templates', (t) => {
    t.enu('charge_mode', ['piece', 'weight', 'volume']).notNullable().defaultTo('piece');
    t.integer('first_units').unsigned().notNullable().defaultTo(1);
    t.integer('additional_units').unsigned().notNullable().defaultTo(1);
    t.bigInteger('additional_fee_fen').notNullable().defaultTo(0);
    t.integer('free_min_units').unsigned().nullable();
  });
  await rewriteRules(knex, (rules, row) =>
    (rules as OldRule[]).map((r): NewRule => ({
      regions: r.regions,
      firstUnits: 1,
      firstFeeFen: Number(r.feeFen),
      additionalUnits: 1,
      additionalFeeFen: 0,
      freeAboveFen:
        r.freeAboveFen !== null && r.freeAboveFen !== undefined
          ? Number(r.freeAboveFen)
          : row.free_above_fen === null
            ? null
            : Number(row.free_above_fen),
      freeMinUnits: null,
    })),
  );

  await knex.schema.alterTable('skus', (t) => {
    t.integer('weight_grams').unsigned().notNullable().defaultTo(0);
    t.integer('volume_cm3').unsigned().notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('products', (t) => {
    t.bigInteger('freight_template_id').unsigned().nullable();
    t.index(['tenant_id', 'freight_template_id'], 'products_tenant_freight_template');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.dropIndex(['tenant_id', 'freight_template_id'], 'products_tenant_freight_template');
    t.dropColumn('freight_template_id');
  });
  await knex.schema.alterTable('skus', (t) => {
    t.dropColumn('weight_grams');
    t.dropColumn('volume_cm3');
  });
  // Back to a flat fee: the first units' fee; what charged by weight or volume, or by further pieces, is lost.
  await rewriteRules(knex, (rules) =>
    (rules as NewRule[]).map((r): OldRule => ({
      regions: r.regions,
      feeFen: r.firstFeeFen,
      freeAboveFen: r.freeAboveFen,
    })),
  );
  await knex.schema.alterTable('shipping_templates', (t) => {
    for (const c of ['charge_mode', 'first_units', 'additional_units', 'additional_fee_fen', 'free_min_units'])
      t.dropColumn(c);
  });
  await knex.schema.alterTable('shipping_templates', (t) => {
    t.renameColumn('first_fee_fen', 'base_fee_fen');
  });
}
