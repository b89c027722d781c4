/**
 * Analytics (数据): the events a shop sends and the services record, and the figures rolled up from them. Each figure's
 * definition is written in docs/analytics.md and shown beside it in the console.
 */
import { DAY_RANGE_MAX_DAYS } from './common.constants';

/** What the shop sends, in batches, for an anonymous visitor (a device id, nothing personal). */
export const SHOP_EVENT_KINDS = ['page_view', 'product_view', 'add_to_cart'] as const;
export type ShopEventKind = (typeof SHOP_EVENT_KINDS)[number];

/** What the services record as an order goes: placed, paid (and each line paid), refunded. */
export const ORDER_EVENT_KINDS = ['order_placed', 'order_paid', 'item_paid', 'order_refunded'] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** The steps of the conversion funnel, each counted in people: visit → product view → cart → order → paid. */
export const FUNNEL_STEPS = ['visitors', 'productViewers', 'cartAdders', 'buyers', 'payers'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** What the top-products table ranks by. */
export const TOP_PRODUCTS_BY = ['sales', 'views'] as const;
export type TopProductsBy = (typeof TOP_PRODUCTS_BY)[number];

/** The tables the data pages export. */
export const ANALYTICS_EXPORTS = ['trend', 'products'] as const;
export type AnalyticsExport = (typeof ANALYTICS_EXPORTS)[number];

/** A device or session id, an event id: what the shop makes up (a random string), nothing personal. */
export const ANALYTICS_ID_PATTERN = /^[0-9A-Za-z_-]{8,40}$/;

export const ANALYTICS_LIMITS = {
  /** Events in one batch. */
  batchMax: 50,
  /** A shop's event older than this (an app that was offline) is dropped: days. */
  lateDaysMax: 7,
  /** A shop's event later than now by more than this (a wrong clock) is dropped: minutes. */
  aheadMinutesMax: 10,
  /** A page path's length. */
  pageMax: 64,
  /** The longest range a dashboard query covers: days. */
  rangeDaysMax: DAY_RANGE_MAX_DAYS,
  /** Rows of a top-products table. */
  topMax: 50,
} as const;
