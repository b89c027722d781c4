import { RELEASE_STATUSES, type ReleaseStatus } from '@shopfleet/contracts';
import { ENDED, RETRY_TARGETS, canMove, releaseMachine, type ReleaseEvent } from './release-states';

/** Every move of the machine, written out: a change to the machine must change this list. */
const ALLOWED: Array<[ReleaseStatus, ReleaseEvent, ReleaseStatus]> = [
  ['pending', 'setDomains', 'domains_set'],
  ['domains_set', 'setPrivacy', 'privacy_set'],
  ['privacy_set', 'commit', 'committed'],
  ['committed', 'submit', 'submitted'],
  ['submitted', 'delayAudit', 'audit_delayed'],
  ['submitted', 'passAudit', 'audit_passed'],
  ['audit_delayed', 'passAudit', 'audit_passed'],
  ['submitted', 'rejectAudit', 'audit_failed'],
  ['audit_delayed', 'rejectAudit', 'audit_failed'],
  ['submitted', 'withdrawAudit', 'cancelled'],
  ['audit_delayed', 'withdrawAudit', 'cancelled'],
  ['audit_passed', 'releaseGray', 'gray'],
  ['audit_passed', 'release', 'released'],
  ['gray', 'release', 'released'],
  ['gray', 'withdrawGray', 'rolled_back'],
  ['released', 'rollBack', 'rolled_back'],
  ...(
    ['pending', 'domains_set', 'privacy_set', 'committed', 'submitted', 'audit_delayed', 'audit_passed'] as const
  ).map((s): [ReleaseStatus, ReleaseEvent, ReleaseStatus] => [s, 'cancel', 'cancelled']),
  ...(
    [
      'pending',
      'domains_set',
      'privacy_set',
      'committed',
      'submitted',
      'audit_delayed',
      'audit_passed',
      'gray',
    ] as const
  ).map((s): [ReleaseStatus, ReleaseEvent, ReleaseStatus] => [s, 'fail', 'failed']),
];
const EVENTS = Object.keys(releaseMachine.transitions) as ReleaseEvent[];

describe('the release state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(releaseMachine.next(from, event)).toBe(to);
  });

  it('refuses every other move', () => {
    for (const s of RELEASE_STATUSES) {
      for (const e of EVENTS) {
        if (!ALLOWED.some(([f, ev]) => f === s && ev === e))
          expect([s, e, releaseMachine.next(s, e)]).toEqual([s, e, null]);
      }
    }
  });

  it('audit_failed, cancelled and rolled_back are final; a failed release only goes on by a retry', () => {
    expect(RELEASE_STATUSES.filter((s) => releaseMachine.eventsFrom(s).length === 0).sort()).toEqual([
      'audit_failed',
      'cancelled',
      'failed',
      'rolled_back',
    ]);
    expect(RETRY_TARGETS.every((s) => canMove('failed', s))).toBe(true);
    expect(canMove('failed', 'gray')).toBe(false);
    expect(canMove('failed', 'released')).toBe(false);
  });

  it('says which moves exist, for the service that guards its updates with them', () => {
    expect(canMove('committed', 'submitted')).toBe(true);
    expect(canMove('pending', 'submitted')).toBe(false);
    expect(canMove('released', 'cancelled')).toBe(false);
    expect(
      [...ENDED].every((s) => s === 'released' || releaseMachine.eventsFrom(s).length === 0 || s === 'failed'),
    ).toBe(true);
  });
});
