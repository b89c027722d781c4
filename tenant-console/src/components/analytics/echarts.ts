/**
 * The parts of ECharts the data pages use, registered once (ADR 0018): line charts for the trends, the funnel, their
 * grid, tooltip and legend, drawn on canvas. Only these are bundled; a chart that needs another part registers it here.
 * ECharts' own texts (its zh-CN and en come with echarts/core) follow the console's language through `init-options`.
 */
import { use, type ComposeOption } from 'echarts/core';
import { FunnelChart, LineChart, type FunnelSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, FunnelChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** An option made only of the registered parts: the type refuses a series that would not draw. */
export type ChartOption = ComposeOption<
  LineSeriesOption | FunnelSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** ECharts' locale for the console's language (its built-in ZH and EN). */
export function echartsLocale(locale: string): 'ZH' | 'EN' {
  return locale === 'zh-CN' ? 'ZH' : 'EN';
}
