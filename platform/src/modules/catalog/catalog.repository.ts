import type { Knex } from 'knex';
import type { ProductStatus, ShopProductListQuery } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, parseJsonColumn, shiftedBy, totalOf } from '../../kernel/db/rows';
import type { NormalizedProduct, ProductRules } from './product-rules';
import { indexTerms } from './search-terms';

/** A category of the shop's tree (at most three levels). */
export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  level: number;
  sort: number;
  iconImageId: number | null;
}

interface CategoryRow {
  id: number;
  parent_id: number | null;
  name: string;
  level: number;
  sort: number;
  icon_image_id: number | null;
}

const toCategory = (r: CategoryRow): Category => ({
  id: Number(r.id),
  parentId: r.parent_id === null ? null : Number(r.parent_id),
  name: String(r.name),
  level: Number(r.level),
  sort: Number(r.sort),
  iconImageId: r.icon_image_id === null ? null : Number(r.icon_image_id),
});

/** A product as stored, deleted or not. */
export interface StoredProduct {
  id: number;
  spuCode: string | null;
  title: string;
  subtitle: string;
  brand: string;
  tags: string[];
  descriptionHtml: string;
  categoryId: number;
  imageIds: number[];
  videoId: number | null;
  attributes: Record<string, string>;
  specs: Array<{ name: string; values: string[] }>;
  status: ProductStatus;
  /** The shop's freight template it ships by; null: the shop's default. */
  freightTemplateId: number | null;
  minPriceFen: number;
  maxPriceFen: number;
  originalPriceFen: number | null;
  totalStock: number;
  salesCount: number;
  ratingCount: number;
  ratingSum: number;
  rules: ProductRules;
  publishedAt: Date | null;
  deletedAt: Date | null;
  createdAt: string;
  updatedAt: string;
}

