import type {
  CatalogImage,
  CategoryNode,
  ProductCard,
  ProductPage,
  ProductPromotion,
  ShopProductDetail,
  ShopProductListQuery,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { NotFoundError, ValidationError, issue } from '../../kernel/errors';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { CatalogRepository, ProductCardFacts, ShopFilter, ShopSort, StoredProduct } from './catalog.repository';
import type { CatalogService } from './catalog.service';
import type { ImagesService } from './images.service';
import type { VideosService } from './videos.service';
import { queryTerms } from './search-terms';

type Sort = ShopSort;

/**
 * What products show of the promotions running now, by product: the card's and page's promotion (限时价, tag, 满减),
 * and each SKU's 限时价. Read when the cache is filled; marketing renews the cache as promotions start and end.
 */
export type ShownPromotions = (
  ctx: TenantContext,
  productIds: number[],
) => Promise<Map<number, { promotion: ProductPromotion; skuTimedPrices: Map<number, number> }>>;

const LOW_STOCK = 5;

function encodeCursor(value: unknown, id: number): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: Sort): [string | number, number] {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    const okValue =
      sort === 'newest' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : typeof value === 'number';
    if (!okValue || typeof id !== 'number' || !Number.isSafeInteger(id)) throw new Error('shape');
    return [
      sort === 'newest' ? new Date(value as string).toISOString().slice(0, 23).replace('T', ' ') : (value as number),
      id,
    ];
  } catch {
    const text = { reason: 'CURSOR_INVALID', message: 'invalid cursor' } as const;
    throw new ValidationError(text, { issues: [issue('query.cursor', text)] });
  }
}

/**
 * What shoppers read: the home page, the category tree, listings by category with facet and price
 * filters, keyword search and product detail — only products on sale, all served from the versioned
 * cache as ready JSON text. Pages are by cursor (the last row's sort value and id), so a page never
 * repeats or skips a product when the catalog changes between requests.
 */
