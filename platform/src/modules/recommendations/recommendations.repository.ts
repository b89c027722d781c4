import type { RecommendationKind } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn } from '../../kernel/db/rows';

/** A shop's recommendation bookkeeping. */
export interface RecommendationState {
  generation: number;
  lastEventId: number;
  lookbackEventId: number;
  popularityAt: Date | null;
  builtAt: Date | null;
  updatedAt: Date | null;
}

interface StateRow {
  generation: number;
  last_event_id: number | string;
  lookback_event_id: number | string;
  popularity_at: Date | null;
  built_at: Date | null;
  updated_at: Date | null;
}

/** A product's neighbour of a kind, as stored. */
export interface SimilarRow {
  productId: number;
  kind: RecommendationKind;
  similarId: number;
  score: number;
  together: number;
}

/** A product's list of neighbours of a kind, best first. */
export interface SimilarList {
  productId: number;
  kind: RecommendationKind;
  similar: Array<{ id: number; score: number; together: number }>;
}

interface SimilarDbRow {
  product_id: number | string;
  kind: RecommendationKind;
  similar: unknown;
}

/** `[[id, score, together], …]`: the stored list, small enough to read and write by the thousand. */
const packList = (l: SimilarList) =>
  JSON.stringify(l.similar.map((n) => [n.id, Math.round(n.score * 1e6) / 1e6, n.together]));

function unpack(r: SimilarDbRow): SimilarRow[] {
  const list = parseJsonColumn(r.similar);
  if (!Array.isArray(list)) return [];
  return list.map((n: [number, number, number]) => ({
    productId: Number(r.product_id),
    kind: r.kind,
    similarId: Number(n[0]),
    score: Number(n[1]),
    together: Number(n[2]),
  }));
}

/** A product on sale with its counts: the similarity's denominators and its popularity. */
export interface ProductCounts {
  productId: number;
  categoryId: number;
  viewers: number;
  buyers: number;
  popularity: number;
}

interface ProductDbRow {
  product_id: number | string;
  category_id: number | string;
  viewers: number;
  buyers: number;
  popularity: number;
}

const toCounts = (r: ProductDbRow): ProductCounts => ({
  productId: Number(r.product_id),
  categoryId: Number(r.category_id),
  viewers: Number(r.viewers),
  buyers: Number(r.buyers),
  popularity: Number(r.popularity),
});

/** Rows a statement writes at most (its bindings stay well under the server's limit). */
const CHUNK = 2_000;
/** Lists a statement writes at most (each a few hundred bytes). */
const LIST_CHUNK = 1_000;

