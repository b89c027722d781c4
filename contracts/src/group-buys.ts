import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import { BUYER_REMARK_MAX } from './orders.constants';
import { COUPON_DISPLAY_STATUSES, GROUP_CAMPAIGN_STATUSES, GROUP_LIMITS, GROUP_STATUSES } from './marketing.constants';

const at = z.iso.datetime({ offset: true });
const fen = z.number().int().min(1).max(100_000_000);

/**
 * A group-buy campaign (拼团) for one product: each SKU's group price (below its price), the group's size, how long a
 * group has to fill, the units one shopper may buy in the campaign, whether a group still short at its end is filled
 * with virtual members (only if at least its leader paid), and an optional discount for the leader (团长优惠).
 */
export const groupCampaignInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(GROUP_LIMITS.nameMax),
    productId: idSchema,
    startsAt: at,
    endsAt: at,
    groupSize: z.number().int().min(GROUP_LIMITS.sizeMin).max(GROUP_LIMITS.sizeMax),
    durationMinutes: z.number().int().min(GROUP_LIMITS.durationMinutesMin).max(GROUP_LIMITS.durationMinutesMax),
    perShopperLimit: z.number().int().min(1).max(GROUP_LIMITS.perShopperMax).default(1),
    virtualFill: z.boolean().default(false),
    leaderDiscountFen: z.number().int().min(0).max(100_000_000).default(0),
    items: z
      .array(z.strictObject({ skuId: idSchema, groupPriceFen: fen }))
      .min(1)
      .max(100)
      .refine((items) => new Set(items.map((i) => i.skuId)).size === items.length, {
        message: 'each SKU once',
        params: { reason: 'GROUP_SKU_REPEATED' },
      }),
  })
  .superRefine((b, ctx) => {
    if (Date.parse(b.endsAt) <= Date.parse(b.startsAt))
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'the campaign ends after it starts',
        params: { reason: 'GROUP_PERIOD_INVALID' },
      });
  });
export type GroupCampaignInput = z.infer<typeof groupCampaignInputSchema>;

export const updateGroupCampaignBodySchema = z
  .strictObject({ name: z.string().trim().min(1).max(GROUP_LIMITS.nameMax).optional(), endsAt: at.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'change something', params: { reason: 'NOTHING_TO_UPDATE' } });

export const groupCampaignListQuerySchema = z.strictObject({
  status: z.enum(COUPON_DISPLAY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const groupItemSchema = z.object({
  skuId: z.number().int(),
  specValues: z.array(z.string()),
  priceFen: z.number().int(),
  groupPriceFen: z.number().int(),
});

export const groupCampaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    productId: z.number().int(),
    productTitle: z.string(),
    imageUrl: z.string().nullable(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    status: z.enum(GROUP_CAMPAIGN_STATUSES),
    displayStatus: z.enum(COUPON_DISPLAY_STATUSES),
    groupSize: z.number().int(),
    durationMinutes: z.number().int(),
    perShopperLimit: z.number().int(),
    virtualFill: z.boolean(),
    leaderDiscountFen: z.number().int(),
    items: z.array(groupItemSchema),
    figures: z.object({
      groups: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      forming: z.number().int(),
      paidOrders: z.number().int(),
      paidFen: z.number().int(),
    }),
    createdAt: isoDateTime,
  })
  .meta({ id: 'GroupCampaign' });
export type GroupCampaign = z.infer<typeof groupCampaignSchema>;

/** A member as others see them: a nickname and an avatar (a virtual member has neither). */
export const groupMemberSchema = z.object({
  nickname: z.string(),
  avatarUrl: z.string().nullable(),
  leader: z.boolean(),
  virtual: z.boolean(),
});

/** A group as a shopper (or the merchant) sees it. `joined` counts paid members (and virtual ones). */
export const groupSchema = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    productId: z.number().int(),
    productTitle: z.string(),
    imageUrl: z.string().nullable(),
    status: z.enum(GROUP_STATUSES),
    size: z.number().int(),
    joined: z.number().int(),
    /** Seats held by orders waiting for payment. */
    pending: z.number().int(),
    members: z.array(groupMemberSchema),
    expiresAt: isoDateTime.nullable(),
    /** From the lowest group price. */
    groupPriceFen: z.number().int(),
    priceFen: z.number().int(),
    /** For the signed-in shopper: whether they are in it, and whether they can join it now. */
    mine: z.boolean(),
    canJoin: z.boolean(),
    campaignName: z.string(),
    /** The signed-in shopper's order in this group (to pay it, or to see it), if any. */
    myOrderId: z.number().int().nullable(),
    now: isoDateTime,
  })
  .meta({ id: 'Group' });
export type Group = z.infer<typeof groupSchema>;

export const groupListQuerySchema = z.strictObject({
  status: z.enum(GROUP_STATUSES).optional(),
  campaignId: idSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** A product's running campaign, as its page shows it, with open groups to join (fewest seats left first). */
export const shopGroupBuySchema = z
  .object({
    campaign: z
      .object({
        id: z.number().int(),
        name: z.string(),
        groupSize: z.number().int(),
        durationMinutes: z.number().int(),
        perShopperLimit: z.number().int(),
        leaderDiscountFen: z.number().int(),
        endsAt: isoDateTime,
        items: z.array(groupItemSchema),
      })
      .nullable(),
    openGroups: z.array(groupSchema),
    now: isoDateTime,
  })
  .meta({ id: 'ShopGroupBuy' });
export type ShopGroupBuy = z.infer<typeof shopGroupBuySchema>;

export const shopGroupBuyQuerySchema = z.strictObject({ productId: idSchema });

/** Start a group (no groupId) or join one; the order is placed at the group price (the leader's less the leader discount). */
export const groupBuyBodySchema = z.strictObject({
  groupId: idSchema.optional(),
  skuId: idSchema,
  quantity: z.number().int().min(1).max(GROUP_LIMITS.perShopperMax).default(1),
  addressId: idSchema,
  remark: z.string().trim().max(BUYER_REMARK_MAX).default(''),
});
export type GroupBuyBody = z.infer<typeof groupBuyBodySchema>;
