/**
 * The shop designer (装修): pages made of blocks, each block a small JSON of its own settings (yudao's DIY
 * components, Youzan's 微页面). See platform/src/modules/storefront.
 */

/** The blocks a page can hold, in the palette's order. */
export const BLOCK_TYPES = [
  'searchBar',
  'banner',
  'hotImage',
  'navGrid',
  'notice',
  'productList',
  'coupons',
  'flashSale',
  'groupBuy',
  'richText',
  'spacer',
  'shopInfo',
  'recommendations',
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/**
 * Where a link goes: a product, a category, a custom page, or one of the shop's fixed pages. No raw URLs: a
 * mini-program opens only its own pages (a web-view needs a business domain registered with WeChat), and a raw URL on
 * a shop page is a phishing vector the platform could not check.
 */
export const LINK_KINDS = ['product', 'category', 'page', 'shop'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** The shop's fixed pages a link can open (the template maps each to its route). */
export const SHOP_LINK_PAGES = [
  'home',
  'category',
  'cart',
  'user',
  'search',
  'coupons',
  'flashSales',
  'orders',
  'myGroups',
  'favourites',
  'member',
] as const;
export type ShopLinkPage = (typeof SHOP_LINK_PAGES)[number];

/** A product list's source when no products are chosen by hand. */
export const PRODUCT_LIST_RULES = ['newest', 'sales'] as const;
export type ProductListRule = (typeof PRODUCT_LIST_RULES)[number];

/** The home page's key; every shop has it. Custom pages (活动页) take keys of their own. */
export const HOME_PAGE_KEY = 'home';
/** A custom page's key: lowercase letters, digits and hyphens, 2 to 32, starting with a letter. */
export const PAGE_KEY_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
export const PAGE_KINDS = ['home', 'custom'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export const STOREFRONT_LIMITS = {
  blocksPerPage: 50,
  pagesPerShop: 100,
  titleMax: 30,
  blockIdMax: 32,
  bannerItems: 10,
  hotAreas: 20,
  navItems: 20,
  navTitleMax: 8,
  noticeMax: 120,
  productListMax: 50,
  chosenProducts: 50,
  couponTemplates: 20,
  groupCampaigns: 10,
  campaignLimit: 20,
  richTextMaxChars: 20_000,
  spacerMin: 4,
  spacerMax: 200,
  recommendationsMax: 20,
  /** Versions listed per page (newest first). */
  versionsListed: 50,
  /** Minutes a draft's preview token lives. */
  previewMinutes: 30,
} as const;

/** A tab icon as uploaded: at most this many bytes (JPEG, PNG or WebP, proven by decoding). */
export const TAB_ICON_MAX_BYTES = 1024 * 1024;
/** A tab icon as kept: a square PNG of this many pixels (WeChat recommends 81 × 81 and takes at most 40 kB). */
export const TAB_ICON_PX = 81;

/** Query parameter of the h5 page that carries a draft's preview token (`/s/{slug}/#/pages/custom/page?key=…&preview=…`). */
export const PAGE_PREVIEW_QUERY = 'preview';
