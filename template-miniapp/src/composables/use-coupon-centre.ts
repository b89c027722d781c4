import { computed, ref } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { ClaimableCoupon } from '@shopfleet/contracts';
import { couponCentre } from '../api/marketing';
import { t } from '../locales';
import { describeError } from '../request';
import { templateValidityText } from '../utils/marketing';
import { openLogin, openMyCoupons } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useCouponClaim } from './use-coupon-claim';
import { useSignInGate } from './use-sign-in-gate';

/** The coupon centre: the shop's coupons to claim now, each with its claim button or why not. */
export function useCouponCentre() {
  const { signedIn, admit, lapsed } = useSignInGate();
  const coupons = ref<ClaimableCoupon[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  const empty = computed(() => loaded.value && coupons.value.length === 0);

  async function load() {
    if (!admit()) return;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const result = await couponCentre();
      if (mine !== generation) return;
      coupons.value = result;
      loaded.value = true;
    } catch (e) {
      if (mine !== generation) return;
      if (!lapsed(e)) error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('nav.couponCentre') });
  onShow(() => {
    void load();
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    ...useCouponClaim(coupons),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    coupons,
    loaded,
    loading,
    error,
    empty,
    validity: templateValidityText,
    goMyCoupons: () => openMyCoupons(),
    goSignIn: openLogin,
    retry: load,
  };
}
