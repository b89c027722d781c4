import { computed, ref, type Ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import { pageQueryValue } from '../platform/page-query';
import { useShopBars, useThemeVars } from './shop-theme';
import { usePagedList, type ListPage } from './use-paged-list';
import { useSignInGate } from './use-sign-in-gate';

/** What the list's shell (components/shopper-list.vue) shows around the items. */
export interface ShopperListState {
  signedIn: boolean;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  empty: boolean;
  loadingMore: boolean;
  moreError: string | null;
  finished: boolean;
}

export interface ShopperListOptions<K extends string, T> {
  /** The tabs, the first one shown unless the page is opened on another. */
  tabs: readonly [K, ...K[]];
  /** The page query parameter that opens a tab (`?status=paid`). */
  tabQuery: string;
  fetchPage: (tab: K, page: number, pageSize: number) => Promise<ListPage<T>>;
  title: () => string;
}

/**
 * A signed-in shopper's own list by tab (my orders, my coupons), a page more on reaching the bottom. It loads again
 * on every show: what it lists changes on other pages (an order paid on its page, a coupon used by an order).
 */
export function useShopperList<K extends string, T extends { id: number }>(options: ShopperListOptions<K, T>) {
  const [firstTab] = options.tabs;
  const tab = ref(firstTab) as Ref<K>;
  const { signedIn, admit, lapsed } = useSignInGate();
  const list = usePagedList((page, pageSize) => options.fetchPage(tab.value, page, pageSize), {
    canLoad: admit,
    handled: lapsed,
  });

  const state = computed<ShopperListState>(() => ({
    signedIn: signedIn.value,
    loaded: list.loaded.value,
    loading: list.loading.value,
    error: list.error.value,
    empty: list.empty.value,
    loadingMore: list.loadingMore.value,
    moreError: list.moreError.value,
    finished: list.finished.value,
  }));

  function switchTab(key: K): void {
    if (key === tab.value) return;
    tab.value = key;
    void list.restart();
  }

  useShopBars({ tabPage: false, title: options.title });
  onLoad((query) => {
    const asked = pageQueryValue(query, options.tabQuery);
    tab.value = options.tabs.find((key) => key === asked) ?? firstTab;
  });
  onShow(() => {
    void list.reload();
  });

  return { ...useThemeVars(), tab, state, items: list.items, switchTab, loadMore: list.loadMore, retry: list.reload };
}
