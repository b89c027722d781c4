import { computed, onMounted, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type {
  AnalyticsExport,
  AnalyticsOverview,
  AnalyticsTrend,
  TopProduct,
  TopProductsBy,
} from '@shopfleet/contracts';
import { exportAnalytics, getAnalyticsOverview, getAnalyticsTrend, getTopProducts } from '@/api/analytics';
import {
  RANGE_PRESETS,
  chinaToday,
  daysIn,
  presetOf,
  presetRange,
  rangeProblem,
  type DayRange,
  type RangePreset,
} from '@/components/analytics/figures';
import { saveBlob } from '@/utils/download';

/** Rows of the top-products table. */
export const TOP_PRODUCTS_SHOWN = 20;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

/** The range in the address: `?range=last7`, or `?from=…&to=…` for a range of one's own; 近7天 when neither. */
function rangeFrom(query: LocationQuery, today: string): DayRange {
  const preset = RANGE_PRESETS.find((p) => p === first(query.range));
  if (preset) return presetRange(preset, today);
  const from = first(query.from);
  const to = first(query.to);
  if (DAY_PATTERN.test(from) && DAY_PATTERN.test(to)) return { from, to };
  return presetRange('last7', today);
}

/**
 * 数据: the figures of a range of China-time days beside the range before it, its trend, funnel and top products (by
 * sales or by views), each table exportable. The range lives in the address, so a reload or a shared link shows the
 * same; a range the server would refuse is said beside the picker (the reason's text) and not asked for.
 */
export function useDataOverview() {
  const route = useRoute();
  const router = useRouter();
  const today = ref(chinaToday());
  const range = ref<DayRange>(rangeFrom(route.query, today.value));
  const by = ref<TopProductsBy>('sales');

  const overview = shallowRef<AnalyticsOverview | null>(null);
  const trend = shallowRef<AnalyticsTrend | null>(null);
  const products = shallowRef<TopProduct[]>([]);
  const loading = ref(false);
  const loadingProducts = ref(false);
  const exporting = ref<AnalyticsExport | null>(null);

  const preset = computed<RangePreset | null>(() => presetOf(range.value, today.value));
  const problem = computed(() => rangeProblem(range.value));
  const days = computed(() => daysIn(range.value));

  let ticket = 0;
  let productsTicket = 0;

  async function loadProducts(): Promise<void> {
    if (problem.value) return;
    const mine = ++productsTicket;
    loadingProducts.value = true;
    try {
      const list = await getTopProducts({ ...range.value, by: by.value, limit: TOP_PRODUCTS_SHOWN });
      if (mine === productsTicket) products.value = list;
    } catch {
      // Shown by the request client.
    } finally {
      if (mine === productsTicket) loadingProducts.value = false;
    }
  }

  /** The figures, the trend and the products of the range; an answer for a range since replaced is dropped. */
  async function load(): Promise<void> {
    today.value = chinaToday();
    if (problem.value) return;
    const mine = ++ticket;
    loading.value = true;
    const products = loadProducts();
    try {
      const [o, tr] = await Promise.all([getAnalyticsOverview(range.value), getAnalyticsTrend(range.value)]);
      if (mine !== ticket) return;
      overview.value = o;
      trend.value = tr;
    } catch {
      // Shown by the request client.
    } finally {
      if (mine === ticket) loading.value = false;
    }
    await products;
  }

  function syncUrl(): void {
    const p = preset.value;
    void router.replace({ query: p ? { range: p } : { from: range.value.from, to: range.value.to } });
  }

  function choosePreset(next: RangePreset): void {
    today.value = chinaToday();
    range.value = presetRange(next, today.value);
  }

  /** A range of one's own from the date picker (YYYY-MM-DD, both included). */
  function chooseDays(value: [string, string] | null): void {
    if (value) range.value = { from: value[0], to: value[1] };
  }

  watch(range, () => {
    syncUrl();
    void load();
  });
  watch(by, () => void loadProducts());

  /** A table as a file, as the server writes it (each day's figures, or the products of the ranking shown). */
  async function exportTable(table: AnalyticsExport, format: 'xlsx' | 'csv'): Promise<void> {
    if (problem.value) return;
    exporting.value = table;
    try {
      const file = await exportAnalytics({ ...range.value, table, by: by.value, format });
      saveBlob(file.blob, file.fileName ?? `${table}-${range.value.from}-${range.value.to}.${format}`);
    } catch {
      // Shown by the request client.
    } finally {
      exporting.value = null;
    }
  }

  /** Days after today (in China) cannot be picked; the picker hands over a calendar day at local midnight. */
  function isFuture(date: Date): boolean {
    const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    return day > today.value;
  }

  onMounted(load);

  return {
    today,
    range,
    preset,
    problem,
    days,
    by,
    overview,
    trend,
    products,
    loading,
    loadingProducts,
    exporting,
    load,
    choosePreset,
    chooseDays,
    exportTable,
    isFuture,
  };
}
