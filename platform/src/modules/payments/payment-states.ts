import { PAYMENT_STATUSES, REFUND_STATUSES } from '@shopfleet/contracts';
import { StateMachine } from '../../kernel/state-machine';

/** A payment attempt with a provider (one trade): an order may have several, at most one succeeds for it. */
export const paymentMachine = new StateMachine('payment', PAYMENT_STATUSES, {
  /**
   * The provider's verified notification. A trade closed on our side whose money still arrives is
   * recorded as succeeded too — the money is real — and then refunded as a late payment.
   */
  succeed: { from: ['pending', 'closed'], to: 'succeeded' },
  /** The order was cancelled or its window ended: the trade is closed at the provider. */
  close: { from: ['pending'], to: 'closed' },
});

export type PaymentEvent = keyof typeof paymentMachine.transitions;

/** A refund sent to the provider: its amount is reserved on the order while it is processing. */
export const refundMachine = new StateMachine('refund', REFUND_STATUSES, {
  /** The provider's answer or notification says the money went back. */
  succeed: { from: ['processing'], to: 'succeeded' },
  /** The provider refused it for good; its reserved amount goes back to the order. */
  fail: { from: ['processing'], to: 'failed' },
  /** The merchant sends a failed refund again, under the same refund number. */
  retry: { from: ['failed'], to: 'processing' },
});

export type RefundEvent = keyof typeof refundMachine.transitions;
