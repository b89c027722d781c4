import type { CommissionState, DistributorStatus, WithdrawalStatus } from '@shopfleet/contracts';

/** el-tag's colours. */
type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger';

/** A rate in basis points as the merchant reads it: 1000 → "10.00%". */
export function bpToPercent(bp: number): string {
  return `${(bp / 100).toFixed(2)}%`;
}

/** A percentage as typed (10.5) → basis points (1050), whole. */
export function percentToBp(percent: number): number {
  return Math.round(percent * 100);
}

/** Basis points → the percentage an input shows (1050 → 10.5). */
export function bpToPercentValue(bp: number): number {
  return bp / 100;
}

/** A shopper as a list names them: their nickname, else their number. */
export function personName(person: { shopperId: number; nickname: string | null } | null | undefined): string {
  if (!person) return '—';
  return person.nickname?.trim() || `#${person.shopperId}`;
}

export const DISTRIBUTOR_STATUS_TAGS: Record<DistributorStatus, TagType> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  disabled: 'info',
};

export const COMMISSION_STATE_TAGS: Record<CommissionState, TagType> = {
  frozen: 'warning',
  released: 'success',
  cancelled: 'info',
};

export const WITHDRAWAL_STATUS_TAGS: Record<WithdrawalStatus, TagType> = {
  requested: 'warning',
  paying: 'primary',
  paid: 'success',
  rejected: 'info',
  failed: 'danger',
};

/** A ledger row's change of one column, signed ("+¥1.00", "-¥0.50"), or '' when it did not move. */
export function signedFen(fen: number, format: (fen: number) => string): string {
  if (fen === 0) return '';
  return fen > 0 ? `+${format(fen)}` : format(fen);
}
