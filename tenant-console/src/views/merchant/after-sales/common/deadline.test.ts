import { describe, expect, it } from '@jest/globals';
import { deadlineOutcome, timeLeft } from './deadline';

describe('deadlineOutcome', () => {
  it('names what the timer does at each step that has one, and nothing for the others', () => {
    expect(deadlineOutcome({ kind: 'refund_only', status: 'requested' })).toBe('autoApprove');
    expect(deadlineOutcome({ kind: 'return_refund', status: 'requested' })).toBeNull();
    expect(deadlineOutcome({ kind: 'exchange', status: 'requested' })).toBeNull();
    expect(deadlineOutcome({ kind: 'return_refund', status: 'approved' })).toBe('autoClose');
    expect(deadlineOutcome({ kind: 'exchange', status: 'approved' })).toBe('autoClose');
    expect(deadlineOutcome({ kind: 'return_refund', status: 'returned' })).toBe('autoRefund');
    expect(deadlineOutcome({ kind: 'exchange', status: 'returned' })).toBeNull();
    for (const status of ['received', 'reshipped', 'refunded', 'completed', 'refused', 'closed'] as const)
      expect(deadlineOutcome({ kind: 'exchange', status })).toBeNull();
  });
});

describe('timeLeft', () => {
  const now = Date.parse('2026-03-01T08:00:00Z');

  it('counts whole days, hours and minutes down from the deadline', () => {
    expect(timeLeft('2026-03-03T08:00:00Z', now)).toEqual({ days: 2, hours: 0, minutes: 0 });
    // A few seconds after the request: 1 day 23 hours 59 minutes, never rounded up to 2 days.
    expect(timeLeft('2026-03-03T07:59:55Z', now)).toEqual({ days: 1, hours: 23, minutes: 59 });
    expect(timeLeft('2026-03-01T10:30:00Z', now)).toEqual({ days: 0, hours: 2, minutes: 30 });
    expect(timeLeft('2026-03-01T08:00:30Z', now)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  it('is null once the deadline has passed, or for a time it cannot read', () => {
    expect(timeLeft('2026-03-01T08:00:00Z', now)).toBeNull();
    expect(timeLeft('2026-02-28T08:00:00Z', now)).toBeNull();
    expect(timeLeft('soon', now)).toBeNull();
  });
});
