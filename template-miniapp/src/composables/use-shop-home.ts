import { computed } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import { loadShop, shopState } from '../stores/shop';
import { describeError } from '../request';
import { applyShopTheme, foregroundOn, themeColorOf } from './shop-theme';

const STATUS_NOTICES: Record<string, string> = {
  pending_review: '店铺正在审核中，暂未开放购买',
  suspended: '店铺已暂停营业',
};

/** The home page: the shop's frame, themed, with its error state. */
export function useShopHome() {
  const shop = computed(() => shopState.shop);
  const themeColor = computed(() => themeColorOf(shopState.shop));
  const heroStyle = computed(() => ({ backgroundColor: themeColor.value, color: foregroundOn(themeColor.value) }));
  const statusNotice = computed(() => (shopState.shop ? STATUS_NOTICES[shopState.shop.status] ?? null : null));
  const errorText = computed(() => (shopState.error ? describeError(shopState.error) : null));
  const loading = computed(() => shopState.loading && !shopState.shop);

  async function refresh(force: boolean) {
    const loaded = await loadShop(force);
    if (loaded) applyShopTheme(loaded, { tabPage: true, title: loaded.name });
    else uni.setNavigationBarTitle({ title: '无法打开店铺', fail: () => undefined });
  }

  onShow(() => {
    void refresh(false);
  });
  onPullDownRefresh(() => {
    void refresh(true).finally(() => uni.stopPullDownRefresh());
  });

  return { shop, heroStyle, statusNotice, errorText, loading, reload: () => refresh(true) };
}
