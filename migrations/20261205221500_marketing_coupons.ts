import type { Knex } from 'knex';

/**
 * Coupons (marketing): a template holds the rules (满减 / 折扣 / 无门槛, scope, validity, total, per-shopper limit,
 * audience, how it is issued) and its counters; a coupon is one issued to a shopper.
 * - `coupon_templates.issued` moves only by a guarded `issued = issued + n WHERE issued + n <= total_quantity`, in the
 *   transaction that inserts the coupons, so it always equals the template's coupon rows and never passes the total;
 * - `coupons (tenant_id, template_id, shopper_id, claim_seq)` is unique: the n-th coupon of a shopper is seq n, so two
 *   claims that both counted n-1 cannot both land, and the per-shopper limit holds under concurrency;
 * - a coupon stores `unused` or `used`; expired is read from `valid_to`, never written by a job.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('coupon_templates', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('name', 40).notNullable();
    t.enu('kind', ['amount_off', 'percent_off', 'no_threshold']).notNullable();
    t.bigInteger('threshold_fen').notNullable().defaultTo(0);
    t.bigInteger('amount_off_fen').nullable();
    /** Percent taken off (15 = 15% off), for percent_off. */
    t.tinyint('discount_percent').unsigned().nullable();
    t.bigInteger('max_off_fen').nullable();
    t.enu('scope', ['shop', 'categories', 'products']).notNullable();
    t.json('scope_ids').notNullable();
    t.json('excluded_product_ids').notNullable();
    t.datetime('claim_from', { precision: 3 }).notNullable();
    t.datetime('claim_to', { precision: 3 }).notNullable();
    t.datetime('valid_from', { precision: 3 }).nullable();
    t.datetime('valid_to', { precision: 3 }).nullable();
    t.integer('valid_days').unsigned().nullable();
    t.integer('total_quantity').unsigned().notNullable();
    t.integer('per_shopper_limit').unsigned().notNullable();
    t.enu('audience', ['everyone', 'new_shoppers']).notNullable();
    t.enu('issue_mode', ['claim', 'send', 'first_sign_in']).notNullable();
    t.boolean('combines_with_promotions').notNullable().defaultTo(false);
    t.enu('status', ['running', 'stopped']).notNullable().defaultTo('running');
    t.integer('issued').unsigned().notNullable().defaultTo(0);
    t.integer('used').unsigned().notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'status', 'claim_from', 'claim_to']);
    t.index(['tenant_id', 'issue_mode', 'status', 'claim_to']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('coupons', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('template_id').unsigned().notNullable();
    t.bigInteger('shopper_id').unsigned().notNullable();
    t.integer('claim_seq').unsigned().notNullable();
    t.enu('state', ['unused', 'used']).notNullable().defaultTo('unused');
    t.datetime('valid_from', { precision: 3 }).notNullable();
    t.datetime('valid_to', { precision: 3 }).notNullable();
    t.bigInteger('order_id').unsigned().nullable();
    t.datetime('claimed_at', { precision: 3 }).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'template_id', 'shopper_id', 'claim_seq']);
    t.index(['tenant_id', 'shopper_id', 'state', 'valid_to']);
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('coupons');
  await knex.schema.dropTable('coupon_templates');
}
