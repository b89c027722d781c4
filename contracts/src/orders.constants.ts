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

// ---- the merchant's daily order operations (orders-ops.ts) ---------------------------------------------

/** The merchant's coloured flags on an order (旗标), as Taobao's and Youzan's sellers mark orders for themselves. */
export const ORDER_FLAGS = ['red', 'yellow', 'green', 'blue', 'purple'] as const;
export type OrderFlag = (typeof ORDER_FLAGS)[number];

/** The lowest total a changed price may set: one fen (0.01 yuan); WeChat Pay and Alipay take nothing less. */
export const ORDER_PRICE_MIN_FEN = 1;

/** Limits of the order operations: reasons, a bulk shipment's orders, a shipment import's file and rows. */
export const ORDER_OPS_LIMITS = {
  priceReasonMax: 80,
  addressReasonMax: 80,
  bulkShipMax: 100,
  shipImportMaxRows: 2_000,
  shipImportMaxBytes: 2 * 1024 * 1024,
} as const;

/**
 * What became of one order of a bulk shipment or one row of a shipment import: `shipped`; `unchanged` (shipped already
 * with this very parcel: nothing to do); or why not — no such order in this shop, not paid yet, shipped already with
 * another parcel, closed (cancelled or refunded), its group not formed yet, a carrier or tracking number not
 * understood, an order number missing, or `failed` (an error; nothing of that row was written).
 */
export const SHIP_OUTCOMES = [
  'shipped',
  'unchanged',
  'unknown_order',
  'not_paid',
  'already_shipped',
  'closed',
  'group_not_formed',
  'bad_carrier',
  'bad_tracking_no',
  'missing_order_no',
  'failed',
] as const;
export type ShipOutcome = (typeof SHIP_OUTCOMES)[number];

/** The columns of a shipment import, with the headers each may have (the order export's Chinese headers among them). */
export const SHIP_IMPORT_HEADERS = {
  orderNo: ['orderNo', 'order_no', '订单号', '订单编号'],
  carrier: ['carrier', '快递', '快递公司', '物流公司'],
  trackingNo: ['trackingNo', 'tracking_no', '运单号', '快递单号', '物流单号'],
} as const;
