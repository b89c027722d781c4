import { z } from 'zod';
import { SLUG_PATTERN } from './common.constants';
import { idSchema, isoDateTime, pageQuerySchema } from './common';
import { productPromotionSchema } from './marketing';
import {
  BATCH_PRODUCT_ACTIONS,
  CATEGORY_NAME_MAX,
  DESCRIPTION_MAX_CHARS,
  FACET_FILTERS_MAX,
  FEN_MAX,
  HOME_LIMITS,
  IMPORT_FORMATS,
  PRODUCT_LIMITS,
  PRODUCT_STATUSES,
  SHOP_SEARCH_MAX_CHARS,
} from './catalog.constants';

/** Money is integer fen (1/100 CNY). */
export const fenSchema = z.number().int('a whole number of fen').min(0).max(FEN_MAX);
export const positiveFenSchema = z
  .number()
  .int('a whole number of fen')
  .min(PRODUCT_LIMITS.priceFenMin, 'at least 1 fen')
  .max(PRODUCT_LIMITS.priceFenMax);

// ---- images ---------------------------------------------------------------------------------------

/** One stored image in standard sizes, each as JPEG and WebP (long-cached public URLs). */
export const imageSchema = z
  .object({
    id: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    thumb: z.object({ jpeg: z.string(), webp: z.string() }),
    medium: z.object({ jpeg: z.string(), webp: z.string() }),
    large: z.object({ jpeg: z.string(), webp: z.string() }),
  })
  .meta({ id: 'CatalogImage' });
export type CatalogImage = z.infer<typeof imageSchema>;

/** A product video (MP4) under its public URL. */
export const catalogVideoSchema = z
  .object({ id: z.number().int(), url: z.string(), bytes: z.number().int() })
  .meta({ id: 'CatalogVideo' });
export type CatalogVideo = z.infer<typeof catalogVideoSchema>;

// ---- categories -----------------------------------------------------------------------------------

export type CategoryNode = {
  id: number;
  parentId: number | null;
  name: string;
  level: number;
  sort: number;
  icon: CatalogImage | null;
  children: CategoryNode[];
};
export const categoryNodeSchema: z.ZodType<CategoryNode> = z
  .object({
    id: z.number().int(),
    parentId: z.number().int().nullable(),
    name: z.string(),
    level: z.number().int(),
    sort: z.number().int(),
    icon: imageSchema.nullable(),
    get children() {
      return z.array(categoryNodeSchema);
    },
  })
  .meta({ id: 'CategoryNode' });

export const createCategoryBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(CATEGORY_NAME_MAX),
  parentId: idSchema.nullable().default(null),
  iconImageId: idSchema.nullable().default(null),
});
export const updateCategoryBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(CATEGORY_NAME_MAX).optional(),
    /** Moves the category (with its subtree) under another parent; null for the top level. */
    parentId: idSchema.nullable().optional(),
    iconImageId: idSchema.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update', params: { reason: 'NOTHING_TO_UPDATE' } });
export const reorderCategoriesBodySchema = z.strictObject({
  parentId: idSchema.nullable(),
  /** Every child of the parent, in the new order. */
  orderedIds: z.array(idSchema).min(1).max(500),
});

// ---- products -------------------------------------------------------------------------------------

export const specSchema = z.strictObject({
  name: z.string().trim().min(1).max(PRODUCT_LIMITS.specNameMax),
  values: z.array(z.string().trim().min(1).max(PRODUCT_LIMITS.specValueMax)).min(1).max(PRODUCT_LIMITS.specValuesMax),
});
export type Spec = z.infer<typeof specSchema>;

export const skuInputSchema = z.strictObject({
  /** The SKU's value for each spec, in spec order (empty for a product without specs). */
  specValues: z.array(z.string().trim().min(1).max(PRODUCT_LIMITS.specValueMax)).max(PRODUCT_LIMITS.specsMax),
  code: z.string().trim().max(PRODUCT_LIMITS.skuCodeMax).optional(),
  priceFen: positiveFenSchema,
  originalPriceFen: positiveFenSchema.nullable().optional(),
  stock: z.number().int().min(0).max(PRODUCT_LIMITS.stockMax),
  imageId: idSchema.nullable().optional(),
  /**
   * Weight in whole grams, for freight charged by weight (the console takes kg); 0: none. Absent: the SKU keeps what it
   * has (a new one: 0), so a client that knows nothing of weights (an import file) never wipes them.
   */
  weightGrams: z.number().int().min(0).max(PRODUCT_LIMITS.weightGramsMax).optional(),
  /** Volume in whole cm³, for freight charged by volume (the console takes m³); 0: none. Absent: kept, as the weight. */
  volumeCm3: z.number().int().min(0).max(PRODUCT_LIMITS.volumeCm3Max).optional(),
});

const purchaseLimitSchema = z.number().int().min(1).max(PRODUCT_LIMITS.purchaseLimitMax);

