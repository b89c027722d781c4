import type { Knex } from 'knex';
import type { CatalogImage, CategoryNode, ProductCard, ProductPage, ShopProductDetail, ShopProductListQuery } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { CatalogRepository, ProductRow } from './catalog.repository';
import { toProductRow } from './catalog.repository';
import type { CatalogService } from './catalog.service';
import type { ImagesService } from './images.service';
import { queryTerms } from './search-terms';

type Sort = ShopProductListQuery['sort'];

const SORTS: Record<Sort, { column: string; dir: 'asc' | 'desc' }> = {
  default: { column: 'id', dir: 'desc' },
  newest: { column: 'published_at', dir: 'desc' },
  sales: { column: 'sales_count', dir: 'desc' },
  price_asc: { column: 'min_price_fen', dir: 'asc' },
  price_desc: { column: 'min_price_fen', dir: 'desc' },
};

const LOW_STOCK = 5;
const CARD_COLUMNS = ['id', 'title', 'subtitle', 'image_ids', 'min_price_fen', 'original_price_fen', 'sales_count', 'total_stock', 'published_at'];

function encodeCursor(value: unknown, id: number): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: Sort): [string | number, number] {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    const okValue = sort === 'newest' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : typeof value === 'number';
    if (!okValue || typeof id !== 'number' || !Number.isSafeInteger(id)) throw new Error('shape');
    return [sort === 'newest' ? new Date(value as string).toISOString().slice(0, 23).replace('T', ' ') : (value as number), id];
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
export function shopCatalogService(deps: { knex: Knex; repo: CatalogRepository; images: ImagesService; cache: VersionedCache; catalog: CatalogService }) {
  const scopeOf = (ctx: TenantContext) => new TenantScope(deps.knex, ctx.tenantId);

  async function cards(ctx: TenantContext, rows: Array<Record<string, unknown>>): Promise<ProductCard[]> {
    const imageIds = rows.flatMap((r) => (toProductRow({ ...r, tags: '[]', attributes: '{}', specs: '[]' }).image_ids ?? []).slice(0, 1));
    const images = await deps.images.byIds(ctx, imageIds);
    return rows.map((raw) => {
      const r = toProductRow({ ...raw, tags: '[]', attributes: '{}', specs: '[]' });
      return {
        id: r.id,
        title: r.title,
        subtitle: r.subtitle,
        image: r.image_ids[0] !== undefined ? (images.get(r.image_ids[0]) ?? null) : null,
        priceFen: r.min_price_fen,
        originalPriceFen: r.original_price_fen,
        salesCount: r.sales_count,
        inStock: r.total_stock > 0,
      };
    });
  }

  async function page(ctx: TenantContext, base: Knex.QueryBuilder, sort: Sort, cursor: string | undefined, limit: number): Promise<ProductPage> {
    const { column, dir } = SORTS[sort];
    const q = base.clone().select(CARD_COLUMNS);
    if (cursor) {
      const [value, id] = decodeCursor(cursor, sort);
      const op = dir === 'desc' ? '<' : '>';
      if (column === 'id') q.where('id', op, id);
      else q.where((w) => w.where(column, op, value).orWhere((x) => x.where(column, value).andWhere('id', op, id)));
    }
    const rows = (await q.orderBy([{ column, order: dir }, ...(column === 'id' ? [] : [{ column: 'id', order: dir }])]).limit(limit + 1)) as Array<Record<string, unknown>>;
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    return { items: await cards(ctx, shown), nextCursor: more && last ? encodeCursor(last[column], Number(last.id)) : null };
  }

  function visible(ctx: TenantContext): Knex.QueryBuilder {
    return scopeOf(ctx).table('products').where('visible', true);
  }

  async function tree(ctx: TenantContext): Promise<CategoryNode[]> {
    return deps.catalog.tree(ctx);
  }

  return {
    /** The category tree, as JSON text. */
    categoriesJson: (ctx: TenantContext) => deps.cache.json(ctx.tenantId, 'categories', () => tree(ctx)),

    /** The home page, as JSON text: lists keep the merchant's order and show only what is on sale. */
    homeJson(ctx: TenantContext): Promise<string> {
      return deps.cache.json(ctx.tenantId, 'home', async () => {
        const layout = await deps.catalog.homeLayout(ctx);
        const ids = [...new Set([...layout.newProductIds, ...layout.hotProductIds, ...layout.recommendedProductIds])];
        const rows = ids.length ? ((await visible(ctx).whereIn('id', ids).select(CARD_COLUMNS)) as Array<Record<string, unknown>>) : [];
        const byId = new Map((await cards(ctx, rows)).map((c) => [c.id, c]));
        const list = (wanted: number[]) => wanted.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
        const images = await deps.images.byIds(ctx, layout.banners.map((b) => b.imageId));
        const categories = await deps.catalog.categoryMap(ctx);
        const icons = await deps.images.byIds(ctx, layout.shortcutCategoryIds.flatMap((id) => (categories.get(id)?.icon_image_id ? [categories.get(id)!.icon_image_id!] : [])));
        return {
          banners: layout.banners.flatMap((b) => (images.has(b.imageId) ? [{ image: images.get(b.imageId)!, productId: b.productId, categoryId: b.categoryId }] : [])),
          shortcuts: layout.shortcutCategoryIds.flatMap((id) => {
            const c = categories.get(id);
            return c ? [{ id, name: c.name, icon: c.icon_image_id ? (icons.get(c.icon_image_id) ?? null) : null }] : [];
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
        let base = visible(ctx);
        if (query.categoryId) {
          const category = (await deps.catalog.categoryMap(ctx)).get(query.categoryId);
          if (!category) return { items: [], nextCursor: null, facets: [] };
          base = base.where(`c${category.level}_id`, category.id);
        }
        if (query.priceMin !== undefined) base = base.where('min_price_fen', '>=', query.priceMin);
        if (query.priceMax !== undefined) base = base.where('min_price_fen', '<=', query.priceMax);
        const unfaceted = base.clone();
        const byName = new Map<string, string[]>();
        for (const f of facets) {
          const [name, value] = f.split(':') as [string, string];
          byName.set(name, [...(byName.get(name) ?? []), value]);
        }
        for (const [name, values] of byName) {
          base = base.whereIn('id', scopeOf(ctx).table('product_facets').select('product_id').where('name', name).whereIn('value', values));
        }
        const result = await page(ctx, base, query.sort, query.cursor, query.limit);
        if (!query.cursor) {
          const counts = (await scopeOf(ctx)
            .table('product_facets')
            .whereIn('product_id', unfaceted.clone().select('id'))
            .select('name', 'value')
            .count({ n: '*' })
            .groupBy('name', 'value')
            .orderBy([{ column: 'name' }, { column: 'value' }])) as Array<{ name: string; value: string; n: number }>;
          const grouped = new Map<string, Array<{ value: string; count: number }>>();
          for (const c of counts) grouped.set(c.name, [...(grouped.get(c.name) ?? []), { value: c.value, count: Number(c.n) }]);
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
        const matching = scopeOf(ctx)
          .table('product_search_terms')
          .select('product_id')
          .whereIn('term', terms)
          .groupBy('product_id')
          .havingRaw('COUNT(DISTINCT term) = ?', [terms.length]);
        return page(ctx, visible(ctx).whereIn('id', matching), q.sort, q.cursor, q.limit);
      });
    },

    /** A product on sale with its SKUs, as JSON text; anything else is not found. */
    async detailJson(ctx: TenantContext, id: number): Promise<string> {
      const text = await deps.cache.json(ctx.tenantId, `p:${id}`, async () => {
        const raw = await visible(ctx).where({ id }).first();
        if (!raw) return null;
        const row: ProductRow = toProductRow(raw);
        const skus = await deps.repo.skus(scopeOf(ctx), [id]);
        const images = await deps.images.byIds(ctx, [...row.image_ids, ...skus.flatMap((s) => (s.image_id ? [s.image_id] : []))]);
        const image = (imageId: number | null): CatalogImage | null => (imageId ? (images.get(imageId) ?? null) : null);
        const detail: ShopProductDetail = {
          id: row.id,
          title: row.title,
          subtitle: row.subtitle,
          brand: row.brand,
          tags: row.tags,
          descriptionHtml: row.description_html,
          categoryId: row.category_id,
          images: row.image_ids.flatMap((i) => (images.has(i) ? [images.get(i)!] : [])),
          attributes: row.attributes,
          specs: row.specs,
          skus: skus.map((s) => ({
            id: s.id,
            specValues: s.spec_values,
            priceFen: s.price_fen,
            originalPriceFen: s.original_price_fen,
            stockState: s.stock <= 0 ? 'out_of_stock' : s.stock <= LOW_STOCK ? 'low' : 'in_stock',
            image: image(s.image_id),
          })),
          priceFen: row.min_price_fen,
          salesCount: row.sales_count,
          rating: { average: row.rating_count ? Math.round((row.rating_sum / row.rating_count) * 10) / 10 : null, count: row.rating_count },
        };
        return detail;
      });
      if (text === 'null') throw new NotFoundError('PRODUCT_NOT_FOUND');
      return text;
    },
  };
}

export type ShopCatalogService = ReturnType<typeof shopCatalogService>;
