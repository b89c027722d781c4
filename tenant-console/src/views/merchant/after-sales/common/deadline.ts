import type { AfterSalesCase } from '@shopfleet/contracts';

/**
 * What happens when a case's step times out, as the server's timers decide (after-sales.service.ts `deadlineOf`): a
 * refund-only request unanswered is agreed and refunded, an approved return or exchange not shipped back closes, a
 * return's goods not confirmed are refunded. Any other step has no deadline.
 */
export type DeadlineOutcome = 'autoApprove' | 'autoClose' | 'autoRefund';

export function deadlineOutcome(c: Pick<AfterSalesCase, 'kind' | 'status'>): DeadlineOutcome | null {
  if (c.status === 'requested' && c.kind === 'refund_only') return 'autoApprove';
  if (c.status === 'approved') return 'autoClose';
  if (c.status === 'returned' && c.kind === 'return_refund') return 'autoRefund';
  return null;
}

/** The time left until a deadline, in whole days, hours and minutes (rounded down); null once it has passed. */
export interface TimeLeft {
  days: number;
  hours: number;
  minutes: number;
}

const MINUTE_MS = 60_000;

export function timeLeft(deadlineAt: string, now: number): TimeLeft | null {
  const left = Date.parse(deadlineAt) - now;
  if (Number.isNaN(left) || left <= 0) return null;
  const minutes = Math.floor(left / MINUTE_MS);
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}
