import { computed, onMounted, ref } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type { Complaint, ComplaintStatus } from '@shopfleet/contracts';
import { COMPLAINT_STATUSES } from '@shopfleet/contracts/constants';
import { listComplaints } from '@/api/complaints';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function positiveInt(raw: string, fallback: number, max = 10_000): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function tabFrom(query: LocationQuery): ComplaintStatus {
  const status = first(query.status);
  return COMPLAINT_STATUSES.find((known) => known === status) ?? 'open';
}

/**
 * 售后 → 投诉: the complaints against the shop by state (open first: those the shop should answer), newest first as the
 * server lists them, with server paging; the open tab's count is the menu's badge (fetched again with each page so the
 * two agree). The tab and page live in the URL so coming back from a complaint shows the same.
 */
export function useComplaintList() {
  const route = useRoute();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();

  const tab = ref<ComplaintStatus>(tabFrom(route.query));
  const requestedSize = positiveInt(first(route.query.pageSize), 20);
  /** Order numbers link to the order's page for those who may open it. */
  const canOpenOrders = computed(() => session.can('order:order:read'));

  const list = usePagedList<Complaint>((paging) => listComplaints({ ...paging, status: tab.value }), {
    page: positiveInt(first(route.query.page), 1),
    pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
  });

  /** The open tab's count (the badge's); the API counts no other state. */
  const openCount = computed(() => counts.complaintsOpen);

  function syncUrl(): void {
    void router.replace({
      query: {
        ...(tab.value !== 'open' ? { status: tab.value } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  async function load(): Promise<void> {
    await Promise.all([list.load(), counts.refresh()]);
  }

  /** el-tabs gives the pane's name; a known tab shows its complaints from the first page. */
  async function changeTab(name: string | number): Promise<void> {
    const next = COMPLAINT_STATUSES.find((known) => known === name);
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

  function openDetail(item: Complaint): void {
    void router.push({ name: 'merchant-complaint-detail', params: { id: String(item.id) } });
  }

  onMounted(load);

  return {
    tabs: COMPLAINT_STATUSES,
    tab,
    openCount,
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
