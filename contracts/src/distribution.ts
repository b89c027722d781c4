import { z } from 'zod';
import { idSchema, isoDateTime, pageQuerySchema } from './common';
import { shareCodeSchema } from './sharing';
import {
  COMMISSION_ENTRY_KINDS,
  COMMISSION_LEVELS,
  COMMISSION_STATES,
  DISTRIBUTION_APPLY_MODES,
  DISTRIBUTION_BIND_MODES,
  DISTRIBUTION_LIMITS,
  DISTRIBUTOR_STATUSES,
  WITHDRAWAL_METHODS,
  WITHDRAWAL_STATUSES,
} from './distribution.constants';

const bp = z.number().int().min(0).max(DISTRIBUTION_LIMITS.ratesBpMax);
const reason = z.string().trim().min(1).max(DISTRIBUTION_LIMITS.reasonMax);
const ratesTogether = (r: { level1Bp: number; level2Bp: number }) =>
  r.level1Bp + r.level2Bp <= DISTRIBUTION_LIMITS.ratesBpMax;
const RATES_ISSUE = {
  message: 'both levels together take at most 50 %',
  params: { reason: 'COMMISSION_RATES_TOO_HIGH' },
};

/** A shop's distribution rules. */
export const distributionSettingsSchema = z
  .strictObject({
    enabled: z.boolean(),
    applyMode: z.enum(DISTRIBUTION_APPLY_MODES),
    bindMode: z.enum(DISTRIBUTION_BIND_MODES),
    /** `first`: days a binding cannot be taken by another sharer. */
    protectDays: z.number().int().min(0).max(DISTRIBUTION_LIMITS.protectDaysMax),
    /** Default rates, in basis points of what was paid for a line (per-product rules override them). */
    level1Bp: bp,
    level2Bp: bp,
    withdrawMinFen: z.number().int().min(DISTRIBUTION_LIMITS.withdrawMinFen).max(DISTRIBUTION_LIMITS.withdrawMaxFen),
  })
  .refine(ratesTogether, RATES_ISSUE)
  .meta({ id: 'DistributionSettings' });
export type DistributionSettings = z.infer<typeof distributionSettingsSchema>;

export const commissionRuleInputSchema = z
  .strictObject({ level1Bp: bp, level2Bp: bp })
  .refine(ratesTogether, RATES_ISSUE);
export type CommissionRuleInput = z.infer<typeof commissionRuleInputSchema>;

export const commissionRuleSchema = z
  .object({
    productId: z.number().int(),
    title: z.string().nullable(),
    level1Bp: z.number().int(),
    level2Bp: z.number().int(),
  })
  .meta({ id: 'CommissionRule' });
export type CommissionRule = z.infer<typeof commissionRuleSchema>;

export const productRuleParamsSchema = z.strictObject({ productId: idSchema });

/** A distributor's money: frozen (orders in their after-sales window), available, being withdrawn, withdrawn, owed. */
export const commissionBalanceSchema = z.object({
  frozenFen: z.number().int(),
  availableFen: z.number().int(),
  withdrawingFen: z.number().int(),
  withdrawnFen: z.number().int(),
  /** Commission taken back after it was withdrawn: future commission settles it first. */
  debtFen: z.number().int(),
});
export type CommissionBalance = z.infer<typeof commissionBalanceSchema>;

