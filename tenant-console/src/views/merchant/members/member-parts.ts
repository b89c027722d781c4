import type { PointsEntry } from '@shopfleet/contracts';
import { MEMBER_LIMITS } from '@shopfleet/contracts/constants';

/** The sign-in rewards one day longer (the last day's reward again) or shorter, within 1..signInDaysMax days. */
export function resizeRewards(rewards: readonly number[], days: number): number[] {
  const size = Math.min(Math.max(days, 1), MEMBER_LIMITS.signInDaysMax);
  const last = rewards[rewards.length - 1] ?? 0;
  return Array.from({ length: size }, (_, i) => rewards[i] ?? last);
}

/** The signed change of a ledger part: +5, -20. */
export function signed(delta: number): string {
  return delta > 0 ? `+${delta}` : `${delta}`;
}

/** The parts of a ledger row that moved, in the order available, frozen, debt. */
export function movedParts(entry: Pick<PointsEntry, 'available' | 'frozen' | 'debt'>) {
  return (['available', 'frozen', 'debt'] as const)
    .filter((part) => entry[part] !== 0)
    .map((part) => ({ part, delta: entry[part] }));
}

/**
 * A member price (a percent of the price) as the value of `members.levels.discountValue` in the reader's language:
 * Chinese says the tenths paid (95 → 9.5 折), English the percent paid (95% of the price); null at 100 (no discount).
 */
export function memberPriceValue(percent: number, locale: string): string | null {
  if (percent >= 100) return null;
  if (!locale.startsWith('zh')) return String(percent);
  // Integer arithmetic: 95 → 9.5, 90 → 9.
  return percent % 10 === 0 ? String(percent / 10) : `${Math.floor(percent / 10)}.${percent % 10}`;
}
