import type { CouponScope } from '@shopfleet/contracts';

/** A period as the date pickers hold it: both ends, or none chosen yet. */
export type PeriodValue = [Date, Date] | null;

/** How long a claimed coupon is valid: N days from the claim, or fixed dates. */
export type ValidityMode = 'days' | 'fixed';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** From now (to the minute) for `days` days: what a new campaign starts with. */
export function periodFromNow(days: number, now: Date = new Date()): [Date, Date] {
  const from = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  return [from, new Date(from.getTime() + days * DAY)];
}

/** From the next whole hour for `hours` hours: what a new 秒杀 session starts with (sessions are short, set ahead). */
export function periodFromNextHour(hours: number, now: Date = new Date()): [Date, Date] {
  const from = new Date(Math.ceil(now.getTime() / HOUR) * HOUR);
  return [from, new Date(from.getTime() + hours * HOUR)];
}

/**
 * A copy's new period: as long as the campaign's own, from now. A copy is for running the campaign again, and its
 * old period has usually passed.
 */
export function periodLike(from: string, to: string, now: Date = new Date()): [Date, Date] {
  const length = Math.max(Date.parse(to) - Date.parse(from), MINUTE);
  const [start] = periodFromNow(0, now);
  return [start, new Date(start.getTime() + length)];
}

/** The two ends as the API takes them (ISO 8601 with an offset). */
export function periodBody(period: [Date, Date]): [string, string] {
  return [period[0].toISOString(), period[1].toISOString()];
}

/** Where a coupon or a 满减 applies, as the form holds it: the category and product picks are kept apart. */
export interface ScopeForm {
  scope: CouponScope;
  categoryIds: number[];
  productIds: number[];
  excludedProductIds: number[];
}

export function emptyScope(): ScopeForm {
  return { scope: 'shop', categoryIds: [], productIds: [], excludedProductIds: [] };
}

/** The scope's ids for its kind (none for the whole shop); excluded products only where the form shows them. */
export function scopeBody(form: ScopeForm): { scope: CouponScope; scopeIds: number[]; excludedProductIds: number[] } {
  const scopeIds = form.scope === 'categories' ? form.categoryIds : form.scope === 'products' ? form.productIds : [];
  return {
    scope: form.scope,
    scopeIds: [...scopeIds],
    excludedProductIds: form.scope === 'products' ? [] : [...form.excludedProductIds],
  };
}

/** The i18n key of what the scope lacks (a category or product scope names some), or null. */
export function scopeProblem(form: ScopeForm): string | null {
  if (form.scope === 'categories' && form.categoryIds.length === 0) return 'marketing.form.categoriesRequired';
  if (form.scope === 'products' && form.productIds.length === 0) return 'marketing.form.productsRequired';
  return null;
}

/** The form's field of a server issue on the scope (`scopeIds.3` → `scopeIds`), or null. */
export function scopeFieldOf(head: string | undefined): string | null {
  return head === 'scope' || head === 'scopeIds' || head === 'excludedProductIds' ? head : null;
}

/** A coupon's validity as the form holds it. */
export interface ValidityForm {
  validityMode: ValidityMode;
  validDays: number | null;
  validPeriod: PeriodValue;
}

/** The validity as the API takes it, one way or the other; null while the chosen way is not filled in. */
export function validityBody(
  form: ValidityForm,
): { validDays: number } | { validFrom: string; validTo: string } | null {
  if (form.validityMode === 'days') return form.validDays === null ? null : { validDays: form.validDays };
  if (!form.validPeriod) return null;
  const [validFrom, validTo] = periodBody(form.validPeriod);
  return { validFrom, validTo };
}

/** The form's field of a server issue on the period of a promotion. */
export function promotionPeriodFieldOf(head: string | undefined): string | null {
  return head === 'startsAt' || head === 'endsAt' ? 'period' : null;
}

/** The form's field of a server issue on the periods of a coupon. */
export function couponPeriodFieldOf(head: string | undefined): string | null {
  if (head === 'claimFrom' || head === 'claimTo') return 'claimPeriod';
  if (head === 'validFrom' || head === 'validTo' || head === 'validDays') return 'validity';
  return null;
}