const person = z.object({
  shopperId: z.number().int(),
  nickname: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const distributorSchema = person
  .extend({
    phoneMasked: z.string().nullable(),
    status: z.enum(DISTRIBUTOR_STATUSES),
    /** Who brought them (their own distributor), if anyone. */
    parent: person.nullable(),
    /** Shoppers bound to them, and to those of them who are distributors. */
    team: z.object({ level1: z.number().int(), level2: z.number().int() }),
    orders: z.number().int(),
    balance: commissionBalanceSchema,
    appliedAt: isoDateTime,
    decidedAt: isoDateTime.nullable(),
    rejectReason: z.string().nullable(),
  })
  .meta({ id: 'Distributor' });
export type Distributor = z.infer<typeof distributorSchema>;

export const distributorListQuerySchema = pageQuerySchema.extend({
  status: z.enum(DISTRIBUTOR_STATUSES).optional(),
});

export const commissionSchema = z
  .object({
    id: z.number().int(),
    orderId: z.number().int(),
    orderNo: z.string().nullable(),
    distributor: person,
    buyer: person,
    level: z.union([z.literal(COMMISSION_LEVELS[0]), z.literal(COMMISSION_LEVELS[1])]),
    /** What the commission was counted on, and what it is (less what refunds took back). */
    baseFen: z.number().int(),
    amountFen: z.number().int(),
    takenBackFen: z.number().int(),
    state: z.enum(COMMISSION_STATES),
    createdAt: isoDateTime,
    releasedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Commission' });
export type Commission = z.infer<typeof commissionSchema>;

export const commissionListQuerySchema = pageQuerySchema.extend({
  distributorId: idSchema.optional(),
  state: z.enum(COMMISSION_STATES).optional(),
});

export const commissionEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(COMMISSION_ENTRY_KINDS),
    availableFen: z.number().int(),
    frozenFen: z.number().int(),
    withdrawingFen: z.number().int(),
    debtFen: z.number().int(),
    orderId: z.number().int().nullable(),
    withdrawalId: z.number().int().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'CommissionEntry' });
export type CommissionEntry = z.infer<typeof commissionEntrySchema>;

export const withdrawalSchema = z
  .object({
    id: z.number().int(),
    billNo: z.string(),
    distributor: person,
    amountFen: z.number().int(),
    status: z.enum(WITHDRAWAL_STATUSES),
    method: z.enum(WITHDRAWAL_METHODS).nullable(),
    /** WeChat Pay's transfer bill, and its package for the distributor to confirm receipt in the mini-program. */
    transferBillNo: z.string().nullable(),
    packageInfo: z.string().nullable(),
    /** The shop's WeChat Pay merchant that sends the transfer, with `packageInfo` (both go to `wx.requestMerchantTransfer`). */
    mchId: z.string().nullable(),
    reason: z.string().nullable(),
    requestedAt: isoDateTime,
    decidedAt: isoDateTime.nullable(),
    paidAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Withdrawal' });
export type Withdrawal = z.infer<typeof withdrawalSchema>;

export const withdrawalListQuerySchema = pageQuerySchema.extend({ status: z.enum(WITHDRAWAL_STATUSES).optional() });
export const withdrawBodySchema = z.strictObject({
  amountFen: z.number().int().min(DISTRIBUTION_LIMITS.withdrawMinFen).max(DISTRIBUTION_LIMITS.withdrawMaxFen),
});
export const approveWithdrawalBodySchema = z.strictObject({ method: z.enum(WITHDRAWAL_METHODS) });
export const reasonBodySchema = z.strictObject({ reason });

export const distributionOverviewSchema = z
  .object({
    distributors: z.number().int(),
    pending: z.number().int(),
    boundShoppers: z.number().int(),
    attributedOrders: z.number().int(),
    frozenFen: z.number().int(),
    availableFen: z.number().int(),
    withdrawingFen: z.number().int(),
    withdrawnFen: z.number().int(),
    debtFen: z.number().int(),
    withdrawalsWaiting: z.number().int(),
  })
  .meta({ id: 'DistributionOverview' });
export type DistributionOverview = z.infer<typeof distributionOverviewSchema>;

/** The shopper's 分销中心. */
export const distributionCentreSchema = z
  .object({
    enabled: z.boolean(),
    applyMode: z.enum(DISTRIBUTION_APPLY_MODES),
    withdrawMinFen: z.number().int(),
    /** Null: never applied. */
    me: distributorSchema.nullable(),
    /** The distributor this shopper is bound to. */
    boundTo: person.nullable(),
  })
  .meta({ id: 'DistributionCentre' });
export type DistributionCentre = z.infer<typeof distributionCentreSchema>;

export const teamQuerySchema = pageQuerySchema.extend({ level: z.coerce.number().int().min(1).max(2).default(1) });
export const teamMemberSchema = person
  .extend({ boundAt: isoDateTime, distributor: z.boolean() })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof teamMemberSchema>;

/** A shopper arrives through a share: the share's code (the scene's `c`). */
export const arrivalBodySchema = z.strictObject({ code: shareCodeSchema });
export const arrivalSchema = z.object({ bound: z.boolean(), boundTo: person.nullable() }).meta({ id: 'Arrival' });
export type Arrival = z.infer<typeof arrivalSchema>;
