import { RELEASE_STATUSES, type ReleaseStatus } from '@shopfleet/contracts';
import { StateMachine } from '../../kernel/state-machine';

/** The statuses of a release still on its way to users, before any of them has it. */
const BEFORE_LIVE = [
  'pending',
  'domains_set',
  'privacy_set',
  'committed',
  'submitted',
  'audit_delayed',
  'audit_passed',
] as const;

/**
 * A shop's WeChat release: the flow's steps (domains → privacy → commit → submit for audit), WeChat's
 * audit, then release to a share of users (gray) or to all, and the ways it ends.
 */
export const releaseMachine = new StateMachine('release', RELEASE_STATUSES, {
  setDomains: { from: ['pending'], to: 'domains_set' },
  setPrivacy: { from: ['domains_set'], to: 'privacy_set' },
  commit: { from: ['privacy_set'], to: 'committed' },
  submit: { from: ['committed'], to: 'submitted' },
  /** WeChat said its audit takes longer. */
  delayAudit: { from: ['submitted'], to: 'audit_delayed' },
  passAudit: { from: ['submitted', 'audit_delayed'], to: 'audit_passed' },
  rejectAudit: { from: ['submitted', 'audit_delayed'], to: 'audit_failed' },
  /** The audit was withdrawn in mp.weixin.qq.com. */
  withdrawAudit: { from: ['submitted', 'audit_delayed'], to: 'cancelled' },
  releaseGray: { from: ['audit_passed'], to: 'gray' },
  release: { from: ['audit_passed', 'gray'], to: 'released' },
  withdrawGray: { from: ['gray'], to: 'rolled_back' },
  rollBack: { from: ['released'], to: 'rolled_back' },
  /** The merchant stops it before it is live (one under audit is withdrawn from WeChat first). */
  cancel: { from: BEFORE_LIVE, to: 'cancelled' },
  /** A step could not succeed, or its job gave up. */
  fail: { from: [...BEFORE_LIVE, 'gray'], to: 'failed' },
});

export type ReleaseEvent = keyof typeof releaseMachine.transitions;

/** A failed release goes on (`retry`) from the status it had reached, when that was before it went live. */
export const RETRY_TARGETS: readonly ReleaseStatus[] = BEFORE_LIVE;

/** Whether a release may move from one status to another: by an event of the machine, or a failed one retried. */
export function canMove(from: ReleaseStatus, to: ReleaseStatus): boolean {
  if (from === 'failed' && RETRY_TARGETS.includes(to)) return true;
  return releaseMachine.eventsFrom(from).some((e) => releaseMachine.transitions[e].to === to);
}

/** The statuses in which a release is no longer in flight (the shop may start another). */
export const ENDED: ReadonlySet<ReleaseStatus> = new Set([
  'released',
  'audit_failed',
  'failed',
  'cancelled',
  'rolled_back',
]);
