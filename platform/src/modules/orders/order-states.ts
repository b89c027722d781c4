import type { OrderStatus } from '@shopfleet/contracts';

/** Final states: nothing is paid, shipped or completed in them again (a full refund may still follow a failed one). */
const CLOSED: readonly OrderStatus[] = ['cancelled', 'refunded'];

export const isClosed = (status: OrderStatus): boolean => CLOSED.includes(status);

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
  switch (status) {
    case 'paid':
      return { to: 'refunded', returnsStock: true };
    case 'shipped':
    case 'completed':
      return { to: 'refunded', returnsStock: false };
    case 'pending_payment':
    case 'cancelled':
    case 'refunded':
      return null;
  }
}