/** `product_similar`, `recommendation_products`, `recommendation_state`: what a build leaves for serving. */
export function recommendationsRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  const knex = db.knex;

  async function deleteInChunks(ctx: TenantContext, table: string, generation: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await scope(ctx).table(table).where('generation', '<', generation).limit(CHUNK).delete();
      deleted += n;
      if (n < CHUNK) return deleted;
    }
  }

  return {
    async state(ctx: TenantContext): Promise<RecommendationState | null> {
      const r = (await scope(ctx).table('recommendation_state').first()) as StateRow | undefined;
      if (!r) return null;
      return {
        generation: Number(r.generation),
        lastEventId: Number(r.last_event_id),
        lookbackEventId: Number(r.lookback_event_id),
        popularityAt: r.popularity_at,
        builtAt: r.built_at,
        updatedAt: r.updated_at,
      };
    },

    /** Takes the shop's lease until `until` unless another build holds it; false when one does. */
    async takeLease(ctx: TenantContext, at: Date, until: Date): Promise<boolean> {
      await scope(ctx).upsert('recommendation_state', {}, ['tenant_id']);
      const n = await scope(ctx)
        .table('recommendation_state')
        .where((w) => w.whereNull('lease_until').orWhere('lease_until', '<', at))
        .update({ lease_until: until });
      return n === 1;
    },

    async releaseLease(ctx: TenantContext): Promise<void> {
      await scope(ctx).table('recommendation_state').update({ lease_until: null });
    },

    async saveState(ctx: TenantContext, s: Partial<RecommendationState>): Promise<void> {
      const patch: Record<string, unknown> = {};
      if (s.generation !== undefined) patch.generation = s.generation;
      if (s.lastEventId !== undefined) patch.last_event_id = s.lastEventId;
      if (s.lookbackEventId !== undefined) patch.lookback_event_id = s.lookbackEventId;
      if (s.popularityAt !== undefined) patch.popularity_at = s.popularityAt;
      if (s.builtAt !== undefined) patch.built_at = s.builtAt;
      if (s.updatedAt !== undefined) patch.updated_at = s.updatedAt;
      await scope(ctx).table('recommendation_state').update(patch);
    },

    /** Writes lists of neighbours with a generation (a rebuild's, or the current one for an update), replacing theirs. */
    async writeNeighbours(ctx: TenantContext, lists: SimilarList[], generation: number): Promise<void> {
      for (let at = 0; at < lists.length; at += LIST_CHUNK) {
        await scope(ctx).upsert(
          'product_similar',
          lists.slice(at, at + LIST_CHUNK).map((l) => ({
            product_id: l.productId,
            kind: l.kind,
            similar: packList(l),
            generation,
          })),
          ['similar', 'generation'],
        );
      }
    },

    /** The neighbours of these products (of one kind, or both), best first. */
    async neighbours(ctx: TenantContext, productIds: number[], kind?: RecommendationKind): Promise<SimilarRow[]> {
      if (productIds.length === 0) return [];
      const q = scope(ctx).table('product_similar').whereIn('product_id', productIds);
      if (kind) q.where({ kind });
      const rows = (await q.select('product_id', 'kind', 'similar')) as SimilarDbRow[];
      return rows.flatMap(unpack).sort((a, b) => b.score - a.score || a.similarId - b.similarId);
    },

    /** Writes the products of a rebuild's generation with their counts. */
    async writeProducts(ctx: TenantContext, rows: ProductCounts[], generation: number): Promise<void> {
      for (let at = 0; at < rows.length; at += CHUNK) {
        await scope(ctx).upsert(
          'recommendation_products',
          rows.slice(at, at + CHUNK).map((r) => ({
            product_id: r.productId,
            category_id: r.categoryId,
            viewers: r.viewers,
            buyers: r.buyers,
            popularity: r.popularity,
            generation,
          })),
          ['category_id', 'viewers', 'buyers', 'popularity', 'generation'],
        );
      }
    },

    /** Adds an update's counts to products (new ones are inserted with their category). */
    async addToProducts(ctx: TenantContext, rows: ProductCounts[], generation: number): Promise<void> {
      for (let at = 0; at < rows.length; at += CHUNK) {
        await scope(ctx).upsert(
          'recommendation_products',
          rows.slice(at, at + CHUNK).map((r) => ({
            product_id: r.productId,
            category_id: r.categoryId,
            viewers: r.viewers,
            buyers: r.buyers,
            popularity: r.popularity,
            generation,
          })),
          {
            viewers: knex.raw('viewers + values(viewers)'),
            buyers: knex.raw('buyers + values(buyers)'),
            popularity: knex.raw('popularity + values(popularity)'),
          },
        );
      }
    },

    /** Deletes what an older generation left (neighbours and products no longer there), a chunk at a time. */
    async deleteStale(ctx: TenantContext, generation: number): Promise<number> {
      return (
        (await deleteInChunks(ctx, 'product_similar', generation)) +
        (await deleteInChunks(ctx, 'recommendation_products', generation))
      );
    },

    /** These products' counts (those the last build or update kept). */
    async products(ctx: TenantContext, productIds: number[]): Promise<Map<number, ProductCounts>> {
      if (productIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('recommendation_products')
        .whereIn('product_id', productIds)
        .select('product_id', 'category_id', 'viewers', 'buyers', 'popularity')) as ProductDbRow[];
      return new Map(rows.map((r) => [Number(r.product_id), toCounts(r)]));
    },

    /** A category's most popular products. */
    async popularInCategory(
      ctx: TenantContext,
      categoryId: number,
      limit: number,
    ): Promise<Array<{ productId: number; popularity: number }>> {
      const rows = (await scope(ctx)
        .table('recommendation_products')
        .where({ category_id: categoryId })
        .orderBy('popularity', 'desc')
        .limit(limit)
        .select('product_id', 'popularity')) as Array<{ product_id: number | string; popularity: number }>;
      return rows.map((r) => ({ productId: Number(r.product_id), popularity: Number(r.popularity) }));
    },

    /** The shop's most popular products. */
    async popularInShop(ctx: TenantContext, limit: number): Promise<Array<{ productId: number; popularity: number }>> {
      const rows = (await scope(ctx)
        .table('recommendation_products')
        .orderBy('popularity', 'desc')
        .limit(limit)
        .select('product_id', 'popularity')) as Array<{ product_id: number | string; popularity: number }>;
      return rows.map((r) => ({ productId: Number(r.product_id), popularity: Number(r.popularity) }));
    },
  };
}

export type RecommendationsRepository = ReturnType<typeof recommendationsRepository>;
