import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import {
  COUPON_AUDIENCES,
  COUPON_DISPLAY_STATUSES,
  COUPON_ISSUE_MODES,
  COUPON_KINDS,
  COUPON_LIMITS,
  COUPON_SCOPES,
  COUPON_SHOWN_STATES,
  COUPON_TEMPLATE_STATUSES,
} from './marketing.constants';

const fen = z.number().int().min(0).max(COUPON_LIMITS.fenMax);
const at = z.iso.datetime({ offset: true });
const ids = z.array(idSchema).max(COUPON_LIMITS.scopeIdsMax);

/** A template's periods: when it can be claimed, and how long a claimed coupon is valid. */
export interface CouponPeriods {
  claimFrom: string;
  claimTo: string;
  validFrom?: string;
  validTo?: string;
  validDays?: number;
}

/** One thing wrong with a template's periods, where and why. */
export interface CouponPeriodProblem {
  path: 'claimTo' | 'validDays' | 'validTo';
  reason: 'COUPON_DATES_REVERSED' | 'COUPON_VALIDITY_ONE_WAY';
  message: string;
}

/**
 * What is wrong with a template's periods (none: nothing): the claim period reversed, validity given both ways or
 * neither, fixed validity reversed or ending before the claim period does. The schemas and the copy of a template
 * with new periods check the same rules.
 */
export function couponPeriodProblems(b: CouponPeriods): CouponPeriodProblem[] {
  const problems: CouponPeriodProblem[] = [];
  if (Date.parse(b.claimTo) <= Date.parse(b.claimFrom))
    problems.push({
      path: 'claimTo',
      reason: 'COUPON_DATES_REVERSED',
      message: 'the claim period ends after it starts',
    });
  const fixed = b.validFrom !== undefined || b.validTo !== undefined;
  if (fixed === (b.validDays !== undefined) || (fixed && (b.validFrom === undefined || b.validTo === undefined)))
    problems.push({
      path: 'validDays',
      reason: 'COUPON_VALIDITY_ONE_WAY',
      message: 'give validFrom and validTo, or validDays, not both',
    });
  else if (b.validFrom !== undefined && b.validTo !== undefined) {
    if (Date.parse(b.validTo) <= Date.parse(b.validFrom))
      problems.push({ path: 'validTo', reason: 'COUPON_DATES_REVERSED', message: 'the validity ends after it starts' });
    else if (Date.parse(b.validTo) < Date.parse(b.claimTo))
      problems.push({
        path: 'validTo',
        reason: 'COUPON_DATES_REVERSED',
        message: 'coupons claimed at the end of the claim period must still be valid',
      });
  }
  return problems;
}

/**
 * A coupon template as the merchant writes it. The discount:
 * - `amount_off` (满减): `amountOffFen` off an order of at least `thresholdFen`, which must be above it;
 * - `no_threshold` (无门槛): `amountOffFen` off, threshold 0;
 * - `percent_off` (折扣): `discountPercent` percent taken off (1–99: 15 is 15% off, the shopper pays 85%), at most
 *   `maxOffFen` when given, from `thresholdFen` (0: none).
 * Validity: a fixed `validFrom`–`validTo`, or `validDays` from the claim, one or the other. Coupons are claimed
 * (or sent) within `claimFrom`–`claimTo`.
 */
