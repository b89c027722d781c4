import { z } from 'zod';
import { dayRangeChecks, dayRangeShape, daySchema, idSchema, isoDateTime } from './common';
import {
  ANALYTICS_EXPORTS,
  ANALYTICS_ID_PATTERN,
  ANALYTICS_LIMITS,
  SHOP_EVENT_KINDS,
  TOP_PRODUCTS_BY,
} from './analytics.constants';

const analyticsId = z.string().regex(ANALYTICS_ID_PATTERN, '8 to 40 letters, digits, - or _');

/** One thing a visitor did in the shop, stamped by the shop when it happened. */
export const shopEventSchema = z.strictObject({
  /** Made by the shop once per event: a batch sent again counts once. */
  id: analyticsId,
  kind: z.enum(SHOP_EVENT_KINDS),
  at: z.iso.datetime({ offset: true }),
  /** The visit (a launch of the app, or 30 minutes without a page) it belongs to. */
  session: analyticsId,
  /** The page's path, for a page view. */
  page: z.string().trim().min(1).max(ANALYTICS_LIMITS.pageMax).optional(),
  /** The product viewed or added. */
  productId: idSchema.optional(),
  quantity: z.number().int().min(1).max(9999).optional(),
});
export type ShopEvent = z.infer<typeof shopEventSchema>;

/** A batch of a device's events (sent every few seconds, and when the shop goes to the background). */
export const shopEventsBodySchema = z.strictObject({
  device: analyticsId,
  events: z.array(shopEventSchema).min(1).max(ANALYTICS_LIMITS.batchMax),
});
export type ShopEventsBody = z.infer<typeof shopEventsBodySchema>;

export const shopEventsResultSchema = z.object({
  /** Events kept (new ones; a batch sent again keeps none). */
  accepted: z.number().int(),
  /** Events too old or too far ahead to count. */
  dropped: z.number().int(),
});
export type ShopEventsResult = z.infer<typeof shopEventsResultSchema>;

const day = daySchema;
const { inOrder, notTooLong } = dayRangeChecks;
const rangeShape = dayRangeShape;

export const analyticsRangeSchema = z
  .strictObject(rangeShape)
  .refine(...inOrder)
  .refine(...notTooLong);
export type AnalyticsRange = z.infer<typeof analyticsRangeSchema>;

/** The figures of a range (definitions in docs/analytics.md; money in fen, rates from 0 to 1). */
export const analyticsFiguresSchema = z
  .object({
    /** Paid in the range, by payment time (shipping included, before refunds). */
    gmvFen: z.number().int(),
    /** Refunded in the range, by refund time (whenever the order was paid). */
    refundFen: z.number().int(),
    /** GMV less refunds. */
    netFen: z.number().int(),
    ordersPaid: z.number().int(),
    /** People who paid. */
    payers: z.number().int(),
    /** GMV ÷ orders paid. */
    aovFen: z.number().int(),
    /** People who opened the shop (by device; HyperLogLog over more than a day). */
    visitors: z.number().int(),
    pageViews: z.number().int(),
    productViews: z.number().int(),
    cartAdds: z.number().int(),
    ordersPlaced: z.number().int(),
    placedFen: z.number().int(),
    /** Refunds made (one order may have several). */
    refunds: z.number().int(),
    /** Orders with a refund in the range. */
    refundedOrders: z.number().int(),
    /** Payers ÷ visitors. */
    conversionRate: z.number(),
    /** Orders with a refund ÷ orders paid, in the range. */
    refundRate: z.number(),
  })
  .meta({ id: 'AnalyticsFigures' });
export type AnalyticsFigures = z.infer<typeof analyticsFiguresSchema>;

/** People at each step of the funnel in the range (each counted once however often they did it). */
export const analyticsFunnelSchema = z
  .object({
    visitors: z.number().int(),
    productViewers: z.number().int(),
    cartAdders: z.number().int(),
    buyers: z.number().int(),
    payers: z.number().int(),
  })
  .meta({ id: 'AnalyticsFunnel' });
export type AnalyticsFunnel = z.infer<typeof analyticsFunnelSchema>;

export const analyticsOverviewSchema = z
  .object({
    from: day,
    to: day,
    figures: analyticsFiguresSchema,
    funnel: analyticsFunnelSchema,
    /** The range of the same length just before, to compare with (yesterday for today). */
    previous: z.object({ from: day, to: day, figures: analyticsFiguresSchema }),
    /** When the figures were last rolled up (they include every event recorded before). */
    rolledUpAt: isoDateTime.nullable(),
  })
  .meta({ id: 'AnalyticsOverview' });
export type AnalyticsOverview = z.infer<typeof analyticsOverviewSchema>;

/** One point of a trend: an hour (`2026-12-06 13:00`) for a one-day range, else a day. */
export const analyticsTrendPointSchema = z.object({
  at: z.string(),
  gmvFen: z.number().int(),
  refundFen: z.number().int(),
  ordersPaid: z.number().int(),
  payers: z.number().int(),
  visitors: z.number().int(),
  pageViews: z.number().int(),
  ordersPlaced: z.number().int(),
});
export type AnalyticsTrendPoint = z.infer<typeof analyticsTrendPointSchema>;

export const analyticsTrendSchema = z
  .object({ unit: z.enum(['hour', 'day']), points: z.array(analyticsTrendPointSchema) })
  .meta({ id: 'AnalyticsTrend' });
export type AnalyticsTrend = z.infer<typeof analyticsTrendSchema>;

export const topProductsQuerySchema = z
  .strictObject({
    ...rangeShape,
    by: z.enum(TOP_PRODUCTS_BY).default('sales'),
    limit: z.coerce.number().int().min(1).max(ANALYTICS_LIMITS.topMax).default(10),
  })
  .refine(...inOrder)
  .refine(...notTooLong);

export const topProductSchema = z
  .object({
    productId: z.number().int(),
    /** The product's title now; null when it was deleted. */
    title: z.string().nullable(),
    views: z.number().int(),
    cartAdds: z.number().int(),
    paidUnits: z.number().int(),
    paidFen: z.number().int(),
  })
  .meta({ id: 'TopProduct' });
export type TopProduct = z.infer<typeof topProductSchema>;

export const analyticsExportQuerySchema = z
  .strictObject({
    ...rangeShape,
    table: z.enum(ANALYTICS_EXPORTS),
    by: z.enum(TOP_PRODUCTS_BY).default('sales'),
    format: z.enum(['csv', 'xlsx']).default('xlsx'),
  })
  .refine(...inOrder)
  .refine(...notTooLong);

/** The merchant's work waiting (null: the signed-in person may not see that list). */
export const pendingWorkSchema = z
  .object({
    toShip: z.number().int().nullable(),
    afterSales: z.number().int().nullable(),
    reviewsToAnswer: z.number().int().nullable(),
    unreadChats: z.number().int().nullable(),
  })
  .meta({ id: 'PendingWork' });
export type PendingWork = z.infer<typeof pendingWorkSchema>;
