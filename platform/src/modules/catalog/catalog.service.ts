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
import type { Transactions } from '../../kernel/db/database';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type {
  CatalogRepository,
  Category,
  ProductSummary,
  SkuFacts,
  ProductPlace,
  StoredProduct,
  StoredSku,
} from './catalog.repository';
import type { ImagesService } from './images.service';
import type { VideosService } from './videos.service';
import { normalizeProduct, type NormalizedProduct, type Problem } from './product-rules';

/** The shop's freight templates (orders), as a product names one: bound by the composition root. */
export interface CatalogFreightTemplates {
  /** Whether the shop has this template; another shop's is not found. */
  exists(ctx: TenantContext, id: number): Promise<boolean>;
}

export interface CatalogDeps {
  repo: CatalogRepository;
  tx: Transactions;
  images: ImagesService;
  videos: VideosService;
  cache: VersionedCache;
  audit: AuditService;
  freightTemplates: CatalogFreightTemplates;
  now?: () => Date;
}

/** Builds the nested tree from flat rows (ordered by level, sort, id). */
export function buildTree(rows: Category[], icons: Map<number, CatalogImage>): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  const roots: CategoryNode[] = [];
  for (const r of rows) {
    const node: CategoryNode = {
      id: r.id,
      parentId: r.parentId,
      name: r.name,
      level: r.level,
      sort: r.sort,
      icon: r.iconImageId ? (icons.get(r.iconImageId) ?? null) : null,
      children: [],
    };
    nodes.set(r.id, node);
    const parent = r.parentId === null ? undefined : nodes.get(r.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids from the root down to a category (length = its level). */
export function pathOf(categories: Map<number, Category>, id: number): number[] {
  const path: number[] = [];
  let current = categories.get(id);
  while (current) {
    path.unshift(current.id);
    current = current.parentId === null ? undefined : categories.get(current.parentId);
  }
  return path;
}

/**
 * The merchant's catalog: a category tree of at most three levels, products with SKU matrices, images
 * and the home layout. Every change bumps the tenant's catalog version, so shoppers see it within seconds.
 */
const UNKNOWN_PARENT = { reason: 'CATEGORY_UNKNOWN', message: 'unknown parent category' } as const;
const TOO_DEEP = {
  reason: 'CATEGORY_TOO_DEEP',
  params: { max: CATEGORY_MAX_DEPTH },
  message: `categories go ${CATEGORY_MAX_DEPTH} levels deep at most`,
} as const;

export function catalogService(deps: CatalogDeps) {
  const now = deps.now ?? (() => new Date());

  /** The shop's categories by id (in the context's transaction, when it carries one). */
  async function categoryMap(ctx: TenantContext): Promise<Map<number, Category>> {
    return new Map((await deps.repo.categories(ctx)).map((c) => [c.id, c]));
  }

  async function tree(ctx: TenantContext): Promise<CategoryNode[]> {
    const rows = await deps.repo.categories(ctx);
    const icons = await deps.images.byIds(
      ctx,
      rows.flatMap((r) => (r.iconImageId ? [r.iconImageId] : [])),
    );
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

  async function assertImages(ctx: TenantContext, ids: number[], path: string): Promise<void> {
    const found = await deps.images.byIds(ctx, ids);
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length) {
      const text = {
        reason: 'IMAGES_UNKNOWN',
        params: { ids: missing.join(', ') },
        message: `no such image: ${missing.join(', ')}`,
      } as const;
      throw new ValidationError(text, { issues: [issue(path, text)] });
    }
  }

  function subtreeDepth(categories: Map<number, Category>, id: number): number {
    const children = [...categories.values()].filter((c) => c.parentId === id);
    return 1 + Math.max(0, ...children.map((c) => subtreeDepth(categories, c.id)));
  }

  function descendants(categories: Map<number, Category>, id: number): number[] {
    const out: number[] = [];
    for (const c of categories.values()) if (c.parentId === id) out.push(c.id, ...descendants(categories, c.id));
    return out;
  }

  async function toProduct(ctx: TenantContext, p: StoredProduct, skus: StoredSku[]): Promise<Product> {
    const [images, videos] = await Promise.all([
      deps.images.byIds(ctx, [...p.imageIds, ...skus.flatMap((s) => (s.imageId ? [s.imageId] : []))]),
      deps.videos.byIds(ctx, p.videoId ? [p.videoId] : []),
    ]);
    return {
      id: p.id,
      title: p.title,
      subtitle: p.subtitle,
      brand: p.brand,
      tags: p.tags,
      descriptionHtml: p.descriptionHtml,
      categoryId: p.categoryId,
      images: p.imageIds.flatMap((id) => (images.has(id) ? [images.get(id)!] : [])),
      video: (p.videoId && videos.get(p.videoId)) || null,
      attributes: p.attributes,
      specs: p.specs,
      skus: skus.map((s) => ({
        id: s.id,
        specValues: s.specValues,
        code: s.code,
        priceFen: s.priceFen,
        originalPriceFen: s.originalPriceFen,
        stock: s.stock,
        image: s.imageId ? (images.get(s.imageId) ?? null) : null,
        weightGrams: s.weightGrams,
        volumeCm3: s.volumeCm3,
      })),
      status: p.status,
      freightTemplateId: p.freightTemplateId,
      limits: { perOrder: p.rules.limitPerOrder, perShopper: p.rules.limitPerShopper },
      schedule: {
        onSaleAt: p.rules.onSaleAt?.toISOString() ?? null,
        offSaleAt: p.rules.offSaleAt?.toISOString() ?? null,
      },
      minPriceFen: p.minPriceFen,
      maxPriceFen: p.maxPriceFen,
      totalStock: p.totalStock,
      salesCount: p.salesCount,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  /** Checks a product against the catalog: its category, its images, its SKU matrix, the freight template it names. */
  async function prepare(ctx: TenantContext, input: ProductInput): Promise<NormalizedProduct & { path: number[] }> {
    const { product, problems } = normalizeProduct(input, now());
    const categories = await categoryMap(ctx);
    if (!categories.has(input.categoryId)) problems.push({ path: 'body.categoryId', message: 'no such category' });
    const imageIds = [...input.imageIds, ...input.skus.flatMap((s) => (s.imageId ? [s.imageId] : []))];
    const found = await deps.images.byIds(ctx, imageIds);
    const missing = [...new Set(imageIds)].filter((id) => !found.has(id));
    if (missing.length) problems.push({ path: 'body.imageIds', message: `no such image: ${missing.join(', ')}` });
    if (input.videoId !== null && !(await deps.videos.byIds(ctx, [input.videoId])).has(input.videoId))
      problems.push({ path: 'body.videoId', message: `no such video: ${input.videoId}` });
    if (
      input.freightTemplateId !== undefined &&
      input.freightTemplateId !== null &&
      !(await deps.freightTemplates.exists(ctx, input.freightTemplateId))
    )
      problems.push({
        path: 'body.freightTemplateId',
        message: `no such freight template: ${input.freightTemplateId}`,
        reason: 'FREIGHT_TEMPLATE_NOT_FOUND',
      });
    if (problems.length)
      throw new ValidationError(
        { reason: 'PRODUCT_INVALID', message: 'the product is not valid' },
        { issues: problems satisfies Problem[] },
      );
    return { ...product, path: pathOf(categories, input.categoryId) };
  }

  return {
    /** SKUs by id as a cart or an order sees them (price, stock, image, category, their product's state). */
    skuFacts: (ctx: TenantContext, skuIds: number[]): Promise<Map<number, SkuFacts>> => deps.repo.skuFacts(ctx, skuIds),

    /** Where products sit (category path) and their SKUs' prices; deleted products are absent. */
    productPlaces: (ctx: TenantContext, productIds: number[]): Promise<Map<number, ProductPlace>> =>
      deps.repo.productPlaces(ctx, productIds),

    /**
     * Products on sale with their category and sales count: a page by id after `afterId`, or those among `ids` (what
     * recommendations are built over).
     */
    onSale: (
      ctx: TenantContext,
      q: { afterId: number; limit: number } | { ids: number[] },
    ): Promise<Array<{ id: number; categoryId: number; salesCount: number }>> => deps.repo.onSale(ctx, q),

    /** How many products (not deleted) ship by a freight template: orders asks before the template is deleted. */
    productsUsingFreightTemplate: (ctx: TenantContext, templateId: number): Promise<number> =>
      deps.repo.productsUsingFreightTemplate(ctx, templateId),

    /** Product titles by id, deleted products included (a review or an order shows what was bought). */
    titles: (ctx: TenantContext, productIds: number[]): Promise<Map<number, string>> =>
      deps.repo.titles(ctx, productIds),

    /** The rating totals of a product on sale, or null when it is not on sale. */
    rating: (ctx: TenantContext, productId: number): Promise<{ count: number; sum: number } | null> =>
      deps.repo.rating(ctx, productId),

    /** Moves a product's rating totals (a review shown or hidden), in the context's transaction. */
    moveRating: (ctx: TenantContext, productId: number, by: { count: number; sum: number }): Promise<void> =>
      deps.repo.moveRating(ctx, productId, by),
    tree,
    prepare,
    categoryMap,

    /** Adds a category under a parent (or at the top), at the end of its siblings; at most three levels. */
    async createCategory(
      ctx: TenantContext,
      input: { name: string; parentId: number | null; iconImageId: number | null },
    ): Promise<CategoryNode> {
      const categories = await categoryMap(ctx);
      let level = 1;
      if (input.parentId !== null) {
        const parent = categories.get(input.parentId);
        if (!parent) throw new ValidationError(UNKNOWN_PARENT, { issues: [issue('body.parentId', UNKNOWN_PARENT)] });
        level = parent.level + 1;
        if (level > CATEGORY_MAX_DEPTH)
          throw new ValidationError(TOO_DEEP, { issues: [issue('body.parentId', TOO_DEEP)] });
      }
      if (input.iconImageId) await assertImages(ctx, [input.iconImageId], 'body.iconImageId');
      const siblings = [...categories.values()].filter((c) => c.parentId === input.parentId);
      const id = await deps.repo.insertCategory(ctx, {
        name: input.name,
        parentId: input.parentId,
        level,
        sort: siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0,
        iconImageId: input.iconImageId,
      });
      await deps.cache.bump(ctx.tenantId);
      return findNode(await tree(ctx), id)!;
    },

    /** Renames, re-icons or moves a category with its subtree; a move may not make a cycle or a fourth level. */
    async updateCategory(
      ctx: TenantContext,
      id: number,
      patch: { name?: string; parentId?: number | null; iconImageId?: number | null },
    ): Promise<CategoryNode> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const categories = await categoryMap(tctx);
        const category = categories.get(id);
        if (!category) throw new NotFoundError('CATEGORY_NOT_FOUND');
        const change: Partial<Omit<Category, 'id'>> = {};
        if (patch.name !== undefined) change.name = patch.name;
        if (patch.iconImageId !== undefined) {
          if (patch.iconImageId) await assertImages(tctx, [patch.iconImageId], 'body.iconImageId');
          change.iconImageId = patch.iconImageId;
        }
        if (patch.parentId !== undefined && patch.parentId !== category.parentId) {
          let level = 1;
          if (patch.parentId !== null) {
            const parent = categories.get(patch.parentId);
            if (!parent)
              throw new ValidationError(UNKNOWN_PARENT, { issues: [issue('body.parentId', UNKNOWN_PARENT)] });
            if (patch.parentId === id || descendants(categories, id).includes(patch.parentId)) {
              const text = { reason: 'CATEGORY_CYCLE', message: 'a category cannot move under itself' } as const;
              throw new ValidationError(text, { issues: [issue('body.parentId', text)] });
            }
            level = parent.level + 1;
          }
          if (level + subtreeDepth(categories, id) - 1 > CATEGORY_MAX_DEPTH) {
            throw new ValidationError(TOO_DEEP, { issues: [issue('body.parentId', TOO_DEEP)] });
          }
          change.parentId = patch.parentId;
          change.level = level;
          const siblings = [...categories.values()].filter((c) => c.parentId === patch.parentId);
          change.sort = siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0;
          // Levels of the subtree and the category paths of its products follow the move.
          const moved = new Map(categories);
          moved.set(id, { ...category, parentId: patch.parentId, level });
          for (const d of descendants(categories, id)) {
            const path = pathOf(moved, d);
            moved.set(d, { ...moved.get(d)!, level: path.length });
            await deps.repo.setCategoryLevel(tctx, d, path.length);
          }
          for (const c of [id, ...descendants(categories, id)])
            await deps.repo.setCategoryPath(tctx, c, pathOf(moved, c));
        }
        await deps.repo.updateCategory(tctx, id, change, now());
      });
      await deps.cache.bump(ctx.tenantId);
      return findNode(await tree(ctx), id)!;
    },

    /** Sets the order of one parent's children; the list must name each of them once. */
    async reorderCategories(
      ctx: TenantContext,
      parentId: number | null,
      orderedIds: number[],
    ): Promise<CategoryNode[]> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const children = [...(await categoryMap(tctx)).values()]
          .filter((c) => c.parentId === parentId)
          .map((c) => c.id);
        const same =
          children.length === orderedIds.length &&
          new Set(orderedIds).size === orderedIds.length &&
          orderedIds.every((id) => children.includes(id));
        if (!same) {
          const text = { reason: 'CATEGORY_ORDER_MISMATCH', message: 'name every child of the parent once' } as const;
          throw new ValidationError(text, { issues: [issue('body.orderedIds', text)] });
        }
        for (const [sort, id] of orderedIds.entries()) await deps.repo.setCategorySort(tctx, id, sort);
      });
      await deps.cache.bump(ctx.tenantId);
      return tree(ctx);
    },

    /** Deletes an empty category: one with subcategories or products is refused. */
    async deleteCategory(ctx: TenantContext, id: number): Promise<void> {
      const categories = await categoryMap(ctx);
      if (!categories.has(id)) throw new NotFoundError('CATEGORY_NOT_FOUND');
      if (descendants(categories, id).length)
        throw new ConflictError({ reason: 'CATEGORY_HAS_CHILDREN', message: 'Delete or move the subcategories first' });
      if (await deps.repo.productCountInCategory(ctx, id))
        throw new ConflictError({
          reason: 'CATEGORY_HAS_PRODUCTS',
          message: 'Move or delete the products of this category first',
        });
      await deps.repo.deleteCategory(ctx, id);
      await deps.cache.bump(ctx.tenantId);
    },

    /** How many products the shop has (not deleted, whatever their status): its usage of the catalog. */
    productCount: (ctx: TenantContext): Promise<number> => deps.repo.productCount(ctx),

    async listProducts(
      ctx: TenantContext,
      q: { q?: string; categoryId?: number; status?: ProductStatus; page: number; pageSize: number },
    ): Promise<Page<ReturnType<typeof summaryOf>>> {
      const { rows, total } = await deps.repo.listProducts(ctx, q);
      const images = await deps.images.byIds(
        ctx,
        rows.flatMap((r) => r.imageIds.slice(0, 1)),
      );
      return { items: rows.map((r) => summaryOf(r, images)), page: q.page, pageSize: q.pageSize, total };
    },

    async getProduct(ctx: TenantContext, id: number): Promise<Product> {
      const product = await deps.repo.product(ctx, id);
      if (!product) throw new NotFoundError('PRODUCT_NOT_FOUND');
      return toProduct(ctx, product, await deps.repo.skus(ctx, [id]));
    },

    /** Creates or replaces a product; SKUs are matched by their spec values, so their ids survive edits. */
    async saveProduct(ctx: TenantContext, input: ProductInput, id?: number): Promise<Product> {
      const productId = await deps.tx.transaction(ctx, async (tctx) => {
        const existing = id === undefined ? null : await deps.repo.product(tctx, id);
        if (id !== undefined && !existing) throw new NotFoundError('PRODUCT_NOT_FOUND');
        const prepared = await prepare(tctx, input);
        const saved = await deps.repo.saveProduct(tctx, prepared, existing, now());
        await deps.audit.record(tctx, {
          action: existing ? 'catalog.product.updated' : 'catalog.product.created',
          targetType: 'product',
          targetId: saved,
          data: { title: input.title, status: input.status },
        });
        return saved;
      });
      await deps.cache.bump(ctx.tenantId);
      return this.getProduct(ctx, productId);
    },

    /** Puts products on or off sale, or deletes them (soft), in one statement. */
    async batch(
      ctx: TenantContext,
      ids: number[],
      action: 'on_sale' | 'off_sale' | 'delete',
    ): Promise<{ updated: number }> {
      const updated = await deps.repo.setProductsState(ctx, ids, action, now());
      await deps.audit.record(ctx, {
        action: `catalog.products.${action}`,
        targetType: 'product',
        data: { ids, updated },
      });
      await deps.cache.bump(ctx.tenantId);
      return { updated };
    },

    /**
     * Products whose scheduled instant has come go on sale or off sale (定时上下架), audited as the schedule's doing;
     * the shop sees them at once. Returns what moved.
     */
    async applySchedules(ctx: TenantContext, at = now()): Promise<{ onSale: number; offSale: number }> {
      const { onSale, offSale } = await deps.repo.applyDueSchedules(ctx, at);
      if (onSale.length === 0 && offSale.length === 0) return { onSale: 0, offSale: 0 };
      for (const [ids, action] of [
        [onSale, 'on_sale'],
        [offSale, 'off_sale'],
      ] as const)
        if (ids.length)
          await deps.audit.record(ctx, {
            action: `catalog.products.scheduled_${action}`,
            targetType: 'product',
            data: { ids },
          });
      await deps.cache.bump(ctx.tenantId);
      return { onSale: onSale.length, offSale: offSale.length };
    },

    async deleteProduct(ctx: TenantContext, id: number): Promise<void> {
      const { updated } = await this.batch(ctx, [id], 'delete');
      if (updated === 0) throw new NotFoundError('PRODUCT_NOT_FOUND');
    },

    async homeLayout(ctx: TenantContext): Promise<HomeLayoutInput> {
      return homeLayoutInputSchema.parse(await deps.repo.homeLayout(ctx));
    },

    /** Sets the home layout; every image, category and product it names must be this shop's. */
    async setHomeLayout(ctx: TenantContext, layout: HomeLayoutInput): Promise<HomeLayoutInput> {
      await assertImages(
        ctx,
        layout.banners.map((b) => b.imageId),
        'body.banners',
      );
      const categories = await categoryMap(ctx);
      const categoryIds = [
        ...layout.shortcutCategoryIds,
        ...layout.banners.flatMap((b) => (b.categoryId ? [b.categoryId] : [])),
      ];
      const unknownCategories = categoryIds.filter((id) => !categories.has(id));
      const productIds = [
        ...new Set([
          ...layout.newProductIds,
          ...layout.hotProductIds,
          ...layout.recommendedProductIds,
          ...layout.banners.flatMap((b) => (b.productId ? [b.productId] : [])),
        ]),
      ];
      const known = await deps.repo.existingProductIds(ctx, productIds);
      const unknownProducts = productIds.filter((id) => !known.includes(id));
      if (unknownCategories.length || unknownProducts.length) {
        throw new ValidationError(
          { reason: 'LAYOUT_UNKNOWN_ITEMS', message: 'the layout names things this shop does not have' },
          {
            issues: [
              ...unknownCategories.map((id) => ({ path: 'body', message: `no such category: ${id}` })),
              ...unknownProducts.map((id) => ({ path: 'body', message: `no such product: ${id}` })),
            ],
          },
        );
      }
      await deps.repo.saveHomeLayout(ctx, layout, now());
      await deps.cache.bump(ctx.tenantId);
      return layout;
    },

    uploadImage: (ctx: TenantContext, bytes: Buffer) => deps.images.upload(ctx, bytes),
    /** Stores a product video from the temporary file the route kept it in. */
    uploadVideo: (ctx: TenantContext, path: string, bytes: number) => deps.videos.upload(ctx, path, bytes),
  };

  function summaryOf(p: ProductSummary, images: Map<number, CatalogImage>) {
    const main = p.imageIds[0];
    return {
      id: p.id,
      title: p.title,
      categoryId: p.categoryId,
      mainImage: main !== undefined ? (images.get(main) ?? null) : null,
      status: p.status,
      minPriceFen: p.minPriceFen,
      maxPriceFen: p.maxPriceFen,
      totalStock: p.totalStock,
      salesCount: p.salesCount,
      updatedAt: p.updatedAt,
    };
  }
}

export type CatalogService = ReturnType<typeof catalogService>;
