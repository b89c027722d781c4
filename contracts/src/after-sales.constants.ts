/**
 * What a shopper asks for on a line of an order: 仅退款 (refund only: the goods stay with them, or never came),
 * 退货退款 (return the goods, then the refund), 换货 (return the goods, receive a replacement).
 */
export const AFTER_SALES_KINDS = ['refund_only', 'return_refund', 'exchange'] as const;
export type AfterSalesKind = (typeof AFTER_SALES_KINDS)[number];

/**
 * A case's states, Youzan's as yudao maps them: asked (`requested`) → the merchant agrees (`approved`: a return or an
 * exchange waits for the goods) → the shopper ships them back (`returned`) → the merchant receives them (`received`: an
 * exchange waits for the replacement) → `reshipped` (an exchange's replacement is on its way); it ends `refunded`,
 * `completed` (an exchange received), `refused` (by the merchant), `receipt_refused` (the returned goods refused),
 * `cancelled` (by the shopper) or `closed` (a deadline passed).
 */
export const AFTER_SALES_STATUSES = [
  'requested',
  'approved',
  'returned',
  'received',
  'reshipped',
  'refunded',
  'completed',
  'refused',
  'receipt_refused',
  'cancelled',
  'closed',
] as const;
export type AfterSalesStatus = (typeof AFTER_SALES_STATUSES)[number];

/** The states a case is still open in: its units are spoken for. */
export const AFTER_SALES_OPEN_STATUSES = ['requested', 'approved', 'returned', 'received', 'reshipped'] as const;

/** Why a shopper asks (a list, as Youzan's and yudao's 售后原因). */
export const AFTER_SALES_REASONS = [
  'not_received',
  'damaged',
  'wrong_item',
  'quality',
  'not_as_described',
  'size_or_colour',
  'changed_mind',
  'other',
] as const;
export type AfterSalesReason = (typeof AFTER_SALES_REASONS)[number];

export const AFTER_SALES_LIMITS = {
  descriptionMax: 500,
  photosMax: 9,
  noteMax: 200,
  returnAddressesMax: 20,
} as const;

/** A shop's after-sales timers, in days, and their defaults. */
export const AFTER_SALES_TIMER_DEFAULTS = {
  /** A refund-only request left unanswered this long is approved. */
  autoApproveDays: 2,
  /** An approved return not shipped back this long closes. */
  returnShipDays: 7,
  /** Returned goods not confirmed by the merchant this long are refunded. */
  receiveConfirmDays: 10,
  /** A completed order accepts requests this long after completion. */
  afterCompletionDays: 15,
} as const;
