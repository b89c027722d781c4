import { ORDER_STATUSES, type OrderStatus } from '@shopfleet/contracts';
import { isClosed, onFullRefund, orderMachine, type OrderEvent } from './order-states';

/** Every allowed move, written out: a change to the machine must change this list. */
const ALLOWED: Array<[OrderStatus, OrderEvent, OrderStatus]> = [
  ['pending_payment', 'pay', 'paid'],
  ['pending_payment', 'cancel', 'cancelled'],
  ['paid', 'cancelPaid', 'cancelled'],
  ['paid', 'ship', 'shipped'],
  ['paid', 'refundInFull', 'refunded'],
  ['shipped', 'confirmReceipt', 'completed'],
  ['shipped', 'refundInFull', 'refunded'],
  ['completed', 'refundInFull', 'refunded'],
];
const EVENTS = Object.keys(orderMachine.transitions) as OrderEvent[];

describe('the order state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(orderMachine.can(from, event)).toBe(true);
    expect(orderMachine.next(from, event)).toBe(to);
  });

  it('refuses every other move', () => {
    const refused = ORDER_STATUSES.flatMap((s) =>
      EVENTS.filter((e) => !ALLOWED.some(([f, ev]) => f === s && ev === e)).map((e) => [s, e] as const),
    );
    expect(refused.length).toBe(ORDER_STATUSES.length * EVENTS.length - ALLOWED.length);
    for (const [s, e] of refused) expect([s, e, orderMachine.next(s, e)]).toEqual([s, e, null]);
  });

  it('cancelled and refunded are final; every other state has a way on', () => {
    expect(ORDER_STATUSES.filter(isClosed)).toEqual(['cancelled', 'refunded']);
  });

  it('guards an update with the states an event may leave', () => {
    expect(orderMachine.sources('refundInFull')).toEqual(['paid', 'shipped', 'completed']);
    expect(orderMachine.eventsFrom('paid').sort()).toEqual(['cancelPaid', 'refundInFull', 'ship']);
  });
});

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

  it('closes an order only into a closed state', () => {
    for (const status of ORDER_STATUSES) {
      const close = onFullRefund(status);
      if (close) expect(isClosed(close.to)).toBe(true);
    }
  });
});
