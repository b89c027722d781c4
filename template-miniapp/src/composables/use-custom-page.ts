import { computed, ref, shallowRef } from 'vue';
import { onLoad, onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { ShopPage } from '@shopfleet/contracts';
import { PAGE_PREVIEW_QUERY } from '@shopfleet/contracts/constants';
import { getShopPage } from '../api/storefront';
import { pageQueryValue } from '../platform/page-query';
import { describeError } from '../request';
import { useShopBars, useThemeVars } from './shop-theme';

/**
 * A custom page of the shop designer: `?key=` names it; with `?preview=` (the console's QR code) its draft.
 * The page's blocks come ready to render in one request; its title is the navigation bar's.
 */
export function useCustomPage() {
  const { themeColor, themeStyle } = useThemeVars();
  // Never changed in place: no deep reactivity over a page of dozens of blocks.
  const page = shallowRef<ShopPage | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let key = '';
  let preview: string | undefined;

  async function load() {
    if (!key) return;
    loading.value = true;
    try {
      page.value = await getShopPage(key, preview);
      error.value = null;
    } catch (err) {
      error.value = describeError(err);
    } finally {
      loading.value = false;
    }
  }

  onLoad((query) => {
    key = pageQueryValue(query, 'key');
    preview = pageQueryValue(query, PAGE_PREVIEW_QUERY) || undefined;
    void load();
  });
  onPullDownRefresh(() => void load().finally(() => uni.stopPullDownRefresh()));
  /** When the page last showed: its per-shopper blocks (coupons, flash sales, guess-you-like) read again then. */
  const shownAt = ref(0);
  onShow(() => {
    shownAt.value = Date.now();
  });
  useShopBars({ tabPage: false, title: () => page.value?.title });

  const pageStyle = computed(
    () => `${themeStyle.value}${page.value?.background ? `;background-color:${page.value.background}` : ''}`,
  );
  return {
    page,
    error,
    loading,
    themeColor,
    pageStyle,
    shownAt,
    previewing: () => preview !== undefined,
    reload: load,
  };
}
