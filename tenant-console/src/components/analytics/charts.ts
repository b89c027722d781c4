/**
 * The options of the data pages' charts, made from the API's answers and the reader's texts. Pure (charts.test.ts):
 * the components only pass in what to show. Money is drawn in yuan (what the axis reads) and said as ¥ with 2
 * decimals; counts on a second axis.
 */
import type { AnalyticsTrend, FunnelStep } from '@shopfleet/contracts';
import { formatFen } from '../../utils/money';
import type { ChartOption } from './echarts';
import { formatCount, pointLabel, type FunnelStepFigure } from './figures';

/** The series a trend can show, money first. */
export const TREND_SERIES = [
  'gmvFen',
  'ordersPaid',
  'visitors',
  'payers',
  'ordersPlaced',
  'pageViews',
  'refundFen',
] as const;
export type TrendSeriesKey = (typeof TREND_SERIES)[number];

/** Shown until the reader picks others: what the shop sold, its orders and its visitors. */
export const DEFAULT_TREND_SERIES: readonly TrendSeriesKey[] = ['gmvFen', 'ordersPaid', 'visitors'];

const MONEY_SERIES: ReadonlySet<TrendSeriesKey> = new Set(['gmvFen', 'refundFen']);

export const isMoneySeries = (key: TrendSeriesKey): boolean => MONEY_SERIES.has(key);

/** The reader's words for a trend chart. */
export interface TrendTexts {
  series: Record<TrendSeriesKey, string>;
  moneyAxis: string;
  countAxis: string;
  locale: string;
}

/** ¥12.34 for a value drawn in yuan (rounded to the fen it came from). */
const yuanText = (value: unknown) => formatFen(Math.round(Number(value) * 100));

/**
 * A trend as lines: money on the left axis in yuan, counts on the right; hours ("13:00") for one day, else days
 * ("12-06"). Each series' id is its figure's key, so what the chart holds can be read back by key.
 */
export function trendOption(trend: AnalyticsTrend, shown: readonly TrendSeriesKey[], texts: TrendTexts): ChartOption {
  const keys = TREND_SERIES.filter((key) => shown.includes(key));
  return {
    grid: { left: 16, right: 16, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, selectedMode: false },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: trend.points.map((p) => pointLabel(p.at, trend.unit)),
    },
    yAxis: [
      {
        type: 'value',
        name: texts.moneyAxis,
        minInterval: 1,
        axisLabel: { formatter: (value: number) => `¥${value}` },
      },
      {
        type: 'value',
        name: texts.countAxis,
        minInterval: 1,
        splitLine: { show: false },
        axisLabel: { formatter: (value: number) => formatCount(value, texts.locale) },
      },
    ],
    series: keys.map((key) => {
      const money = isMoneySeries(key);
      return {
        id: key,
        name: texts.series[key],
        type: 'line',
        showSymbol: trend.points.length <= 31,
        yAxisIndex: money ? 0 : 1,
        ...(key === 'gmvFen' ? { areaStyle: { opacity: 0.12 } } : {}),
        data: trend.points.map((p) => (money ? p[key] / 100 : p[key])),
        tooltip: {
          valueFormatter: (value: unknown) => (money ? yuanText(value) : formatCount(Number(value), texts.locale)),
        },
      };
    }),
  };
}

/** The funnel drawn top to bottom in its order, each step its people (the step rates are listed beside it). */
export function funnelOption(steps: readonly FunnelStepFigure[], names: Record<FunnelStep, string>, locale: string) {
  const widest = Math.max(1, ...steps.map((s) => s.people));
  const option: ChartOption = {
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        return item ? `${item.name}: ${formatCount(Number(item.value), locale)}` : '';
      },
    },
    series: [
      {
        id: 'funnel',
        type: 'funnel',
        sort: 'none',
        min: 0,
        max: widest,
        minSize: '8%',
        left: '10%',
        width: '80%',
        top: 8,
        bottom: 8,
        gap: 2,
        label: {
          position: 'inside',
          formatter: (params) => `${params.name}  ${formatCount(Number(params.value), locale)}`,
        },
        data: steps.map((s) => ({ name: names[s.step], value: s.people })),
      },
    ],
  };
  return option;
}
