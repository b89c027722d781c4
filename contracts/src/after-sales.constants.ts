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
  /** A request left unanswered this long is approved (a refund-only one refunded; a return to the default address). */
  autoApproveDays: 2,
  /** An approved return not shipped back this long closes. */
  returnShipDays: 7,
  /** Returned goods not confirmed by the merchant this long are refunded. */
  receiveConfirmDays: 10,
  /** A completed order accepts requests this long after completion. */
  afterCompletionDays: 15,
} as const;

/**
 * A complaint's life: `open` (both sides state their case; it waits in the platform's arbitration queue), then
 * `resolved` (the platform decided) or `withdrawn` (the shopper, or WeChat Pay's complaint, withdrew it).
 */
export const COMPLAINT_STATUSES = ['open', 'resolved', 'withdrawn'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Where a complaint came from: the shop (a shopper's 投诉), or WeChat Pay's consumer complaints (消费者投诉 2.0). */
export const COMPLAINT_SOURCES = ['shop', 'wechatpay'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];

/** What a shopper complains about. */
export const COMPLAINT_REASONS = [
  'refund_refused',
  'return_refused',
  'not_shipped',
  'not_received',
  'quality',
  'not_as_described',
  'merchant_unresponsive',
  'service',
  'other',
] as const;
export type ComplaintReason = (typeof COMPLAINT_REASONS)[number];

/** The platform's decision: a refund of an amount it sets, or the complaint refused. */
export const COMPLAINT_DECISIONS = ['refund', 'refuse'] as const;
export type ComplaintDecision = (typeof COMPLAINT_DECISIONS)[number];

/** Who said something in a complaint: the shopper, the merchant, the platform, or WeChat Pay (its system messages). */
export const COMPLAINT_SIDES = ['shopper', 'merchant', 'platform', 'wechatpay'] as const;
export type ComplaintSide = (typeof COMPLAINT_SIDES)[number];

/** The after-sales states a case may be complained about in: the merchant said no, or the case closed. */
export const COMPLAINABLE_CASE_STATUSES = ['refused', 'receipt_refused', 'closed'] as const;

/** Where a WeChat Pay complaint's answer to WeChat Pay stands (the reply and completion after a decision). */
export const COMPLAINT_REPLY_STATES = ['pending', 'sent', 'failed'] as const;
export type ComplaintReplyState = (typeof COMPLAINT_REPLY_STATES)[number];

export const COMPLAINT_LIMITS = { statementMax: 500, decisionNoteMax: 200, photosMax: 9, statementsMax: 50 } as const;
