import { describe, expect, it } from '@jest/globals';
import type { AnalyticsTrend, AnalyticsTrendPoint } from '@shopfleet/contracts';
import { TREND_SERIES, funnelOption, trendOption, type TrendSeriesKey } from './charts';
import { funnelSteps } from './figures';

const point = (at: string, over: Partial<AnalyticsTrendPoint> = {}): AnalyticsTrendPoint => ({
  at,
  gmvFen: 0,
  refundFen: 0,
  ordersPaid: 0,
  payers: 0,
  visitors: 0,
  pageViews: 0,
  ordersPlaced: 0,
  ...over,
});

const texts = {
  series: Object.fromEntries(TREND_SERIES.map((key) => [key, `name of ${key}`])) as Record<TrendSeriesKey, string>,
  moneyAxis: '金额（元）',
  countAxis: '数量',
  locale: 'zh-CN',
};

interface LineSeries {
  id: string;
  name: string;
  yAxisIndex: number;
  data: number[];
  tooltip: { valueFormatter: (value: unknown) => string };
}

const seriesOf = (option: ReturnType<typeof trendOption>) => option.series as unknown as LineSeries[];

describe('trendOption', () => {
  const day: AnalyticsTrend = {
    unit: 'hour',
    points: [
      point('2026-12-06 00:00'),
      point('2026-12-06 13:00', { gmvFen: 19_901, ordersPaid: 1, visitors: 12 }),
      point('2026-12-06 14:00', { gmvFen: 5, refundFen: 1_000, ordersPaid: 1, visitors: 1_234 }),
    ],
  };

  it('labels the hours of one day, and the days of a longer range', () => {
    expect((trendOption(day, ['gmvFen'], texts).xAxis as { data: string[] }).data).toEqual(['00:00', '13:00', '14:00']);
    const week: AnalyticsTrend = { unit: 'day', points: [point('2026-11-30'), point('2026-12-01')] };
    expect((trendOption(week, ['gmvFen'], texts).xAxis as { data: string[] }).data).toEqual(['11-30', '12-01']);
  });

  it('draws money in yuan on the left axis and counts on the right, each series named and keyed by its figure', () => {
    const series = seriesOf(trendOption(day, ['visitors', 'gmvFen', 'refundFen', 'ordersPaid'], texts));
    // In the order of TREND_SERIES, whatever order they were picked in.
    expect(series.map((s) => [s.id, s.name, s.yAxisIndex])).toEqual([
      ['gmvFen', 'name of gmvFen', 0],
      ['ordersPaid', 'name of ordersPaid', 1],
      ['visitors', 'name of visitors', 1],
      ['refundFen', 'name of refundFen', 0],
    ]);
    expect(series[0]!.data).toEqual([0, 199.01, 0.05]);
    expect(series[2]!.data).toEqual([0, 12, 1_234]);
    expect(series[3]!.data).toEqual([0, 0, 10]);
  });

  it('says money in the tooltip as ¥ with 2 decimals (back to the fen it came from), counts with grouping', () => {
    const series = seriesOf(trendOption(day, ['gmvFen', 'visitors'], { ...texts, locale: 'en' }));
    expect(series[0]!.data.map((v) => series[0]!.tooltip.valueFormatter(v))).toEqual(['¥0.00', '¥199.01', '¥0.05']);
    expect(series[1]!.tooltip.valueFormatter(1_234)).toBe('1,234');
  });

  it('shows only the series picked', () => {
    expect(seriesOf(trendOption(day, ['ordersPaid'], texts)).map((s) => s.id)).toEqual(['ordersPaid']);
  });
});

describe('funnelOption', () => {
  it('draws the steps in the funnel’s order, unsorted, scaled to the widest step', () => {
    const steps = funnelSteps({ visitors: 10, productViewers: 6, cartAdders: 3, buyers: 12, payers: 1 });
    const names = {
      visitors: '访客',
      productViewers: '商品访客',
      cartAdders: '加购人数',
      buyers: '下单人数',
      payers: '支付人数',
    };
    const [series] = funnelOption(steps, names, 'zh-CN').series as unknown as Array<{
      sort: string;
      max: number;
      data: Array<{ name: string; value: number }>;
    }>;
    expect(series!.sort).toBe('none');
    expect(series!.max).toBe(12);
    expect(series!.data).toEqual([
      { name: '访客', value: 10 },
      { name: '商品访客', value: 6 },
      { name: '加购人数', value: 3 },
      { name: '下单人数', value: 12 },
      { name: '支付人数', value: 1 },
    ]);
  });

  it('keeps a scale when nobody came', () => {
    const steps = funnelSteps({ visitors: 0, productViewers: 0, cartAdders: 0, buyers: 0, payers: 0 });
    const names = { visitors: 'a', productViewers: 'b', cartAdders: 'c', buyers: 'd', payers: 'e' };
    const [series] = funnelOption(steps, names, 'en').series as unknown as Array<{ max: number }>;
    expect(series!.max).toBe(1);
  });
});
