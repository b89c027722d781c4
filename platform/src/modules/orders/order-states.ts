import { ORDER_STATUSES, type OrderStatus } from '@shopfleet/contracts';
import { StateMachine } from '../../kernel/state-machine';

/**
 * An order's life. An order is one payment: its states say where that payment and the parcel are.
 * After-sales (returns, partial refunds of a line) happen on the lines of a paid order and leave these
 * states as they are, until a refund leaves nothing paid (`refundInFull`).
 */
export const orderMachine = new StateMachine('order', ORDER_STATUSES, {
  /** The provider's notification pays it, within or after its payment window (then it is refunded instead). */
  pay: { from: ['pending_payment'], to: 'paid' },
  /** The shopper or the merchant cancels it unpaid, or its payment window ends. */
  cancel: { from: ['pending_payment'], to: 'cancelled' },
  /** The merchant cancels a paid order not yet shipped; it is refunded in full with the cancellation. */
  cancelPaid: { from: ['paid'], to: 'cancelled' },
  ship: { from: ['paid'], to: 'shipped' },
  /** The shopper confirms receipt, or the auto-confirm date passes. */
  confirmReceipt: { from: ['shipped'], to: 'completed' },
  /** The refund that leaves nothing paid closes it. */
  refundInFull: { from: ['paid', 'shipped', 'completed'], to: 'refunded' },
});

export type OrderEvent = keyof typeof orderMachine.transitions;

/** Final states: nothing is paid, shipped or completed in them again. */
export const isClosed = (status: OrderStatus): boolean => orderMachine.eventsFrom(status).length === 0;

/** What closing an order after a full refund does. */
export interface FullRefundClose {
  to: 'refunded';
  /** Goods not yet shipped go back to stock; shipped ones are with the shopper (returns are after-sales' work). */
  returnsStock: boolean;
}

/**
 * What the refund that leaves nothing to refund does to an order in `status`: a paid, shipped or
 * completed order closes (`refunded`); an unpaid order has nothing to refund, and a closed one stays as it
 * is. The order's sales are taken back whenever it closes (they were counted when it was paid).
 */
export function onFullRefund(status: OrderStatus): FullRefundClose | null {
  if (!orderMachine.can(status, 'refundInFull')) return null;
  return { to: 'refunded', returnsStock: status === 'paid' };
}
