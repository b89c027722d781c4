import { z } from 'zod';
import { idSchema, isoDateTime, shopParamsSchema } from './common';
import { imageSchema, productCardSchema } from './catalog';
import { HEX_COLOR, TAB_PAGES } from './shop.constants';
import {
  BLOCK_TYPES,
  HOME_PAGE_KEY,
  LINK_KINDS,
  PAGE_KEY_PATTERN,
  PAGE_KINDS,
  PRODUCT_LIST_RULES,
  SHOP_LINK_PAGES,
  STOREFRONT_LIMITS as L,
} from './storefront.constants';

// The shop designer's page JSON. A page is a title, an optional background and a list of blocks; each block is one
// strict object of its settings, told apart by `type`, with an `id` the designer gives it (stable across edits, so
// the console can keep the chosen block while the list moves). The server checks every id a page names (products,
// categories, images, coupon templates, group-buy campaigns, pages) against the shop before saving.

const color = z.string().regex(HEX_COLOR, 'a colour like #e4393c');
const text = (max: number) => z.string().trim().max(max);

/**
 * Refuses what is not an object with one of `kinds` as its `field`, with `reason` (BLOCK_TYPE_UNKNOWN, LINK_INVALID),
 * before the discriminated union names the object's own problems.
 */
function tagged<T extends z.ZodType>(field: string, kinds: readonly string[], reason: string, inner: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const tag = value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
      if (typeof tag !== 'string' || !kinds.includes(tag))
        ctx.addIssue({
          code: 'custom',
          path: value && typeof value === 'object' ? [field] : [],
          message: `${field} must be one of ${kinds.join(', ')}`,
          params: { reason },
        });
    })
    .pipe(inner);
}

// ---- links ------------------------------------------------------------------------------------------

const linkUnion = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('product'), productId: idSchema }),
  z.strictObject({ kind: z.literal('category'), categoryId: idSchema }),
  z.strictObject({ kind: z.literal('page'), pageKey: z.string().regex(PAGE_KEY_PATTERN) }),
  z.strictObject({ kind: z.literal('shop'), page: z.enum(SHOP_LINK_PAGES) }),
]);
export type PageLink = z.infer<typeof linkUnion>;
/** Where a tap goes (LINK_INVALID for an unknown kind). */
export const pageLinkSchema = tagged('kind', LINK_KINDS, 'LINK_INVALID', linkUnion).meta({ id: 'PageLink' });
const optionalLink = pageLinkSchema.nullable().default(null);

// ---- blocks -----------------------------------------------------------------------------------------

const blockId = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/)
  .min(1)
  .max(L.blockIdMax);
const base = <T extends string>(type: T) => ({ id: blockId, type: z.literal(type) });
/** A share of the image's width or height, in thousandths (so an area stays put whatever the screen). */
const permille = z.number().int().min(0).max(1000);

