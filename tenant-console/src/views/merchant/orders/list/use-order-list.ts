import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type { MerchantOrder, OrderCounts, OrderFlag, OrderStatus, ShipReport } from '@shopfleet/contracts';
import { ORDER_EXPORT_MAX_ROWS, ORDER_FLAGS, ORDER_LIMITS, ORDER_STATUSES } from '@shopfleet/contracts/constants';
import { exportOrders, listMerchantOrders, type OrderFilterQuery } from '@/api/orders';
import { orderCounts } from '@/api/order-ops';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';
import { saveBlob } from '@/utils/download';

/** A status tab: one state, or every order. */
export type OrderTab = OrderStatus | 'all';
export const ORDER_TABS: readonly OrderTab[] = ['all', ...ORDER_STATUSES];

export interface OrderFilters {
  q: string;
  /** Placed from … to (YYYY-MM-DD, both included), or any day. */
  days: [string, string] | null;
  /** The merchant's flag, `none` for orders without one, '' for any. */
  flag: OrderFlag | 'none' | '';
}

/** The flag filter's choices. */
export const FLAG_FILTERS: ReadonlyArray<OrderFlag | 'none'> = [...ORDER_FLAGS, 'none'];

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function positiveInt(raw: string, fallback: number, max = 10_000): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function tabFrom(query: LocationQuery): OrderTab {
  const status = first(query.status);
  return ORDER_STATUSES.find((known) => known === status) ?? 'all';
}

function filtersFrom(query: LocationQuery): OrderFilters {
  const from = first(query.from);
  const to = first(query.to);
  const days: [string, string] | null =
    DAY_PATTERN.test(from) && DAY_PATTERN.test(to) && from <= to ? [from, to] : null;
  const flag = FLAG_FILTERS.find((f) => f === first(query.flag)) ?? '';
  return { q: first(query.q).slice(0, ORDER_LIMITS.qMax), days, flag };
}

/** A local calendar day as YYYY-MM-DD. */
function dayOf(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The last `days` days up to today, for the date range's shortcuts. */
function lastDays(days: number): [Date, Date] {
  const end = new Date();
  const start = new Date();
  start.setDate(start.getDate() - (days - 1));
  return [start, end];
}

/**
 * The order list: status tabs, a search term and the days placed (all kept in the URL, so coming back
 * from an order shows the same page), server paging, and the filtered orders exported as an Excel file.
 */
export function useOrderList() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();

  const tab = ref<OrderTab>(tabFrom(route.query));
  const filters = reactive<OrderFilters>(filtersFrom(route.query));
  let applied: OrderFilters = { ...filters };
  const requestedSize = positiveInt(first(route.query.pageSize), 20);

  /** What the server is asked for: the tab and the filters last applied. */
  function query(): OrderFilterQuery {
    const q = applied.q.trim();
    return {
      ...(tab.value !== 'all' ? { status: tab.value } : {}),
      ...(q ? { q } : {}),
      ...(applied.days ? { from: applied.days[0], to: applied.days[1] } : {}),
      ...(applied.flag ? { flag: applied.flag } : {}),
    };
  }

  // ---- counts on the tabs: the other filters' orders by state, refreshed with the list ----
  const counts = ref<OrderCounts | null>(null);

  async function loadCounts(): Promise<void> {
    const { status: _status, ...rest } = query();
    try {
      counts.value = await orderCounts(rest);
    } catch {
      counts.value = null;
    }
  }

  function countOf(name: OrderTab): number | null {
    if (!counts.value) return null;
    return name === 'all' ? counts.value.all : counts.value.byStatus[name];
  }

  const list = usePagedList<MerchantOrder>((paging) => listMerchantOrders({ ...paging, ...query() }), {
    page: positiveInt(first(route.query.page), 1),
    pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
  });

  function syncUrl(): void {
    const { status, q, from, to, flag } = query();
    void router.replace({
      query: {
        ...(status ? { status } : {}),
        ...(q ? { q } : {}),
        ...(flag ? { flag } : {}),
        ...(from && to ? { from, to } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  async function search(): Promise<void> {
    applied = { ...filters, days: filters.days ? [filters.days[0], filters.days[1]] : null };
    list.page.value = 1;
    syncUrl();
    await load();
  }

  /** The page of orders and the tabs' counts, together. */
  async function load(): Promise<void> {
    await Promise.all([list.load(), loadCounts()]);
  }

  async function resetFilters(): Promise<void> {
    Object.assign(filters, { q: '', days: null, flag: '' });
    await search();
  }

  /** el-tabs gives the pane's name; a known tab shows its orders from the first page. */
  async function changeTab(name: string | number): Promise<void> {
    const next = ORDER_TABS.find((known) => known === name);
    if (!next || next === tab.value) return;
    tab.value = next;
    await search();
  }

  async function changePage(page: number): Promise<void> {
    list.page.value = page;
    syncUrl();
    await list.load();
  }

  async function changePageSize(pageSize: number): Promise<void> {
    list.pageSize.value = pageSize;
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  // ---- export ----
  const exporting = ref(false);

  /** The orders of the current tab and filters, as an Excel file (a row per order line). */
  async function exportXlsx(): Promise<void> {
    exporting.value = true;
    try {
      const file = await exportOrders(query(), 'xlsx');
      saveBlob(file.blob, file.fileName ?? `orders-${dayOf(new Date())}.xlsx`);
    } catch {
      // Shown by the request client.
    } finally {
      exporting.value = false;
    }
  }

  function openDetail(order: MerchantOrder): void {
    void router.push({ name: 'merchant-order-detail', params: { id: String(order.id) } });
  }

  const dateShortcuts = computed(() => [
    { text: t('orders.list.today'), value: () => lastDays(1) },
    { text: t('orders.list.last7Days'), value: () => lastDays(7) },
    { text: t('orders.list.last30Days'), value: () => lastDays(30) },
  ]);

  // ---- bulk shipping: the orders chosen in the table, and the report of a shipment ----
  const selected = ref<MerchantOrder[]>([]);
  const selectedToShip = computed(() => selected.value.filter((o) => o.status === 'paid'));
  const bulkOpen = ref(false);
  const report = ref<ShipReport | null>(null);
  const reportOpen = ref(false);

  function select(rows: MerchantOrder[]): void {
    selected.value = rows;
  }

  /** Shows what a shipment did, and the list as it is now. */
  async function showReport(next: ShipReport): Promise<void> {
    report.value = next;
    reportOpen.value = true;
    await load();
  }

  onMounted(load);

  return {
    tabs: ORDER_TABS,
    tab,
    filters,
    dateShortcuts,
    exportMaxRows: ORDER_EXPORT_MAX_ROWS,
    qMax: ORDER_LIMITS.qMax,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load,
    flagFilters: FLAG_FILTERS,
    countOf,
    selected,
    selectedToShip,
    select,
    bulkOpen,
    report,
    reportOpen,
    showReport,
    search,
    resetFilters,
    changeTab,
    changePage,
    changePageSize,
    exporting,
    exportXlsx,
    openDetail,
  };
}
