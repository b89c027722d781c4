/** What moved a shopper's points: each ledger row is one of these. */
export const POINTS_ENTRY_KINDS = [
  /** Earned on a paid order: frozen until its after-sales window passes. */
  'order_earned',
  /** An order's frozen points became available. */
  'order_released',
  /** A refund took back what its order earned (from the frozen, then the available points, then as a debt). */
  'order_taken_back',
  /** Spent at checkout. */
  'order_spent',
  /** An order that spent points closed: they came back. */
  'order_returned',
  /** Daily sign-in (签到). */
  'sign_in',
  /** The merchant's adjustment, with a reason. */
  'adjusted',
  /** A batch of points reached its end of validity. */
  'expired',
  /** Points that settled a debt as they arrived. */
  'debt_settled',
] as const;
export type PointsEntryKind = (typeof POINTS_ENTRY_KINDS)[number];

/** Limits of the member schemas. */
export const MEMBER_LIMITS = {
  /** Most levels a shop defines. */
  levelsMax: 10,
  levelNameMax: 20,
  /** Growth value a level may ask for, at most. */
  growthMax: 100_000_000,
  /** A member price of 50%–99% (a level at 100 gives no discount). */
  discountPercentMin: 50,
  /** Points earned per ¥1 paid, growth per ¥1 paid. */
  perYuanMax: 100,
  /** Points worth ¥1 at checkout. */
  pointsPerYuanMin: 1,
  pointsPerYuanMax: 10_000,
  /** Months a batch of points stays valid (0: forever). */
  validMonthsMax: 60,
  /** A sign-in streak's rewards, one per day (the last repeats). */
  signInDaysMax: 7,
  signInRewardMax: 10_000,
  /** One adjustment, at most, either way. */
  adjustMax: 1_000_000,
  reasonMax: 200,
  /** Most favourites per shopper; the browsing history keeps the latest this many products. */
  favouritesMax: 500,
  historyKept: 100,
} as const;

/** A shop's member rules before it sets its own: points on, ¥1 → 1 point, 100 points = ¥1, at most half off. */
export const DEFAULT_MEMBER_SETTINGS = {
  pointsEnabled: true,
  earnPointsPerYuan: 1,
  pointsPerYuan: 100,
  maxDeductPercent: 50,
  pointsValidMonths: 12,
  signInRewards: [5, 5, 10, 10, 15, 15, 20],
  growthPerYuan: 1,
} as const;
