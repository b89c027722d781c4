/** A distributor (分销员): applied, approved (earns commission), rejected, or disabled by the merchant. */
export const DISTRIBUTOR_STATUSES = ['pending', 'approved', 'rejected', 'disabled'] as const;
export type DistributorStatus = (typeof DISTRIBUTOR_STATUSES)[number];

/** How a shop admits distributors: every applicant at once (人人分销), or after the merchant's approval. */
export const DISTRIBUTION_APPLY_MODES = ['auto', 'approval'] as const;
export type DistributionApplyMode = (typeof DISTRIBUTION_APPLY_MODES)[number];

/**
 * Whom a shopper arriving through a share is bound to: the first sharer, who keeps them for the protection period and
 * after it until another sharer brings them (`first`); or always the latest sharer (`latest`).
 */
export const DISTRIBUTION_BIND_MODES = ['first', 'latest'] as const;
export type DistributionBindMode = (typeof DISTRIBUTION_BIND_MODES)[number];

/**
 * Commission is paid on two levels at most: the buyer's distributor (1) and theirs (2). WeChat's rules for
 * mini-programs forbid three or more (《微信小程序平台运营规范》5.9); the schema allows no other level.
 */
export const COMMISSION_LEVELS = [1, 2] as const;
export type CommissionLevel = (typeof COMMISSION_LEVELS)[number];

/** A commission: frozen until its order's after-sales window passes, then released; cancelled when wholly taken back. */
export const COMMISSION_STATES = ['frozen', 'released', 'cancelled'] as const;
export type CommissionState = (typeof COMMISSION_STATES)[number];

/** What moved a distributor's money: each ledger row is one of these. */
export const COMMISSION_ENTRY_KINDS = [
  'earned',
  'released',
  'taken_back',
  'withdraw_requested',
  'withdraw_returned',
  'withdraw_paid',
  'debt_settled',
] as const;
export type CommissionEntryKind = (typeof COMMISSION_ENTRY_KINDS)[number];

/** A withdrawal: asked for, being paid (WeChat Pay's transfer), paid, refused by the merchant, or failed (money back). */
export const WITHDRAWAL_STATUSES = ['requested', 'paying', 'paid', 'rejected', 'failed'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/** How the merchant pays a withdrawal: WeChat Pay's transfer to the distributor's change (零钱), or by hand. */
export const WITHDRAWAL_METHODS = ['wechat', 'manual'] as const;
export type WithdrawalMethod = (typeof WITHDRAWAL_METHODS)[number];

/** Limits of the distribution schemas. Rates are in basis points (1 bp = 0.01 %). */
export const DISTRIBUTION_LIMITS = {
  /** Both levels together take at most half of what was paid for a line. */
  ratesBpMax: 5000,
  protectDaysMax: 365,
  /** A withdrawal: at least ¥0.10 (WeChat Pay's smallest transfer), at most ¥5,000 at a time. */
  withdrawMinFen: 10,
  withdrawMaxFen: 500_000,
  reasonMax: 200,
} as const;

/** A shop's distribution before it sets its own: off, approval, first sharer with 15 days' protection, 10 % and 5 %. */
export const DEFAULT_DISTRIBUTION_SETTINGS = {
  enabled: false,
  applyMode: 'approval',
  bindMode: 'first',
  protectDays: 15,
  level1Bp: 1000,
  level2Bp: 500,
  withdrawMinFen: 100,
} as const;
