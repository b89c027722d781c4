import { useI18n } from 'vue-i18n';
import type { CouponKind, CouponScope, TierBasis } from '@shopfleet/contracts';
import { formatFen } from '@/utils/money';

/** What a coupon takes off, as a template and its coupons share it. */
export interface CouponRule {
  kind: CouponKind;
  thresholdFen: number;
  amountOffFen: number | null;
  discountPercent: number | null;
  maxOffFen: number | null;
}

/** One 满减/满折 tier as the API sends it. */
export interface TierRule {
  threshold: number;
  amountOffFen: number | null;
  discountPercent: number | null;
}

/** One 限时折扣 item as the API sends it. */
export interface TimedRule {
  priceFen: number | null;
  discountPercent: number | null;
}

export interface ScopeRule {
  scope: CouponScope;
  scopeIds: readonly number[];
  excludedProductIds: readonly number[];
}

export interface ValidityRule {
  validFrom: string | null;
  validTo: string | null;
  validDays: number | null;
}

/** 15 (percent off) → "8.5" (折: the tenths of the price the shopper pays). Integer arithmetic, no float noise. */
export function foldOf(percentOff: number): string {
  const paid = 100 - percentOff;
  return paid % 10 === 0 ? String(paid / 10) : `${Math.floor(paid / 10)}.${paid % 10}`;
}

/** A timestamp as local "2026-01-05 14:30" (a campaign's periods are set to the minute). */
export function formatMinute(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * How the marketing pages say a campaign's rules: 满¥100.00减¥10.00, 8.5折 最多减¥50.00, 无门槛减¥5.00, tiers,
 * scopes, periods and validity. Money is fen on the wire and ¥ with two decimals here.
 */
export function useCampaignText() {
  const { t, locale } = useI18n();

  /**
   * A percent off as the reader counts it: Chinese says the share paid (15% off is 8.5折), English the share
   * taken off (15% off); the texts take it as {off}.
   */
  function offOf(percentOff: number): string {
    return locale.value.startsWith('zh') ? foldOf(percentOff) : String(percentOff);
  }

  function couponRuleText(rule: CouponRule): string {
    const amount = formatFen(rule.amountOffFen);
    const threshold = formatFen(rule.thresholdFen);
    if (rule.kind === 'no_threshold') return t('marketing.rules.noThreshold', { amount });
    if (rule.kind === 'amount_off') return t('marketing.rules.amountOff', { threshold, amount });
    const off = offOf(rule.discountPercent ?? 0);
    const main =
      rule.thresholdFen > 0
        ? t('marketing.rules.percentOffFrom', { threshold, off })
        : t('marketing.rules.percentOff', { off });
    return rule.maxOffFen === null
      ? main
      : `${main} ${t('marketing.rules.cap', { amount: formatFen(rule.maxOffFen) })}`;
  }

  /** A tier's threshold: an amount (fen) or an item count. */
  function thresholdText(basis: TierBasis, threshold: number): string {
    return basis === 'amount' ? formatFen(threshold) : t('marketing.rules.items', { count: threshold });
  }

  function tierText(basis: TierBasis, tier: TierRule): string {
    const threshold = thresholdText(basis, tier.threshold);
    return tier.amountOffFen !== null
      ? t('marketing.rules.tierAmountOff', { threshold, amount: formatFen(tier.amountOffFen) })
      : t('marketing.rules.tierPercentOff', { threshold, off: offOf(tier.discountPercent ?? 0) });
  }

  function timedText(item: TimedRule): string {
    return item.priceFen !== null
      ? t('marketing.rules.timedPrice', { price: formatFen(item.priceFen) })
      : t('marketing.rules.percentOff', { off: offOf(item.discountPercent ?? 0) });
  }

  function scopeText(rule: ScopeRule): string {
    const main =
      rule.scope === 'shop'
        ? t('marketing.scopeText.shop')
        : t(`marketing.scopeText.${rule.scope}`, { count: rule.scopeIds.length });
    return rule.excludedProductIds.length
      ? `${main} ${t('marketing.scopeText.excluded', { count: rule.excludedProductIds.length })}`
      : main;
  }

  function periodText(from: string | null, to: string | null): string {
    return t('marketing.periodText', { from: formatMinute(from), to: formatMinute(to) });
  }

  function validityText(rule: ValidityRule): string {
    if (rule.validDays !== null) return t('marketing.validDaysText', { days: rule.validDays });
    return periodText(rule.validFrom, rule.validTo);
  }

  return { offOf, couponRuleText, thresholdText, tierText, timedText, scopeText, periodText, validityText };
}
