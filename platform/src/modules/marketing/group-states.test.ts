import { GROUP_STATUSES } from '@shopfleet/contracts';
import { atGroupEnd, groupMachine } from './group-states';

describe('a group’s life', () => {
  it('opens from pending, forms or fails only while forming, is cancelled only before it opened', () => {
    expect(groupMachine.next('pending', 'open')).toBe('forming');
    expect(groupMachine.next('forming', 'form')).toBe('succeeded');
    expect(groupMachine.next('forming', 'fail')).toBe('failed');
    expect(groupMachine.next('pending', 'cancel')).toBe('cancelled');
    expect(groupMachine.next('pending', 'form')).toBeNull();
    expect(groupMachine.next('forming', 'cancel')).toBeNull();
    expect(groupMachine.next('failed', 'form')).toBeNull();
    expect(groupMachine.next('succeeded', 'fail')).toBeNull();
  });

  it('ends in succeeded, failed or cancelled, from which nothing moves', () => {
    expect(GROUP_STATUSES.filter((s) => groupMachine.eventsFrom(s).length === 0)).toEqual([
      'succeeded',
      'failed',
      'cancelled',
    ]);
  });

  it('at its end: nothing before its time; a virtual fill only if allowed and its leader paid; else failure', () => {
    const expiresAt = new Date('2026-12-06T12:00:00Z');
    const forming = { status: 'forming' as const, expiresAt, paid: 1 };
    expect(atGroupEnd(forming, true, new Date('2026-12-06T11:59:59Z'))).toBeNull();
    expect(atGroupEnd(forming, true, expiresAt)).toBe('form');
    expect(atGroupEnd(forming, false, expiresAt)).toBe('fail');
    expect(atGroupEnd({ ...forming, paid: 0 }, true, expiresAt)).toBe('fail');
    expect(atGroupEnd({ ...forming, status: 'succeeded' }, false, expiresAt)).toBeNull();
    expect(atGroupEnd({ status: 'pending', expiresAt: null, paid: 0 }, false, expiresAt)).toBeNull();
  });
});
