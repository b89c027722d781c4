import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import { getMe, logout } from '../api/auth';
import { ApiError, describeError } from '../request';
import { clearSession, getTokens, sessionState, setMe } from '../stores/session';
import { openAddresses, openLogin, openOrders } from '../utils/routes';
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
    uni.showToast({ title: '已退出登录', icon: 'none' });
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

  const orderEntries = [
    { status: 'pending_payment', name: '待付款', icon: '付' },
    { status: 'paid', name: '待发货', icon: '发' },
    { status: 'shipped', name: '待收货', icon: '收' },
    { status: 'completed', name: '已完成', icon: '完' },
  ] as const;

  useShopBars({ tabPage: true });
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
    retry: loadMe,
  };
}