export const searchBarBlockSchema = z.strictObject({
  ...base('searchBar'),
  placeholder: text(L.titleMax).default(''),
});
export const bannerBlockSchema = z.strictObject({
  ...base('banner'),
  items: z
    .array(z.strictObject({ imageId: idSchema, link: optionalLink }))
    .min(1)
    .max(L.bannerItems),
  /** Height as a share of the width, in thousandths (400 = 750×300). */
  heightRatio: z.number().int().min(200).max(1500).default(400),
});
export const hotImageBlockSchema = z.strictObject({
  ...base('hotImage'),
  imageId: idSchema,
  areas: z
    .array(
      z
        .strictObject({ x: permille, y: permille, w: permille.min(1), h: permille.min(1), link: pageLinkSchema })
        .refine((a) => a.x + a.w <= 1000 && a.y + a.h <= 1000, {
          message: 'an area inside the image',
          params: { reason: 'HOT_AREA_OUTSIDE' },
        }),
    )
    .max(L.hotAreas)
    .default([]),
});
export const navGridBlockSchema = z.strictObject({
  ...base('navGrid'),
  columns: z.union([z.literal(4), z.literal(5)]).default(5),
  items: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1).max(L.navTitleMax),
        imageId: idSchema.nullable(),
        link: pageLinkSchema,
      }),
    )
    .min(1)
    .max(L.navItems),
});
export const noticeBlockSchema = z.strictObject({
  ...base('notice'),
  text: z.string().trim().min(1).max(L.noticeMax),
  link: optionalLink,
});
const productSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('products'), productIds: z.array(idSchema).min(1).max(L.chosenProducts) }),
  z.strictObject({
    kind: z.literal('category'),
    categoryId: idSchema,
    sort: z.enum(PRODUCT_LIST_RULES).default('newest'),
  }),
  z.strictObject({ kind: z.literal('rule'), rule: z.enum(PRODUCT_LIST_RULES) }),
]);
export const productListBlockSchema = z.strictObject({
  ...base('productList'),
  title: text(L.titleMax).default(''),
  source: productSource,
  columns: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  limit: z.number().int().min(1).max(L.productListMax).default(10),
});
export const couponsBlockSchema = z.strictObject({
  ...base('coupons'),
  title: text(L.titleMax).default(''),
  /** The templates shown, in this order; none: every template shoppers can claim now. */
  templateIds: z.array(idSchema).max(L.couponTemplates).default([]),
});
export const flashSaleBlockSchema = z.strictObject({
  ...base('flashSale'),
  title: text(L.titleMax).default(''),
  limit: z.number().int().min(1).max(L.campaignLimit).default(6),
});
export const groupBuyBlockSchema = z.strictObject({
  ...base('groupBuy'),
  title: text(L.titleMax).default(''),
  campaignIds: z.array(idSchema).min(1).max(L.groupCampaigns),
});
export const richTextBlockSchema = z.strictObject({
  ...base('richText'),
  /** HTML, sanitized on save as a product's description is. */
  html: z.string().max(L.richTextMaxChars),
});
export const spacerBlockSchema = z.strictObject({
  ...base('spacer'),
  height: z.number().int().min(L.spacerMin).max(L.spacerMax).default(16),
  line: z.boolean().default(false),
});
export const shopInfoBlockSchema = z.strictObject({
  ...base('shopInfo'),
  showDescription: z.boolean().default(true),
});
export const recommendationsBlockSchema = z.strictObject({
  ...base('recommendations'),
  title: text(L.titleMax).default(''),
  limit: z.number().int().min(1).max(L.recommendationsMax).default(10),
});

const blockUnion = z.discriminatedUnion('type', [
  searchBarBlockSchema,
  bannerBlockSchema,
  hotImageBlockSchema,
  navGridBlockSchema,
  noticeBlockSchema,
  productListBlockSchema,
  couponsBlockSchema,
  flashSaleBlockSchema,
  groupBuyBlockSchema,
  richTextBlockSchema,
  spacerBlockSchema,
  shopInfoBlockSchema,
  recommendationsBlockSchema,
]);
export type PageBlock = z.infer<typeof blockUnion>;
/** Any block (BLOCK_TYPE_UNKNOWN for a type the designer does not know). */
export const pageBlockSchema = tagged('type', BLOCK_TYPES, 'BLOCK_TYPE_UNKNOWN', blockUnion).meta({
  id: 'PageBlock',
  description: `one of: ${BLOCK_TYPES.join(', ')}`,
});

// ---- pages ------------------------------------------------------------------------------------------

/** A page's content: what a draft holds and a published version keeps. */
export const pageContentSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(L.titleMax),
    background: color.nullable().default(null),
    blocks: z
      .array(pageBlockSchema)
      .max(L.blocksPerPage)
      .refine((blocks) => new Set(blocks.map((b) => b.id)).size === blocks.length, {
        message: 'each block id once',
        params: { reason: 'BLOCK_ID_REPEATED' },
      }),
  })
  .meta({ id: 'PageContent' });
export type PageContent = z.infer<typeof pageContentSchema>;

export const pageKeySchema = z.string().regex(PAGE_KEY_PATTERN, 'a-z, 0-9 and -, 2 to 32, starting with a letter');