export const couponTemplateInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(COUPON_LIMITS.nameMax),
    kind: z.enum(COUPON_KINDS),
    thresholdFen: fen.default(0),
    amountOffFen: fen.min(1).optional(),
    discountPercent: z.number().int().min(1).max(99).optional(),
    maxOffFen: fen.min(1).optional(),
    scope: z.enum(COUPON_SCOPES).default('shop'),
    /** The categories or products of the scope; empty for the whole shop. */
    scopeIds: ids.default([]),
    excludedProductIds: ids.default([]),
    claimFrom: at,
    claimTo: at,
    validFrom: at.optional(),
    validTo: at.optional(),
    validDays: z.number().int().min(1).max(COUPON_LIMITS.validDaysMax).optional(),
    totalQuantity: z.number().int().min(1).max(COUPON_LIMITS.totalMax),
    perShopperLimit: z.number().int().min(1).max(COUPON_LIMITS.perShopperMax).default(1),
    audience: z.enum(COUPON_AUDIENCES).default('everyone'),
    issueMode: z.enum(COUPON_ISSUE_MODES).default('claim'),
    combinesWithPromotions: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    const fail = (path: string, reason: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { reason } });
    if (b.kind === 'percent_off') {
      if (b.discountPercent === undefined)
        fail('discountPercent', 'COUPON_KIND_FIELDS', 'a percent-off coupon names its discountPercent');
      if (b.amountOffFen !== undefined)
        fail('amountOffFen', 'COUPON_KIND_FIELDS', 'a percent-off coupon takes no amountOffFen');
    } else {
      if (b.amountOffFen === undefined)
        fail('amountOffFen', 'COUPON_KIND_FIELDS', `a ${b.kind} coupon names its amountOffFen`);
      if (b.discountPercent !== undefined || b.maxOffFen !== undefined)
        fail(
          b.discountPercent !== undefined ? 'discountPercent' : 'maxOffFen',
          'COUPON_KIND_FIELDS',
          `a ${b.kind} coupon takes no percent`,
        );
      if (b.kind === 'no_threshold' && b.thresholdFen !== 0)
        fail('thresholdFen', 'COUPON_KIND_FIELDS', 'a no-threshold coupon has threshold 0');
      if (b.kind === 'amount_off' && b.amountOffFen !== undefined && b.thresholdFen <= b.amountOffFen)
        fail('thresholdFen', 'COUPON_THRESHOLD_NOT_ABOVE_AMOUNT', 'the threshold must be above the amount off');
    }
    if ((b.scope === 'shop') !== (b.scopeIds.length === 0))
      fail('scopeIds', 'COUPON_SCOPE_IDS', 'categories and products scopes name their ids; the shop scope names none');
    for (const p of couponPeriodProblems(b)) fail(p.path, p.reason, p.message);
  });
export type CouponTemplateInput = z.infer<typeof couponTemplateInputSchema>;

/** What may change of a template once created: its name, and its total (never below what is issued). */
export const updateCouponTemplateBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(COUPON_LIMITS.nameMax).optional(),
    totalQuantity: z.number().int().min(1).max(COUPON_LIMITS.totalMax).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update', params: { reason: 'NOTHING_TO_UPDATE' } });

/**
 * A copy of a template: the same rules, a new name if given, and new periods if given — a claim period as a whole
 * (both ends), a validity as a whole (fixed dates or days after claiming). What is not given is copied.
 */
export const copyCouponTemplateBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(COUPON_LIMITS.nameMax).optional(),
    claimFrom: at.optional(),
    claimTo: at.optional(),
    validFrom: at.optional(),
    validTo: at.optional(),
    validDays: z.number().int().min(1).max(COUPON_LIMITS.validDaysMax).optional(),
  })
  .superRefine((b, ctx) => {
    const fail = (path: string, reason: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { reason } });
    if ((b.claimFrom === undefined) !== (b.claimTo === undefined))
      fail('claimTo', 'COUPON_CLAIM_PERIOD_WHOLE', 'give both ends of the new claim period');
    const fixed = b.validFrom !== undefined || b.validTo !== undefined;
    if ((fixed && b.validDays !== undefined) || (fixed && (b.validFrom === undefined || b.validTo === undefined)))
      fail('validDays', 'COUPON_VALIDITY_ONE_WAY', 'give validFrom and validTo, or validDays, not both');
  });
export type CopyCouponTemplateBody = z.infer<typeof copyCouponTemplateBodySchema>;

