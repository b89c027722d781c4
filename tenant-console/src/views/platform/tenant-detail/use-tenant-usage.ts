import { computed, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { UsageHistory, UsageMetric } from '@shopfleet/contracts';
import { getTenantUsage } from '@/api/usage';
import { axisDay, chinaToday, daysBefore, daysOf, type ChartOption } from '../charts';
import { formatUsage } from '../usage/usage-format';

/** A shop's usage history opens on its last 30 days. */
const DEFAULT_DAYS = 30;

/**
 * One shop's usage over a range of China-time days: the days measured, and a chart of one metric over every day of
 * the range (a day not measured is a gap, not a zero).
 */
export function useTenantUsage(id: () => number) {
  const { t, locale } = useI18n();
  const today = chinaToday();
  const range = ref<[string, string]>([daysBefore(today, DEFAULT_DAYS - 1), today]);
  const metric = ref<UsageMetric>('apiRequests');
  const history = shallowRef<UsageHistory | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const [from, to] = range.value;
      const result = await getTenantUsage(id(), { from, to });
      if (ticket !== latest) return;
      history.value = result;
      failed.value = false;
    } catch {
      if (ticket !== latest) return;
      failed.value = true;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** The measured days, newest first (the table). */
  const rows = computed(() => [...(history.value?.days ?? [])].reverse());

  const chart = computed<ChartOption>(() => {
    const h = history.value;
    const days = h ? daysOf(h.from, h.to) : [];
    const byDay = new Map((h?.days ?? []).map((d) => [d.day, d]));
    const name = t(`usage.metrics.${metric.value}`);
    const m = metric.value;
    return {
      grid: { left: 64, right: 16, top: 32, bottom: 28 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value) =>
          value === null || value === undefined ? '—' : formatUsage(m, Number(value), locale.value),
      },
      legend: { data: [name], top: 0 },
      xAxis: { type: 'category', data: days.map(axisDay) },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { formatter: (value: number) => formatUsage(m, value, locale.value) },
      },
      series: [
        {
          type: 'line',
          name,
          connectNulls: false,
          data: days.map((day) => byDay.get(day)?.[m] ?? null),
        },
      ],
    };
  });

  watch(id, load, { immediate: true });

  return { range, metric, history, rows, loading, failed, load, chart };
}