export const createPageBodySchema = z.strictObject({
  key: pageKeySchema.refine((k) => k !== HOME_PAGE_KEY, {
    message: 'the home page exists already',
    params: { reason: 'PAGE_KEY_TAKEN' },
  }),
  title: z.string().trim().min(1).max(L.titleMax),
});
export type CreatePageBody = z.infer<typeof createPageBodySchema>;

export const pageVersionParamsSchema = z.strictObject({ id: idSchema, version: idSchema });

/** A page in the designer's list. */
export const pageSummarySchema = z
  .object({
    id: z.number().int(),
    key: z.string(),
    kind: z.enum(PAGE_KINDS),
    title: z.string(),
    /** The version shoppers see, or null before the first publish. */
    publishedVersion: z.number().int().nullable(),
    publishedAt: isoDateTime.nullable(),
    /** Whether the draft differs from the published version. */
    changed: z.boolean(),
    draftUpdatedAt: isoDateTime,
  })
  .meta({ id: 'DesignPageSummary' });
export type PageSummary = z.infer<typeof pageSummarySchema>;

export const designPageSchema = pageSummarySchema
  .extend({
    draft: pageContentSchema,
    /** The images the draft names, for the designer to show (the ones the shop still has). */
    images: z.array(imageSchema),
    /** The products the draft names (chosen for a list, linked), by title, for the designer to show. */
    products: z.array(z.object({ id: z.number().int(), title: z.string() })),
  })
  .meta({ id: 'DesignPage' });
export type DesignPage = z.infer<typeof designPageSchema>;

export const pageVersionSchema = z
  .object({
    version: z.number().int(),
    publishedAt: isoDateTime,
    /** The earlier version this one put back (a roll back), or null. */
    restoredFrom: z.number().int().nullable(),
    current: z.boolean(),
    blocks: z.number().int(),
  })
  .meta({ id: 'DesignPageVersion' });
export type PageVersion = z.infer<typeof pageVersionSchema>;

export const pagePreviewSchema = z
  .object({ token: z.string(), expiresAt: isoDateTime, path: z.string() })
  .meta({ id: 'DesignPagePreview' });
export type PagePreview = z.infer<typeof pagePreviewSchema>;

// ---- tab bar ----------------------------------------------------------------------------------------

/**
 * The tab bar: its colours and items, each a tab page of the template with a text and icons, kept in the template's order
 * of its tab pages (a tab page left out is not shown). The h5 and the mini-program apply it at run time; a
 * mini-program's package carries it too (app.json: which tabs, their texts and colours), made again with each release.
 */
export const tabBarSchema = z
  .strictObject({
    color,
    selectedColor: color,
    backgroundColor: color,
    items: z
      .array(
        z.strictObject({
          page: z.enum(TAB_PAGES),
          text: z.string().trim().min(1).max(4),
          /** Tab icons the shop uploaded (POST /storefront/tab-icons); none: the text alone. */
          iconId: idSchema.nullable().default(null),
          selectedIconId: idSchema.nullable().default(null),
        }),
      )
      .min(2)
      .max(5)
      .refine((items) => new Set(items.map((i) => i.page)).size === items.length, {
        message: 'each page once',
        params: { reason: 'TAB_PAGE_REPEATED' },
      })
      .refine((items) => items.some((i) => i.page === 'home'), {
        message: 'the home page is a tab',
        params: { reason: 'TAB_HOME_REQUIRED' },
      }),
  })
  .meta({ id: 'TabBar' });
export type TabBar = z.infer<typeof tabBarSchema>;

const tabColors = { color: z.string(), selectedColor: z.string(), backgroundColor: z.string() };
const tabIconUrls = {
  /** The icon's URL (81 × 81 PNG), or null: the template's text alone. */
  iconUrl: z.string().nullable(),
  selectedIconUrl: z.string().nullable(),
};

/** A tab icon the shop uploaded: an 81 × 81 PNG under a public URL. */
export const tabIconSchema = z.object({ id: z.number().int(), url: z.string() }).meta({ id: 'TabIcon' });
export type TabIcon = z.infer<typeof tabIconSchema>;

