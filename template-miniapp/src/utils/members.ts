import type { MemberCentre, PointsEntry } from '@shopfleet/contracts';
import { t } from '../locales';
import { percentOffValue } from './marketing';

/** One day of the sign-in strip: its day of the streak, its reward, and whether it is signed, today, or to come. */
export interface StreakDay {
  /** 1-based day of the streak. */
  day: number;
  reward: number;
  state: 'signed' | 'today' | 'coming';
}

/**
 * The sign-in strip of `size` days around where the shopper is in their streak. `streak` counts the consecutive days up
 * to today when signed today, else up to yesterday; the rewards go day 1, day 2 …, the last repeating. The strip shows
 * days 1..size while the streak is short, then the window whose last day is the one to come next (or today), so a long
 * streak still shows its signed days, today and what comes.
 */
export function streakStrip(
  signIn: Pick<MemberCentre['signIn'], 'signedToday' | 'streak' | 'rewards'>,
  size = 7,
): StreakDay[] {
  const { signedToday, streak, rewards } = signIn;
  const today = signedToday ? streak : streak + 1;
  const first = Math.max(1, today - size + 2);
  const rewardOf = (day: number) => rewards[Math.min(day, rewards.length) - 1] ?? 0;
  return Array.from({ length: size }, (_, i) => {
    const day = first + i;
    const state: StreakDay['state'] =
      day < today || (day === today && signedToday) ? 'signed' : day === today ? 'today' : 'coming';
    return { day, reward: rewardOf(day), state };
  });
}

/** Growth toward the next level: the share reached (0..1) and what is still missing; null at the top level. */
export function levelProgress(centre: Pick<MemberCentre, 'growth' | 'nextLevel' | 'level'>, from = 0) {
  const next = centre.nextLevel;
  if (!next) return null;
  const span = Math.max(next.growthThreshold - from, 1);
  const share = Math.min(Math.max((centre.growth - from) / span, 0), 1);
  return { share, missing: Math.max(next.growthThreshold - centre.growth, 0), next: next.name };
}

/** A ledger row's kind in the shopper's words. */
export function pointsKindText(kind: PointsEntry['kind']): string {
  return t(`member.kind.${kind}`);
}

/**
 * What a ledger row changed, as the shopper sees it: the available points (+5, −100), or, for points still frozen,
 * the pending ones; a debt is said as such.
 */
export function pointsChange(entry: Pick<PointsEntry, 'available' | 'frozen' | 'debt'>): {
  text: string;
  sign: 'plus' | 'minus' | 'none';
} {
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  if (entry.available !== 0) return { text: signed(entry.available), sign: entry.available > 0 ? 'plus' : 'minus' };
  if (entry.frozen !== 0)
    return {
      text: t('member.pendingChange', { change: signed(entry.frozen) }),
      sign: entry.frozen > 0 ? 'plus' : 'minus',
    };
  if (entry.debt !== 0)
    return { text: t('member.debtChange', { change: signed(entry.debt) }), sign: entry.debt > 0 ? 'minus' : 'plus' };
  return { text: '0', sign: 'none' };
}

/** A member price (a percent of the price) as the shopper's language says it: 9.5 zhe / 5% off. */
export function memberPriceText(discountPercent: number): string {
  if (discountPercent >= 100) return t('member.noDiscount');
  return t('member.priceValue', { value: percentOffValue(100 - discountPercent) });
}
