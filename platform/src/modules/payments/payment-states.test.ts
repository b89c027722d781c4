import { PAYMENT_STATUSES, REFUND_STATUSES } from '@shopfleet/contracts';
import type { StateMachine } from '../../kernel/state-machine';
import { paymentMachine, refundMachine } from './payment-states';

/** Checks a machine against every allowed move written out, and refuses every other (state, event). */
function exactly<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  states: readonly S[],
  allowed: Array<[S, E, S]>,
) {
  const events = Object.keys(machine.transitions) as E[];
  for (const [from, event, to] of allowed) expect([from, event, machine.next(from, event)]).toEqual([from, event, to]);
  for (const s of states) {
    for (const e of events) {
      if (!allowed.some(([f, ev]) => f === s && ev === e)) expect([s, e, machine.can(s, e)]).toEqual([s, e, false]);
    }
  }
}

describe('the payment state machine', () => {
  it('moves exactly as written', () => {
    exactly(paymentMachine, PAYMENT_STATUSES, [
      ['pending', 'succeed', 'succeeded'],
      ['closed', 'succeed', 'succeeded'],
      ['pending', 'close', 'closed'],
    ]);
  });

  it('a succeeded payment is final', () => {
    expect(paymentMachine.eventsFrom('succeeded')).toEqual([]);
  });
});

describe('the refund state machine', () => {
  it('moves exactly as written', () => {
    exactly(refundMachine, REFUND_STATUSES, [
      ['processing', 'succeed', 'succeeded'],
      ['processing', 'fail', 'failed'],
      ['failed', 'retry', 'processing'],
    ]);
  });

  it('a succeeded refund is final; a failed one can only be retried', () => {
    expect(refundMachine.eventsFrom('succeeded')).toEqual([]);
    expect(refundMachine.eventsFrom('failed')).toEqual(['retry']);
  });
});
