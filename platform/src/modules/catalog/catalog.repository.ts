import { TenantScope } from '../../kernel/db/tenant-scope';
import { parseJsonColumn, shiftedBy, totalOf } from '../../kernel/db/rows';
import type { NormalizedProduct } from './product-rules';
import { indexTerms } from './search-terms';

export interface CategoryRow {
  id: number;
  parent_id: number | null;
  name: string;
  level: number;
  sort: number;
  icon_image_id: number | null;
}

export interface ProductRow {
  id: number;
  spu_code: string | null;
  title: string;
  subtitle: string;
  brand: string;
  tags: string[];
  description_html: string;
  category_id: number;
  image_ids: number[];
  attributes: Record<string, string>;
  specs: Array<{ name: string; values: string[] }>;
  status: 'draft' | 'on_sale' | 'off_sale';
  min_price_fen: number;
  max_price_fen: number;
  original_price_fen: number | null;
  total_stock: number;
  sales_count: number;
  rating_count: number;
  rating_sum: number;
  published_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface SkuRow {
  id: number;
  product_id: number;
  spec_key: string;
  spec_values: string[];
  code: string | null;
  price_fen: number;
  original_price_fen: number | null;
  stock: number;
  image_id: number | null;
}

/** A SKU as other modules see it: see `skuFacts`. */
export interface SkuFacts {
  skuId: number;
  productId: number;
  title: string;
  specValues: string[];
  priceFen: number;
  stock: number;
  imageId: number | null;
  productStatus: 'draft' | 'on_sale' | 'off_sale';
  /** The product's category, and the path of categories down to it (top level first). */
  categoryId: number;
  categoryPath: number[];
  deleted: boolean;
  /** On sale and not deleted: it can be put in a cart and bought. */
  forSale: boolean;
}

const JSON_COLUMNS = ['tags', 'image_ids', 'attributes', 'specs'] as const;

export function toProductRow(r: Record<string, unknown>): ProductRow {
  const out = { ...r } as Record<string, unknown>;
  for (const c of JSON_COLUMNS) out[c] = parseJsonColumn(r[c]);
  for (const c of ['id', 'category_id', 'min_price_fen', 'max_price_fen', 'total_stock', 'sales_count', 'rating_count', 'rating_sum']) out[c] = Number(r[c] ?? 0);
  out.original_price_fen = r.original_price_fen === null ? null : Number(r.original_price_fen);
  return out as unknown as ProductRow;
}

export function toSkuRow(r: Record<string, unknown>): SkuRow {
  return {
    id: Number(r.id),
    product_id: Number(r.product_id),
    spec_key: String(r.spec_key),
    spec_values: parseJsonColumn(r.spec_values) as string[],
    code: (r.code as string | null) ?? null,
    price_fen: Number(r.price_fen),
    original_price_fen: r.original_price_fen === null ? null : Number(r.original_price_fen),
    stock: Number(r.stock),
    image_id: r.image_id === null ? null : Number(r.image_id),
  };
}

/** Catalog tables, all tenant-owned: every query goes through the tenant scope it is handed. */
export function catalogRepository() {
  return {
    async categories(scope: TenantScope): Promise<CategoryRow[]> {
      return ((await scope.table('categories').orderBy([{ column: 'level' }, { column: 'sort' }, { column: 'id' }])) as Array<Record<string, unknown>>).map((r) => ({
        id: Number(r.id),
        parent_id: r.parent_id === null ? null : Number(r.parent_id),
        name: String(r.name),
        level: Number(r.level),
        sort: Number(r.sort),
        icon_image_id: r.icon_image_id === null ? null : Number(r.icon_image_id),
      }));
    },

    async productCountInCategory(scope: TenantScope, categoryId: number): Promise<number> {
      return totalOf(await scope.table('products').whereNull('deleted_at').where('category_id', categoryId).count({ total: '*' }));
    },

    async product(scope: TenantScope, id: number): Promise<ProductRow | null> {
      const r = await scope.table('products').where({ id }).whereNull('deleted_at').first();
      return r ? toProductRow(r) : null;
    },

    /**
     * SKUs by id as other modules see them (a cart, an order): price, stock, the image to show (the
     * SKU's own, else the product's first) and their product's title and state. A SKU that no longer
     * exists is absent.
     */
    async skuFacts(scope: TenantScope, skuIds: number[]): Promise<Map<number, SkuFacts>> {
      if (skuIds.length === 0) return new Map();
      const rows = (await scope
        .table('skus', 's')
        .join('products as p', (j) => j.on('p.id', '=', 's.product_id').andOn('p.tenant_id', '=', 's.tenant_id'))
        .whereIn('s.id', [...new Set(skuIds)])
        .select('s.id', 's.product_id', 's.spec_values', 's.price_fen', 's.stock', 's.image_id', 'p.title', 'p.status', 'p.visible', 'p.deleted_at', 'p.image_ids')
        .select('p.category_id', 'p.c1_id', 'p.c2_id', 'p.c3_id')) as Array<Record<string, unknown>>;
      return new Map(
        rows.map((r) => {
          const productImages = (parseJsonColumn(r.image_ids) as number[] | null) ?? [];
          const facts: SkuFacts = {
            skuId: Number(r.id),
            productId: Number(r.product_id),
            title: String(r.title),
            specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
            priceFen: Number(r.price_fen),
            stock: Number(r.stock),
            imageId: r.image_id ? Number(r.image_id) : (productImages[0] ?? null),
            productStatus: r.status as SkuFacts['productStatus'],
            categoryId: Number(r.category_id),
            categoryPath: [r.c1_id, r.c2_id, r.c3_id].filter((c) => c !== null && c !== undefined).map(Number),
            deleted: Boolean(r.deleted_at),
            forSale: Boolean(r.visible),
          };
          return [facts.skuId, facts];
        }),
      );
    },

    async skus(scope: TenantScope, productIds: number[]): Promise<SkuRow[]> {
      if (productIds.length === 0) return [];
      return ((await scope.table('skus').whereIn('product_id', productIds).orderBy('id')) as Array<Record<string, unknown>>).map(toSkuRow);
    },

    /**
     * Moves products' sales figures, each by its own amount (negative: taken back), in one statement.
     * Runs in the caller's transaction (the scope it is handed).
     */
    async moveSales(scope: TenantScope, changes: Array<{ productId: number; quantity: number }>): Promise<void> {
      const per = new Map<number, number>();
      for (const c of changes) per.set(c.productId, (per.get(c.productId) ?? 0) + c.quantity);
      for (const [id, n] of per) if (n === 0) per.delete(id);
      if (per.size === 0) return;
      const q = scope.table('products').whereIn('id', [...per.keys()]);
      await q.update({ sales_count: shiftedBy(q.client, 'sales_count', 'id', '+', per) });
    },

    /**
     * Writes a product with its SKUs (matched by spec values), facets and search terms. Returns its id.
     * The caller runs it in a transaction.
     */
    async saveProduct(
      scope: TenantScope,
      p: NormalizedProduct & { spuCode?: string | null; path: Array<number | null> },
      existing: ProductRow | null,
      now: Date,
      opts: { deferIndex?: boolean } = {},
    ): Promise<number> {
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
        attributes: JSON.stringify(p.attributes),
        specs: JSON.stringify(p.specs),
        status: p.status,
        visible,
        min_price_fen: p.minPriceFen,
        max_price_fen: p.maxPriceFen,
        original_price_fen: p.originalPriceFen,
        total_stock: p.totalStock,
        updated_at: now,
        ...(p.spuCode !== undefined ? { spu_code: p.spuCode } : {}),
      };
      let id: number;
      if (existing) {
        id = existing.id;
        await scope.table('products').where({ id }).update({ ...row, deleted_at: null, published_at: visible ? (existing.published_at ?? now) : existing.published_at });
      } else {
        id = await scope.insert('products', { ...row, published_at: visible ? now : null, created_at: now });
      }
      const old = existing ? await this.skus(scope, [id]) : [];
      const byKey = new Map(old.map((s) => [s.spec_key, s]));
      const fresh: Array<Record<string, unknown>> = [];
      for (const sku of p.skus) {
        const values = {
          spec_values: JSON.stringify(sku.specValues),
          code: sku.code,
          price_fen: sku.priceFen,
          original_price_fen: sku.originalPriceFen,
          stock: sku.stock,
          image_id: sku.imageId,
          updated_at: now,
        };
        const match = byKey.get(sku.specKey);
        if (match) {
          await scope.table('skus').where({ id: match.id }).update(values);
          byKey.delete(sku.specKey);
        } else {
          fresh.push({ ...values, product_id: id, spec_key: sku.specKey });
        }
      }
      if (fresh.length) await scope.table('skus').insert(fresh);
      if (byKey.size) await scope.table('skus').whereIn('id', [...byKey.values()].map((s) => s.id)).delete();
      if (!opts.deferIndex) await this.reindex(scope, [{ id, ...p }], { fresh: !existing });
      return id;
    },

    /** Rewrites the facet values and search terms of products. */
    async reindex(
      scope: TenantScope,
      products: Array<{ id: number; title: string; subtitle: string; brand: string; tags: string[]; attributes: Record<string, string>; specs: Array<{ name: string; values: string[] }> }>,
      opts: { fresh?: boolean } = {},
    ): Promise<void> {
      if (products.length === 0) return;
      const ids = products.map((p) => p.id);
      if (!opts.fresh) {
        await scope.table('product_facets').whereIn('product_id', ids).delete();
        await scope.table('product_search_terms').whereIn('product_id', ids).delete();
      }
      const facets: Array<Record<string, unknown>> = [];
      const terms: Array<Record<string, unknown>> = [];
      for (const p of products) {
        const pairs = new Set<string>();
        for (const [name, value] of Object.entries(p.attributes)) pairs.add(`${name}\u0000${value}`);
        for (const s of p.specs) for (const v of s.values) pairs.add(`${s.name}\u0000${v}`);
        for (const pair of pairs) {
          const [name, value] = pair.split('\u0000');
          facets.push({ product_id: p.id, name, value });
        }
        for (const term of indexTerms(p.title, p.subtitle, p.brand, p.tags.join(' '))) terms.push({ product_id: p.id, term });
      }
      for (let i = 0; i < facets.length; i += 5000) await scope.table('product_facets').insert(facets.slice(i, i + 5000));
      for (let i = 0; i < terms.length; i += 5000) await scope.table('product_search_terms').insert(terms.slice(i, i + 5000));
    },
  };
}

export type CatalogRepository = ReturnType<typeof catalogRepository>;
