import { joinTransaction } from '../../kernel/db/database';
import type { Knex } from 'knex';
import {
  CATEGORY_MAX_DEPTH,
  homeLayoutInputSchema,
  type CatalogImage,
  type CategoryNode,
  type HomeLayoutInput,
  type Page,
  type Product,
  type ProductInput,
  type ProductStatus,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { contextScope } from '../../kernel/db/database';
import { iso, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type { CatalogRepository, CategoryRow, ProductRow, SkuFacts, SkuRow } from './catalog.repository';
import type { ImagesService } from './images.service';
import { normalizeProduct, type NormalizedProduct, type Problem } from './product-rules';

export interface CatalogDeps {
  knex: Knex;
  repo: CatalogRepository;
  images: ImagesService;
  cache: VersionedCache;
  audit: AuditService;
  now?: () => Date;
}

/** Builds the nested tree from flat rows (ordered by level, sort, id). */
export function buildTree(rows: CategoryRow[], icons: Map<number, CatalogImage>): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  const roots: CategoryNode[] = [];
  for (const r of rows) {
    const node: CategoryNode = { id: r.id, parentId: r.parent_id, name: r.name, level: r.level, sort: r.sort, icon: r.icon_image_id ? (icons.get(r.icon_image_id) ?? null) : null, children: [] };
    nodes.set(r.id, node);
    const parent = r.parent_id === null ? undefined : nodes.get(r.parent_id);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids from the root down to a category (length = its level). */
export function pathOf(categories: Map<number, CategoryRow>, id: number): number[] {
  const path: number[] = [];
  let current = categories.get(id);
  while (current) {
    path.unshift(current.id);
    current = current.parent_id === null ? undefined : categories.get(current.parent_id);
  }
  return path;
}

/**
 * The merchant's catalog: a category tree of at most three levels, products with SKU matrices, images
 * and the home layout. Every change bumps the tenant's catalog version, so shoppers see it within seconds.
 */
const UNKNOWN_PARENT = { reason: 'CATEGORY_UNKNOWN', message: 'unknown parent category' } as const;
const TOO_DEEP = { reason: 'CATEGORY_TOO_DEEP', params: { max: CATEGORY_MAX_DEPTH }, message: `categories go ${CATEGORY_MAX_DEPTH} levels deep at most` } as const;

export function catalogService(deps: CatalogDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  async function categoryMap(scope: TenantScope): Promise<Map<number, CategoryRow>> {
    return new Map((await deps.repo.categories(scope)).map((c) => [c.id, c]));
  }

  async function tree(ctx: TenantContext): Promise<CategoryNode[]> {
    const rows = await deps.repo.categories(scopeOf(ctx));
    const icons = await deps.images.byIds(ctx, rows.flatMap((r) => (r.icon_image_id ? [r.icon_image_id] : [])));
    return buildTree(rows, icons);
  }

  function findNode(nodes: CategoryNode[], id: number): CategoryNode | null {
    for (const n of nodes) {
      if (n.id === id) return n;
      const inner = findNode(n.children, id);
      if (inner) return inner;
    }
    return null;
  }

  async function assertImages(ctx: TenantContext, ids: number[], path: string, trx?: Knex.Transaction): Promise<void> {
    const found = await deps.images.byIds(ctx, ids, trx);
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length) {
      const text = { reason: 'IMAGES_UNKNOWN', params: { ids: missing.join(', ') }, message: `no such image: ${missing.join(', ')}` } as const;
      throw new ValidationError(text, { issues: [issue(path, text)] });
    }
  }

  function subtreeDepth(categories: Map<number, CategoryRow>, id: number): number {
    const children = [...categories.values()].filter((c) => c.parent_id === id);
    return 1 + Math.max(0, ...children.map((c) => subtreeDepth(categories, c.id)));
  }

  function descendants(categories: Map<number, CategoryRow>, id: number): number[] {
    const out: number[] = [];
    for (const c of categories.values()) if (c.parent_id === id) out.push(c.id, ...descendants(categories, c.id));
    return out;
  }

  async function toProduct(ctx: TenantContext, row: ProductRow, skus: SkuRow[]): Promise<Product> {
    const images = await deps.images.byIds(ctx, [...row.image_ids, ...skus.flatMap((s) => (s.image_id ? [s.image_id] : []))]);
    return {
      id: row.id,
      title: row.title,
      subtitle: row.subtitle,
      brand: row.brand,
      tags: row.tags,
      descriptionHtml: row.description_html,
      categoryId: row.category_id,
      images: row.image_ids.flatMap((id) => (images.has(id) ? [images.get(id)!] : [])),
      attributes: row.attributes,
      specs: row.specs,
      skus: skus.map((s) => ({ id: s.id, specValues: s.spec_values, code: s.code, priceFen: s.price_fen, originalPriceFen: s.original_price_fen, stock: s.stock, image: s.image_id ? (images.get(s.image_id) ?? null) : null })),
      status: row.status,
      minPriceFen: row.min_price_fen,
      maxPriceFen: row.max_price_fen,
      totalStock: row.total_stock,
      salesCount: row.sales_count,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  /** Checks a product against the catalog: its category, its images, its SKU matrix. */
  async function prepare(ctx: TenantContext, input: ProductInput, trx?: Knex.Transaction): Promise<NormalizedProduct & { path: number[] }> {
    const { product, problems } = normalizeProduct(input);
    const categories = await categoryMap(scopeOf(ctx, trx));
    if (!categories.has(input.categoryId)) problems.push({ path: 'body.categoryId', message: 'no such category' });
    const imageIds = [...input.imageIds, ...input.skus.flatMap((s) => (s.imageId ? [s.imageId] : []))];
    const found = await deps.images.byIds(ctx, imageIds, trx);
    const missing = [...new Set(imageIds)].filter((id) => !found.has(id));
    if (missing.length) problems.push({ path: 'body.imageIds', message: `no such image: ${missing.join(', ')}` });
    if (problems.length) throw new ValidationError({ reason: 'PRODUCT_INVALID', message: 'the product is not valid' }, { issues: problems satisfies Problem[] });
    return { ...product, path: pathOf(categories, input.categoryId) };
  }

  return {
    /** SKUs by id as a cart or an order sees them (price, stock, image, category, their product's state). */
    skuFacts: (ctx: TenantContext, skuIds: number[]): Promise<Map<number, SkuFacts>> => deps.repo.skuFacts(scopeOf(ctx), skuIds),

    /** Product titles by id, deleted products included (a review or an order shows what was bought). */
    async titles(ctx: TenantContext, productIds: number[]): Promise<Map<number, string>> {
      if (productIds.length === 0) return new Map();
      const rows = (await scopeOf(ctx).table('products').whereIn('id', [...new Set(productIds)]).select('id', 'title')) as Array<{ id: number; title: string }>;
      return new Map(rows.map((r) => [Number(r.id), String(r.title)]));
    },

    /** The rating totals of a product on sale, or null when it is not on sale. */
    async rating(ctx: TenantContext, productId: number): Promise<{ count: number; sum: number } | null> {
      const r = await scopeOf(ctx).table('products').where({ id: productId, status: 'on_sale' }).whereNull('deleted_at').first('rating_count', 'rating_sum');
      return r ? { count: Number(r.rating_count), sum: Number(r.rating_sum) } : null;
    },

    /** Moves a product's rating totals (a review shown or hidden), in the context's transaction. */
    async moveRating(ctx: TenantContext, productId: number, by: { count: number; sum: number }): Promise<void> {
      const scope = contextScope(deps.knex, ctx);
      const q = scope.table('products').where({ id: productId });
      await q.update({ rating_count: q.client.raw('rating_count + ?', [by.count]), rating_sum: q.client.raw('rating_sum + ?', [by.sum]) });
    },
    tree,
    prepare,
    categoryMap: (ctx: TenantContext, trx?: Knex.Transaction) => categoryMap(scopeOf(ctx, trx)),

    /** Adds a category under a parent (or at the top), at the end of its siblings; at most three levels. */
    async createCategory(ctx: TenantContext, input: { name: string; parentId: number | null; iconImageId: number | null }): Promise<CategoryNode> {
      const scope = scopeOf(ctx);
      const categories = await categoryMap(scope);
      let level = 1;
      if (input.parentId !== null) {
        const parent = categories.get(input.parentId);
        if (!parent) throw new ValidationError(UNKNOWN_PARENT, { issues: [issue('body.parentId', UNKNOWN_PARENT)] });
        level = parent.level + 1;
        if (level > CATEGORY_MAX_DEPTH) throw new ValidationError(TOO_DEEP, { issues: [issue('body.parentId', TOO_DEEP)] });
      }
      if (input.iconImageId) await assertImages(ctx, [input.iconImageId], 'body.iconImageId');
      const siblings = [...categories.values()].filter((c) => c.parent_id === input.parentId);
      const id = await scope.insert('categories', { name: input.name, parent_id: input.parentId, level, sort: siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0, icon_image_id: input.iconImageId });
      await deps.cache.bump(ctx.tenantId);
      return findNode(await tree(ctx), id)!;
    },

    /** Renames, re-icons or moves a category with its subtree; a move may not make a cycle or a fourth level. */
    async updateCategory(ctx: TenantContext, id: number, patch: { name?: string; parentId?: number | null; iconImageId?: number | null }): Promise<CategoryNode> {
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const categories = await categoryMap(scope);
        const category = categories.get(id);
        if (!category) throw new NotFoundError('CATEGORY_NOT_FOUND');
        const row: Record<string, unknown> = { updated_at: now() };
        if (patch.name !== undefined) row.name = patch.name;
        if (patch.iconImageId !== undefined) {
          if (patch.iconImageId) await assertImages(ctx, [patch.iconImageId], 'body.iconImageId', trx);
          row.icon_image_id = patch.iconImageId;
        }
        if (patch.parentId !== undefined && patch.parentId !== category.parent_id) {
          let level = 1;
          if (patch.parentId !== null) {
            const parent = categories.get(patch.parentId);
            if (!parent) throw new ValidationError(UNKNOWN_PARENT, { issues: [issue('body.parentId', UNKNOWN_PARENT)] });
            if (patch.parentId === id || descendants(categories, id).includes(patch.parentId)) {
              const text = { reason: 'CATEGORY_CYCLE', message: 'a category cannot move under itself' } as const;
              throw new ValidationError(text, { issues: [issue('body.parentId', text)] });
            }
            level = parent.level + 1;
          }
          if (level + subtreeDepth(categories, id) - 1 > CATEGORY_MAX_DEPTH) {
            throw new ValidationError(TOO_DEEP, { issues: [issue('body.parentId', TOO_DEEP)] });
          }
          row.parent_id = patch.parentId;
          row.level = level;
          const siblings = [...categories.values()].filter((c) => c.parent_id === patch.parentId);
          row.sort = siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0;
          // Levels of the subtree and the category paths of its products follow the move.
          const moved = new Map(categories);
          moved.set(id, { ...category, parent_id: patch.parentId, level });
          for (const d of descendants(categories, id)) {
            const path = pathOf(moved, d);
            moved.set(d, { ...moved.get(d)!, level: path.length });
            await scope.table('categories').where({ id: d }).update({ level: path.length });
          }
          for (const c of [id, ...descendants(categories, id)]) {
            const path = pathOf(moved, c);
            await scope.table('products').where({ category_id: c }).update({ c1_id: path[0] ?? null, c2_id: path[1] ?? null, c3_id: path[2] ?? null });
          }
        }
        await scope.table('categories').where({ id }).update(row);
      });
      await deps.cache.bump(ctx.tenantId);
      return findNode(await tree(ctx), id)!;
    },

    /** Sets the order of one parent's children; the list must name each of them once. */
    async reorderCategories(ctx: TenantContext, parentId: number | null, orderedIds: number[]): Promise<CategoryNode[]> {
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const children = [...(await categoryMap(scope)).values()].filter((c) => c.parent_id === parentId).map((c) => c.id);
        const same = children.length === orderedIds.length && new Set(orderedIds).size === orderedIds.length && orderedIds.every((id) => children.includes(id));
        if (!same) {
          const text = { reason: 'CATEGORY_ORDER_MISMATCH', message: 'name every child of the parent once' } as const;
          throw new ValidationError(text, { issues: [issue('body.orderedIds', text)] });
        }
        for (const [sort, id] of orderedIds.entries()) await scope.table('categories').where({ id }).update({ sort });
      });
      await deps.cache.bump(ctx.tenantId);
      return tree(ctx);
    },

    /** Deletes an empty category: one with subcategories or products is refused. */
    async deleteCategory(ctx: TenantContext, id: number): Promise<void> {
      const scope = scopeOf(ctx);
      const categories = await categoryMap(scope);
      if (!categories.has(id)) throw new NotFoundError('CATEGORY_NOT_FOUND');
      if (descendants(categories, id).length) throw new ConflictError({ reason: 'CATEGORY_HAS_CHILDREN', message: 'Delete or move the subcategories first' });
      if (await deps.repo.productCountInCategory(scope, id)) throw new ConflictError({ reason: 'CATEGORY_HAS_PRODUCTS', message: 'Move or delete the products of this category first' });
      await scope.table('categories').where({ id }).delete();
      await deps.cache.bump(ctx.tenantId);
    },

    async listProducts(ctx: TenantContext, q: { q?: string; categoryId?: number; status?: ProductStatus; page: number; pageSize: number }): Promise<Page<ReturnType<typeof summaryOf>>> {
      const scope = scopeOf(ctx);
      const base = () => {
        const b = scope.table('products').whereNull('deleted_at');
        if (q.status) b.where('status', q.status);
        if (q.categoryId) b.where((w) => w.where('c1_id', q.categoryId!).orWhere('c2_id', q.categoryId!).orWhere('c3_id', q.categoryId!));
        if (q.q) {
          const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          b.where((w) => w.where('title', 'like', like).orWhere('spu_code', 'like', like));
        }
        return b;
      };
      const [rows, counted] = await Promise.all([
        base().select('id', 'title', 'category_id', 'image_ids', 'status', 'min_price_fen', 'max_price_fen', 'total_stock', 'sales_count', 'updated_at').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      const list = rows as Array<Record<string, unknown>>;
      const mainIds = list.flatMap((r) => ((parseJsonColumn(r.image_ids) as number[]) ?? []).slice(0, 1));
      const images = await deps.images.byIds(ctx, mainIds);
      return { items: list.map((r) => summaryOf(r, images)), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    async getProduct(ctx: TenantContext, id: number): Promise<Product> {
      const scope = scopeOf(ctx);
      const row = await deps.repo.product(scope, id);
      if (!row) throw new NotFoundError('PRODUCT_NOT_FOUND');
      return toProduct(ctx, row, await deps.repo.skus(scope, [id]));
    },

    /** Creates or replaces a product; SKUs are matched by their spec values, so their ids survive edits. */
    async saveProduct(ctx: TenantContext, input: ProductInput, id?: number): Promise<Product> {
      const productId = await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const existing = id === undefined ? null : await deps.repo.product(scope, id);
        if (id !== undefined && !existing) throw new NotFoundError('PRODUCT_NOT_FOUND');
        const prepared = await prepare(ctx, input, trx);
        const saved = await deps.repo.saveProduct(scope, prepared, existing, now());
        await deps.audit.record(joinTransaction(ctx, trx), { action: existing ? 'catalog.product.updated' : 'catalog.product.created', targetType: 'product', targetId: saved, data: { title: input.title, status: input.status } });
        return saved;
      });
      await deps.cache.bump(ctx.tenantId);
      return this.getProduct(ctx, productId);
    },

    /** Puts products on or off sale, or deletes them (soft), in one statement. */
    async batch(ctx: TenantContext, ids: number[], action: 'on_sale' | 'off_sale' | 'delete'): Promise<{ updated: number }> {
      const scope = scopeOf(ctx);
      const at = now();
      const q = scope.table('products').whereIn('id', ids).whereNull('deleted_at');
      const updated =
        action === 'delete'
          ? await q.update({ deleted_at: at, visible: false, updated_at: at })
          : await q.update({ status: action, visible: action === 'on_sale', updated_at: at, published_at: action === 'on_sale' ? deps.knex.raw('COALESCE(published_at, ?)', [at]) : deps.knex.raw('published_at') });
      await deps.audit.record(ctx, { action: `catalog.products.${action}`, targetType: 'product', data: { ids, updated } });
      await deps.cache.bump(ctx.tenantId);
      return { updated };
    },

    async deleteProduct(ctx: TenantContext, id: number): Promise<void> {
      const { updated } = await this.batch(ctx, [id], 'delete');
      if (updated === 0) throw new NotFoundError('PRODUCT_NOT_FOUND');
    },

    async homeLayout(ctx: TenantContext): Promise<HomeLayoutInput> {
      const row = await scopeOf(ctx).table('catalog_home').first();
      return homeLayoutInputSchema.parse(row ? parseJsonColumn(row.layout) : {});
    },

    /** Sets the home layout; every image, category and product it names must be this shop's. */
    async setHomeLayout(ctx: TenantContext, layout: HomeLayoutInput): Promise<HomeLayoutInput> {
      const scope = scopeOf(ctx);
      await assertImages(ctx, layout.banners.map((b) => b.imageId), 'body.banners');
      const categories = await categoryMap(scope);
      const categoryIds = [...layout.shortcutCategoryIds, ...layout.banners.flatMap((b) => (b.categoryId ? [b.categoryId] : []))];
      const unknownCategories = categoryIds.filter((id) => !categories.has(id));
      const productIds = [...new Set([...layout.newProductIds, ...layout.hotProductIds, ...layout.recommendedProductIds, ...layout.banners.flatMap((b) => (b.productId ? [b.productId] : []))])];
      const known = productIds.length ? ((await scope.table('products').whereIn('id', productIds).whereNull('deleted_at').pluck('id')) as number[]).map(Number) : [];
      const unknownProducts = productIds.filter((id) => !known.includes(id));
      if (unknownCategories.length || unknownProducts.length) {
        throw new ValidationError({ reason: 'LAYOUT_UNKNOWN_ITEMS', message: 'the layout names things this shop does not have' }, { issues: [...unknownCategories.map((id) => ({ path: 'body', message: `no such category: ${id}` })), ...unknownProducts.map((id) => ({ path: 'body', message: `no such product: ${id}` }))] });
      }
      const text = JSON.stringify(layout);
      await scope.upsert('catalog_home', { layout: text, updated_at: now() }, ['layout', 'updated_at']);
      await deps.cache.bump(ctx.tenantId);
      return layout;
    },

    uploadImage: (ctx: TenantContext, bytes: Buffer) => deps.images.upload(ctx, bytes),
  };

  function summaryOf(r: Record<string, unknown>, images: Map<number, CatalogImage>) {
    const ids = (parseJsonColumn(r.image_ids) as number[]) ?? [];
    return {
      id: Number(r.id),
      title: String(r.title),
      categoryId: Number(r.category_id),
      mainImage: ids[0] !== undefined ? (images.get(ids[0]) ?? null) : null,
      status: r.status as ProductStatus,
      minPriceFen: Number(r.min_price_fen),
      maxPriceFen: Number(r.max_price_fen),
      totalStock: Number(r.total_stock),
      salesCount: Number(r.sales_count),
      updatedAt: iso(r.updated_at as Date),
    };
  }
}

export type CatalogService = ReturnType<typeof catalogService>;
