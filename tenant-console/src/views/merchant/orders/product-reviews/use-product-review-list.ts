import { onMounted, reactive } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import type { MerchantReview } from '@shopfleet/contracts';
import { listMerchantReviews } from '@/api/product-reviews';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';

export type HiddenFilter = '' | 'true' | 'false';

export interface ProductReviewFilters {
  /** 1 to 5 stars, or 0 for any. */
  rating: number;
  hidden: HiddenFilter;
}

export const RATINGS = [5, 4, 3, 2, 1] as const;

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function positiveInt(raw: string, fallback: number, max = 10_000): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function filtersFrom(query: LocationQuery): ProductReviewFilters {
  const rating = positiveInt(first(query.rating), 0, 5);
  const hidden = first(query.hidden);
  return { rating, hidden: hidden === 'true' || hidden === 'false' ? hidden : '' };
}

/** The shop's reviews, hidden ones included: by stars and visibility (kept in the URL), server paging. */
export function useProductReviewList() {
  const route = useRoute();
  const router = useRouter();

  const filters = reactive<ProductReviewFilters>(filtersFrom(route.query));
  const productId = positiveInt(first(route.query.productId), 0, Number.MAX_SAFE_INTEGER) || undefined;
  const requestedSize = positiveInt(first(route.query.pageSize), 20);

  const list = usePagedList<MerchantReview>(
    (paging) =>
      listMerchantReviews({
        ...paging,
        productId,
        rating: filters.rating || undefined,
        hidden: filters.hidden || undefined,
      }),
    {
      page: positiveInt(first(route.query.page), 1),
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  function syncUrl(): void {
    void router.replace({
      query: {
        ...(productId ? { productId: String(productId) } : {}),
        ...(filters.rating ? { rating: String(filters.rating) } : {}),
        ...(filters.hidden ? { hidden: filters.hidden } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  /** The filters apply as soon as they change. */
  async function search(): Promise<void> {
    list.page.value = 1;
    syncUrl();
    await list.load();
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

  onMounted(list.load);

  return {
    filters,
    ratings: RATINGS,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load: list.load,
    search,
    changePage,
    changePageSize,
  };
}
