import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onReachBottom, onShow } from '@dcloudio/uni-app';
import type { Order, OrderStatus } from '@shopfleet/contracts';
import { listOrders } from '../api/orders';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { formatFen } from '../utils/money';
import { orderStatusText } from '../utils/orders';
import { openLogin, openOrder, openOrderReview, openPay } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

const PAGE_SIZE = 10;

export type OrderTab = '' | Extract<OrderStatus, 'pending_payment' | 'paid' | 'shipped' | 'completed'>;

export const ORDER_TABS: readonly OrderTab[] = ['', 'pending_payment', 'paid', 'shipped', 'completed'];

function isTab(value: string): value is OrderTab {
  return (ORDER_TABS as readonly string[]).includes(value);
}

/** The shopper's orders by state, newest first, a page more on reaching the bottom. */
export function useOrderList() {
  const tab = ref<OrderTab>('');
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const orders = ref<Order[]>([]);
  const page = ref(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let generation = 0;

  const finished = computed(() => loaded.value && orders.value.length >= total.value);
  const empty = computed(() => loaded.value && !loading.value && orders.value.length === 0);

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
      const result = await listOrders({ status: tab.value || undefined, page: 1, pageSize: PAGE_SIZE });
      if (mine !== generation) return;
      orders.value = result.items;
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
      const result = await listOrders({ status: tab.value || undefined, page: page.value + 1, pageSize: PAGE_SIZE });
      if (mine !== generation) return;
      const seen = new Set(orders.value.map((o) => o.id));
      orders.value = orders.value.concat(result.items.filter((o) => !seen.has(o.id)));
      page.value += 1;
      total.value = result.total;
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  function switchTab(key: OrderTab) {
    if (key === tab.value) return;
    tab.value = key;
    orders.value = [];
    loaded.value = false;
    void reload();
  }

  function pieces(order: Order): number {
    return order.lines.reduce((n, line) => n + line.quantity, 0);
  }

  useShopBars({ tabPage: false, title: () => t('nav.orderList') });
  onLoad((query) => {
    const status = pageQueryValue(query, 'status');
    tab.value = isTab(status) ? status : '';
  });
  onShow(() => {
    // Again on every show: an order changes state on its detail page.
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
    tabs: ORDER_TABS.map((key) => ({ key, name: key ? orderStatusText(key) : t('orderList.all') })),
    tab,
    signedIn,
    orders,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    finished,
    empty,
    switchTab,
    loadMore,
    pieces,
    statusText: (order: Order) => orderStatusText(order.status),
    formatFen,
    open: (order: Order) => openOrder(order.id),
    pay: (order: Order) => openPay(order.id),
    review: (order: Order) => openOrderReview(order.id),
    goSignIn: openLogin,
    retry: reload,
  };
}
