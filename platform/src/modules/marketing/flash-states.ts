import { StateMachine } from '../../kernel/state-machine';

export const FLASH_ORDER_STATES = ['placed', 'paid', 'released', 'closed'] as const;
export type FlashOrderState = (typeof FLASH_ORDER_STATES)[number];

/**
 * A flash order's part in its session. Placed, it holds its units and the shopper's count. Paid, they are sold for good:
 * a refund in full or a merchant's cancel later closes it, its goods going back to the SKU as any order's. Unpaid when
 * its window ends (or cancelled by the shopper), it is released: its units go back to the session while it runs, and
 * the shopper may buy again.
 */
export const flashOrderMachine = new StateMachine('flash order', FLASH_ORDER_STATES, {
  pay: { from: ['placed'], to: 'paid' },
  release: { from: ['placed'], to: 'released' },
  close: { from: ['paid'], to: 'closed' },
});

/** What an order's end means to its flash part: released (unpaid), closed (paid), or nothing (already over). */
export function onOrderClosed(state: FlashOrderState, paid: boolean): 'release' | 'close' | null {
  if (paid) return flashOrderMachine.can(state, 'close') ? 'close' : null;
  return flashOrderMachine.can(state, 'release') ? 'release' : null;
}
