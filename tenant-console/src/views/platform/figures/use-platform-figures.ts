import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { PlatformFigures, ReleaseStatus } from '@shopfleet/contracts';
import { getPlatformFigures } from '@/api/usage';
import { formatFen } from '@/utils/money';
import { axisDay, chinaToday, daysBefore, type ChartOption } from '../charts';

/** The range the page opens with: the last 30 days, today included. */
const DEFAULT_DAYS = 30;

/** A wait in seconds as people say it: 45 分钟, 5 小时, 3 天. */
export function useDuration() {
  const { t } = useI18n();
  return (seconds: number | null): string => {
    if (seconds === null) return '—';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return t('platformFigures.duration.minutes', { n: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return t('platformFigures.duration.hours', { n: hours });
    return t('platformFigures.duration.days', { n: Math.floor(hours / 24) });
  };
}

/**
 * The platform figures page: a range of China-time days (the last 30 by default) and the figures the server answers
 * for it, with the two charts' options built in the reader's language (they follow a change of language).
 */
export function usePlatformFigures() {
  const { t } = useI18n();
  const today = chinaToday();
  const range = ref<[string, string]>([daysBefore(today, DEFAULT_DAYS - 1), today]);
  const figures = shallowRef<PlatformFigures | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const [from, to] = range.value;
      const result = await getPlatformFigures({ from, to });
      if (ticket !== latest) return;
      figures.value = result;
      failed.value = false;
    } catch {
      if (ticket !== latest) return;
      failed.value = true;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  const tenantsTotal = computed(() =>
    figures.value ? Object.values(figures.value.tenantsByStatus).reduce((a, b) => a + b, 0) : 0,
  );
  const signupsTotal = computed(() => figures.value?.signups.reduce((a, s) => a + s.count, 0) ?? 0);
  const gmvTotal = computed(() => figures.value?.sales.reduce((a, s) => a + s.gmvFen, 0) ?? 0);
  const ordersTotal = computed(() => figures.value?.sales.reduce((a, s) => a + s.ordersPaid, 0) ?? 0);
  /** The release states some shop's newest release is in, in the states' order (as the server lists them). */
  const releaseRows = computed(() =>
    Object.entries(figures.value?.releasesByStatus ?? {})
      .filter(([, shops]) => shops > 0)
      .map(([status, shops]) => ({ status: status as ReleaseStatus, shops })),
  );

  const signupsChart = computed<ChartOption>(() => {
    const days = figures.value?.signups ?? [];
    return {
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { data: [t('platformFigures.signups.series')], top: 0 },
      xAxis: { type: 'category', data: days.map((d) => axisDay(d.day)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('platformFigures.signups.series'), data: days.map((d) => d.count) }],
    };
  });

  const salesChart = computed<ChartOption>(() => {
    const days = figures.value?.sales ?? [];
    const gmv = t('platformFigures.sales.gmv');
    const orders = t('platformFigures.sales.ordersPaid');
    return {
      grid: { left: 64, right: 48, top: 40, bottom: 28 },
      tooltip: {
        trigger: 'axis',
        // Money as the console writes it everywhere (¥12.34); orders as counted.
        valueFormatter: (value) => String(value ?? '—'),
      },
      legend: { data: [gmv, orders], top: 0 },
      xAxis: { type: 'category', data: days.map((d) => axisDay(d.day)) },
      yAxis: [
        { type: 'value', name: t('platformFigures.sales.gmvAxis'), axisLabel: { formatter: (v: number) => `${v}` } },
        { type: 'value', name: t('platformFigures.sales.ordersAxis'), minInterval: 1 },
      ],
      series: [
        {
          type: 'line',
          name: gmv,
          yAxisIndex: 0,
          data: days.map((d) => d.gmvFen / 100),
          tooltip: { valueFormatter: (value) => formatFen(Math.round(Number(value) * 100)) },
        },
        { type: 'bar', name: orders, yAxisIndex: 1, data: days.map((d) => d.ordersPaid) },
      ],
    };
  });

  return {
    range,
    figures,
    loading,
    failed,
    load,
    tenantsTotal,
    signupsTotal,
    gmvTotal,
    ordersTotal,
    releaseRows,
    signupsChart,
    salesChart,
  };
}
