import type { Knex } from 'knex';

/**
 * Recommendations (推荐), computed from the shop's events by a nightly rebuild and a quarter-hourly update:
 * - `product_similar`: each product's nearest neighbours of a kind — `viewed` (viewed in the same visits) and `bought`
 *   (bought by the same shoppers) — at most 20 per product and kind, each with its similarity (score) and how often the
 *   two went together (what an update adds to), as one list per product and kind; `generation` tells the rows of the
 *   last rebuild from stale ones;
 * - `recommendation_products`: each product on sale with its category, how many visits viewed it and shoppers bought
 *   it (the similarity's denominators), and its popularity (events weighed by kind and age), for the popular-in-category
 *   and popular-in-shop fallbacks;
 * - `recommendation_state`: per shop, the last event counted, the one the next update looks back to, the popularity's
 *   reference time and a lease, so a rebuild and an update never run at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('product_similar', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.enu('kind', ['viewed', 'bought']).notNullable();
    /** `[[similarId, score, together], …]`, best first: one row per list (a rebuild writes 40 000, not 800 000). */
    t.json('similar').notNullable();
    t.integer('generation').unsigned().notNullable();
    t.primary(['tenant_id', 'product_id', 'kind']);
    t.index(['tenant_id', 'generation'], 'product_similar_generation');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('recommendation_products', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('category_id').unsigned().notNullable();
    /** Visits that viewed it (or added it to the cart). */
    t.integer('viewers').unsigned().notNullable().defaultTo(0);
    /** Shoppers who bought it. */
    t.integer('buyers').unsigned().notNullable().defaultTo(0);
    /** Views, cart adds and purchases weighed by kind and age (relative to the state's `popularity_at`). */
    t.double('popularity').notNullable().defaultTo(0);
    t.integer('generation').unsigned().notNullable();
    t.primary(['tenant_id', 'product_id']);
    t.index(['tenant_id', 'category_id', 'popularity'], 'recommendation_products_category');
    t.index(['tenant_id', 'popularity'], 'recommendation_products_popular');
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex.schema.createTable('recommendation_state', (t) => {
    t.bigInteger('tenant_id').unsigned().notNullable().primary();
    t.integer('generation').unsigned().notNullable().defaultTo(0);
    /** The last event counted. */
    t.bigInteger('last_event_id').unsigned().notNullable().defaultTo(0);
    /** Where the next update starts reading: the events before `last_event_id` it pairs new ones with. */
    t.bigInteger('lookback_event_id').unsigned().notNullable().defaultTo(0);
    /** The time popularity is weighed relative to (the last rebuild's). */
    t.datetime('popularity_at', { precision: 3 }).nullable();
    t.datetime('built_at', { precision: 3 }).nullable();
    t.datetime('updated_at', { precision: 3 }).nullable();
    /** A rebuild or an update holds the shop until then. */
    t.datetime('lease_until', { precision: 3 }).nullable();
    t.foreign('tenant_id').references('tenants.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['recommendation_state', 'recommendation_products', 'product_similar'])
    await knex.schema.dropTableIfExists(table);
}
