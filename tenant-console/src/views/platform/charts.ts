/**
 * ECharts for the staff pages, registered with only what they draw: bar and line charts on a grid, with a tooltip and
 * a legend, rendered as SVG (crisp at any zoom, and its texts are real text). Every text a chart shows (series names,
 * axis labels, the tooltip) comes from the page in the reader's language.
 */
import { use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import VChart from 'vue-echarts';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** The options the staff pages' charts may use (what is registered above). */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** A day on a chart's axis: 12-07 (the year is in the range picker). */
export const axisDay = (day: string) => day.slice(5);

/** The China-time calendar day of now (the days the server counts by), YYYY-MM-DD. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The day `days` before (negative: after) a YYYY-MM-DD day. */
export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Every day of [from, to], in order. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export { VChart };
