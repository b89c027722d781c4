/**
 * `cancelled`: closed before shipping (unpaid, or by the merchant with a full refund); `refunded`: closed
 * because what was paid has been refunded in full (see docs/orders-and-payments.md). Both are final.
 */
/**
 * The campaign an order was placed in, which owns part of its life (秒杀: its stock and payment window; 拼团: when it
 * may ship, and its refund if the group fails). `null` for an ordinary order.
 */
export const ORDER_ACTIVITY_KINDS = ['flash_sale', 'group_buy'] as const;
export type OrderActivityKind = (typeof ORDER_ACTIVITY_KINDS)[number];

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Most lines one checkout may list as items ("buy now"). */
export const CHECKOUT_ITEMS_MAX = 50;
/** Most characters of the shopper's remark on an order. */
export const BUYER_REMARK_MAX = 200;

/** Limits of merchantOrderFilterSchema.q, orderRemarkBodySchema, merchantCancelBodySchema and refundOrderBodySchema. */
export const ORDER_LIMITS = { qMax: 60, remarkMax: 500, cancelReasonMax: 200, refundReasonMax: 80 } as const;

/** An export holds at most this many rows (a row per order line). */
export const ORDER_EXPORT_MAX_ROWS = 50_000;

/** The tracking number of a shipment. */
export const TRACKING_NO_PATTERN = /^[A-Za-z0-9-]{6,40}$/;

/** Idempotency-Key header of order creation: a retried request returns the first order. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
