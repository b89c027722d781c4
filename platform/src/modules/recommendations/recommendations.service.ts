import { type GuessQuery, type ProductCard, type RecommendationKind, type Recommendations } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { NotFoundError } from '../../kernel/errors';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { RecommendationCatalog, RecommendationEvents } from './ports';
import type { RecommendationsRepository } from './recommendations.repository';
import { blend, historyOf, SCORING, together, type PopularProduct, type SimilarLists } from './scoring';

/** A visitor's latest product events read for guess-you-like (what they bought among them is never shown). */
const RECENT_EVENTS = 100;
/** The shop's popular products kept for the fallback. */
const SHOP_POPULAR = 60;
/** A product page's list, kept in the cache before the cards (some may no longer be on sale). */
const TOGETHER_KEPT = 60;

export interface RecommendationsDeps {
  repo: RecommendationsRepository;
  events: Pick<RecommendationEvents, 'recentProducts'>;
  catalog: Pick<RecommendationCatalog, 'cards'>;
  /** Recommendations' read cache (what is the same for every shopper), renewed by each build. */
  cache: Pick<VersionedCache, 'value' | 'valueMany'>;
}

/** What serving knows of a product from the last build: its category, and its neighbours of each kind, best first. */
interface ProductFacts {
  categoryId: number | null;
  similar: SimilarLists;
}

/**
 * Serves recommendations from what the builds left (neighbour lists, popularity): guess-you-like for a visitor and a
 * product's viewed-together and bought-together lists. Only products on sale are shown (the catalog's cards, which a
 * product leaving sale renews), never the product itself on its own page, never what the visitor bought.
 */
export function recommendationsService(deps: RecommendationsDeps) {
  const { repo } = deps;

  // Parsed once per process and shared by the requests (read, never changed): a request allocates little but its answer.
  const cached = <T>(ctx: TenantContext, key: string, load: () => Promise<T>): Promise<Readonly<T>> =>
    deps.cache.value<T>(ctx.tenantId, key, load);

  const shopPopular = (ctx: TenantContext) =>
    cached<PopularProduct[]>(ctx, 'popular', () => repo.popularInShop(ctx, SHOP_POPULAR));

  const categoryPopular = (ctx: TenantContext, categoryId: number) =>
    cached<PopularProduct[]>(ctx, `popular:${categoryId}`, () =>
      repo.popularInCategory(ctx, categoryId, SCORING.categoryPopular),
    );

  /** The first `limit` of these candidates (best first) that are on sale, asking for their cards a few at a time. */
  async function onSale(ctx: TenantContext, candidates: number[], limit: number): Promise<ProductCard[]> {
    const out: ProductCard[] = [];
    for (let at = 0; at < candidates.length && out.length < limit;) {
      const take = candidates.slice(at, at + limit - out.length + 4);
      at += take.length;
      const cards = await deps.catalog.cards(ctx, take);
      for (const id of take) {
        const card = cards.get(id);
        if (card && out.length < limit) out.push(card);
      }
    }
    return out;
  }

  /** These products' facts, each kept in the cache: most requests read no table for them. */
  async function facts(ctx: TenantContext, ids: number[]): Promise<Map<number, Readonly<ProductFacts>>> {
    const values = await deps.cache.valueMany<ProductFacts>(
      ctx.tenantId,
      ids.map((id) => `p:${id}`),
      async (missing) => {
        const wanted = missing.map((key) => Number(key.slice(2)));
        const [neighbours, counts] = await Promise.all([repo.neighbours(ctx, wanted), repo.products(ctx, wanted)]);
        const out = new Map(
          wanted.map((id) => [
            id,
            {
              categoryId: counts.get(id)?.categoryId ?? null,
              similar: { viewed: [] as Array<[number, number]>, bought: [] as Array<[number, number]> },
            },
          ]),
        );
        for (const n of neighbours) out.get(n.productId)!.similar[n.kind].push([n.similarId, n.score]);
        return new Map(wanted.map((id, i) => [missing[i]!, out.get(id)]));
      },
    );
    return new Map(ids.map((id) => [id, values.get(`p:${id}`)!]));
  }

  return {
    /**
     * 猜你喜欢: the neighbours of what the device (and the signed-in shopper) recently viewed, added and bought, with the
     * popular products of those categories; the shop's popular products for a visitor with no history. What they
     * bought and what `exclude` names (the cart's lines) are left out.
     */
    async guess(ctx: TenantContext, q: GuessQuery): Promise<Recommendations> {
      const visitors = [
        ...(q.device ? [q.device] : []),
        ...(ctx.actor.type === 'shopper' ? [`s${ctx.actor.shopperId}`] : []),
      ];
      const recent = visitors.length ? await deps.events.recentProducts(ctx, visitors, RECENT_EVENTS) : [];
      const { items: history, bought } = historyOf(recent);
      const excluded = q.exclude === undefined ? [] : Array.isArray(q.exclude) ? q.exclude : [q.exclude];
      const exclude = new Set([...bought, ...excluded]);
      if (history.length === 0) {
        const popular = (await shopPopular(ctx)).map((p) => p.productId).filter((id) => !exclude.has(id));
        return { items: await onSale(ctx, popular, q.limit), basis: 'popular' };
      }
      const ids = history.map((h) => h.productId);
      const [known, popular] = await Promise.all([facts(ctx, ids), shopPopular(ctx)]);
      const similar = new Map<number, SimilarLists>();
      const categoryOf = new Map<number, number>();
      for (const [productId, f] of known) {
        if (f.categoryId !== null) categoryOf.set(productId, f.categoryId);
        similar.set(productId, f.similar);
      }
      const categories = [...new Set(categoryOf.values())];
      const lists = await Promise.all(categories.map((c) => categoryPopular(ctx, c)));
      const ranked = blend({
        history,
        similar,
        categoryOf,
        categoryPopular: new Map(categories.map((c, i) => [c, lists[i]!])),
        shopPopular: popular,
        exclude,
      });
      return { items: await onSale(ctx, ranked, q.limit), basis: 'personal' };
    },

    /**
     * 看了又看 / 买了又买: the product's neighbours of the kind, topped up with its category's popular products and then
     * the shop's; 404 when the product is not on sale.
     */
    async together(
      ctx: TenantContext,
      productId: number,
      kind: RecommendationKind,
      limit: number,
    ): Promise<Recommendations> {
      const list = await cached(ctx, `together:${kind}:${productId}`, async () => {
        const f = (await facts(ctx, [productId])).get(productId)!;
        const neighbours = f.similar[kind].map(([similarId]) => ({ similarId }));
        const ids = together(
          productId,
          neighbours,
          f.categoryId === null ? [] : await categoryPopular(ctx, f.categoryId),
          await shopPopular(ctx),
        );
        return { ids: ids.slice(0, TOGETHER_KEPT), personal: neighbours.length > 0 };
      });
      const [self, items] = await Promise.all([deps.catalog.cards(ctx, [productId]), onSale(ctx, list.ids, limit)]);
      if (!self.has(productId)) throw new NotFoundError('PRODUCT_NOT_FOUND');
      return { items, basis: list.personal ? 'personal' : 'popular' };
    },
  };
}

export type RecommendationsService = ReturnType<typeof recommendationsService>;
