import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import { addressSchema } from './cart';
import { CART_QUANTITY_MAX } from './cart.constants';
import {
  BUYER_REMARK_MAX,
  CHECKOUT_ITEMS_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  ORDER_LIMITS,
  ORDER_ACTIVITY_KINDS,
  ORDER_FLAGS,
  ORDER_STATUSES,
  TRACKING_NO_PATTERN,
} from './orders.constants';
import { orderPaymentSchema, refundSchema } from './payments';
import { CARRIER_CODES } from './shipping.constants';
import { checkoutCouponSchema } from './marketing';
import { checkoutPointsSchema } from './members';
import { AFTER_SALES_KINDS, AFTER_SALES_STATUSES } from './after-sales.constants';

const lineInput = z.strictObject({ skuId: idSchema, quantity: z.number().int().min(1).max(CART_QUANTITY_MAX) });

/** What to buy: the cart's selected lines, or lines given directly ("buy now"). */
export const checkoutBodySchema = z
  .strictObject({
    fromCart: z.boolean().default(false),
    items: z.array(lineInput).max(CHECKOUT_ITEMS_MAX).optional(),
    addressId: idSchema,
    remark: z.string().trim().max(BUYER_REMARK_MAX).default(''),
    /**
     * The coupon to use: absent, the one that saves the most (with the promotions) is chosen; null, none. A coupon that
     * cannot be used on this order is refused: 409 with why (COUPON_THRESHOLD_NOT_MET, COUPON_OUT_OF_SCOPE,
     * COUPON_NOT_COMBINABLE, COUPON_NOT_YET_VALID, COUPON_EXPIRED, COUPON_USED), or 404 COUPON_NOT_FOUND.
     */
    couponId: idSchema.nullable().optional(),
    /**
     * Pay part of the order with points (the shop's rate, up to its share of the order): as many as the order may take.
     * When the shopper's points dropped below what the order was priced with, nothing is placed: 409 POINTS_CHANGED.
     */
    usePoints: z.boolean().default(false),
    /**
     * The total the shopper was shown. When given and the order now prices otherwise (a price, a promotion or a coupon
     * changed), nothing is placed: 409 PRICE_CHANGED with the new total.
     */
    expectedTotalFen: z.number().int().min(0).optional(),
  })
  .refine((b) => b.fromCart !== (b.items !== undefined && b.items.length > 0), {
    message: 'either fromCart or items',
    params: { reason: 'CART_OR_ITEMS' },
  });
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const orderLineSchema = z.object({
  skuId: z.number().int(),
  productId: z.number().int(),
  title: z.string(),
  specValues: z.array(z.string()),
  imageUrl: z.string().nullable(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  subtotalFen: z.number().int(),
  /** The line's share of the order's discounts; what was paid for it is subtotalFen − discountFen. */
  discountFen: z.number().int(),
  /** Units refunded so far (line refunds), and the money they gave back. */
  refundedQuantity: z.number().int(),
  refundedFen: z.number().int(),
});

/** An after-sales case as its order shows it. */
export const orderAfterSalesSchema = z.object({
  id: z.number().int(),
  caseNo: z.string(),
  skuId: z.number().int(),
  quantity: z.number().int(),
  kind: z.enum(AFTER_SALES_KINDS),
  status: z.enum(AFTER_SALES_STATUSES),
});
export type OrderAfterSales = z.infer<typeof orderAfterSalesSchema>;

/**
 * A discount the order got: a campaign's price, a member price, a coupon, a 满减/满折, a 限时折扣, points — what it is,
 * its name (the level's for a member price; the points used, as digits, for points) and what it took off.
 */
export const orderDiscountSchema = z.object({
  /** `merchant_adjustment`: the merchant's change of an unpaid order's price (商家改价). */
  source: z.enum([
    'flash_sale',
    'group_buy',
    'member_price',
    'coupon',
    'full_reduction',
    'timed_discount',
    'points',
    'merchant_adjustment',
  ]),
  /** The coupon (for a coupon), the promotion, the campaign, the member level; 0 for points. */
  sourceId: z.number().int(),
  name: z.string(),
  fen: z.number().int(),
});
export type OrderDiscount = z.infer<typeof orderDiscountSchema>;

export const checkoutPreviewSchema = z
  .object({
    lines: z.array(orderLineSchema),
    itemsTotalFen: z.number().int(),
    discounts: z.array(orderDiscountSchema),
    discountFen: z.number().int(),
    shippingFen: z.number().int(),
    totalFen: z.number().int(),
    address: addressSchema,
    /** The coupon used (null: none), and each of the shopper's unused coupons: usable here or why not, best first. */
    couponId: z.number().int().nullable(),
    coupons: z.array(checkoutCouponSchema),
    /** The shopper's points for this order, or null when the shop gives none. */
    points: checkoutPointsSchema.nullable(),
  })
  .meta({ id: 'CheckoutPreview' });

/**
 * The cart's selected lines priced with the promotions and the best coupon, before an address is chosen (no shipping):
 * what the cart shows as 已优惠 and 合计. Checkout prices again with the address.
 */
export const cartEstimateSchema = z
  .object({
    itemsTotalFen: z.number().int(),
    discounts: z.array(orderDiscountSchema),
    discountFen: z.number().int(),
    itemsPayableFen: z.number().int(),
    couponId: z.number().int().nullable(),
    coupons: z.array(checkoutCouponSchema),
  })
  .meta({ id: 'CartEstimate' });
export type CartEstimate = z.infer<typeof cartEstimateSchema>;

export const orderSchema = z
  .object({
    id: z.number().int(),
    orderNo: z.string(),
    status: z.enum(ORDER_STATUSES),
    lines: z.array(orderLineSchema),
    itemsTotalFen: z.number().int(),
    discounts: z.array(orderDiscountSchema),
    discountFen: z.number().int(),
    shippingFen: z.number().int(),
    totalFen: z.number().int(),
    address: addressSchema.omit({ updatedAt: true, isDefault: true }),
    remark: z.string(),
    /**
     * The campaign it was placed in (a flash sale: the flash item's id; a group buy: the group's id), or null.
     */
    activity: z
      .object({
        kind: z.enum(ORDER_ACTIVITY_KINDS),
        id: z.number().int(),
        /** 拼团: the order waits for its group to form before it ships (false once formed, and for a 秒杀). */
        waiting: z.boolean(),
      })
      .nullable(),
    paymentDeadline: isoDateTime,
    cancelReason: z.string().nullable(),
    createdAt: isoDateTime,
    paidAt: isoDateTime.nullable(),
    payment: orderPaymentSchema.nullable(),
    shipment: z
      .object({
        carrier: z.enum(CARRIER_CODES),
        carrierName: z.string(),
        trackingNo: z.string(),
        shippedAt: isoDateTime,
      })
      .nullable(),
    /** When a shipped order is confirmed for the shopper if they do not confirm it first. */
    autoConfirmAt: isoDateTime.nullable(),
    completedAt: isoDateTime.nullable(),
    refundedFen: z.number().int(),
    refunds: z.array(refundSchema),
    /** Its after-sales cases, oldest first: which line, how many, what kind, where each stands. */
    afterSales: z.array(orderAfterSalesSchema),
    /** The shopper has reviewed this order's lines. */
    reviewed: z.boolean(),
    events: z.array(
      z.object({
        type: z.string(),
        fromStatus: z.string().nullable(),
        toStatus: z.string(),
        actorType: z.string(),
        note: z.string().nullable(),
        at: isoDateTime,
      }),
    ),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof orderSchema>;

export const merchantOrderSchema = orderSchema
  .extend({
    shopper: z.object({ id: z.number().int(), nickname: z.string(), phone: z.string().nullable() }),
    merchantRemark: z.string(),
    /** The merchant's coloured flag on the order (旗标), or null. */
    merchantFlag: z.enum(ORDER_FLAGS).nullable(),
    /** WeChat Pay orders of a mini-program must have their shipping reported to WeChat. */
    wechatShipping: z.enum(['not_required', 'pending', 'uploaded', 'failed']),
  })
  .meta({ id: 'MerchantOrder' });
export type MerchantOrder = z.infer<typeof merchantOrderSchema>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const merchantOrderFilterSchema = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  /** Order number, receiver name or phone, or product title. */
  q: z.string().trim().min(1).max(ORDER_LIMITS.qMax).optional(),
  /** Placed on or after this day (China time). */
  from: day.optional(),
  /** Placed on or before this day (China time). */
  to: day.optional(),
  /** With this merchant's flag; `none`: with no flag. */
  flag: z.enum([...ORDER_FLAGS, 'none']).optional(),
});

export const merchantOrderListQuerySchema = merchantOrderFilterSchema.extend({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const orderExportQuerySchema = merchantOrderFilterSchema.extend({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
});

export const shipOrderBodySchema = z.strictObject({
  carrier: z.enum(CARRIER_CODES),
  trackingNo: z.string().trim().regex(TRACKING_NO_PATTERN, '6 to 40 letters, digits or hyphens'),
});
/** The merchant's remark and, when given, their flag (null: none; absent: as it is). */
export const orderRemarkBodySchema = z.strictObject({
  remark: z.string().trim().max(ORDER_LIMITS.remarkMax),
  flag: z.enum(ORDER_FLAGS).nullable().optional(),
});
export const merchantCancelBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(ORDER_LIMITS.cancelReasonMax),
});
/**
 * A refund: an amount of what is left, or units of lines — each unit refunded at what was paid for it, its share of
 * the discounts split to the fen (the units of a line refunded in any parts add up to what was paid for the line).
 */
export const refundOrderBodySchema = z
  .strictObject({
    amountFen: z.number().int().min(1).optional(),
    lines: z
      .array(z.strictObject({ skuId: idSchema, quantity: z.number().int().min(1).max(CART_QUANTITY_MAX) }))
      .min(1)
      .max(CHECKOUT_ITEMS_MAX)
      .refine((l) => new Set(l.map((x) => x.skuId)).size === l.length, {
        message: 'each line once',
        params: { reason: 'LINES_REPEATED' },
      })
      .optional(),
    reason: z.string().trim().min(1).max(ORDER_LIMITS.refundReasonMax),
  })
  .refine((b) => (b.amountFen === undefined) !== (b.lines === undefined), {
    message: 'an amount or lines, one or the other',
    params: { reason: 'AMOUNT_OR_LINES' },
  });

export const orderListQuerySchema = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});

/**
 * The headers of order creation: its Idempotency-Key (a retried request returns the first order). A key
 * missing or malformed is refused with one reason, IDEMPOTENCY_KEY_REQUIRED, whichever it is.
 */
export const placeOrderHeadersSchema = z.object({
  'idempotency-key': z
    .preprocess(
      (value) => (typeof value === 'string' ? value : ''),
      z.string().refine((key) => IDEMPOTENCY_KEY_PATTERN.test(key), {
        message: 'send an Idempotency-Key header (8 to 64 letters, digits, - or _), the same one when retrying',
        params: { reason: 'IDEMPOTENCY_KEY_REQUIRED' },
      }),
    )
    .meta({
      description:
        'A key the client makes for this order (8 to 64 letters, digits, - or _), sent again unchanged when retrying',
      pattern: IDEMPOTENCY_KEY_PATTERN.source,
    }),
});

export const cancelOrderBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(200).default('买家取消') });
