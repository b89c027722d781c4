import { GROUP_STATUSES } from '@shopfleet/contracts';
import { StateMachine } from '../../kernel/state-machine';

/**
 * A group's life. `pending` while its leader has not paid (only the leader sees it); the leader's payment opens it
 * (`forming`, its clock started); it forms when its seats are paid, or at its end with virtual members if allowed, and
 * fails at its end otherwise. A pending group whose leader's order closes unpaid never opened (`cancelled`).
 */
export const groupMachine = new StateMachine('group', GROUP_STATUSES, {
  open: { from: ['pending'], to: 'forming' },
  form: { from: ['forming'], to: 'succeeded' },
  fail: { from: ['forming'], to: 'failed' },
  cancel: { from: ['pending'], to: 'cancelled' },
});

export type GroupEvent = keyof typeof groupMachine.transitions;

/** What a group's end comes to: formed with virtual members (allowed, and its leader paid), or failed; or nothing yet. */
export function atGroupEnd(
  g: { status: (typeof GROUP_STATUSES)[number]; expiresAt: Date | null; paid: number },
  virtualFill: boolean,
  at: Date,
): GroupEvent | null {
  if (!groupMachine.can(g.status, 'fail') || g.expiresAt === null || g.expiresAt > at) return null;
  return virtualFill && g.paid >= 1 ? 'form' : 'fail';
}
