import { computed } from 'vue';
import { useRouter } from 'vue-router';
import type { AfterSalesCase, AfterSalesStatus } from '@shopfleet/contracts';
import { AFTER_SALES_STATUSES } from '@shopfleet/contracts/constants';
import { listAfterSales } from '@/api/after-sales';
import { useTabbedList } from '@/composables/use-tabbed-list';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** A state tab: one state (the API lists one at a time), or every case. */
export type AfterSalesTab = AfterSalesStatus | 'all';
export const AFTER_SALES_TABS: readonly AfterSalesTab[] = ['all', ...AFTER_SALES_STATUSES];

/**
 * The 售后 list: a tab per state with its count (the counts the menu's badge comes from, fetched again with each
 * tab so the two agree), server paging, the tab and page kept in the URL so coming back from a case shows the same.
 */
export function useAfterSalesList() {
  const router = useRouter();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();
  /** Order numbers link to the order's page for those who may open it. */
  const canOpenOrders = computed(() => session.can('order:order:read'));

  const list = useTabbedList<AfterSalesCase, AfterSalesTab>({
    tabs: AFTER_SALES_TABS,
    defaultTab: 'all',
    fetch: (tab, paging) => listAfterSales(tab === 'all' ? paging : { ...paging, status: tab }),
    alongside: () => counts.refresh(),
  });

  /** A tab's count: its state's, or every case for 全部; null until the counts have come. */
  function countOf(name: AfterSalesTab): number | null {
    if (!counts.counts) return null;
    return name === 'all' ? counts.total : counts.counts[name];
  }

  function openDetail(item: AfterSalesCase): void {
    void router.push({ name: 'merchant-after-sales-detail', params: { id: String(item.id) } });
  }

  return { ...list, countOf, canOpenOrders, openDetail };
}
