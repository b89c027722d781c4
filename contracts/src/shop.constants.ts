export const TENANT_STATUSES = ['pending_review', 'active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A colour as the API takes it. */
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Max size of a shop logo upload. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** The tab pages of the template, each always present (the template switches tabs by these pages). */
export const TAB_PAGES = ['home', 'category', 'cart', 'user'] as const;
export type TabPage = (typeof TAB_PAGES)[number];
/** The sections a shop's home page can show, in the merchant's order. */
export const HOME_SECTIONS = ['banner', 'notice', 'categories', 'hot', 'new'] as const;
export type HomeSection = (typeof HOME_SECTIONS)[number];

/** Limits of appearanceBodySchema; widths as `wechatWidth` counts them (a Chinese character counts 2). */
export const APPEARANCE_LIMITS = {
  nameMinWidth: 4,
  nameMaxWidth: 30,
  tabLabelMaxWidth: 8,
  noticeMax: 60,
  shareTitleMax: 30,
} as const;

/** The customer-service phone of a shop's appearance. */
export const SERVICE_PHONE_PATTERN = /^[0-9+\-\s]{5,20}$/;

/**
 * The console's live preview: the appearance editor frames the shop's h5 build at
 * `/s/{slug}/?preview=1`. The page first asks its parent for a preview pass (PASS_REQUEST); the editor
 * answers with PASS (a token, or null when it has none) and again whenever it renews the pass. The page
 * posts READY once it can take a draft, and the editor posts APPEARANCE with the unsaved appearance on
 * every change. Same origin only.
 */
export const PREVIEW_MESSAGES = {
  passRequest: 'shopfleet:preview-pass-request',
  pass: 'shopfleet:preview-pass',
  ready: 'shopfleet:preview-ready',
  appearance: 'shopfleet:appearance-preview',
} as const;

/**
 * The request header that carries a preview pass. A shop that is not open (pending review, suspended)
 * serves its reads only to a request with a pass of its own merchant; an open shop ignores it.
 */
export const SHOP_PREVIEW_HEADER = 'X-Shop-Preview';

/** Most characters of the platform's tenant search (name or slug). */
export const TENANT_QUERY_MAX = 60;