/** The tab bar in the designer: as set, with its icons' URLs to show. */
export const designTabBarSchema = z
  .object({
    /** Whether the merchant set it here; until then it is the one the shop's appearance implies. */
    custom: z.boolean(),
    ...tabColors,
    items: z.array(
      z.object({
        page: z.enum(TAB_PAGES),
        text: z.string(),
        iconId: z.number().int().nullable(),
        selectedIconId: z.number().int().nullable(),
        ...tabIconUrls,
      }),
    ),
  })
  .meta({ id: 'DesignTabBar' });
export type DesignTabBar = z.infer<typeof designTabBarSchema>;

/**
 * The tab bar as the shop applies it at run time (uni.setTabBarStyle / setTabBarItem): its colours and, in the template's
 * order, the tabs shown with their texts and icons. Not `custom`: the shop keeps what its appearance says.
 */
export const shopTabBarSchema = z
  .object({
    custom: z.boolean(),
    ...tabColors,
    items: z.array(z.object({ page: z.enum(TAB_PAGES), text: z.string(), ...tabIconUrls })),
  })
  .meta({ id: 'ShopTabBar' });
export type ShopTabBar = z.infer<typeof shopTabBarSchema>;

// ---- what the shop reads ------------------------------------------------------------------------------

export const shopPageParamsSchema = shopParamsSchema.extend({ key: pageKeySchema });
export const shopPageQuerySchema = z.strictObject({ preview: z.string().min(10).max(100).optional() });

/** The sizes a catalog image comes in. */
export type ImageSize = 'thumb' | 'medium' | 'large';
/** An image as a rendered page carries it: in the one size its block shows (a page names many; the JSON stays small). */
export type SizedImage<S extends ImageSize> = Pick<z.infer<typeof imageSchema>, 'id' | 'width' | 'height' | S>;
/** A product card as a page's list carries it: its picture in the size a card shows. */
export type ShopProductCard = Omit<z.infer<typeof productCardSchema>, 'image'> & { image: SizedImage<'thumb'> | null };

/**
 * A block as the shop renders it: its settings with what they name filled in (images, product cards, group-buy
 * campaigns). Coupons, flash sales and recommendations change with the shopper and the minute: their blocks carry
 * their settings only and the shop reads them from their own endpoints.
 */
export type ShopBlock =
  | Exclude<PageBlock, { type: 'banner' | 'hotImage' | 'navGrid' | 'productList' | 'groupBuy' }>
  | (Omit<Extract<PageBlock, { type: 'banner' }>, 'items'> & {
      items: Array<{ image: SizedImage<'medium'>; link: PageLink | null }>;
    })
  | (Extract<PageBlock, { type: 'hotImage' }> & { image: SizedImage<'large'> | null })
  | (Omit<Extract<PageBlock, { type: 'navGrid' }>, 'items'> & {
      items: Array<{ title: string; image: SizedImage<'thumb'> | null; link: PageLink }>;
    })
  | (Extract<PageBlock, { type: 'productList' }> & { products: ShopProductCard[] })
  | (Extract<PageBlock, { type: 'groupBuy' }> & { campaigns: ShopGroupCampaignCard[] });

export interface ShopGroupCampaignCard {
  id: number;
  name: string;
  productId: number;
  productTitle: string;
  imageUrl: string | null;
  groupSize: number;
  groupPriceFen: number;
  priceFen: number;
  endsAt: string;
}

export const shopPageSchema = z
  .object({
    key: z.string(),
    title: z.string(),
    background: z.string().nullable(),
    /** The published version shown (0: the default home page of a shop that never published one; null: a preview). */
    version: z.number().int().nullable(),
    blocks: z.array(z.looseObject({ id: z.string(), type: z.enum(BLOCK_TYPES) })),
  })
  .meta({ id: 'ShopPage' });
export interface ShopPage {
  key: string;
  title: string;
  background: string | null;
  version: number | null;
  blocks: ShopBlock[];
}
