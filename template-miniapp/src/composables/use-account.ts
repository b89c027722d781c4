import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import { getMe, logout } from '../api/auth';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import { clearSession, getTokens, sessionState, setMe } from '../stores/session';
import { openAddresses, openCouponCentre, openLogin, openMyCoupons, openOrders } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';

/** The "me" tab: who is signed in, and signing out. */
export function useAccount() {
  const loading = ref(false);
  const error = ref<string | null>(null);
  const signingOut = ref(false);
  const signedIn = computed(() => sessionState.tokens !== null);
  const me = computed(() => sessionState.me);

  async function loadMe() {
    error.value = null;
    try {
      if (!getTokens()) return;
      loading.value = true;
      setMe(await getMe());
    } catch (e) {
      // On a 401 the request client has already ended the session, and the page simply offers to sign in.
      if (!(e instanceof ApiError && e.status === 401)) error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  async function signOut() {
    const tokens = getTokens();
    if (!tokens || signingOut.value) return;
    signingOut.value = true;
    try {
      await logout(tokens.refreshToken);
    } catch {
      // Signing out locally matters more than telling the server; the token expires anyway.
    } finally {
      clearSession();
      signingOut.value = false;
    }
    uni.showToast({ title: t('user.signedOut'), icon: 'none' });
  }

  function goSignIn() {
    openLogin();
  }

  /** The order list on a state's tab ('' for all); signing in first when needed. */
  function goOrders(status: string) {
    if (!getTokens()) openLogin();
    else openOrders(status);
  }

  function goAddresses() {
    if (!getTokens()) openLogin();
    else openAddresses();
  }

  function goCouponCentre() {
    if (!getTokens()) openLogin();
    else openCouponCentre();
  }

  function goMyCoupons() {
    if (!getTokens()) openLogin();
    else openMyCoupons();
  }

  const orderEntries = (['pending_payment', 'paid', 'shipped', 'completed'] as const).map((status) => ({
    status,
    name: t(`order.status.${status}`),
    icon: t(`user.orderIcon.${status}`),
  }));

  useShopBars({ tabPage: true, title: () => t('nav.user') });
  onShow(() => {
    void loadMe();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    me,
    loading,
    error,
    signingOut,
    signOut,
    goSignIn,
    orderEntries,
    goOrders,
    goAddresses,
    goCouponCentre,
    goMyCoupons,
    retry: loadMe,
  };
}
