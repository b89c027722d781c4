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
  COUPON_UNUSABLE_REASONS,
  PROMOTION_KINDS,
  PROMOTION_LIMITS,
  PROMOTION_STATUSES,
  TIER_BASES,
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
    /**
     * The promotions it combines with. A coupon that does not combine with 限时折扣 leaves the lines at a 限时价 out of its
     * scope; one that does not combine with 满减 is used instead of the 满减 (checkout picks what saves more).
     */
    combinesWith: z
      .array(z.enum(PROMOTION_KINDS))
      .max(PROMOTION_KINDS.length)
      .default([])
      .refine((l) => new Set(l).size === l.length, { message: 'each kind once', params: { reason: 'KINDS_REPEATED' } }),
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

/**
 * What a campaign (a coupon template, a promotion) brought: the orders placed with it, those paid (and not since
 * cancelled or refunded in full), what they paid and the discount it gave them.
 */
export const campaignFiguresSchema = z
  .object({
    orders: z.number().int(),
    paidOrders: z.number().int(),
    paidFen: z.number().int(),
    discountFen: z.number().int(),
  })
  .meta({ id: 'CampaignFigures' });
export type CampaignFigures = z.infer<typeof campaignFiguresSchema>;

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
  combinesWith: z.array(z.enum(PROMOTION_KINDS)),
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
    figures: campaignFiguresSchema,
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

/** The coupon centre, or the templates that apply to one product (可领优惠券 on its page). */
export const couponCentreQuerySchema = z.strictObject({ productId: z.coerce.number().int().min(1).optional() });

/**
 * One of the shopper's coupons at checkout: whether it can be used on this order and what it would take off (in the
 * best combination with the promotions), or why not — a reason from COUPON_UNUSABLE_REASONS with its params
 * (`short`: how much more to spend, in yuan, for COUPON_THRESHOLD_NOT_MET).
 */
export const checkoutCouponSchema = z
  .object({
    coupon: couponSchema,
    usable: z.boolean(),
    discountFen: z.number().int(),
    reason: z.enum(COUPON_UNUSABLE_REASONS).nullable(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .meta({ id: 'CheckoutCoupon' });
export type CheckoutCoupon = z.infer<typeof checkoutCouponSchema>;

// ---- promotions -----------------------------------------------------------------------------------

const promotionBase = {
  name: z.string().trim().min(1).max(PROMOTION_LIMITS.nameMax),
  startsAt: at,
  endsAt: at,
};

/**
 * One 满减/满折 tier: from `threshold` (fen of the lines in scope, or their item count), `amountOffFen` off or
 * `discountPercent` percent off (15 = 15% off), one or the other.
 */
const tierSchema = z
  .strictObject({
    threshold: z.number().int().min(1).max(COUPON_LIMITS.fenMax),
    amountOffFen: fen.min(1).optional(),
    discountPercent: z.number().int().min(1).max(99).optional(),
  })
  .refine((t) => (t.amountOffFen === undefined) !== (t.discountPercent === undefined), {
    message: 'a tier takes amountOffFen or discountPercent',
    params: { reason: 'TIER_ONE_BENEFIT' },
  });

/**
 * 满减/满折: tiers over the lines in scope; the highest tier reached applies, once per order. Thresholds rise strictly
 * from tier to tier and so does what each takes off (a higher tier never gives less); an amount off stays below an
 * amount threshold.
 */
export const fullReductionInputSchema = z
  .strictObject({
    ...promotionBase,
    basis: z.enum(TIER_BASES),
    tiers: z.array(tierSchema).min(1).max(PROMOTION_LIMITS.tiersMax),
    scope: z.enum(COUPON_SCOPES).default('shop'),
    scopeIds: ids.default([]),
    excludedProductIds: ids.default([]),
  })
  .superRefine((b, ctx) => {
    const fail = (path: Array<string | number>, reason: string, message: string) =>
      ctx.addIssue({ code: 'custom', path, message, params: { reason } });
    if (Date.parse(b.endsAt) <= Date.parse(b.startsAt))
      fail(['endsAt'], 'PROMOTION_DATES_REVERSED', 'the promotion ends after it starts');
    if ((b.scope === 'shop') !== (b.scopeIds.length === 0))
      fail(
        ['scopeIds'],
        'COUPON_SCOPE_IDS',
        'categories and products scopes name their ids; the shop scope names none',
      );
    const kinds = new Set(b.tiers.map((t) => (t.amountOffFen !== undefined ? 'amount' : 'percent')));
    if (kinds.size > 1) fail(['tiers'], 'TIERS_MIXED', 'every tier takes an amount off, or every tier a percent');
    for (const [i, t] of b.tiers.entries()) {
      if (b.basis === 'amount' && t.amountOffFen !== undefined && t.amountOffFen >= t.threshold)
        fail(
          ['tiers', i, 'threshold'],
          'TIER_THRESHOLD_NOT_ABOVE_AMOUNT',
          'the threshold must be above the amount off',
        );
      if (b.basis === 'quantity' && t.threshold > PROMOTION_LIMITS.quantityMax)
        fail(['tiers', i, 'threshold'], 'INVALID_INPUT', `at most ${PROMOTION_LIMITS.quantityMax} items`);
      const before = b.tiers[i - 1];
      if (!before) continue;
      if (t.threshold <= before.threshold)
        fail(['tiers', i, 'threshold'], 'TIERS_OVERLAP', 'each tier starts above the one before');
      else if ((t.amountOffFen ?? t.discountPercent ?? 0) <= (before.amountOffFen ?? before.discountPercent ?? 0))
        fail(['tiers', i], 'TIERS_OVERLAP', 'each tier takes off more than the one before');
    }
  });
export type FullReductionInput = z.infer<typeof fullReductionInputSchema>;

/** One 限时折扣 item: a product (every SKU of it) or one SKU, at `priceFen` or `discountPercent` off, one or the other. */
const timedItemSchema = z
  .strictObject({
    productId: idSchema,
    skuId: idSchema.optional(),
    priceFen: fen.optional(),
    discountPercent: z.number().int().min(1).max(99).optional(),
  })
  .refine((t) => (t.priceFen === undefined) !== (t.discountPercent === undefined), {
    message: 'an item takes priceFen or discountPercent',
    params: { reason: 'TIER_ONE_BENEFIT' },
  });

/** 限时折扣: a price or a percent off per product or SKU over a period, shown as 限时价 with the tag. */
export const timedDiscountInputSchema = z
  .strictObject({
    ...promotionBase,
    /** The tag shown by the price (限时折扣 when empty). */
    tag: z.string().trim().max(PROMOTION_LIMITS.tagMax).default(''),
    items: z.array(timedItemSchema).min(1).max(PROMOTION_LIMITS.itemsMax),
  })
  .superRefine((b, ctx) => {
    if (Date.parse(b.endsAt) <= Date.parse(b.startsAt))
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'the promotion ends after it starts',
        params: { reason: 'PROMOTION_DATES_REVERSED' },
      });
    const seen = new Set<string>();
    for (const [i, t] of b.items.entries()) {
      const key = `${t.productId}:${t.skuId ?? '*'}`;
      if (
        seen.has(key) ||
        seen.has(`${t.productId}:*`) ||
        (t.skuId === undefined && [...seen].some((k) => k.startsWith(`${t.productId}:`)))
      )
        ctx.addIssue({
          code: 'custom',
          path: ['items', i],
          message: 'each product or SKU once',
          params: { reason: 'PROMOTION_ITEMS_REPEATED' },
        });
      seen.add(key);
    }
  });
export type TimedDiscountInput = z.infer<typeof timedDiscountInputSchema>;

/** A promotion as written, by kind. */
export const promotionInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full_reduction'), fullReduction: fullReductionInputSchema }),
  z.strictObject({ kind: z.literal('timed_discount'), timedDiscount: timedDiscountInputSchema }),
]);
export type PromotionInput = z.infer<typeof promotionInputSchema>;