export const couponTemplateListQuerySchema = z.strictObject({
  status: z.enum(COUPON_DISPLAY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const sendCouponsBodySchema = z.strictObject({
  shopperIds: z
    .array(idSchema)
    .min(1)
    .max(COUPON_LIMITS.sendShoppersMax)
    .refine((list) => new Set(list).size === list.length, {
      message: 'each shopper once',
      params: { reason: 'SHOPPERS_REPEATED' },
    }),
  /** Coupons each shopper receives, all or none of them. */
  quantity: z.number().int().min(1).max(COUPON_LIMITS.perShopperMax).default(1),
});

/** The discount and where it applies: what a template and each of its coupons share. */
const couponRulesSchema = z.object({
  name: z.string(),
  kind: z.enum(COUPON_KINDS),
  thresholdFen: z.number().int(),
  amountOffFen: z.number().int().nullable(),
  discountPercent: z.number().int().nullable(),
  maxOffFen: z.number().int().nullable(),
  scope: z.enum(COUPON_SCOPES),
  scopeIds: z.array(z.number().int()),
  excludedProductIds: z.array(z.number().int()),
  combinesWithPromotions: z.boolean(),
});

export const couponTemplateSchema = couponRulesSchema
  .extend({
    id: z.number().int(),
    claimFrom: isoDateTime,
    claimTo: isoDateTime,
    validFrom: isoDateTime.nullable(),
    validTo: isoDateTime.nullable(),
    validDays: z.number().int().nullable(),
    totalQuantity: z.number().int(),
    perShopperLimit: z.number().int(),
    audience: z.enum(COUPON_AUDIENCES),
    issueMode: z.enum(COUPON_ISSUE_MODES),
    status: z.enum(COUPON_TEMPLATE_STATUSES),
    displayStatus: z.enum(COUPON_DISPLAY_STATUSES),
    /** Coupons issued (claimed or sent) and used. */
    issued: z.number().int(),
    used: z.number().int(),
    remaining: z.number().int(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'CouponTemplate' });
export type CouponTemplate = z.infer<typeof couponTemplateSchema>;

export const sendCouponsResultSchema = z.object({
  /** Shoppers who received every coupon asked for. */
  sent: z.array(z.number().int()),
  /** Shoppers who received none, and why (an error reason). */
  refused: z.array(z.object({ shopperId: z.number().int(), reason: z.string() })),
});
export type SendCouponsResult = z.infer<typeof sendCouponsResultSchema>;

/** Why a shopper cannot claim a template of the coupon centre now (an error reason), or null. */
export const claimableCouponSchema = couponRulesSchema
  .extend({
    id: z.number().int(),
    claimTo: isoDateTime,
    validFrom: isoDateTime.nullable(),
    validTo: isoDateTime.nullable(),
    validDays: z.number().int().nullable(),
    perShopperLimit: z.number().int(),
    audience: z.enum(COUPON_AUDIENCES),
    claimedByMe: z.number().int(),
    canClaim: z.boolean(),
    cannotClaimReason: z.enum(['COUPON_SOLD_OUT', 'CLAIM_LIMIT_REACHED', 'COUPON_NEW_SHOPPERS_ONLY']).nullable(),
  })
  .meta({ id: 'ClaimableCoupon' });
export type ClaimableCoupon = z.infer<typeof claimableCouponSchema>;

export const couponSchema = couponRulesSchema
  .extend({
    id: z.number().int(),
    templateId: z.number().int(),
    state: z.enum(COUPON_SHOWN_STATES),
    validFrom: isoDateTime,
    validTo: isoDateTime,
    orderId: z.number().int().nullable(),
    claimedAt: isoDateTime,
    usedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Coupon' });
export type Coupon = z.infer<typeof couponSchema>;

export const myCouponsQuerySchema = z.strictObject({
  state: z.enum(COUPON_SHOWN_STATES).default('unused'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
