/**
 * The data pages' figures as people read them: which kind each figure is (money, a count, a rate), how it compares with
 * the period before, the funnel's step rates and the ranges of China-time days the pages ask for. Pure: no Vue, no
 * request, so each rule is unit-tested (figures.test.ts). Definitions: docs/analytics.md.
 */
import { ANALYTICS_LIMITS, FUNNEL_STEPS } from '@shopfleet/contracts/constants';
import type { AnalyticsFigures, AnalyticsFunnel, FunnelStep } from '@shopfleet/contracts';
import { formatFen } from '../../utils/money';

export type FigureKey = keyof AnalyticsFigures;
export type FigureKind = 'money' | 'count' | 'rate';

/** How each figure is written: money in ¥ with 2 decimals, rates as percents, the rest as whole numbers. */
export const FIGURE_KINDS: Record<FigureKey, FigureKind> = {
  gmvFen: 'money',
  refundFen: 'money',
  netFen: 'money',
  ordersPaid: 'count',
  payers: 'count',
  aovFen: 'money',
  visitors: 'count',
  pageViews: 'count',
  productViews: 'count',
  cartAdds: 'count',
  ordersPlaced: 'count',
  placedFen: 'money',
  refunds: 'count',
  refundedOrders: 'count',
  conversionRate: 'rate',
  refundRate: 'rate',
};

/** The dashboard's key figures of today beside yesterday. */
export const KEY_FIGURES: readonly FigureKey[] = [
  'gmvFen',
  'ordersPaid',
  'payers',
  'visitors',
  'conversionRate',
  'aovFen',
  'refundFen',
];

/** Every figure of the 数据 page, four a row: sales, traffic, orders and conversion, refunds. */
export const ALL_FIGURES: readonly FigureKey[] = [
  'gmvFen',
  'ordersPaid',
  'payers',
  'aovFen',
  'visitors',
  'pageViews',
  'productViews',
  'cartAdds',
  'ordersPlaced',
  'placedFen',
  'conversionRate',
  'netFen',
  'refundFen',
  'refunds',
  'refundedOrders',
  'refundRate',
];

/** A rate (0.1234) as a percent with 2 decimals: "12.34%". */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

/** A count with the reader's digit grouping: 12,345. */
export function formatCount(count: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

/** A figure's value as it is shown. */
export function formatFigure(key: FigureKey, value: number, locale: string): string {
  const kind = FIGURE_KINDS[key];
  if (kind === 'money') return formatFen(value);
  if (kind === 'rate') return formatRate(value);
  return formatCount(value, locale);
}

/**
 * A figure beside the period before. Money and counts change by a share of what they were (+25 %: 4 → 5); rates by the
 * difference in percentage points (5 % → 6 % is +1 point, not +20 %). `value` is null when there is nothing to divide
 * by (0 before): the direction still says which way it went.
 */
export interface FigureChange {
  direction: 'up' | 'down' | 'flat';
  /** A share (0.25 = +25 %) for money and counts; a difference of rates (0.01 = +1 point) for rates. */
  value: number | null;
  /** Whether `value` is a difference of rates (percentage points). */
  points: boolean;
}

export function compareFigure(key: FigureKey, current: number, previous: number): FigureChange {
  const difference = current - previous;
  const direction = difference > 0 ? 'up' : difference < 0 ? 'down' : 'flat';
  if (FIGURE_KINDS[key] === 'rate') return { direction, value: difference, points: true };
  if (difference === 0) return { direction, value: 0, points: false };
  // A negative figure before (net sales after a day of refunds): the share is of its size, so the sign follows the way it went.
  return { direction, value: previous === 0 ? null : difference / Math.abs(previous), points: false };
}

/** A change as a signed number with 2 decimals, in percent or in percentage points ("+25.00", "-1.20"); "—" for none. */
export function formatChange(change: FigureChange): string {
  if (change.value === null) return '—';
  const hundredths = Math.round(Math.abs(change.value) * 10_000);
  const sign = hundredths === 0 ? '' : change.value > 0 ? '+' : '-';
  return `${sign}${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** A step of the funnel: its people, and the share of the step before (null for the first, or after a step of 0). */
export interface FunnelStepFigure {
  step: FunnelStep;
  people: number;
  fromPrevious: number | null;
}

/**
 * The funnel's steps in order with each step's conversion from the one before. Devices are counted for the first three
 * steps and shopper accounts for the last two (docs/analytics.md), so a share can pass 100 %: it is shown as it is.
 */
export function funnelSteps(funnel: AnalyticsFunnel): FunnelStepFigure[] {
  return FUNNEL_STEPS.map((step, i) => {
    const before = i > 0 ? funnel[FUNNEL_STEPS[i - 1]!] : 0;
    return { step, people: funnel[step], fromPrevious: i > 0 && before > 0 ? funnel[step] / before : null };
  });
}

// ---- ranges of China-time days ----

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A range of China-time days, both included (YYYY-MM-DD), as the data endpoints take it. */
export interface DayRange {
  from: string;
  to: string;
}

/** The ranges the pickers offer: 近7天 and 近30天 are whole days ending yesterday, so they compare like with like. */
export const RANGE_PRESETS = ['today', 'yesterday', 'last7', 'last30'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The China-time day (UTC+8, no daylight saving) of an instant: the shop's figures are kept by these days. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A day moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days in a range, both ends included. */
export function daysIn(range: DayRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A preset's days, counted back from today. */
export function presetRange(preset: RangePreset, today: string): DayRange {
  const yesterday = addDays(today, -1);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: yesterday, to: yesterday };
    case 'last7':
      return { from: addDays(today, -7), to: yesterday };
    case 'last30':
      return { from: addDays(today, -30), to: yesterday };
  }
}

/** The preset a range is, given today, or null for a range of one's own. */
export function presetOf(range: DayRange, today: string): RangePreset | null {
  return (
    RANGE_PRESETS.find((p) => {
      const r = presetRange(p, today);
      return r.from === range.from && r.to === range.to;
    }) ?? null
  );
}

/** What the server would refuse about a range, by its reason (the same texts), or null when it takes it. */
export function rangeProblem(range: DayRange): 'RANGE_INVALID' | 'RANGE_TOO_LONG' | null {
  if (range.from > range.to) return 'RANGE_INVALID';
  if (daysIn(range) > ANALYTICS_LIMITS.rangeDaysMax) return 'RANGE_TOO_LONG';
  return null;
}

/** A trend point's label on the axis: "13:00" for an hour, "12-06" for a day. */
export function pointLabel(at: string, unit: 'hour' | 'day'): string {
  return unit === 'hour' ? at.slice(11, 16) : at.slice(5, 10);
}
