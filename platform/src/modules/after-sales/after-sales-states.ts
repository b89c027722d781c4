import { AFTER_SALES_STATUSES } from '@shopfleet/contracts';
import { StateMachine } from '../../kernel/state-machine';

/**
 * A case's life (Youzan's steps, as yudao maps them, with the exchange yudao lacks):
 *
 * - 仅退款: requested → refunded (the merchant agrees, or stays silent past the deadline);
 * - 退货退款: requested → approved → returned (the shopper ships the goods back) → refunded (the merchant receives them,
 *   or stays silent past the deadline) — or receipt_refused;
 * - 换货: requested → approved → returned → received → reshipped (the replacement ships) → completed.
 *
 * Before the merchant settles it the shopper may cancel; the merchant may refuse a request; an approved return not
 * shipped back in time closes. A case refused or closed may be complained about; the platform's refund of its units
 * ends it refunded.
 */
export const afterSalesMachine = new StateMachine('after-sales', AFTER_SALES_STATUSES, {
  /** A refund-only request agreed (by the merchant, or by the timer): refunded at once. */
  approveRefund: { from: ['requested'], to: 'refunded' },
  /** A return or an exchange agreed: the shopper now ships the goods back. */
  approveReturn: { from: ['requested'], to: 'approved' },
  refuse: { from: ['requested'], to: 'refused' },
  cancel: { from: ['requested', 'approved'], to: 'cancelled' },
  shipBack: { from: ['approved'], to: 'returned' },
  /** An approved return the shopper did not ship back in time. */
  closeUnshipped: { from: ['approved'], to: 'closed' },
  /** The returned goods of a 退货退款 received (or the merchant's deadline passed): refunded. */
  receiveRefund: { from: ['returned'], to: 'refunded' },
  /** The returned goods of an exchange received: the replacement is next. */
  receiveExchange: { from: ['returned'], to: 'received' },
  refuseReceipt: { from: ['returned'], to: 'receipt_refused' },
  reship: { from: ['received'], to: 'reshipped' },
  confirmReplacement: { from: ['reshipped'], to: 'completed' },
  /** The order was refunded in full otherwise (from the order page): an open case has nothing left to settle. */
  orderRefunded: { from: ['requested', 'approved', 'returned', 'received', 'reshipped'], to: 'closed' },
  /** The platform, arbitrating a complaint about a case the merchant refused or that closed, refunds its units. */
  arbitrateRefund: { from: ['refused', 'receipt_refused', 'closed'], to: 'refunded' },
});

export type AfterSalesEvent = keyof typeof afterSalesMachine.transitions;
