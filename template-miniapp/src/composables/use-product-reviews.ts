import { computed, ref } from 'vue';
import { onLoad } from '@dcloudio/uni-app';
import { productReviews, type ProductReviews } from '../api/reviews';
import { pageQueryId } from '../platform/page-query';
import { t } from '../locales';
import { useShopBars, useThemeVars } from './shop-theme';
import { usePagedList } from './use-paged-list';

/** All reviews of a product: the rating summary with its histogram, and the reviews a page at a time. */
export function useProductReviews() {
  /** From the page's query; without it no page is asked for (canLoad), and the page says so. */
  let productId: number | null = null;
  const summary = ref<ProductReviews['summary'] | null>(null);
  const list = usePagedList((page, pageSize) => productReviews(productId ?? 0, page, pageSize), {
    canLoad: () => {
      if (productId === null) list.error.value = t('reviews.productMissing');
      return productId !== null;
    },
    onPage: (page) => {
      summary.value = page.summary;
    },
  });

  const averageText = computed(() => (summary.value?.average != null ? summary.value.average.toFixed(1) : '--'));
  /** 5 stars first, each with its share of all reviews. */
  const histogram = computed(() => {
    const counts = summary.value?.histogram ?? [0, 0, 0, 0, 0];
    const all = counts.reduce((n, c) => n + c, 0);
    return [5, 4, 3, 2, 1].map((stars) => {
      const count = counts[stars - 1] ?? 0;
      return { stars, count, percent: all ? Math.round((count / all) * 100) : 0 };
    });
  });

  useShopBars({ tabPage: false, title: () => t('nav.reviews') });
  onLoad((query) => {
    productId = pageQueryId(query, 'id');
    void list.reload();
  });

  return {
    ...useThemeVars(),
    summary,
    items: list.items,
    total: list.total,
    loaded: list.loaded,
    loading: list.loading,
    loadingMore: list.loadingMore,
    error: list.error,
    moreError: list.moreError,
    finished: list.finished,
    averageText,
    histogram,
    loadMore: list.loadMore,
    retry: list.reload,
  };
}
