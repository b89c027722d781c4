import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onReachBottom, onShow } from '@dcloudio/uni-app';
import type { AfterSalesCase, AfterSalesStatus } from '@shopfleet/contracts';
import { myAfterSales, myAfterSalesCounts } from '../api/after-sales';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import {
  AFTER_SALES_TABS,
  afterSalesKindText,
  afterSalesStatusText,
  isOpenStatus,
  newestFirst,
  tabStatuses,
  type AfterSalesTab,
} from '../utils/after-sales';
import { formatFen } from '../utils/money';
import { openAfterSales, openLogin } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

const PAGE_SIZE = 10;

function isTab(value: string): value is AfterSalesTab {
  return (AFTER_SALES_TABS as readonly string[]).includes(value);
}

/**
 * The reads behind a tab. All: the list as the server pages it. In progress and finished span several states and the list takes
 * one, so they read the states that have cases (by the counts) and merge them newest first.
 */
async function readerFor(tab: AfterSalesTab) {
  const read = (status: AfterSalesStatus | undefined, page: number, pageSize: number) =>
    myAfterSales({ status, page, pageSize });
  if (tab === '') return newestFirst([undefined], read, PAGE_SIZE);
  const { counts } = await myAfterSalesCounts();
  return newestFirst(
    tabStatuses(tab).filter((s) => (counts[s] ?? 0) > 0),
    read,
    PAGE_SIZE,
  );
}

/** My after-sales: the shopper's cases by tab (all, being handled, ended), newest first, more on reaching the bottom. */
export function useAfterSalesList() {
  const tab = ref<AfterSalesTab>('');
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const cases = ref<AfterSalesCase[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const finished = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let reader: Awaited<ReturnType<typeof readerFor>> | null = null;
  let generation = 0;

  const empty = computed(() => loaded.value && !loading.value && cases.value.length === 0);

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
      const next = await readerFor(tab.value);
      const first = await next.next();
      if (mine !== generation) return;
      reader = next;
      cases.value = first;
      finished.value = next.done();
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
    if (!reader || !loaded.value || finished.value || loading.value || loadingMore.value) return;
    const mine = generation;
    const current = reader;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const more = await current.next();
      if (mine !== generation) return;
      const seen = new Set(cases.value.map((c) => c.id));
      cases.value = cases.value.concat(more.filter((c) => !seen.has(c.id)));
      finished.value = current.done();
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  function switchTab(key: AfterSalesTab) {
    if (key === tab.value) return;
    tab.value = key;
    cases.value = [];
    loaded.value = false;
    void reload();
  }

  useShopBars({ tabPage: false, title: () => t('nav.afterSalesList') });
  onLoad((query) => {
    const value = pageQueryValue(query, 'tab');
    tab.value = isTab(value) ? value : '';
  });
  onShow(() => {
    // Again on every show: a case changes on its page.
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
    tabs: AFTER_SALES_TABS.map((key) => ({ key, name: t(`afterSales.tab.${key || 'all'}`) })),
    tab,
    signedIn,
    cases,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    finished,
    empty,
    switchTab,
    loadMore,
    statusText: (c: AfterSalesCase) => afterSalesStatusText(c.status),
    kindText: (c: AfterSalesCase) => afterSalesKindText(c.kind),
    isOpen: (c: AfterSalesCase) => isOpenStatus(c.status),
    formatFen,
    open: (c: AfterSalesCase) => openAfterSales(c.id),
    goSignIn: openLogin,
    retry: reload,
  };
}
