import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { ComplaintCounts } from '@shopfleet/contracts';
import { myAfterSalesCounts } from '../api/after-sales';
import { getMe, logout } from '../api/auth';
import { myComplaintCounts } from '../api/complaints';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import { clearSession, getTokens, sessionState, setMe } from '../stores/session';
import { openCount } from '../utils/after-sales';
import {
  openAddresses,
  openAfterSalesList,
  openComplaintList,
  openCouponCentre,
  openLogin,
  openMyCoupons,
  openMyGroups,
  openOrders,
  openProfile,
} from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';

/** The "me" tab: who is signed in, and signing out. */
export function useAccount() {
  const loading = ref(false);
  const error = ref<string | null>(null);
  const signingOut = ref(false);
  const signedIn = computed(() => sessionState.tokens !== null);
  const me = computed(() => sessionState.me);
  /** The shopper's cases still being handled (the after-sales entry's badge); 0 when unknown. */
  const afterSalesOpen = ref(0);
  /** The shopper's complaints still open, and those with a decision not yet read (the entry's red dot). */
  const complaints = ref<ComplaintCounts>({ open: 0, unread: 0 });

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

  /** The badge is a hint: a failure to read it leaves it as it was. */
  async function loadAfterSalesCount() {
    if (!getTokens()) {
      afterSalesOpen.value = 0;
      return;
    }
    try {
      afterSalesOpen.value = openCount((await myAfterSalesCounts()).counts);
    } catch {
      // The page still works without the badge.
    }
  }

  /** A hint too: a failure leaves the counts as they were. */
  async function loadComplaintCounts() {
    if (!getTokens()) {
      complaints.value = { open: 0, unread: 0 };
      return;
    }
    try {
      complaints.value = await myComplaintCounts();
    } catch {
      // The page still works without them.
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
      afterSalesOpen.value = 0;
      complaints.value = { open: 0, unread: 0 };
    }
    uni.showToast({ title: t('user.signedOut'), icon: 'none' });
  }

  function goSignIn() {
    openLogin();
  }

  /** The profile page (avatar, nickname, phone). */
  function goProfile() {
    if (!getTokens()) openLogin();
    else openProfile();
  }

  /** The order list on a state's tab ('' for all); signing in first when needed. */
  function goOrders(status: string) {
    if (!getTokens()) openLogin();
    else openOrders(status);
  }

  /** My after-sales: the cases being handled when there are any, else all of them. */
  function goAfterSales() {
    if (!getTokens()) openLogin();
    else openAfterSalesList(afterSalesOpen.value > 0 ? 'open' : '');
  }

  /** My complaints, all of them: a decided one is where the news is. */
  function goComplaints() {
    if (!getTokens()) openLogin();
    else openComplaintList();
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

  function goMyGroups() {
    if (!getTokens()) openLogin();
    else openMyGroups();
  }

  const orderEntries = (['pending_payment', 'paid', 'shipped', 'completed'] as const).map((status) => ({
    status,
    name: t(`order.status.${status}`),
    icon: t(`user.orderIcon.${status}`),
  }));

  useShopBars({ tabPage: true, title: () => t('nav.user') });
  onShow(() => {
    void loadMe();
    void loadAfterSalesCount();
    void loadComplaintCounts();
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
    goProfile,
    orderEntries,
    goOrders,
    afterSalesOpen,
    goAfterSales,
    complaintsOpen: computed(() => complaints.value.open),
    complaintsUnread: computed(() => complaints.value.unread > 0),
    goComplaints,
    goAddresses,
    goCouponCentre,
    goMyCoupons,
    goMyGroups,
    retry: loadMe,
  };
}
