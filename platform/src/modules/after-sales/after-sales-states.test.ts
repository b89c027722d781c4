import { AFTER_SALES_OPEN_STATUSES, AFTER_SALES_STATUSES, type AfterSalesStatus } from '@shopfleet/contracts';
import { afterSalesMachine, type AfterSalesEvent } from './after-sales-states';

const events = Object.keys(afterSalesMachine.transitions) as AfterSalesEvent[];

/** Every (state, event) pair and where it leads: null where it is refused. */
const table: Record<AfterSalesStatus, Partial<Record<AfterSalesEvent, AfterSalesStatus>>> = {
  requested: {
    approveRefund: 'refunded',
    approveReturn: 'approved',
    refuse: 'refused',
    cancel: 'cancelled',
    orderRefunded: 'closed',
  },
  approved: { cancel: 'cancelled', shipBack: 'returned', closeUnshipped: 'closed', orderRefunded: 'closed' },
  returned: {
    receiveRefund: 'refunded',
    receiveExchange: 'received',
    refuseReceipt: 'receipt_refused',
    orderRefunded: 'closed',
  },
  received: { reship: 'reshipped', orderRefunded: 'closed' },
  reshipped: { confirmReplacement: 'completed', orderRefunded: 'closed' },
  refunded: {},
  completed: {},
  refused: { arbitrateRefund: 'refunded' },
  receipt_refused: { arbitrateRefund: 'refunded' },
  cancelled: {},
  closed: { arbitrateRefund: 'refunded' },
};

describe('the after-sales state machine', () => {
  it.each(AFTER_SALES_STATUSES.flatMap((s) => events.map((e) => [s, e] as const)))(
    'from %s, %s is allowed exactly where the table says',
    (state, event) => {
      expect(afterSalesMachine.next(state, event)).toBe(table[state][event] ?? null);
    },
  );

  it('the open states are those with a step left besides arbitration; the others are final', () => {
    const open = AFTER_SALES_STATUSES.filter(
      (s) => afterSalesMachine.eventsFrom(s).filter((e) => e !== 'arbitrateRefund').length > 0,
    );
    expect(open).toEqual([...AFTER_SALES_OPEN_STATUSES]);
  });
});
