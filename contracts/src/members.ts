import { z } from 'zod';
import { idSchema, isoDateTime, pageQuerySchema } from './common';
import { productCardSchema } from './catalog';
import { MEMBER_LIMITS, POINTS_ENTRY_KINDS } from './members.constants';

const perYuan = z.number().int().min(0).max(MEMBER_LIMITS.perYuanMax);

/**
 * A shop's member rules: points earned per ¥1 paid (frozen until the order's after-sales window passes), what points
 * are worth at checkout and how much of an order they may pay, how long a batch of points stays valid, the sign-in
 * streak's rewards (day 1, day 2 … the last repeats), and the growth value per ¥1 paid that levels count.
 */
export const memberSettingsSchema = z
  .strictObject({
    pointsEnabled: z.boolean(),
    earnPointsPerYuan: perYuan,
    pointsPerYuan: z.number().int().min(MEMBER_LIMITS.pointsPerYuanMin).max(MEMBER_LIMITS.pointsPerYuanMax),
    maxDeductPercent: z.number().int().min(0).max(100),
    pointsValidMonths: z.number().int().min(0).max(MEMBER_LIMITS.validMonthsMax),
    signInRewards: z
      .array(z.number().int().min(0).max(MEMBER_LIMITS.signInRewardMax))
      .min(1)
      .max(MEMBER_LIMITS.signInDaysMax),
    growthPerYuan: perYuan,
  })
  .meta({ id: 'MemberSettings' });
export type MemberSettings = z.infer<typeof memberSettingsSchema>;

/** A level (会员等级): reached at a growth value, with its member price (a percent of the price: 95 is 9.5折). */
export const memberLevelInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(MEMBER_LIMITS.levelNameMax),
  growthThreshold: z.number().int().min(0).max(MEMBER_LIMITS.growthMax),
  discountPercent: z.number().int().min(MEMBER_LIMITS.discountPercentMin).max(100),
});
export type MemberLevelInput = z.infer<typeof memberLevelInputSchema>;

export const memberLevelSchema = memberLevelInputSchema
  .extend({
    id: z.number().int(),
    /** Members at this level now. */
    members: z.number().int(),
  })
  .meta({ id: 'MemberLevel' });
export type MemberLevel = z.infer<typeof memberLevelSchema>;

/** A shopper's points: available to spend, frozen (earned on orders still in their after-sales window), owed. */
export const pointsBalanceSchema = z.object({
  available: z.number().int(),
  frozen: z.number().int(),
  /** Points a refund took back after they were spent: future points settle it first. */
  debt: z.number().int(),
});
export type PointsBalance = z.infer<typeof pointsBalanceSchema>;

export const pointsEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(POINTS_ENTRY_KINDS),
    /** The change to each part of the balance. */
    available: z.number().int(),
    frozen: z.number().int(),
    debt: z.number().int(),
    /** The order it concerns, if any. */
    orderId: z.number().int().nullable(),
    /** The merchant's reason (an adjustment). */
    reason: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'PointsEntry' });
export type PointsEntry = z.infer<typeof pointsEntrySchema>;

const levelRef = z.object({ id: z.number().int(), name: z.string(), discountPercent: z.number().int() });

/** 会员中心: the shopper's level and the next one, growth, points, and today's sign-in. */
export const memberCentreSchema = z
  .object({
    level: levelRef.nullable(),
    nextLevel: z.object({ name: z.string(), growthThreshold: z.number().int() }).nullable(),
    growth: z.number().int(),
    pointsEnabled: z.boolean(),
    points: pointsBalanceSchema,
    /** The soonest batch of points to expire, when one does within 30 days. */
    expiring: z.object({ points: z.number().int(), at: isoDateTime }).nullable(),
    signIn: z.object({
      signedToday: z.boolean(),
      /** Consecutive days up to today (or yesterday, when not yet signed today). */
      streak: z.number().int(),
      /** What signing in today gives (or gave). */
      todayReward: z.number().int(),
      rewards: z.array(z.number().int()),
    }),
    favourites: z.number().int(),
  })
  .meta({ id: 'MemberCentre' });
export type MemberCentre = z.infer<typeof memberCentreSchema>;

export const signInResultSchema = z
  .object({ points: z.number().int(), streak: z.number().int(), centre: memberCentreSchema })
  .meta({ id: 'SignInResult' });
export type SignInResult = z.infer<typeof signInResultSchema>;

export const productIdParamsSchema = z.strictObject({ productId: idSchema });

/** A favourite or a product seen: the product's card, or null when it is no longer on sale. */
export const savedProductSchema = z
  .object({ productId: z.number().int(), card: productCardSchema.nullable(), at: isoDateTime })
  .meta({ id: 'SavedProduct' });
export type SavedProduct = z.infer<typeof savedProductSchema>;

export const favouriteStateSchema = z.object({ favourite: z.boolean() }).meta({ id: 'FavouriteState' });

export const viewBodySchema = z.strictObject({ productId: idSchema });

// ---- merchant --------------------------------------------------------------------------------------------------------

export const MEMBER_SORTS = ['newest', 'spend', 'points', 'last_visit'] as const;

export const memberListQuerySchema = pageQuerySchema.extend({
  /** A nickname or a phone number (or its last digits). */
  q: z.string().trim().min(1).max(30).optional(),
  levelId: idSchema.optional(),
  sort: z.enum(MEMBER_SORTS).default('newest'),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;

export const memberSummarySchema = z
  .object({
    shopperId: z.number().int(),
    nickname: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    hasWechat: z.boolean(),
    level: levelRef.nullable(),
    growth: z.number().int(),
    points: pointsBalanceSchema,
    /** Paid orders, and what they paid less what was refunded (fen). */
    orders: z.number().int(),
    spendFen: z.number().int(),
    lastVisitAt: isoDateTime.nullable(),
    joinedAt: isoDateTime,
  })
  .meta({ id: 'MemberSummary' });
export type MemberSummary = z.infer<typeof memberSummarySchema>;

export const memberDetailSchema = memberSummarySchema
  .extend({
    signInStreak: z.number().int(),
    lastSignInOn: z.string().nullable(),
    favourites: z.number().int(),
  })
  .meta({ id: 'MemberDetail' });
export type MemberDetail = z.infer<typeof memberDetailSchema>;

/** The merchant's adjustment of a member's points: a whole number either way, with why (audited). */
export const pointsAdjustBodySchema = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-MEMBER_LIMITS.adjustMax)
    .max(MEMBER_LIMITS.adjustMax)
    .refine((d) => d !== 0, { message: 'not zero', params: { reason: 'POINTS_ADJUST_ZERO' } }),
  reason: z.string().trim().min(1).max(MEMBER_LIMITS.reasonMax),
});
export type PointsAdjustBody = z.infer<typeof pointsAdjustBodySchema>;

/** The checkout's points: what the shopper has, what this order may take, and what they take off. */
export const checkoutPointsSchema = z.object({
  available: z.number().int(),
  /** Points this order may use (the shop's cap on the share of an order, and the shopper's points). */
  usable: z.number().int(),
  /** What the usable points take off (fen). */
  usableFen: z.number().int(),
  /** Points used by this pricing (0 unless the shopper chose to use them). */
  used: z.number().int(),
});
export type CheckoutPoints = z.infer<typeof checkoutPointsSchema>;
