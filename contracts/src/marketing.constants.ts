/** 满减 (spend a threshold, take an amount off), 折扣 (a percent off, perhaps capped), 无门槛 (an amount off, no threshold). */
export const COUPON_KINDS = ['amount_off', 'percent_off', 'no_threshold'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

/** What a coupon applies to: the whole shop, some categories, or some products (less the excluded products). */
export const COUPON_SCOPES = ['shop', 'categories', 'products'] as const;
export type CouponScope = (typeof COUPON_SCOPES)[number];

/** Who may receive a template's coupons: anyone, or shoppers with no paid order yet. */
export const COUPON_AUDIENCES = ['everyone', 'new_shoppers'] as const;
export type CouponAudience = (typeof COUPON_AUDIENCES)[number];

/** How a template's coupons reach shoppers: claimed in the coupon centre, sent by the merchant, or given at first sign-in. */
export const COUPON_ISSUE_MODES = ['claim', 'send', 'first_sign_in'] as const;
export type CouponIssueMode = (typeof COUPON_ISSUE_MODES)[number];

/** A template's stored status: running until the merchant stops it early. */
export const COUPON_TEMPLATE_STATUSES = ['running', 'stopped'] as const;
export type CouponTemplateStatus = (typeof COUPON_TEMPLATE_STATUSES)[number];

/** What the console shows of a template: its stored status and its claim period, against the clock. */
export const COUPON_DISPLAY_STATUSES = ['not_started', 'running', 'ended', 'stopped'] as const;
export type CouponDisplayStatus = (typeof COUPON_DISPLAY_STATUSES)[number];

/** A coupon's stored state; `expired` is derived from its `validTo`, never stored. */
export const COUPON_STATES = ['unused', 'used'] as const;
export type CouponState = (typeof COUPON_STATES)[number];
export const COUPON_SHOWN_STATES = ['unused', 'used', 'expired'] as const;
export type CouponShownState = (typeof COUPON_SHOWN_STATES)[number];

/** Limits of the coupon template schemas. */
export const COUPON_LIMITS = {
  nameMax: 40,
  /** Most coupons of one template: total quantity. */
  totalMax: 1_000_000,
  perShopperMax: 100,
  /** Most ids in a scope or in the excluded products. */
  scopeIdsMax: 200,
  validDaysMax: 365,
  /** The largest amount off or threshold, in fen (¥1,000,000). */
  fenMax: 100_000_000,
  /** Most shoppers one send names. */
  sendShoppersMax: 500,
} as const;

/**
 * The promotions: 满减/满折 (`full_reduction`: tiers of an amount or a percent off above an order amount or an item count,
 * over a product scope) and 限时折扣 (`timed_discount`: a price or a percent off per product or SKU). Both run over a
 * period and can be stopped early.
 */
export const PROMOTION_KINDS = ['full_reduction', 'timed_discount'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

/** What a 满减 tier's threshold counts: the amount of the lines in scope (fen), or their items. */
export const TIER_BASES = ['amount', 'quantity'] as const;
export type TierBasis = (typeof TIER_BASES)[number];

/** A promotion's stored status, and what the console shows of it against the clock (as for coupon templates). */
export const PROMOTION_STATUSES = ['running', 'stopped'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** Limits of the promotion schemas. */
export const PROMOTION_LIMITS = {
  nameMax: 40,
  tiersMax: 5,
  /** Most products or SKUs one 限时折扣 prices. */
  itemsMax: 200,
  quantityMax: 10_000,
  tagMax: 8,
} as const;

/** Why a coupon cannot be used on an order now (each a reason with zh-CN and en texts). */
export const COUPON_UNUSABLE_REASONS = [
  'COUPON_THRESHOLD_NOT_MET',
  'COUPON_OUT_OF_SCOPE',
  'COUPON_NOT_COMBINABLE',
  'COUPON_NOT_YET_VALID',
  'COUPON_EXPIRED',
] as const;
export type CouponUnusableReason = (typeof COUPON_UNUSABLE_REASONS)[number];

/**
 * 秒杀 (flash sales): sessions (场次) of SKUs at a flash price, each with stock set aside from the SKU when the session is
 * set up and given back when it ends. A session's stored status: scheduled until the merchant stops it early. What the
 * console shows of it is a `CouponDisplayStatus` against the clock.
 */
export const FLASH_SESSION_STATUSES = ['scheduled', 'stopped'] as const;
export type FlashSessionStatus = (typeof FLASH_SESSION_STATUSES)[number];

/** Where a session stands for a shopper: upcoming (with a countdown), running, or over. */
export const FLASH_SHOP_STATES = ['upcoming', 'running', 'ended'] as const;
export type FlashShopState = (typeof FLASH_SHOP_STATES)[number];

/** Limits of flash sales. */
export const FLASH_LIMITS = {
  nameMax: 40,
  /** SKUs in one session. */
  itemsMax: 50,
  stockMax: 100_000,
  perShopperMax: 10,
  /** A session's payment window, shorter than a shop's usual one. */
  windowMinutesMin: 1,
  windowMinutesMax: 30,
  /** Longest session, in hours. */
  sessionHoursMax: 72,
  /** A pass is given from this many seconds before the start, never earlier. */
  passLeadSeconds: 30,
  /** A pass expires this many seconds after it is given (or at the session's end, if sooner). */
  passTtlSeconds: 300,
  /** Shop listing: sessions starting within this many hours show as upcoming. */
  upcomingHours: 72,
} as const;

/**
 * 拼团 (group buys): a campaign per product at a group price; a shopper starts a group (团长) or joins an open one. A
 * group opens when its leader pays, succeeds when its seats are paid for in time (or, if the merchant allowed it, filled
 * with virtual members at its end), and fails otherwise: every paid member is refunded.
 */
export const GROUP_CAMPAIGN_STATUSES = ['running', 'stopped'] as const;
export type GroupCampaignStatus = (typeof GROUP_CAMPAIGN_STATUSES)[number];

/** A group: waiting for its leader's payment, open (forming), succeeded, failed (refunded), or never opened. */
export const GROUP_STATUSES = ['pending', 'forming', 'succeeded', 'failed', 'cancelled'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

export const GROUP_LIMITS = {
  nameMax: 40,
  sizeMin: 2,
  sizeMax: 10,
  /** How long a group has to fill, in minutes (15 minutes to 3 days). */
  durationMinutesMin: 15,
  durationMinutesMax: 4320,
  perShopperMax: 10,
  /** Open groups a product page shows to join. */
  openShown: 10,
} as const;