export function shopCatalogService(deps: {
  repo: CatalogRepository;
  images: ImagesService;
  videos: Pick<VideosService, 'byIds'>;
  cache: VersionedCache;
  catalog: CatalogService;
  /** What products show of the promotions running now (marketing's); none when absent. */
  promotions?: ShownPromotions;
}) {
  const promotionsOf = (ctx: TenantContext, productIds: number[]) =>
    deps.promotions && productIds.length ? deps.promotions(ctx, productIds) : Promise.resolve(new Map());

  async function cards(ctx: TenantContext, products: ProductCardFacts[]): Promise<ProductCard[]> {
    const [images, promotions] = await Promise.all([
      deps.images.byIds(
        ctx,
        products.flatMap((p) => p.imageIds.slice(0, 1)),
      ),
      promotionsOf(
        ctx,
        products.map((p) => p.id),
      ),
    ]);
    return products.map((p) => ({
      id: p.id,
      title: p.title,
      subtitle: p.subtitle,
      image: p.imageIds[0] !== undefined ? (images.get(p.imageIds[0]) ?? null) : null,
      priceFen: p.minPriceFen,
      originalPriceFen: p.originalPriceFen,
      salesCount: p.salesCount,
      inStock: p.totalStock > 0,
      promotion: promotions.get(p.id)?.promotion ?? null,
    }));
  }

  async function page(
    ctx: TenantContext,
    filter: ShopFilter,
    sort: Sort,
    cursor: string | undefined,
    limit: number,
  ): Promise<ProductPage> {
    const { cards: shown, next } = await deps.repo.shownPage(
      ctx,
      filter,
      sort,
      cursor ? decodeCursor(cursor, sort) : undefined,
      limit,
    );
    return { items: await cards(ctx, shown), nextCursor: next ? encodeCursor(next.value, next.id) : null };
  }

  async function tree(ctx: TenantContext): Promise<CategoryNode[]> {
    return deps.catalog.tree(ctx);
  }

  return {
    /** The cards of these products that are on sale, by id (favourites, history). */
    async cardsByIds(ctx: TenantContext, ids: number[]): Promise<Map<number, ProductCard>> {
      if (ids.length === 0) return new Map();
      return new Map((await cards(ctx, await deps.repo.shownCards(ctx, [...new Set(ids)]))).map((c) => [c.id, c]));
    },

    /**
     * The cards of these products that are on sale, by id, each kept in the cache (a product not on sale is kept as
     * such): what a list that changes with every shopper (recommendations) shows without asking the database each time.
     */
    async cachedCards(ctx: TenantContext, ids: number[]): Promise<Map<number, ProductCard>> {
      if (ids.length === 0) return new Map();
      const texts = await deps.cache.jsonMany(
        ctx.tenantId,
        ids.map((id) => `card:${id}`),
        async (missing) => {
          const wanted = missing.map((key) => Number(key.slice(5)));
          const found = new Map((await cards(ctx, await deps.repo.shownCards(ctx, wanted))).map((c) => [c.id, c]));
          return new Map(missing.map((key, i) => [key, found.get(wanted[i]!) ?? null]));
        },
      );
      const out = new Map<number, ProductCard>();
      for (const id of ids) {
        const text = texts.get(`card:${id}`);
        if (text && text !== 'null') out.set(id, JSON.parse(text) as ProductCard);
      }
      return out;
    },

    /** The category tree, as JSON text. */
    categoriesJson: (ctx: TenantContext) => deps.cache.json(ctx.tenantId, 'categories', () => tree(ctx)),

    /** The home page, as JSON text: lists keep the merchant's order and show only what is on sale. */
    homeJson(ctx: TenantContext): Promise<string> {
      return deps.cache.json(ctx.tenantId, 'home', async () => {
        const layout = await deps.catalog.homeLayout(ctx);
        const ids = [...new Set([...layout.newProductIds, ...layout.hotProductIds, ...layout.recommendedProductIds])];
        const byId = new Map((await cards(ctx, await deps.repo.shownCards(ctx, ids))).map((c) => [c.id, c]));
        const list = (wanted: number[]) => wanted.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
        const images = await deps.images.byIds(
          ctx,
          layout.banners.map((b) => b.imageId),
        );
        const categories = await deps.catalog.categoryMap(ctx);
        const icons = await deps.images.byIds(
          ctx,
          layout.shortcutCategoryIds.flatMap((id) =>
            categories.get(id)?.iconImageId ? [categories.get(id)!.iconImageId!] : [],
          ),
        );
        return {
          banners: layout.banners.flatMap((b) =>
            images.has(b.imageId)
              ? [{ image: images.get(b.imageId)!, productId: b.productId, categoryId: b.categoryId }]
              : [],
          ),
          shortcuts: layout.shortcutCategoryIds.flatMap((id) => {
            const c = categories.get(id);
            return c ? [{ id, name: c.name, icon: c.iconImageId ? (icons.get(c.iconImageId) ?? null) : null }] : [];
          }),
          newProducts: list(layout.newProductIds),
          hotProducts: list(layout.hotProductIds),
          recommendedProducts: list(layout.recommendedProductIds),
        };
      });
    },

    /** A listing page by category, facets and price, as JSON text. */
    listJson(ctx: TenantContext, query: ShopProductListQuery): Promise<string> {
      const facets = (Array.isArray(query.facet) ? query.facet : query.facet ? [query.facet] : []).slice().sort();
      const key = `list:${query.categoryId ?? ''}:${facets.join(',')}:${query.priceMin ?? ''}:${query.priceMax ?? ''}:${query.sort}:${query.cursor ?? ''}:${query.limit}`;
      return deps.cache.json(ctx.tenantId, key, async () => {
        const filter: ShopFilter = { priceMinFen: query.priceMin, priceMaxFen: query.priceMax };
        if (query.categoryId) {
          const category = (await deps.catalog.categoryMap(ctx)).get(query.categoryId);
          if (!category) return { items: [], nextCursor: null, facets: [] };
          filter.category = { id: category.id, level: category.level };
        }
        const byName = new Map<string, string[]>();
        for (const f of facets) {
          const [name, value] = f.split(':') as [string, string];
          byName.set(name, [...(byName.get(name) ?? []), value]);
        }
        filter.facets = byName;
        const result = await page(ctx, filter, query.sort, query.cursor, query.limit);
        if (!query.cursor) {
          const counts = await deps.repo.facetCounts(ctx, filter);
          const grouped = new Map<string, Array<{ value: string; count: number }>>();
          for (const c of counts)
            grouped.set(c.name, [...(grouped.get(c.name) ?? []), { value: c.value, count: c.count }]);
          result.facets = [...grouped].map(([name, values]) => ({ name, values }));
        }
        return result;
      });
    },

    /** Keyword search in Chinese or English, as JSON text. */
    searchJson(ctx: TenantContext, q: { q: string; sort: Sort; cursor?: string; limit: number }): Promise<string> {
      const terms = queryTerms(q.q);
      const key = `search:${terms.join(' ')}:${q.sort}:${q.cursor ?? ''}:${q.limit}`;
      return deps.cache.json(ctx.tenantId, key, async () => {
        if (terms.length === 0) return { items: [], nextCursor: null };
        return page(ctx, { terms }, q.sort, q.cursor, q.limit);
      });
    },

    /** A product on sale with its SKUs, as JSON text; anything else is not found. */
    async detailJson(ctx: TenantContext, id: number): Promise<string> {
      const text = await deps.cache.json(ctx.tenantId, `p:${id}`, async () => {
        const row: StoredProduct | null = await deps.repo.shownProduct(ctx, id);
        if (!row) return null;
        const [skus, promotions, videos] = await Promise.all([
          deps.repo.skus(ctx, [id]),
          promotionsOf(ctx, [id]),
          deps.videos.byIds(ctx, row.videoId ? [row.videoId] : []),
        ]);
        const video = row.videoId ? videos.get(row.videoId) : undefined;
        const shown = promotions.get(id);
        const images = await deps.images.byIds(ctx, [
          ...row.imageIds,
          ...skus.flatMap((s) => (s.imageId ? [s.imageId] : [])),
        ]);
        const image = (imageId: number | null): CatalogImage | null => (imageId ? (images.get(imageId) ?? null) : null);
        const detail: ShopProductDetail = {
          id: row.id,
          title: row.title,
          subtitle: row.subtitle,
          brand: row.brand,
          tags: row.tags,
          descriptionHtml: row.descriptionHtml,
          categoryId: row.categoryId,
          images: row.imageIds.flatMap((i) => (images.has(i) ? [images.get(i)!] : [])),
          video: video ? { url: video.url } : null,
          attributes: row.attributes,
          specs: row.specs,
          skus: skus.map((s) => ({
            id: s.id,
            specValues: s.specValues,
            priceFen: s.priceFen,
            originalPriceFen: s.originalPriceFen,
            stockState: s.stock <= 0 ? 'out_of_stock' : s.stock <= LOW_STOCK ? 'low' : 'in_stock',
            image: image(s.imageId),
            timedPriceFen: shown?.skuTimedPrices.get(s.id) ?? null,
          })),
          priceFen: row.minPriceFen,
          salesCount: row.salesCount,
          promotion: shown?.promotion ?? null,
          limits: { perOrder: row.rules.limitPerOrder, perShopper: row.rules.limitPerShopper },
          rating: {
            average: row.ratingCount ? Math.round((row.ratingSum / row.ratingCount) * 10) / 10 : null,
            count: row.ratingCount,
          },
        };
        return detail;
      });
      if (text === 'null') throw new NotFoundError('PRODUCT_NOT_FOUND');
      return text;
    },
  };
}

export type ShopCatalogService = ReturnType<typeof shopCatalogService>;