interface ProductRow {
  id: number;
  spu_code: string | null;
  title: string;
  subtitle: string;
  brand: string;
  tags: unknown;
  description_html: string;
  category_id: number;
  image_ids: unknown;
  video_id: number | null;
  attributes: unknown;
  specs: unknown;
  status: ProductStatus;
  freight_template_id: number | null;
  min_price_fen: number;
  max_price_fen: number;
  original_price_fen: number | null;
  total_stock: number;
  sales_count: number;
  rating_count: number;
  rating_sum: number;
  limit_per_order: number | null;
  limit_per_shopper: number | null;
  on_sale_at: Date | null;
  off_sale_at: Date | null;
  published_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const imageIdsOf = (value: unknown): number[] => ((parseJsonColumn(value) as number[] | null) ?? []).map(Number);

const toProduct = (r: ProductRow): StoredProduct => ({
  id: Number(r.id),
  spuCode: r.spu_code ?? null,
  title: String(r.title),
  subtitle: String(r.subtitle),
  brand: String(r.brand),
  tags: (parseJsonColumn(r.tags) as string[] | null) ?? [],
  descriptionHtml: String(r.description_html),
  categoryId: Number(r.category_id),
  imageIds: imageIdsOf(r.image_ids),
  videoId: r.video_id === null || r.video_id === undefined ? null : Number(r.video_id),
  attributes: (parseJsonColumn(r.attributes) as Record<string, string> | null) ?? {},
  specs: (parseJsonColumn(r.specs) as Array<{ name: string; values: string[] }> | null) ?? [],
  status: r.status,
  freightTemplateId:
    r.freight_template_id === null || r.freight_template_id === undefined ? null : Number(r.freight_template_id),
  minPriceFen: Number(r.min_price_fen ?? 0),
  maxPriceFen: Number(r.max_price_fen ?? 0),
  originalPriceFen: r.original_price_fen === null ? null : Number(r.original_price_fen),
  totalStock: Number(r.total_stock ?? 0),
  salesCount: Number(r.sales_count ?? 0),
  ratingCount: Number(r.rating_count ?? 0),
  ratingSum: Number(r.rating_sum ?? 0),
  rules: {
    limitPerOrder: r.limit_per_order === null ? null : Number(r.limit_per_order),
    limitPerShopper: r.limit_per_shopper === null ? null : Number(r.limit_per_shopper),
    onSaleAt: r.on_sale_at ?? null,
    offSaleAt: r.off_sale_at ?? null,
  },
  publishedAt: r.published_at ?? null,
  deletedAt: r.deleted_at ?? null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** A product as the merchant's list shows it. */
export interface ProductSummary {
  id: number;
  title: string;
  categoryId: number;
  imageIds: number[];
  status: ProductStatus;
  minPriceFen: number;
  maxPriceFen: number;
  totalStock: number;
  salesCount: number;
  updatedAt: string;
}

type SummaryRow = Pick<
  ProductRow,
  | 'id'
  | 'title'
  | 'category_id'
  | 'image_ids'
  | 'status'
  | 'min_price_fen'
  | 'max_price_fen'
  | 'total_stock'
  | 'sales_count'
  | 'updated_at'
>;
const SUMMARY_COLUMNS = [
  'id',
  'title',
  'category_id',
  'image_ids',
  'status',
  'min_price_fen',
  'max_price_fen',
  'total_stock',
  'sales_count',
  'updated_at',
];

const toSummary = (r: SummaryRow): ProductSummary => ({
  id: Number(r.id),
  title: String(r.title),
  categoryId: Number(r.category_id),
  imageIds: imageIdsOf(r.image_ids),
  status: r.status,
  minPriceFen: Number(r.min_price_fen),
  maxPriceFen: Number(r.max_price_fen),
  totalStock: Number(r.total_stock),
  salesCount: Number(r.sales_count),
  updatedAt: iso(r.updated_at),
});

/** A product on sale as a shopper's list shows it (a card). */
export interface ProductCardFacts {
  id: number;
  title: string;
  subtitle: string;
  imageIds: number[];
  minPriceFen: number;
  originalPriceFen: number | null;
  salesCount: number;
  totalStock: number;
}

type CardRow = Pick<
  ProductRow,
  | 'id'
  | 'title'
  | 'subtitle'
  | 'image_ids'
  | 'min_price_fen'
  | 'original_price_fen'
  | 'sales_count'
  | 'total_stock'
  | 'published_at'
>;
const CARD_COLUMNS = [
  'id',
  'title',
  'subtitle',
  'image_ids',
  'min_price_fen',
  'original_price_fen',
  'sales_count',
  'total_stock',
  'published_at',
];

const toCard = (r: CardRow): ProductCardFacts => ({
  id: Number(r.id),
  title: String(r.title),
  subtitle: String(r.subtitle),
  imageIds: imageIdsOf(r.image_ids),
  minPriceFen: Number(r.min_price_fen ?? 0),
  originalPriceFen: r.original_price_fen === null ? null : Number(r.original_price_fen),
  salesCount: Number(r.sales_count ?? 0),
  totalStock: Number(r.total_stock ?? 0),
});

/** A SKU as stored: one combination of its product's spec values. */
export interface StoredSku {
  id: number;
  productId: number;
  specKey: string;
  specValues: string[];
  code: string | null;
  priceFen: number;
  originalPriceFen: number | null;
  stock: number;
  imageId: number | null;
  /** Weight (g) and volume (cm³) of one unit, for freight; 0 when not given. */
  weightGrams: number;
  volumeCm3: number;
}

interface SkuRow {
  id: number;
  product_id: number;
  spec_key: string;
  spec_values: unknown;
  code: string | null;
  price_fen: number;
  original_price_fen: number | null;
  stock: number;
  image_id: number | null;
  weight_grams: number;
  volume_cm3: number;
}

const toSku = (r: SkuRow): StoredSku => ({
  id: Number(r.id),
  productId: Number(r.product_id),
  specKey: String(r.spec_key),
  specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
  code: r.code ?? null,
  priceFen: Number(r.price_fen),
  originalPriceFen: r.original_price_fen === null ? null : Number(r.original_price_fen),
  stock: Number(r.stock),
  imageId: r.image_id === null ? null : Number(r.image_id),
  weightGrams: Number(r.weight_grams ?? 0),
  volumeCm3: Number(r.volume_cm3 ?? 0),
});

/** A SKU as other modules see it: see `skuFacts`. */
/** Where a product sits in the category tree, and its SKUs' prices (what a promotion or a coupon scope needs). */
export interface ProductPlace {
  productId: number;
  /** Its category with the ancestors, root first. */
  categoryPath: number[];
  skus: Array<{ skuId: number; priceFen: number }>;
}

export interface SkuFacts {
  skuId: number;
  productId: number;
  title: string;
  specValues: string[];
  priceFen: number;
  stock: number;
  imageId: number | null;
  productStatus: ProductStatus;
  /** The product's category, and the path of categories down to it (top level first). */
  categoryId: number;
  categoryPath: number[];
  deleted: boolean;
  /** On sale and not deleted: it can be put in a cart and bought. */
  forSale: boolean;
  /** Its product's purchase limits (限购): per order, per shopper over their orders not cancelled; null: none. */
  limits: { perOrder: number | null; perShopper: number | null };
  /** What freight counts of one unit: its weight (g) and volume (cm³), 0 when not given. */
  weightGrams: number;
  volumeCm3: number;
  /** Its product's freight template; null: the shop's default. */
  freightTemplateId: number | null;
}

interface SkuFactsRow {
  id: number;
  product_id: number;
  spec_values: unknown;
  price_fen: number;
  stock: number;
  image_id: number | null;
  title: string;
  status: ProductStatus;
  visible: number | boolean;
  deleted_at: Date | null;
  image_ids: unknown;
  category_id: number;
  c1_id: number | null;
  c2_id: number | null;
  c3_id: number | null;
  limit_per_order: number | null;
  limit_per_shopper: number | null;
  weight_grams: number;
  volume_cm3: number;
  freight_template_id: number | null;
}

const toSkuFacts = (r: SkuFactsRow): SkuFacts => ({
  skuId: Number(r.id),
  productId: Number(r.product_id),
  title: String(r.title),
  specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
  priceFen: Number(r.price_fen),
  stock: Number(r.stock),
  imageId: r.image_id ? Number(r.image_id) : (imageIdsOf(r.image_ids)[0] ?? null),
  productStatus: r.status,
  categoryId: Number(r.category_id),
  categoryPath: [r.c1_id, r.c2_id, r.c3_id].filter((c) => c !== null && c !== undefined).map(Number),
  deleted: Boolean(r.deleted_at),
  forSale: Boolean(r.visible),
  limits: {
    perOrder: r.limit_per_order === null ? null : Number(r.limit_per_order),
    perShopper: r.limit_per_shopper === null ? null : Number(r.limit_per_shopper),
  },
  weightGrams: Number(r.weight_grams),
  volumeCm3: Number(r.volume_cm3),
  freightTemplateId: r.freight_template_id === null ? null : Number(r.freight_template_id),
});

/** A SKU's stock as locked for a change: its product, and how many are left. */
export interface LockedStock {
  productId: number;
  stock: number;
}

/** What a product is written with: the checked input, its category path, and (from an import) its SPU code. */
export type ProductToSave = NormalizedProduct & { spuCode?: string | null; path: Array<number | null> };

/** What facets and search terms are made of. */
export type IndexedProduct = Pick<
  NormalizedProduct,
  'title' | 'subtitle' | 'brand' | 'tags' | 'attributes' | 'specs'
> & { id: number };

/** The shopper's sorts: each a column and a direction (the id breaks ties the same way). */
export type ShopSort = ShopProductListQuery['sort'];
const SORTS: Record<ShopSort, { column: keyof CardRow & string; dir: 'asc' | 'desc' }> = {
  default: { column: 'id', dir: 'desc' },
  newest: { column: 'published_at', dir: 'desc' },
  sales: { column: 'sales_count', dir: 'desc' },
  price_asc: { column: 'min_price_fen', dir: 'asc' },
  price_desc: { column: 'min_price_fen', dir: 'desc' },
};

/** Which products on sale a shopper's listing shows. */
export interface ShopFilter {
  /** A category at its level of the tree (its products and those of the categories below it). */
  category?: { id: number; level: number };
  priceMinFen?: number;
  priceMaxFen?: number;
  /** Facet values by name: a product has one of the values of every name. */
  facets?: Map<string, string[]>;
  /** Search terms: a product has every one. */
  terms?: string[];
}

/** Where a page of a listing starts: after the row with this sort value and id. */
export type PageKey = { value: number | Date | null; id: number };

/**
 * Catalog tables, all tenant-owned: `categories`, `products`, `skus`, `product_facets`,
 * `product_search_terms`, `catalog_home`. Every query goes through the tenant scope of the context (its
 * transaction, when it carries one).
 */
export function catalogRepository(db: Database) {
  const categories = (ctx: TenantContext) => db.scope(ctx).table('categories');
  const products = (ctx: TenantContext) => db.scope(ctx).table('products');
  const skus = (ctx: TenantContext) => db.scope(ctx).table('skus');
  const visible = (ctx: TenantContext) => products(ctx).where('visible', true);

  /** The products on sale a filter lets through (facets included unless `withFacets` is false). */
  function shown(ctx: TenantContext, f: ShopFilter, withFacets = true): Knex.QueryBuilder {
    const scope = db.scope(ctx);
    const q = visible(ctx);
    if (f.category) q.where(`c${f.category.level}_id`, f.category.id);
    if (f.priceMinFen !== undefined) q.where('min_price_fen', '>=', f.priceMinFen);
    if (f.priceMaxFen !== undefined) q.where('min_price_fen', '<=', f.priceMaxFen);
    if (withFacets) {
      for (const [name, values] of f.facets ?? [])
        q.whereIn(
          'id',
          scope.table('product_facets').select('product_id').where('name', name).whereIn('value', values),
        );
    }
    if (f.terms) {
      q.whereIn(
        'id',
        scope
          .table('product_search_terms')
          .select('product_id')
          .whereIn('term', f.terms)
          .groupBy('product_id')
          .havingRaw('COUNT(DISTINCT term) = ?', [f.terms.length]),
      );
    }
    return q;
  }

  const repo = {
    async categories(ctx: TenantContext): Promise<Category[]> {
      return (
        (await categories(ctx).orderBy([{ column: 'level' }, { column: 'sort' }, { column: 'id' }])) as CategoryRow[]
      ).map(toCategory);
    },

    async insertCategory(ctx: TenantContext, c: Omit<Category, 'id'>): Promise<number> {
      return db.scope(ctx).insert('categories', {
        name: c.name,
        parent_id: c.parentId,
        level: c.level,
        sort: c.sort,
        icon_image_id: c.iconImageId,
      });
    },

    async updateCategory(
      ctx: TenantContext,
      id: number,
      patch: Partial<Omit<Category, 'id'>>,
      at: Date,
    ): Promise<void> {
      const row: Record<string, unknown> = { updated_at: at };
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.iconImageId !== undefined) row.icon_image_id = patch.iconImageId;
      if (patch.parentId !== undefined) row.parent_id = patch.parentId;
      if (patch.level !== undefined) row.level = patch.level;
      if (patch.sort !== undefined) row.sort = patch.sort;
      await categories(ctx).where({ id }).update(row);
    },

    async setCategoryLevel(ctx: TenantContext, id: number, level: number): Promise<void> {
      await categories(ctx).where({ id }).update({ level });
    },

    async setCategorySort(ctx: TenantContext, id: number, sort: number): Promise<void> {
      await categories(ctx).where({ id }).update({ sort });
    },

    async deleteCategory(ctx: TenantContext, id: number): Promise<void> {
      await categories(ctx).where({ id }).delete();
    },

    /** Points the products of a category at its (new) path of categories. */
    async setCategoryPath(ctx: TenantContext, categoryId: number, path: number[]): Promise<void> {
      await products(ctx)
        .where({ category_id: categoryId })
        .update({ c1_id: path[0] ?? null, c2_id: path[1] ?? null, c3_id: path[2] ?? null });
    },

    async productCountInCategory(ctx: TenantContext, categoryId: number): Promise<number> {
      return totalOf(
        await products(ctx).whereNull('deleted_at').where('category_id', categoryId).count({ total: '*' }),
      );
    },

    /** The shop's products that are not deleted, whatever their status. */
    async productCount(ctx: TenantContext): Promise<number> {
      return totalOf(await products(ctx).whereNull('deleted_at').count({ total: '*' }));
    },

    /** A product that is not deleted. */
    async product(ctx: TenantContext, id: number): Promise<StoredProduct | null> {
      const r = (await products(ctx).where({ id }).whereNull('deleted_at').first()) as ProductRow | undefined;
      return r ? toProduct(r) : null;
    },

    /** Every product that is not deleted, by id. */
    async allProducts(ctx: TenantContext): Promise<StoredProduct[]> {
      return ((await products(ctx).whereNull('deleted_at').orderBy('id')) as ProductRow[]).map(toProduct);
    },

    /** Products by SPU code, deleted ones included (an import brings them back). */
    async productsBySpu(ctx: TenantContext, spuCodes: string[]): Promise<Map<string, StoredProduct>> {
      if (spuCodes.length === 0) return new Map();
      const rows = (await products(ctx).whereIn('spu_code', spuCodes).select('*')) as ProductRow[];
      return new Map(rows.map((r) => [String(r.spu_code), toProduct(r)]));
    },

    /** Of these product ids, those not deleted. */
    async existingProductIds(ctx: TenantContext, ids: number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      return ((await products(ctx).whereIn('id', ids).whereNull('deleted_at').pluck('id')) as number[]).map(Number);
    },

    /** The merchant's list: products not deleted, newest first, by keyword (title or SPU code), category and status. */
    async listProducts(
      ctx: TenantContext,
      q: { q?: string; categoryId?: number; status?: ProductStatus; page: number; pageSize: number },
    ): Promise<{ rows: ProductSummary[]; total: number }> {
      const base = () => {
        const b = products(ctx).whereNull('deleted_at');
        if (q.status) b.where('status', q.status);
        if (q.categoryId)
          b.where((w) =>
            w.where('c1_id', q.categoryId!).orWhere('c2_id', q.categoryId!).orWhere('c3_id', q.categoryId!),
          );
        if (q.q) {
          const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          b.where((w) => w.where('title', 'like', like).orWhere('spu_code', 'like', like));
        }
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .select(SUMMARY_COLUMNS)
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<SummaryRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toSummary), total: totalOf(counted) };
    },

    /** Puts products on or off sale, or deletes them (soft); returns how many changed. */
    async setProductsState(
      ctx: TenantContext,
      ids: number[],
      action: 'on_sale' | 'off_sale' | 'delete',
      at: Date,
    ): Promise<number> {
      const q = products(ctx).whereIn('id', ids).whereNull('deleted_at');
      // A hand that puts a product on sale ends its wait to go on sale; one that takes it off (or deletes it) ends both.
      return action === 'delete'
        ? q.update({ deleted_at: at, visible: false, updated_at: at, on_sale_at: null, off_sale_at: null })
        : q.update({
            status: action,
            visible: action === 'on_sale',
            updated_at: at,
            on_sale_at: null,
            ...(action === 'off_sale' ? { off_sale_at: null } : {}),
            published_at:
              action === 'on_sale' ? db.knex.raw('COALESCE(published_at, ?)', [at]) : db.knex.raw('published_at'),
          });
    },

    /**
     * The products whose on-sale (or off-sale) instant has come put on sale (or off sale), that instant cleared: ids
     * read, then each statement guarded by the instant again, so a product an editor rescheduled meanwhile stays as
     * saved. On before off, so a product whose two instants both passed ends off sale.
     */
    async applyDueSchedules(ctx: TenantContext, at: Date): Promise<{ onSale: number[]; offSale: number[] }> {
      const due = async (column: 'on_sale_at' | 'off_sale_at') =>
        ((await products(ctx).where(column, '<=', at).whereNull('deleted_at').pluck('id')) as number[]).map(Number);
      const onSale = await due('on_sale_at');
      if (onSale.length)
        await products(ctx)
          .whereIn('id', onSale)
          .where('on_sale_at', '<=', at)
          .update({
            status: 'on_sale',
            visible: true,
            on_sale_at: null,
            updated_at: at,
            published_at: db.knex.raw('COALESCE(published_at, ?)', [at]),
          });
      const offSale = await due('off_sale_at');
      if (offSale.length)
        await products(ctx)
          .whereIn('id', offSale)
          .where('off_sale_at', '<=', at)
          .update({ status: 'off_sale', visible: false, on_sale_at: null, off_sale_at: null, updated_at: at });
      return { onSale, offSale };
    },

    /** How many products that are not deleted ship by a freight template. */
    async productsUsingFreightTemplate(ctx: TenantContext, templateId: number): Promise<number> {
      return totalOf(
        await products(ctx).where('freight_template_id', templateId).whereNull('deleted_at').count({ total: '*' }),
      );
    },

    /** Product titles by id, deleted products included. */
    async titles(ctx: TenantContext, productIds: number[]): Promise<Map<number, string>> {
      if (productIds.length === 0) return new Map();
      const rows = (await products(ctx)
        .whereIn('id', [...new Set(productIds)])
        .select('id', 'title')) as Array<{ id: number; title: string }>;
      return new Map(rows.map((r) => [Number(r.id), String(r.title)]));
    },

    /** The rating totals of a product on sale and not deleted, or null. */
    async rating(ctx: TenantContext, productId: number): Promise<{ count: number; sum: number } | null> {
      const r = (await products(ctx)
        .where({ id: productId, status: 'on_sale' })
        .whereNull('deleted_at')
        .first('rating_count', 'rating_sum')) as Pick<ProductRow, 'rating_count' | 'rating_sum'> | undefined;
      return r ? { count: Number(r.rating_count), sum: Number(r.rating_sum) } : null;
    },

    async moveRating(ctx: TenantContext, productId: number, by: { count: number; sum: number }): Promise<void> {
      const q = products(ctx).where({ id: productId });
      await q.update({
        rating_count: q.client.raw('rating_count + ?', [by.count]),
        rating_sum: q.client.raw('rating_sum + ?', [by.sum]),
      });
    },

    /**
     * SKUs by id as other modules see them (a cart, an order): price, stock, the image to show (the
     * SKU's own, else the product's first) and their product's title and state. A SKU that no longer
     * exists is absent.
     */
    async skuFacts(ctx: TenantContext, skuIds: number[]): Promise<Map<number, SkuFacts>> {
      if (skuIds.length === 0) return new Map();
      const rows = (await db
        .scope(ctx)
        .table('skus', 's')
        .join('products as p', (j) => j.on('p.id', '=', 's.product_id').andOn('p.tenant_id', '=', 's.tenant_id'))
        .whereIn('s.id', [...new Set(skuIds)])
        .select(
          's.id',
          's.product_id',
          's.spec_values',
          's.price_fen',
          's.stock',
          's.image_id',
          'p.title',
          'p.status',
          'p.visible',
          'p.deleted_at',
          'p.image_ids',
        )
        .select('p.category_id', 'p.c1_id', 'p.c2_id', 'p.c3_id', 'p.limit_per_order', 'p.limit_per_shopper')
        .select('s.weight_grams', 's.volume_cm3', 'p.freight_template_id')) as SkuFactsRow[];
      return new Map(rows.map((r) => [Number(r.id), toSkuFacts(r)]));
    },

    /** Where these products sit (their category path) and their SKUs' prices; deleted products are absent. */
    async productPlaces(ctx: TenantContext, productIds: number[]): Promise<Map<number, ProductPlace>> {
      if (productIds.length === 0) return new Map();
      const ids = [...new Set(productIds)];
      const [products, prices] = await Promise.all([
        db
          .scope(ctx)
          .table('products')
          .whereIn('id', ids)
          .whereNull('deleted_at')
          .select('id', 'c1_id', 'c2_id', 'c3_id') as Promise<
          Array<{ id: number; c1_id: number | null; c2_id: number | null; c3_id: number | null }>
        >,
        skus(ctx).whereIn('product_id', ids).orderBy('id').select('id', 'product_id', 'price_fen') as Promise<
          Array<{ id: number; product_id: number; price_fen: number }>
        >,
      ]);
      const places = new Map<number, ProductPlace>(
        products.map((p) => [
          Number(p.id),
          {
            productId: Number(p.id),
            categoryPath: [p.c1_id, p.c2_id, p.c3_id].filter((c) => c !== null).map(Number),
            skus: [],
          },
        ]),
      );
      for (const s of prices)
        places.get(Number(s.product_id))?.skus.push({ skuId: Number(s.id), priceFen: Number(s.price_fen) });
      return places;
    },

    async skus(ctx: TenantContext, productIds: number[]): Promise<StoredSku[]> {
      if (productIds.length === 0) return [];
      return ((await skus(ctx).whereIn('product_id', productIds).orderBy('id')) as SkuRow[]).map(toSku);
    },

    /** Locks SKUs (ids in the order to lock them) until the context's transaction ends; returns what each has left. */
    async lockStock(ctx: TenantContext, orderedSkuIds: number[]): Promise<Map<number, LockedStock>> {
      if (orderedSkuIds.length === 0) return new Map();
      const rows = (await skus(ctx)
        .whereIn('id', orderedSkuIds)
        .orderBy('id')
        .forUpdate()
        .select('id', 'product_id', 'stock')) as Array<Pick<SkuRow, 'id' | 'product_id' | 'stock'>>;
      return new Map(rows.map((s) => [Number(s.id), { productId: Number(s.product_id), stock: Number(s.stock) }]));
    },

    /** Takes stock from SKUs and their products' totals, each by its own amount: one statement per table. */
    async takeStock(ctx: TenantContext, perSku: Map<number, number>, perProduct: Map<number, number>): Promise<void> {
      if (perSku.size === 0) return;
      await skus(ctx)
        .whereIn('id', [...perSku.keys()])
        .update({ stock: shiftedBy(db.knex, 'stock', 'id', '-', perSku) });
      await products(ctx)
        .whereIn('id', [...perProduct.keys()])
        .update({ total_stock: shiftedBy(db.knex, 'total_stock', 'id', '-', perProduct) });
    },

    /** Gives stock back to a SKU and its product's total in one statement (a join update). */
    async giveBackStock(ctx: TenantContext, skuId: number, quantity: number): Promise<void> {
      const scope = db.scope(ctx);
      await scope
        .joinScoped(scope.table('skus', 's'), 'products', 'p', 'p.id', 's.product_id')
        .where('s.id', skuId)
        .update({
          's.stock': db.knex.raw('?? + ?', ['s.stock', quantity]),
          'p.total_stock': db.knex.raw('?? + ?', ['p.total_stock', quantity]),
        });
    },

    /**
     * Moves products' sales figures, each by its own amount (negative: taken back), in one statement,
     * in the context's transaction.
     */
    async moveSales(ctx: TenantContext, changes: Array<{ productId: number; quantity: number }>): Promise<void> {
      const per = new Map<number, number>();
      for (const c of changes) per.set(c.productId, (per.get(c.productId) ?? 0) + c.quantity);
      for (const [id, n] of per) if (n === 0) per.delete(id);
      if (per.size === 0) return;
      const q = products(ctx).whereIn('id', [...per.keys()]);
      await q.update({ sales_count: shiftedBy(q.client, 'sales_count', 'id', '+', per) });
    },

    /**
     * Writes a product with its SKUs (matched by spec values), facets and search terms. Returns its id.
     * The caller runs it in a transaction (the context carries it).
     */
    async saveProduct(
      ctx: TenantContext,
      p: ProductToSave,
      existing: StoredProduct | null,
      now: Date,
      opts: { deferIndex?: boolean } = {},
    ): Promise<number> {
      const scope = db.scope(ctx);
      const visible = p.status === 'on_sale';
      const row = {
        title: p.title,
        subtitle: p.subtitle,
        brand: p.brand,
        tags: JSON.stringify(p.tags),
        description_html: p.descriptionHtml,
        category_id: p.categoryId,
        c1_id: p.path[0] ?? null,
        c2_id: p.path[1] ?? null,
        c3_id: p.path[2] ?? null,
        image_ids: JSON.stringify(p.imageIds),
        video_id: p.videoId,
        attributes: JSON.stringify(p.attributes),
        specs: JSON.stringify(p.specs),
        status: p.status,
        visible,
        ...(p.freightTemplateId !== undefined ? { freight_template_id: p.freightTemplateId } : {}),
        min_price_fen: p.minPriceFen,
        max_price_fen: p.maxPriceFen,
        original_price_fen: p.originalPriceFen,
        total_stock: p.totalStock,
        limit_per_order: p.rules.limitPerOrder,
        limit_per_shopper: p.rules.limitPerShopper,
        on_sale_at: p.rules.onSaleAt,
        off_sale_at: p.rules.offSaleAt,
        updated_at: now,
        ...(p.spuCode !== undefined ? { spu_code: p.spuCode } : {}),
      };
      let id: number;
      if (existing) {
        id = existing.id;
        await products(ctx)
          .where({ id })
          .update({
            ...row,
            deleted_at: null,
            published_at: visible ? (existing.publishedAt ?? now) : existing.publishedAt,
          });
      } else {
        id = await scope.insert('products', { ...row, published_at: visible ? now : null, created_at: now });
      }
      const old = existing ? await repo.skus(ctx, [id]) : [];
      const byKey = new Map(old.map((s) => [s.specKey, s]));
      const fresh: Array<Record<string, unknown>> = [];
      for (const sku of p.skus) {
        const values = {
          spec_values: JSON.stringify(sku.specValues),
          code: sku.code,
          price_fen: sku.priceFen,
          original_price_fen: sku.originalPriceFen,
          stock: sku.stock,
          image_id: sku.imageId,
          // null: keep what is stored (the input did not say; an import has no such columns); a new SKU has none (0).
          ...(sku.weightGrams !== null ? { weight_grams: sku.weightGrams } : {}),
          ...(sku.volumeCm3 !== null ? { volume_cm3: sku.volumeCm3 } : {}),
          updated_at: now,
        };
        const match = byKey.get(sku.specKey);
        if (match) {
          await skus(ctx).where({ id: match.id }).update(values);
          byKey.delete(sku.specKey);
        } else {
          fresh.push({ ...values, product_id: id, spec_key: sku.specKey });
        }
      }
      if (fresh.length) await skus(ctx).insert(fresh);
      if (byKey.size)
        await skus(ctx)
          .whereIn(
            'id',
            [...byKey.values()].map((s) => s.id),
          )
          .delete();
      if (!opts.deferIndex) await repo.reindex(ctx, [{ id, ...p }], { fresh: !existing });
      return id;
    },

    /** Rewrites the facet values and search terms of products (`fresh`: they have none yet). */
    async reindex(ctx: TenantContext, indexed: IndexedProduct[], opts: { fresh?: boolean } = {}): Promise<void> {
      if (indexed.length === 0) return;
      const scope = db.scope(ctx);
      const ids = indexed.map((p) => p.id);
      if (!opts.fresh) {
        await scope.table('product_facets').whereIn('product_id', ids).delete();
        await scope.table('product_search_terms').whereIn('product_id', ids).delete();
      }
      const facets: Array<Record<string, unknown>> = [];
      const terms: Array<Record<string, unknown>> = [];
      for (const p of indexed) {
        const pairs = new Set<string>();
        for (const [name, value] of Object.entries(p.attributes)) pairs.add(`${name}\u0000${value}`);
        for (const s of p.specs) for (const v of s.values) pairs.add(`${s.name}\u0000${v}`);
        for (const pair of pairs) {
          const [name, value] = pair.split('\u0000');
          facets.push({ product_id: p.id, name, value });
        }
        for (const term of indexTerms(p.title, p.subtitle, p.brand, p.tags.join(' ')))
          terms.push({ product_id: p.id, term });
      }
      for (let i = 0; i < facets.length; i += 5000)
        await scope.table('product_facets').insert(facets.slice(i, i + 5000));
      for (let i = 0; i < terms.length; i += 5000)
        await scope.table('product_search_terms').insert(terms.slice(i, i + 5000));
    },

    /** The stored home layout (unchecked JSON), or `{}` when the shop has none. */
    async homeLayout(ctx: TenantContext): Promise<unknown> {
      const row = (await db.scope(ctx).table('catalog_home').first()) as { layout: unknown } | undefined;
      return row ? parseJsonColumn(row.layout) : {};
    },

    async saveHomeLayout(ctx: TenantContext, layout: unknown, at: Date): Promise<void> {
      await db
        .scope(ctx)
        .upsert('catalog_home', { layout: JSON.stringify(layout), updated_at: at }, ['layout', 'updated_at']);
    },

    /** Products on sale with their category and sales: a page by id after `afterId`, or those among `ids`. */
    async onSale(
      ctx: TenantContext,
      q: { afterId: number; limit: number } | { ids: number[] },
    ): Promise<Array<{ id: number; categoryId: number; salesCount: number }>> {
      const b = visible(ctx);
      if ('ids' in q) {
        if (q.ids.length === 0) return [];
        b.whereIn('id', q.ids);
      } else b.where('id', '>', q.afterId).orderBy('id').limit(q.limit);
      const rows = (await b.select('id', 'category_id', 'sales_count')) as Array<{
        id: number;
        category_id: number;
        sales_count: number;
      }>;
      return rows.map((r) => ({
        id: Number(r.id),
        categoryId: Number(r.category_id),
        salesCount: Number(r.sales_count),
      }));
    },

    /** Products on sale among these ids, as cards (in no particular order). */
    async shownCards(ctx: TenantContext, ids: number[]): Promise<ProductCardFacts[]> {
      if (ids.length === 0) return [];
      return ((await visible(ctx).whereIn('id', ids).select(CARD_COLUMNS)) as CardRow[]).map(toCard);
    },

    /**
     * A page of the products on sale a filter lets through, in a sort, after a key: up to `limit` cards,
     * and the key of the last one when more follow.
     */
    async shownPage(
      ctx: TenantContext,
      f: ShopFilter,
      sort: ShopSort,
      after: [string | number, number] | undefined,
      limit: number,
    ): Promise<{ cards: ProductCardFacts[]; next: PageKey | null }> {
      const { column, dir } = SORTS[sort];
      const q = shown(ctx, f).select(CARD_COLUMNS);
      if (after) {
        const [value, id] = after;
        const op = dir === 'desc' ? '<' : '>';
        if (column === 'id') q.where('id', op, id);
        else q.where((w) => w.where(column, op, value).orWhere((x) => x.where(column, value).andWhere('id', op, id)));
      }
      const rows = (await q
        .orderBy([{ column, order: dir }, ...(column === 'id' ? [] : [{ column: 'id', order: dir }])])
        .limit(limit + 1)) as CardRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        cards: page.map(toCard),
        next: rows.length > limit && last ? { value: last[column] as PageKey['value'], id: Number(last.id) } : null,
      };
    },

    /** How many products on sale a filter (less its facets) lets through per facet value, by name then value. */
    async facetCounts(
      ctx: TenantContext,
      f: ShopFilter,
    ): Promise<Array<{ name: string; value: string; count: number }>> {
      const rows = (await db
        .scope(ctx)
        .table('product_facets')
        .whereIn('product_id', shown(ctx, f, false).select('id'))
        .select('name', 'value')
        .count({ n: '*' })
        .groupBy('name', 'value')
        .orderBy([{ column: 'name' }, { column: 'value' }])) as Array<{ name: string; value: string; n: number }>;
      return rows.map((r) => ({ name: r.name, value: r.value, count: Number(r.n) }));
    },

    /** A product on sale, or null. */
    async shownProduct(ctx: TenantContext, id: number): Promise<StoredProduct | null> {
      const r = (await visible(ctx).where({ id }).first()) as ProductRow | undefined;
      return r ? toProduct(r) : null;
    },
  };
  return repo;
}

export type CatalogRepository = ReturnType<typeof catalogRepository>;
