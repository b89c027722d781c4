import { describe, expect, it } from '@jest/globals';
import { analyticsRangeSchema, type AnalyticsFigures } from '@shopfleet/contracts';
import { ANALYTICS_LIMITS } from '@shopfleet/contracts/constants';
import {
  ALL_FIGURES,
  FIGURE_KINDS,
  KEY_FIGURES,
  addDays,
  chinaToday,
  compareFigure,
  daysIn,
  formatChange,
  formatFigure,
  formatRate,
  funnelSteps,
  pointLabel,
  presetOf,
  presetRange,
  rangeProblem,
} from './figures';

describe('formatFigure', () => {
  it('writes money as ¥ with 2 decimals, rates as percents with 2 decimals, counts with the reader’s grouping', () => {
    expect(formatFigure('gmvFen', 1_234_567, 'zh-CN')).toBe('¥12345.67');
    expect(formatFigure('netFen', -50, 'en')).toBe('-¥0.50');
    expect(formatFigure('aovFen', 0, 'en')).toBe('¥0.00');
    expect(formatFigure('conversionRate', 0.1234, 'en')).toBe('12.34%');
    expect(formatFigure('refundRate', 0, 'zh-CN')).toBe('0.00%');
    expect(formatFigure('refundRate', 1, 'zh-CN')).toBe('100.00%');
    expect(formatFigure('visitors', 12_345, 'en')).toBe('12,345');
    expect(formatFigure('ordersPaid', 7, 'zh-CN')).toBe('7');
  });

  it('knows the kind of every figure the API sends, and shows each on the data page', () => {
    const sample: Record<keyof AnalyticsFigures, number> = {
      gmvFen: 0,
      refundFen: 0,
      netFen: 0,
      ordersPaid: 0,
      payers: 0,
      aovFen: 0,
      visitors: 0,
      pageViews: 0,
      productViews: 0,
      cartAdds: 0,
      ordersPlaced: 0,
      placedFen: 0,
      refunds: 0,
      refundedOrders: 0,
      conversionRate: 0,
      refundRate: 0,
    };
    expect(Object.keys(FIGURE_KINDS).sort()).toEqual(Object.keys(sample).sort());
    expect([...ALL_FIGURES].sort()).toEqual(Object.keys(sample).sort());
    for (const key of KEY_FIGURES) expect(ALL_FIGURES).toContain(key);
  });

  it('rounds a rate to hundredths of a percent', () => {
    expect(formatRate(0.123456)).toBe('12.35%');
    expect(formatRate(1 / 3)).toBe('33.33%');
  });
});

describe('compareFigure', () => {
  it('changes money and counts by a share of what they were', () => {
    expect(compareFigure('gmvFen', 12_500, 10_000)).toEqual({ direction: 'up', value: 0.25, points: false });
    expect(compareFigure('ordersPaid', 3, 4)).toEqual({ direction: 'down', value: -0.25, points: false });
    expect(compareFigure('visitors', 9, 9)).toEqual({ direction: 'flat', value: 0, points: false });
  });

  it('has no share to give after a period of 0, but still says which way it went', () => {
    expect(compareFigure('gmvFen', 19_900, 0)).toEqual({ direction: 'up', value: null, points: false });
    expect(compareFigure('refundFen', 0, 0)).toEqual({ direction: 'flat', value: 0, points: false });
  });

  it('measures a change from a negative figure by its size, so the sign follows the way it went', () => {
    // Net sales from -¥10.00 to ¥5.00: up by 150 % of its size.
    expect(compareFigure('netFen', 500, -1000)).toEqual({ direction: 'up', value: 1.5, points: false });
    expect(compareFigure('netFen', -1500, -1000)).toEqual({ direction: 'down', value: -0.5, points: false });
  });

  it('changes rates by the difference in percentage points, not by a share', () => {
    const change = compareFigure('conversionRate', 0.06, 0.05);
    expect(change.direction).toBe('up');
    expect(change.points).toBe(true);
    expect(formatChange(change)).toBe('+1.00');
    expect(formatChange(compareFigure('refundRate', 0.1, 0.125))).toBe('-2.50');
    expect(compareFigure('refundRate', 0, 0)).toEqual({ direction: 'flat', value: 0, points: true });
  });
});

describe('formatChange', () => {
  it('signs the number and keeps 2 decimals', () => {
    expect(formatChange({ direction: 'up', value: 0.25, points: false })).toBe('+25.00');
    expect(formatChange({ direction: 'down', value: -0.3333, points: false })).toBe('-33.33');
    expect(formatChange({ direction: 'up', value: 12, points: false })).toBe('+1200.00');
    expect(formatChange({ direction: 'flat', value: 0, points: false })).toBe('0.00');
  });

  it('says a dash when there is nothing to compare with', () => {
    expect(formatChange({ direction: 'up', value: null, points: false })).toBe('—');
  });

  it('drops the sign of a change too small to show', () => {
    expect(formatChange({ direction: 'up', value: 0.000001, points: false })).toBe('0.00');
  });
});