export const productInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(PRODUCT_LIMITS.titleMax),
  subtitle: z.string().trim().max(PRODUCT_LIMITS.subtitleMax).default(''),
  brand: z.string().trim().max(PRODUCT_LIMITS.brandMax).default(''),
  tags: z.array(z.string().trim().min(1).max(PRODUCT_LIMITS.tagMax)).max(PRODUCT_LIMITS.tagsMax).default([]),
  descriptionHtml: z.string().max(DESCRIPTION_MAX_CHARS, `at most ${DESCRIPTION_MAX_CHARS} characters`).default(''),
  categoryId: idSchema,
  /** Image ids in display order; the first is the main image. */
  imageIds: z.array(idSchema).max(PRODUCT_LIMITS.imagesMax).default([]),
  /** The video shown as the gallery's first slide (主图视频), or null. */
  videoId: idSchema.nullable().default(null),
  /** Filterable attributes (facets), e.g. { colour: 'red', size: '3' }. */
  attributes: z
    .record(
      z.string().trim().min(1).max(PRODUCT_LIMITS.attributeNameMax),
      z.string().trim().min(1).max(PRODUCT_LIMITS.attributeValueMax),
    )
    .default({}),
  /** Spec attributes that generate the SKU matrix, e.g. colour × size (at most 3). */
  specs: z.array(specSchema).max(PRODUCT_LIMITS.specsMax).default([]),
  skus: z.array(skuInputSchema).min(1).max(PRODUCT_LIMITS.skusMax),
  status: z.enum(PRODUCT_STATUSES).default('draft'),
  /**
   * The shop's freight template it ships by (运费模板); null: the shop's default template. Absent: the product keeps
   * the one it has (a new product: the default).
   */
  freightTemplateId: idSchema.nullable().optional(),
  /** How many units one order, and one shopper over all their orders not cancelled, may buy (限购); null: no limit. */
  limits: z
    .strictObject({ perOrder: purchaseLimitSchema.nullable(), perShopper: purchaseLimitSchema.nullable() })
    .default({ perOrder: null, perShopper: null }),
  /**
   * When it goes on sale, and off sale, by itself (定时上下架): instants ahead of now; a product to go on sale later is
   * saved as a draft or off sale, and its off-sale instant comes after its on-sale one.
   */
  schedule: z
    .strictObject({
      onSaleAt: z.iso.datetime({ offset: true }).nullable(),
      offSaleAt: z.iso.datetime({ offset: true }).nullable(),
    })
    .default({ onSaleAt: null, offSaleAt: null }),
});
export type ProductInput = z.infer<typeof productInputSchema>;

export const skuSchema = z.object({
  id: z.number().int(),
  specValues: z.array(z.string()),
  code: z.string().nullable(),
  priceFen: z.number().int(),
  originalPriceFen: z.number().int().nullable(),
  stock: z.number().int(),
  image: imageSchema.nullable(),
  weightGrams: z.number().int(),
  volumeCm3: z.number().int(),
});

export const productSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    subtitle: z.string(),
    brand: z.string(),
    tags: z.array(z.string()),
    descriptionHtml: z.string(),
    categoryId: z.number().int(),
    images: z.array(imageSchema),
    video: catalogVideoSchema.nullable(),
    attributes: z.record(z.string(), z.string()),
    specs: z.array(specSchema),
    skus: z.array(skuSchema),
    status: z.enum(PRODUCT_STATUSES),
    freightTemplateId: z.number().int().nullable(),
    limits: z.object({ perOrder: z.number().int().nullable(), perShopper: z.number().int().nullable() }),
    schedule: z.object({ onSaleAt: isoDateTime.nullable(), offSaleAt: isoDateTime.nullable() }),
    minPriceFen: z.number().int(),
    maxPriceFen: z.number().int(),
    totalStock: z.number().int(),
    salesCount: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof productSchema>;

export const productSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    categoryId: z.number().int(),
    mainImage: imageSchema.nullable(),
    status: z.enum(PRODUCT_STATUSES),
    minPriceFen: z.number().int(),
    maxPriceFen: z.number().int(),
    totalStock: z.number().int(),
    salesCount: z.number().int(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ProductSummary' });

export const merchantProductQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().min(1).max(60).optional(),
  categoryId: idSchema.optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
});

export const batchProductsBodySchema = z.strictObject({
  ids: z.array(idSchema).min(1).max(500),
  action: z.enum(BATCH_PRODUCT_ACTIONS),
});
export const batchResultSchema = z.object({ updated: z.number().int() });

// ---- home layout ----------------------------------------------------------------------------------

