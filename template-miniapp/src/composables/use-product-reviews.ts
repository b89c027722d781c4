import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onReachBottom } from '@dcloudio/uni-app';
import type { Review } from '@shopfleet/contracts';
import { productReviews, type ProductReviews } from '../api/reviews';
import { pageQueryId } from '../platform/page-query';
import { t } from '../locales';
import { describeError } from '../request';
import { useShopBars, useThemeVars } from './shop-theme';

const PAGE_SIZE = 10;

/** All reviews of a product: the rating summary with its histogram, and the reviews a page at a time. */
export function useProductReviews() {
  let productId: number | null = null;
  const summary = ref<ProductReviews['summary'] | null>(null);
  const items = ref<Review[]>([]);
  const page = ref(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let generation = 0;

  const finished = computed(() => loaded.value && items.value.length >= total.value);
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

  async function reload() {
    if (productId === null) {
      error.value = t('reviews.productMissing');
      return;
    }
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    moreError.value = null;
    try {
      const result = await productReviews(productId, 1, PAGE_SIZE);
      if (mine !== generation) return;
      summary.value = result.summary;
      items.value = result.items;
      page.value = 1;
      total.value = result.total;
      loaded.value = true;
    } catch (e) {
      if (mine === generation) error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore() {
    if (productId === null || !loaded.value || finished.value || loading.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await productReviews(productId, page.value + 1, PAGE_SIZE);
      if (mine !== generation) return;
      const seen = new Set(items.value.map((r) => r.id));
      items.value = items.value.concat(result.items.filter((r) => !seen.has(r.id)));
      page.value += 1;
      total.value = result.total;
      summary.value = result.summary;
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('nav.reviews') });
  onLoad((query) => {
    productId = pageQueryId(query, 'id');
    void reload();
  });
  onReachBottom(() => {
    void loadMore();
  });
  onPullDownRefresh(() => {
    void reload().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    summary,
    items,
    total,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    finished,
    averageText,
    histogram,
    loadMore,
    retry: reload,
  };
}
