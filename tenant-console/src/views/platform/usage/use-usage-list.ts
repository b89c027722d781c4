import { onMounted, ref } from 'vue';
import { useRoute, useRouter, type LocationQueryValue } from 'vue-router';
import type { SortOrder, TenantUsage, UsageSort } from '@shopfleet/contracts';
import { SORT_ORDERS, USAGE_SORTS } from '@shopfleet/contracts/constants';
import { listUsage } from '@/api/usage';
import { usePagedList } from '@/composables/use-paged-list';
import { chinaToday } from '../charts';

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

/** el-table's sort change: a column's prop and its order, or none. */
export interface SortChange {
  prop: string | null;
  order: 'ascending' | 'descending' | null;
}

/**
 * Every shop's usage of one China-time day (today by default), server-sorted by a metric and paged. The day and the
 * sort live in the URL, so coming back from a shop's page shows the same list.
 */
export function useUsageList() {
  const route = useRoute();
  const router = useRouter();
  const requestedDay = first(route.query.day);
  const day = ref(/^\d{4}-\d{2}-\d{2}$/.test(requestedDay) ? requestedDay : chinaToday());
  const sort = ref<UsageSort>(USAGE_SORTS.find((s) => s === first(route.query.sort)) ?? 'apiRequests');
  const order = ref<SortOrder>(SORT_ORDERS.find((o) => o === first(route.query.order)) ?? 'desc');

  const list = usePagedList<TenantUsage>((paging) =>
    listUsage({ ...paging, day: day.value, sort: sort.value, order: order.value }),
  );

  function syncUrl(): void {
    void router.replace({
      query: {
        day: day.value,
        ...(sort.value !== 'apiRequests' ? { sort: sort.value } : {}),
        ...(order.value !== 'desc' ? { order: order.value } : {}),
      },
    });
  }

  async function reload(): Promise<void> {
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  /** A column header clicked: sort by it (the table cycles descending, ascending, none — none is the default sort). */
  async function changeSort(change: SortChange): Promise<void> {
    const metric = USAGE_SORTS.find((s) => s === change.prop);
    if (metric && change.order) {
      sort.value = metric;
      order.value = change.order === 'ascending' ? 'asc' : 'desc';
    } else {
      sort.value = 'apiRequests';
      order.value = 'desc';
    }
    await reload();
  }

  function openTenant(row: TenantUsage): void {
    void router.push({ name: 'platform-tenant-detail', params: { id: String(row.tenant.id) } });
  }

  onMounted(list.load);

  return {
    day,
    sort,
    order,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    reload,
    changeSort,
    changePage: list.changePage,
    changePageSize: list.changePageSize,
    openTenant,
  };
}
