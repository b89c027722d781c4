import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import { getMe, logout } from '../api/auth';
import { ApiError, describeError } from '../request';
import { clearSession, getTokens, sessionState, setMe } from '../stores/session';
import { loadShop } from '../stores/shop';
import { applyShopTheme, usePrimaryButtonStyle } from './shop-theme';

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
    uni.navigateTo({ url: '/pages/user/login' });
  }

  onShow(() => {
    void loadShop().then((shop) => {
      if (shop) applyShopTheme(shop, { tabPage: true });
    });
    void loadMe();
  });

  return { primaryStyle: usePrimaryButtonStyle(), signedIn, me, loading, error, signingOut, signOut, goSignIn, retry: loadMe };
}
