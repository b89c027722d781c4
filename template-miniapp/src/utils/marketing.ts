import type {
  ClaimableCoupon,
  Coupon,
  CouponUnusableReason,
  OrderDiscount,
  ProductPromotion,
} from '@shopfleet/contracts';
import { currentLocale, t } from '../locales';
import { formatFen } from './money';
import { formatDate, formatDateTime } from './time';

/** What a coupon card shows of a coupon or a template: its discount and where it applies. */
export type CouponRules = Pick<
  Coupon,
  'kind' | 'thresholdFen' | 'amountOffFen' | 'discountPercent' | 'maxOffFen' | 'scope' | 'excludedProductIds'
>;

type FullReduction = NonNullable<ProductPromotion['fullReduction']>;
type Tier = FullReduction['tiers'][number];

/**
 * A percent taken off (15: the shopper pays 85%) as the shopper's language counts it: Chinese names what is paid in
 * tenths (8.5, said 'zhe'), English what is taken off (15% off). The texts put the unit around it.
 */
export function percentOffValue(percentOff: number): string {
  return currentLocale() === 'zh-CN' ? String((100 - percentOff) / 10) : String(percentOff);
}

/** The big figure of a coupon: its amount off, or its percent. */
export function couponValueText(c: CouponRules): string {
  if (c.kind === 'percent_off') return t('coupon.percentValue', { value: percentOffValue(c.discountPercent ?? 0) });
  return formatFen(c.amountOffFen ?? 0);
}

/** A coupon in a few characters, for a chip: ¥10.00 off from ¥100.00, ¥5.00 off, 15% off from ¥100.00, 10% off. */
export function couponShortText(c: CouponRules): string {
  const threshold = formatFen(c.thresholdFen);
  if (c.kind === 'percent_off') {
    const value = percentOffValue(c.discountPercent ?? 0);
    return c.thresholdFen > 0
      ? t('coupon.short.percentOff', { threshold, value })
      : t('coupon.short.percentOffNoThreshold', { value });
  }
  const off = formatFen(c.amountOffFen ?? 0);
  return c.thresholdFen > 0 ? t('coupon.short.amountOff', { threshold, off }) : t('coupon.short.noThreshold', { off });
}

/** Its rule: from which spend (or none), and for a capped percent, at most how much off. */
export function couponRuleText(c: CouponRules): string {
  const parts = [
    c.thresholdFen > 0 ? t('coupon.threshold', { amount: formatFen(c.thresholdFen) }) : t('coupon.noThreshold'),
  ];
  if (c.kind === 'percent_off' && c.maxOffFen !== null)
    parts.push(t('coupon.maxOff', { amount: formatFen(c.maxOffFen) }));
  return parts.join(t('coupon.ruleSeparator'));
}

/** Where it applies: the whole shop, some categories or some products, saying when some products are left out. */
export function couponScopeText(c: CouponRules): string {
  const scope = t(`coupon.scope.${c.scope}`);
  return c.excludedProductIds.length ? t('coupon.scopeExcluded', { scope }) : scope;
}

/** How long a template's coupons are valid: days from the claim, or fixed dates. */
export function templateValidityText(c: Pick<ClaimableCoupon, 'validFrom' | 'validTo' | 'validDays'>): string {
  if (c.validDays !== null) return t('coupon.validDays', { days: c.validDays });
  return t('coupon.validRange', { from: formatDate(c.validFrom), to: formatDate(c.validTo) });
}

/** How long a claimed coupon is valid: until when, or from when to when while it cannot be used yet. */
export function couponValidityText(c: Pick<Coupon, 'validFrom' | 'validTo'>, now = new Date()): string {
  if (Date.parse(c.validFrom) > now.getTime())
    return t('coupon.validRange', { from: formatDateTime(c.validFrom), to: formatDateTime(c.validTo) });
  return t('coupon.validUntil', { to: formatDateTime(c.validTo) });
}

/** Why the coupon centre's button is off: claimed, all gone, new shoppers only. */
export function cannotClaimText(reason: NonNullable<ClaimableCoupon['cannotClaimReason']>): string {
  return t(`couponCentre.cannot.${reason}`);
}

/** Why a coupon cannot be used on this order, as the shop says that error (how much short of the threshold). */
export function unusableText(reason: CouponUnusableReason, params: Record<string, string | number>): string {
  return t(`errors.reasons.${reason}`, params);
}

/** One spend-and-save tier: an amount or a percent off from an amount spent or an item count. */
export function tierText(basis: FullReduction['basis'], tier: Tier): string {
  const off = tier.amountOffFen !== null ? 'amountOff' : 'percentOff';
  return t(`promotion.tier.${basis}.${off}`, {
    threshold: formatFen(tier.threshold),
    count: tier.threshold,
    off: formatFen(tier.amountOffFen ?? 0),
    value: percentOffValue(tier.discountPercent ?? 0),
  });
}

/** Every tier of a spend-and-save promotion, lowest first, in one line. */
export function fullReductionText(fr: FullReduction): string {
  return fr.tiers.map((tier) => tierText(fr.basis, tier)).join(t('promotion.tierSeparator'));
}

/** The tag by a limited-time price: the merchant's, else the default one. */
export function timedTagText(tag: string | null | undefined): string {
  return tag?.trim() || t('promotion.timedTag');
}

/** A discount's kind at checkout: coupon, spend-and-save, timed discount. */
export function discountSourceText(source: OrderDiscount['source']): string {
  return t(`checkout.discount.${source}`);
}

/** One row of a discount list (checkout, the cart's discount details, the order): its kind, its name and what it took off. */
export interface DiscountRow {
  key: string;
  source: OrderDiscount['source'];
  label: string;
  name: string;
  /** Negative: −¥20.00. */
  amount: string;
}

/** The discounts of a price, one row each: coupon −¥x, spend-and-save −¥y, timed discount −¥z. */
export function discountRows(discounts: readonly OrderDiscount[]): DiscountRow[] {
  return discounts.map((d) => ({
    key: `${d.source}:${d.sourceId}`,
    source: d.source,
    label: discountSourceText(d.source),
    // Points name the points used, as digits.
    name: d.source === 'points' ? t('member.checkout.pointsUsed', { points: d.name }) : d.name,
    amount: formatFen(-d.fen),
  }));
}
