import { ORDER_STATUSES, type OrderStatus } from '@shopfleet/contracts';
import { isClosed, onFullRefund } from './order-states';

describe('order states after a full refund', () => {
  it.each<[OrderStatus, ReturnType<typeof onFullRefund>]>([
    ['pending_payment', null],
    ['paid', { to: 'refunded', returnsStock: true }],
    ['shipped', { to: 'refunded', returnsStock: false }],
    ['completed', { to: 'refunded', returnsStock: false }],
    ['cancelled', null],
    ['refunded', null],
  ])('%s → %j', (status, expected) => {
    expect(onFullRefund(status)).toEqual(expected);
  });

  it('covers every state, and closes an order only into a closed state', () => {
    for (const status of ORDER_STATUSES) {
      const close = onFullRefund(status);
      if (close) expect(isClosed(close.to)).toBe(true);
    }
    expect(ORDER_STATUSES.filter(isClosed)).toEqual(['cancelled', 'refunded']);
  });
});