describe('funnelSteps', () => {
  it('gives each step its share of the step before, in the funnel’s order', () => {
    const steps = funnelSteps({ visitors: 200, productViewers: 100, cartAdders: 25, buyers: 10, payers: 8 });
    expect(steps.map((s) => s.step)).toEqual(['visitors', 'productViewers', 'cartAdders', 'buyers', 'payers']);
    expect(steps.map((s) => s.people)).toEqual([200, 100, 25, 10, 8]);
    expect(steps.map((s) => s.fromPrevious)).toEqual([null, 0.5, 0.25, 0.4, 0.8]);
  });

  it('has no share after a step of nobody, and shows a share above 100 % as it is', () => {
    const steps = funnelSteps({ visitors: 3, productViewers: 0, cartAdders: 0, buyers: 2, payers: 2 });
    expect(steps.map((s) => s.fromPrevious)).toEqual([null, 0, null, null, 1]);
    // Buyers are counted by account, cart adders by device: an order through the API has no cart add before it.
    expect(funnelSteps({ visitors: 1, productViewers: 1, cartAdders: 1, buyers: 2, payers: 2 })[3]!.fromPrevious).toBe(
      2,
    );
  });
});

describe('ranges of China-time days', () => {
  it('takes the day in China (UTC+8), whatever the browser’s zone', () => {
    expect(chinaToday(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(chinaToday(new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysIn({ from: '2026-12-06', to: '2026-12-06' })).toBe(1);
    expect(daysIn({ from: '2026-01-01', to: '2026-12-31' })).toBe(365);
  });

  it('makes today and yesterday one day each, the last 7 and 30 days whole days ending yesterday', () => {
    const today = '2026-12-06';
    expect(presetRange('today', today)).toEqual({ from: '2026-12-06', to: '2026-12-06' });
    expect(presetRange('yesterday', today)).toEqual({ from: '2026-12-05', to: '2026-12-05' });
    expect(presetRange('last7', today)).toEqual({ from: '2026-11-29', to: '2026-12-05' });
    expect(presetRange('last30', today)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
    expect(daysIn(presetRange('last7', today))).toBe(7);
    expect(daysIn(presetRange('last30', today))).toBe(30);
  });

  it('recognises a preset from its days, and a range of one’s own as none', () => {
    expect(presetOf({ from: '2026-11-29', to: '2026-12-05' }, '2026-12-06')).toBe('last7');
    expect(presetOf({ from: '2026-12-06', to: '2026-12-06' }, '2026-12-06')).toBe('today');
    expect(presetOf({ from: '2026-11-29', to: '2026-12-06' }, '2026-12-06')).toBeNull();
    // The same days are no longer 近7天 the next day.
    expect(presetOf({ from: '2026-11-29', to: '2026-12-05' }, '2026-12-07')).toBeNull();
  });

  it('refuses what the server refuses: a range backwards, or longer than a year', () => {
    expect(rangeProblem({ from: '2026-12-07', to: '2026-12-06' })).toBe('RANGE_INVALID');
    const longest = { from: '2026-01-01', to: addDays('2026-01-01', ANALYTICS_LIMITS.rangeDaysMax - 1) };
    expect(rangeProblem(longest)).toBeNull();
    expect(rangeProblem({ ...longest, to: addDays(longest.to, 1) })).toBe('RANGE_TOO_LONG');
    expect(rangeProblem({ from: '2026-12-06', to: '2026-12-06' })).toBeNull();
  });

  it('agrees with the contract’s schema on every range around the limits', () => {
    const from = '2026-02-10';
    for (const length of [-1, 0, 1, 365, 366, 367, 400]) {
      const range = { from, to: addDays(from, length - 1) };
      const parsed = analyticsRangeSchema.safeParse(range);
      const reason = parsed.success
        ? null
        : (parsed.error.issues[0] as { params?: { reason?: string } }).params?.reason;
      expect([length, rangeProblem(range)]).toEqual([length, reason ?? null]);
    }
  });
});

describe('pointLabel', () => {
  it('labels an hour by its time and a day by its month and day', () => {
    expect(pointLabel('2026-12-06 13:00', 'hour')).toBe('13:00');
    expect(pointLabel('2026-12-06', 'day')).toBe('12-06');
  });
});
