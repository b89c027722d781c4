import { computed } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { ShopHome } from '../api/catalog';
import { homeState, loadHome } from '../stores/home';
import { loadShop, shopState } from '../stores/shop';
import { describeError } from '../request';
import { openProduct, openProductList, openSearch } from '../utils/routes';
import { applyShopTheme, foregroundOn, themeColorOf, useThemeVars } from './shop-theme';

const STATUS_NOTICES: Record<string, string> = {
  pending_review: '店铺正在审核中，暂未开放购买',
  suspended: '店铺已暂停营业',
};

type Banner = ShopHome['banners'][number];
type Shortcut = ShopHome['shortcuts'][number];

/** The home page: the shop's frame, themed, with its error state; then banners, shortcuts and the product lists. */
export function useShopHome() {
  const shop = computed(() => shopState.shop);
  const themeColor = computed(() => themeColorOf(shopState.shop));
  const heroStyle = computed(() => ({ backgroundColor: themeColor.value, color: foregroundOn(themeColor.value) }));
  const statusNotice = computed(() => (shopState.shop ? STATUS_NOTICES[shopState.shop.status] ?? null : null));
  const errorText = computed(() => (shopState.error ? describeError(shopState.error) : null));
  const loading = computed(() => shopState.loading && !shopState.shop);

  const home = computed(() => homeState.home);
  const homeLoading = computed(() => homeState.loading && !homeState.home);
  const homeError = computed(() => (homeState.error && !homeState.home ? describeError(homeState.error) : null));
  const lists = computed(() => {
    const h = homeState.home;
    if (!h) return [];
    return [
      { key: 'new', title: '新品上架', products: h.newProducts },
      { key: 'hot', title: '热销榜单', products: h.hotProducts },
      { key: 'recommended', title: '为你推荐', products: h.recommendedProducts },
    ].filter((list) => list.products.length > 0);
  });

  async function refresh(force: boolean) {
    const [loaded] = await Promise.all([loadShop(force), loadHome(force)]);
    if (loaded) applyShopTheme(loaded, { tabPage: true, title: loaded.name });
    else uni.setNavigationBarTitle({ title: '无法打开店铺', fail: () => undefined });
  }

  function openBanner(banner: Banner) {
    if (banner.productId !== null) openProduct(banner.productId);
    else if (banner.categoryId !== null) openProductList({ categoryId: banner.categoryId });
  }

  function openShortcut(shortcut: Shortcut) {
    openProductList({ categoryId: shortcut.id, title: shortcut.name });
  }

  onShow(() => {
    void refresh(false);
  });
  onPullDownRefresh(() => {
    void refresh(true).finally(() => uni.stopPullDownRefresh());
  });

  return {
    shop,
    heroStyle,
    statusNotice,
    errorText,
    loading,
    reload: () => refresh(true),
    ...useThemeVars(),
    home,
    homeLoading,
    homeError,
    lists,
    openBanner,
    openShortcut,
    openSearch: () => openSearch(),
  };
}
