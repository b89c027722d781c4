import { onMounted, reactive } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type { TenantStatus, TenantSummary } from '@shopfleet/contracts';
import { TENANT_STATUSES } from '@shopfleet/contracts/constants';
import { listTenants } from '@/api/tenants';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';

export interface TenantFilters {
  status: TenantStatus | '';
  q: string;
}

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function filtersFrom(query: LocationQuery): TenantFilters {
  const status = first(query.status);
  return {
    status: TENANT_STATUSES.find((known) => known === status) ?? '',
    q: first(query.q).slice(0, 60),
  };
}

function positiveInt(raw: string, fallback: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= 10_000 ? value : fallback;
}

/**
 * The tenant list: filters by status and a search term, server-paged. Filters and page live in the URL,
 * so coming back from a tenant's page shows the same list.
 */
export function useTenantList() {
  const route = useRoute();
  const router = useRouter();

  const filters = reactive<TenantFilters>(filtersFrom(route.query));
  let applied: TenantFilters = { ...filters };
  const requestedSize = positiveInt(first(route.query.pageSize), 20);

  const list = usePagedList<TenantSummary>(
    (paging) =>
      listTenants({
        ...paging,
        status: applied.status || undefined,
        q: applied.q.trim() || undefined,
      }),
    {
      page: positiveInt(first(route.query.page), 1),
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  function syncUrl(): void {
    void router.replace({
      query: {
        ...(applied.status ? { status: applied.status } : {}),
        ...(applied.q.trim() ? { q: applied.q.trim() } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  async function search(): Promise<void> {
    applied = { ...filters };
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  async function resetFilters(): Promise<void> {
    filters.status = '';
    filters.q = '';
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

  function openTenant(tenant: TenantSummary): void {
    void router.push({ name: 'platform-tenant-detail', params: { id: String(tenant.id) } });
  }

  onMounted(list.load);

  return {
    filters,
    statuses: TENANT_STATUSES,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    search,
    resetFilters,
    changePage,
    changePageSize,
    openTenant,
  };
}
