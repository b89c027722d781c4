import { onMounted, onUnmounted, reactive, ref } from 'vue';
import {
  useRoute,
  useRouter,
  type LocationQuery,
  type LocationQueryRaw,
  type LocationQueryValue,
  type RouteLocationRaw,
} from 'vue-router';
import { REVIEW_QUEUE_STATUSES, type ReviewQueueStatus } from '@shopfleet/contracts/constants';
import { listReviewQueue, type ReviewQueueItem } from '@/api/qualification-reviews';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';

export interface ReviewQueueFilterForm {
  status: ReviewQueueStatus;
  categoryCode: string;
  /** Null: any age. */
  minAgeHours: number | null;
}

const MAX_AGE_HOURS = 24 * 365;

/** The queue's address the last time it was shown, so a review page can return to the same list. */
let lastQueueQuery: LocationQueryRaw = {};

/** Back to the review queue with the filters and page it had. */
export function qualificationReviewQueueLocation(): RouteLocationRaw {
  return { name: 'platform-qualification-reviews', query: lastQueueQuery };
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

function filtersFrom(query: LocationQuery): ReviewQueueFilterForm {
  const status = first(query.status);
  return {
    status: REVIEW_QUEUE_STATUSES.find((known) => known === status) ?? 'pending',
    categoryCode: first(query.categoryCode).slice(0, 40),
    minAgeHours: intIn(first(query.minAgeHours), 0, MAX_AGE_HOURS) ?? null,
  };
}

/**
 * The reviewers' queue: documents by status (pending by default), category and minimum wait, oldest
 * submission first as the server orders them. Filters and page live in the URL.
 */
export function useQualificationReviewQueue() {
  const route = useRoute();
  const router = useRouter();

  const filters = reactive<ReviewQueueFilterForm>(filtersFrom(route.query));
  let applied: ReviewQueueFilterForm = { ...filters };
  const requestedSize = intIn(first(route.query.pageSize), 1, 100) ?? 20;

  const list = usePagedList<ReviewQueueItem>(
    (paging) =>
      listReviewQueue({
        ...paging,
        status: applied.status,
        categoryCode: applied.categoryCode || undefined,
        minAgeHours: applied.minAgeHours ?? undefined,
      }),
    {
      page: intIn(first(route.query.page), 1, 10_000) ?? 1,
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  /** Ages ("3 hours ago") move on while the page is open. */
  const now = ref(Date.now());
  const clock = setInterval(() => (now.value = Date.now()), 60_000);
  onUnmounted(() => clearInterval(clock));

  function currentQuery(): LocationQueryRaw {
    return {
      ...(applied.status !== 'pending' ? { status: applied.status } : {}),
      ...(applied.categoryCode ? { categoryCode: applied.categoryCode } : {}),
      ...(applied.minAgeHours !== null ? { minAgeHours: String(applied.minAgeHours) } : {}),
      ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
      ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
    };
  }

  function syncUrl(): void {
    lastQueueQuery = currentQuery();
    void router.replace({ query: lastQueueQuery });
  }

  async function search(): Promise<void> {
    applied = { ...filters };
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  async function resetFilters(): Promise<void> {
    Object.assign(filters, { status: 'pending', categoryCode: '', minAgeHours: null });
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

  function openReview(item: ReviewQueueItem): void {
    void router.push({
      name: 'platform-qualification-review',
      params: { tenantId: String(item.tenant.id), documentId: String(item.documentId) },
    });
  }

  onMounted(() => {
    lastQueueQuery = currentQuery();
    void list.load();
  });

  return {
    filters,
    statuses: REVIEW_QUEUE_STATUSES,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    now,
    search,
    resetFilters,
    changePage,
    changePageSize,
    openReview,
  };
}
