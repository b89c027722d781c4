import { z } from 'zod';
import { dayRangeChecks, dayRangeShape, daySchema, isoDateTime, pageQuerySchema } from './common';
import { auditQuotaSchema, RELEASE_STATUSES } from './miniapp';
import { TENANT_STATUSES } from './shop.constants';
import { ERROR_REASON_KEYS, type ErrorReason } from './errors';
import { SORT_ORDERS, USAGE_SORTS } from './usage.constants';

const day = daySchema;
const { inOrder, notTooLong } = dayRangeChecks;

export const usageRangeSchema = z
  .strictObject(dayRangeShape)
  .refine(...inOrder)
  .refine(...notTooLong);
export type UsageRange = z.infer<typeof usageRangeSchema>;

/** One shop's usage of one China-time day (definitions in platform/src/modules/usage/README.md). */
export const usageDaySchema = z
  .object({
    day,
    /** Orders placed in the shop that day (paid or not). */
    orders: z.number().int(),
    /** Products in the shop's catalog (not deleted) at the day's last snapshot. */
    products: z.number().int(),
    /** Bytes of the files the shop keeps in storage (images, documents, packages, posters) at the day's last snapshot. */
    storageBytes: z.number().int(),
    /** Active members of the shop's staff (the owner included) at the day's last snapshot. */
    staff: z.number().int(),
    /** Releases submitted to WeChat's audit that day (each spends one of the platform's audit quota). */
    wechatAudits: z.number().int(),
    /** Requests to the merchant and shop APIs that named the shop that day, whatever their answer. */
    apiRequests: z.number().int(),
    /** When the day's snapshot last ran (API requests are added as they are flushed, every few minutes). */
    measuredAt: isoDateTime.nullable(),
  })
  .meta({ id: 'UsageDay' });
export type UsageDay = z.infer<typeof usageDaySchema>;

/** A shop's usage of a day, with the shop. */
export const tenantUsageSchema = usageDaySchema
  .extend({
    tenant: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), status: z.enum(TENANT_STATUSES) }),
  })
  .meta({ id: 'TenantUsage' });
export type TenantUsage = z.infer<typeof tenantUsageSchema>;

export const usageListQuerySchema = pageQuerySchema.extend({
  day,
  sort: z.enum(USAGE_SORTS).default('apiRequests'),
  order: z.enum(SORT_ORDERS).default('desc'),
});
export type UsageListQuery = z.infer<typeof usageListQuerySchema>;

/** A shop's usage over a range: the days measured, oldest first (a day before the shop existed has none). */
export const usageHistorySchema = z
  .object({ tenantId: z.number().int(), from: day, to: day, days: z.array(usageDaySchema) })
  .meta({ id: 'UsageHistory' });
export type UsageHistory = z.infer<typeof usageHistorySchema>;

/** Paid orders across every shop, a day (from the analytics roll-ups; money in fen). */
export const platformSalesDaySchema = z.object({
  day,
  /** Paid that day, by payment time (shipping included, before refunds). */
  gmvFen: z.number().int(),
  ordersPaid: z.number().int(),
  /** Refunded that day, by refund time. */
  refundFen: z.number().int(),
  /** Shops with at least one paid order that day. */
  payingTenants: z.number().int(),
});
export type PlatformSalesDay = z.infer<typeof platformSalesDaySchema>;

/** The platform's figures for staff: the state of things now, and some series over a range of days. */
export const platformFiguresSchema = z
  .object({
    from: day,
    to: day,
    /** Shops in each state, now. */
    tenantsByStatus: z.record(z.enum(TENANT_STATUSES), z.number().int()),
    /** Shops created each day of the range (every day, zero included). */
    signups: z.array(z.object({ day, count: z.number().int() })),
    /** GMV and orders paid across every shop, each day of the range (zero included). */
    sales: z.array(platformSalesDaySchema),
    /** Qualification documents waiting for a reviewer, now. */
    reviewQueue: z.object({
      waiting: z.number().int(),
      /** When the document waiting longest was submitted. */
      oldestSubmittedAt: isoDateTime.nullable(),
      /** How long the document waiting longest has waited: seconds. */
      oldestWaitSeconds: z.number().int().nullable(),
      /** The median of how long the waiting documents have waited: seconds. */
      medianWaitSeconds: z.number().int().nullable(),
    }),
    /** Each shop's newest release to WeChat, by its status, now (a shop that never released has none). */
    releasesByStatus: z.record(z.enum(RELEASE_STATUSES), z.number().int()),
    /** The third-party platform's WeChat audit quota this month, or null when WeChat could not be asked … */
    auditQuota: auditQuotaSchema.nullable(),
    /** … and why (no shop has authorized code management yet, WeChat refused or could not be reached). */
    auditQuotaError: z
      .object({
        reason: z.enum(ERROR_REASON_KEYS as [ErrorReason, ...ErrorReason[]]),
        params: z.record(z.string(), z.union([z.string(), z.number()])),
      })
      .nullable(),
    generatedAt: isoDateTime,
  })
  .meta({ id: 'PlatformFigures' });
export type PlatformFigures = z.infer<typeof platformFiguresSchema>;