export const updatePromotionBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(PROMOTION_LIMITS.nameMax),
});

/** A copy of a promotion: the same rules over a new period, with a new name if given. */
export const copyPromotionBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(PROMOTION_LIMITS.nameMax).optional(),
    startsAt: at,
    endsAt: at,
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    path: ['endsAt'],
    message: 'the promotion ends after it starts',
    params: { reason: 'PROMOTION_DATES_REVERSED' },
  });
export type CopyPromotionBody = z.infer<typeof copyPromotionBodySchema>;

export const promotionListQuerySchema = z.strictObject({
  kind: z.enum(PROMOTION_KINDS),
  status: z.enum(COUPON_DISPLAY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const tierOut = z.object({
  threshold: z.number().int(),
  amountOffFen: z.number().int().nullable(),
  discountPercent: z.number().int().nullable(),
});
const timedItemOut = z.object({
  productId: z.number().int(),
  skuId: z.number().int().nullable(),
  priceFen: z.number().int().nullable(),
  discountPercent: z.number().int().nullable(),
});

export const promotionSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(PROMOTION_KINDS),
    name: z.string(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    status: z.enum(PROMOTION_STATUSES),
    displayStatus: z.enum(COUPON_DISPLAY_STATUSES),
    /** 满减/满折 only (null for 限时折扣). */
    basis: z.enum(TIER_BASES).nullable(),
    tiers: z.array(tierOut),
    scope: z.enum(COUPON_SCOPES),
    scopeIds: z.array(z.number().int()),
    excludedProductIds: z.array(z.number().int()),
    /** 限时折扣 only (empty for 满减). */
    tag: z.string(),
    items: z.array(timedItemOut),
    figures: campaignFiguresSchema,
    createdAt: isoDateTime,
  })
  .meta({ id: 'Promotion' });
export type Promotion = z.infer<typeof promotionSchema>;

/**
 * What a product shows of the promotions running now, as the catalog serves it (cached: a promotion that starts or ends
 * shows within the cache window; checkout always prices on the server): its lowest 限时价 and tag, and the 满减 tiers
 * it counts towards.
 */
export const productPromotionSchema = z
  .object({
    timedPriceFen: z.number().int().nullable(),
    timedTag: z.string().nullable(),
    timedEndsAt: isoDateTime.nullable(),
    fullReduction: z
      .object({ id: z.number().int(), name: z.string(), basis: z.enum(TIER_BASES), tiers: z.array(tierOut) })
      .nullable(),
  })
  .meta({ id: 'ProductPromotion' });
export type ProductPromotion = z.infer<typeof productPromotionSchema>;
