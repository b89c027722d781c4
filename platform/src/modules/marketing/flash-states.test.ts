import { FLASH_ORDER_STATES, flashOrderMachine, onOrderClosed } from './flash-states';

describe('a flash order’s part in its session', () => {
  it('is paid or released only while placed, and closed only once paid', () => {
    expect(flashOrderMachine.next('placed', 'pay')).toBe('paid');
    expect(flashOrderMachine.next('placed', 'release')).toBe('released');
    expect(flashOrderMachine.next('paid', 'close')).toBe('closed');
    expect(flashOrderMachine.next('paid', 'release')).toBeNull();
    expect(flashOrderMachine.next('released', 'pay')).toBeNull();
    expect(flashOrderMachine.next('placed', 'close')).toBeNull();
  });

  it('ends in released or closed, from which nothing moves', () => {
    const finals = FLASH_ORDER_STATES.filter((s) => flashOrderMachine.eventsFrom(s).length === 0);
    expect(finals).toEqual(['released', 'closed']);
  });

  it('answers an order’s end: an unpaid one released, a paid one closed, an ended one left alone', () => {
    expect(onOrderClosed('placed', false)).toBe('release');
    expect(onOrderClosed('paid', true)).toBe('close');
    // A late payment never reaches a released order: its order is closed and the payment refunded.
    expect(onOrderClosed('released', true)).toBeNull();
    expect(onOrderClosed('released', false)).toBeNull();
    expect(onOrderClosed('closed', true)).toBeNull();
  });
});
