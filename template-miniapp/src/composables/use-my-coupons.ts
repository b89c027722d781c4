import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onReachBottom, onShow } from '@dcloudio/uni-app';
import type { Coupon, CouponShownState } from '@shopfleet/contracts';
import { COUPON_SHOWN_STATES } from '@shopfleet/contracts/constants';
import { myCoupons } from '../api/marketing';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { couponValidityText } from '../utils/marketing';
import { formatDateTime } from '../utils/time';
import { openCouponCentre, openLogin, openProduct, openProductList } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

const PAGE_SIZE = 10;

function isState(value: string): value is CouponShownState {
  return (COUPON_SHOWN_STATES as readonly string[]).includes(value);
}

/** My coupons: the shopper's coupons by tab (unused, used, expired), a page more on reaching the bottom. */
export function useMyCoupons() {
  const tab = ref<CouponShownState>('unused');
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const coupons = ref<Coupon[]>([]);
  const page = ref(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let generation = 0;

  const finished = computed(() => loaded.value && coupons.value.length >= total.value);
  const empty = computed(() => loaded.value && !loading.value && coupons.value.length === 0);

  async function reload() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      sendToLogin();
      return;
    }
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    moreError.value = null;
    try {
      const result = await myCoupons({ state: tab.value, page: 1, pageSize: PAGE_SIZE });
      if (mine !== generation) return;
      coupons.value = result.items;
      page.value = 1;
      total.value = result.total;
      loaded.value = true;
    } catch (e) {
      if (mine !== generation) return;
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore() {
    if (!loaded.value || finished.value || loading.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await myCoupons({ state: tab.value, page: page.value + 1, pageSize: PAGE_SIZE });
      if (mine !== generation) return;
      const seen = new Set(coupons.value.map((c) => c.id));
      coupons.value = coupons.value.concat(result.items.filter((c) => !seen.has(c.id)));
      page.value += 1;
      total.value = result.total;
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  function switchTab(key: CouponShownState) {
    if (key === tab.value) return;
    tab.value = key;
    coupons.value = [];
    loaded.value = false;
    void reload();
  }

  /** Use it: the one product or category it is for, else the shop's products. */
  function use(coupon: Coupon) {
    const only = coupon.scopeIds.length === 1 ? coupon.scopeIds[0] : undefined;
    if (coupon.scope === 'products' && only !== undefined) openProduct(only);
    else if (coupon.scope === 'categories' && only !== undefined) openProductList({ categoryId: only });
    else openProductList({});
  }

  /** The line under a used coupon (when it was used), else how long it is valid. */
  function validity(coupon: Coupon): string {
    if (coupon.state === 'used' && coupon.usedAt) return t('myCoupons.usedAt', { at: formatDateTime(coupon.usedAt) });
    return couponValidityText(coupon);
  }

  useShopBars({ tabPage: false, title: () => t('nav.myCoupons') });
  onLoad((query) => {
    const state = pageQueryValue(query, 'state');
    tab.value = isState(state) ? state : 'unused';
  });
  onShow(() => {
    // Again on every show: a coupon is used by an order placed meanwhile.
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
    primaryStyle: usePrimaryButtonStyle(),
    tabs: COUPON_SHOWN_STATES.map((key) => ({ key, name: t(`myCoupons.tab.${key}`) })),
    tab,
    signedIn,
    coupons,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    finished,
    empty,
    switchTab,
    loadMore,
    validity,
    use,
    goCentre: openCouponCentre,
    goSignIn: openLogin,
    retry: reload,
  };
}
