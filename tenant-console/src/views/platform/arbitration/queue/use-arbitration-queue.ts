import { onMounted, onUnmounted, ref } from 'vue';
import {
  useRoute,
  useRouter,
  type LocationQuery,
  type LocationQueryRaw,
  type LocationQueryValue,
  type RouteLocationRaw,
} from 'vue-router';
import type { ArbitrationItem, ComplaintSource, ComplaintStatus } from '@shopfleet/contracts';
import { COMPLAINT_SOURCES, COMPLAINT_STATUSES } from '@shopfleet/contracts/constants';
import { listArbitration } from '@/api/complaints';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';

/** The queue's address the last time it was shown, so a complaint's page can return to the same list. */
let lastQueueQuery: LocationQueryRaw = {};

/** Back to the arbitration queue with the tab, filter and page it had. */
export function arbitrationQueueLocation(): RouteLocationRaw {
  return { name: 'platform-arbitration', query: lastQueueQuery };
}

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function intIn(raw: string, min: number, max: number): number | undefined {
  if (raw === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

const statusFrom = (query: LocationQuery): ComplaintStatus =>
  COMPLAINT_STATUSES.find((known) => known === first(query.status)) ?? 'open';
const sourceFrom = (query: LocationQuery): ComplaintSource | '' =>
  COMPLAINT_SOURCES.find((known) => known === first(query.source)) ?? '';

/**
 * 投诉仲裁: complaints across shops by state (open by default: oldest first, as the server orders them; decided ones
 * newest first) and source, with how long each open one has waited. Tab, filter and page live in the URL.
 */
export function useArbitrationQueue() {
  const route = useRoute();
  const router = useRouter();

  const tab = ref<ComplaintStatus>(statusFrom(route.query));
  const source = ref<ComplaintSource | ''>(sourceFrom(route.query));
  const requestedSize = intIn(first(route.query.pageSize), 1, 100) ?? 20;

  const list = usePagedList<ArbitrationItem>(
    (paging) => listArbitration({ ...paging, status: tab.value, source: source.value || undefined }),
    {
      page: intIn(first(route.query.page), 1, 10_000) ?? 1,
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  /** Waiting times move on while the page is open. */
  const now = ref(Date.now());
  const clock = setInterval(() => (now.value = Date.now()), 60_000);
  onUnmounted(() => clearInterval(clock));

  function currentQuery(): LocationQueryRaw {
    return {
      ...(tab.value !== 'open' ? { status: tab.value } : {}),
      ...(source.value ? { source: source.value } : {}),
      ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
      ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
    };
  }

  function syncUrl(): void {
    lastQueueQuery = currentQuery();
    void router.replace({ query: lastQueueQuery });
  }

  async function load(): Promise<void> {
    now.value = Date.now();
    await list.load();
  }

  /** From the first page: a new tab, or a new source. */
  async function reload(): Promise<void> {
    list.page.value = 1;
    syncUrl();
    await load();
  }

  async function changeTab(name: string | number): Promise<void> {
    const next = COMPLAINT_STATUSES.find((known) => known === name);
    if (!next || next === tab.value) return;
    tab.value = next;
    await reload();
  }

  async function changeSource(next: ComplaintSource | ''): Promise<void> {
    source.value = next;
    await reload();
  }

  async function changePage(page: number): Promise<void> {
    list.page.value = page;
    syncUrl();
    await load();
  }

  async function changePageSize(pageSize: number): Promise<void> {
    list.pageSize.value = pageSize;
    list.page.value = 1;
    syncUrl();
    await load();
  }

  function openDetail(item: ArbitrationItem): void {
    void router.push({ name: 'platform-arbitration-detail', params: { id: String(item.complaint.id) } });
  }

  onMounted(() => {
    lastQueueQuery = currentQuery();
    void load();
  });

  return {
    tabs: COMPLAINT_STATUSES,
    sources: COMPLAINT_SOURCES,
    tab,
    source,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    now,
    load,
    changeTab,
    changeSource,
    changePage,
    changePageSize,
    openDetail,
  };
}
