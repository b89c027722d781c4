import { computed, onMounted, ref } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type { AfterSalesCase, AfterSalesStatus } from '@shopfleet/contracts';
import { AFTER_SALES_STATUSES } from '@shopfleet/contracts/constants';
import { listAfterSales } from '@/api/after-sales';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** A state tab: one state (the API lists one at a time), or every case. */
export type AfterSalesTab = AfterSalesStatus | 'all';
export const AFTER_SALES_TABS: readonly AfterSalesTab[] = ['all', ...AFTER_SALES_STATUSES];

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function positiveInt(raw: string, fallback: number, max = 10_000): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function tabFrom(query: LocationQuery): AfterSalesTab {
  const status = first(query.status);
  return AFTER_SALES_STATUSES.find((known) => known === status) ?? 'all';
}

/**
 * The 售后 list: a tab per state with its count (the counts the menu's badge comes from, fetched again with each
 * page so the two agree), server paging, the tab and page kept in the URL so coming back from a case shows the same.
 */
export function useAfterSalesList() {
  const route = useRoute();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();

  const tab = ref<AfterSalesTab>(tabFrom(route.query));
  const requestedSize = positiveInt(first(route.query.pageSize), 20);
  /** Order numbers link to the order's page for those who may open it. */
  const canOpenOrders = computed(() => session.can('order:order:read'));

  const list = usePagedList<AfterSalesCase>(
    (paging) => listAfterSales(tab.value === 'all' ? paging : { ...paging, status: tab.value }),
    {
      page: positiveInt(first(route.query.page), 1),
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  /** A tab's count: its state's, or every case for 全部; null until the counts have come. */
  function countOf(name: AfterSalesTab): number | null {
    if (!counts.counts) return null;
    return name === 'all' ? counts.total : counts.counts[name];
  }

  function syncUrl(): void {
    void router.replace({
      query: {
        ...(tab.value !== 'all' ? { status: tab.value } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  async function load(): Promise<void> {
    await Promise.all([list.load(), counts.refresh()]);
  }

  /** el-tabs gives the pane's name; a known tab shows its cases from the first page. */
  async function changeTab(name: string | number): Promise<void> {
    const next = AFTER_SALES_TABS.find((known) => known === name);
    if (!next || next === tab.value) return;
    tab.value = next;
    list.page.value = 1;
    syncUrl();
    await load();
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

  function openDetail(item: AfterSalesCase): void {
    void router.push({ name: 'merchant-after-sales-detail', params: { id: String(item.id) } });
  }

  onMounted(load);

  return {
    tabs: AFTER_SALES_TABS,
    tab,
    countOf,
    canOpenOrders,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load,
    changeTab,
    changePage,
    changePageSize,
    openDetail,
  };
}