export const homeLayoutInputSchema = z.strictObject({
  banners: z
    .array(
      z.strictObject({
        imageId: idSchema,
        productId: idSchema.nullable().default(null),
        categoryId: idSchema.nullable().default(null),
      }),
    )
    .max(HOME_LIMITS.banners)
    .default([]),
  shortcutCategoryIds: z.array(idSchema).max(HOME_LIMITS.shortcuts).default([]),
  newProductIds: z.array(idSchema).max(HOME_LIMITS.productList).default([]),
  hotProductIds: z.array(idSchema).max(HOME_LIMITS.productList).default([]),
  recommendedProductIds: z.array(idSchema).max(HOME_LIMITS.productList).default([]),
});
export type HomeLayoutInput = z.infer<typeof homeLayoutInputSchema>;

// ---- shop (shopper) -------------------------------------------------------------------------------

export const SHOP_SORTS = ['default', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export const SHOP_PAGE_MAX = 50;

export const productCardSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    subtitle: z.string(),
    image: imageSchema.nullable(),
    priceFen: z.number().int(),
    originalPriceFen: z.number().int().nullable(),
    salesCount: z.number().int(),
    inStock: z.boolean(),
    /** The promotions running when the card was cached (限时价 and tag, the 满减 it counts towards), or null. */
    promotion: productPromotionSchema.nullable(),
  })
  .meta({ id: 'ProductCard' });
export type ProductCard = z.infer<typeof productCardSchema>;

const facetParam = z.string().regex(/^[^:]{1,20}:[^:]{1,30}$/, 'name:value');

export const shopProductListQuerySchema = z.strictObject({
  categoryId: idSchema.optional(),
  /** Facet filters, repeatable: `facet=colour:red&facet=size:3` (same name: any of the values). */
  facet: z.union([facetParam, z.array(facetParam).max(FACET_FILTERS_MAX)]).optional(),
  priceMin: z.coerce.number().int().min(0).optional(),
  priceMax: z.coerce.number().int().min(0).optional(),
  sort: z.enum(SHOP_SORTS).default('default'),
  /** Opaque position from the previous page: pages stay correct while the catalog changes. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SHOP_PAGE_MAX).default(20),
});
export type ShopProductListQuery = z.infer<typeof shopProductListQuerySchema>;

export const shopSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(SHOP_SEARCH_MAX_CHARS),
  sort: z.enum(SHOP_SORTS).default('default'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SHOP_PAGE_MAX).default(20),
});

export const productPageSchema = z
  .object({
    items: z.array(productCardSchema),
    nextCursor: z.string().nullable(),
    /** Facet values present in the listed set, with counts (first page only). */
    facets: z
      .array(z.object({ name: z.string(), values: z.array(z.object({ value: z.string(), count: z.number().int() })) }))
      .optional(),
  })
  .meta({ id: 'ProductPage' });
export type ProductPage = z.infer<typeof productPageSchema>;

export const shopProductDetailSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    subtitle: z.string(),
    brand: z.string(),
    tags: z.array(z.string()),
    descriptionHtml: z.string(),
    categoryId: z.number().int(),
    images: z.array(imageSchema),
    /** The video shown before the images (主图视频), or null. */
    video: z.object({ url: z.string() }).nullable(),
    attributes: z.record(z.string(), z.string()),
    specs: z.array(specSchema),
    skus: z.array(
      z.object({
        id: z.number().int(),
        specValues: z.array(z.string()),
        priceFen: z.number().int(),
        originalPriceFen: z.number().int().nullable(),
        stockState: z.enum(['in_stock', 'low', 'out_of_stock']),
        image: imageSchema.nullable(),
        /** Its 限时价 while a 限时折扣 runs, or null. */
        timedPriceFen: z.number().int().nullable(),
      }),
    ),
    priceFen: z.number().int(),
    salesCount: z.number().int(),
    rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
    /** The promotions running when the page was cached, or null. */
    promotion: productPromotionSchema.nullable(),
    /** How many units one order, and one shopper in all, may buy (限购); null: no limit. */
    limits: z.object({ perOrder: z.number().int().nullable(), perShopper: z.number().int().nullable() }),
  })
  .meta({ id: 'ShopProductDetail' });
export type ShopProductDetail = z.infer<typeof shopProductDetailSchema>;

export const shopHomeSchema = z
  .object({
    banners: z.array(
      z.object({ image: imageSchema, productId: z.number().int().nullable(), categoryId: z.number().int().nullable() }),
    ),
    shortcuts: z.array(z.object({ id: z.number().int(), name: z.string(), icon: imageSchema.nullable() })),
    newProducts: z.array(productCardSchema),
    hotProducts: z.array(productCardSchema),
    recommendedProducts: z.array(productCardSchema),
  })
  .meta({ id: 'ShopHome' });

export const shopProductParamsSchema = z.strictObject({ shopKey: z.string().regex(SLUG_PATTERN), id: idSchema });

// ---- export ---------------------------------------------------------------------------------------

export const exportQuerySchema = z.strictObject({ format: z.enum(IMPORT_FORMATS).default('csv') });
