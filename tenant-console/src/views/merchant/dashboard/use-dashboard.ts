import { computed, onMounted, ref, shallowRef } from 'vue';
import type { RouteLocationRaw } from 'vue-router';
import type {
  AnalyticsOverview,
  AnalyticsTrend,
  OnboardingState,
  PendingWork,
  ShopSettings,
} from '@shopfleet/contracts';
import { getAnalyticsOverview, getAnalyticsTrend } from '@/api/analytics';
import { getOnboarding } from '@/api/onboarding';
import { getShop } from '@/api/shop';
import { chinaToday } from '@/components/analytics/figures';
import { useMenuItems } from '@/composables/use-menu-items';
import { merchantRoutes } from '@/router/routes';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { usePendingWorkStore } from '@/stores/pending-work';
import { shopH5Path } from '@/utils/format';

/** A card of the work waiting: its count and the list that holds that work. */
export interface WorkCard {
  key: keyof PendingWork;
  count: number;
  to: RouteLocationRaw;
}

/** Where each kind of work waiting is done. */
const WORK_LISTS: Record<keyof PendingWork, RouteLocationRaw> = {
  toShip: { name: 'merchant-orders', query: { status: 'paid' } },
  afterSales: { name: 'merchant-after-sales-list' },
  reviewsToAnswer: { name: 'merchant-product-reviews', query: { hidden: 'false' } },
  unreadChats: { name: 'merchant-support-workspace' },
};

/**
 * The merchant's home: who is signed in, which shop, its status, and where its H5 shop lives; the work waiting that
 * they may see (the same counts as the menus' badges); and, for whoever may read the shop's figures, today's key
 * figures beside yesterday's and today's trend by hour.
 */
export function useDashboard() {
  const session = useMerchantSessionStore();
  const pendingWork = usePendingWorkStore();
  const shop = ref<ShopSettings | null>(null);
  const loadingShop = ref(false);

  const me = computed(() => session.me);
  const tenant = computed(() => session.me?.tenant ?? null);
  const h5Path = computed(() => (tenant.value ? shopH5Path(tenant.value.slug) : ''));
  const menu = useMenuItems(merchantRoutes, session.can);
  const shortcuts = computed(() => menu.value.filter((item) => item.name !== 'merchant-dashboard'));
  const canSeeOnboarding = computed(() => session.can('onboarding:document:read'));
  const canSeeFirstSteps = computed(() => session.can('shop:settings:read'));
  /** Where a shop not yet open stands in onboarding: the same state the onboarding page shows. */
  const onboardingState = ref<OnboardingState | null>(null);

  async function loadOnboardingState(): Promise<void> {
    if (tenant.value?.status !== 'pending_review' || !canSeeOnboarding.value) return;
    try {
      onboardingState.value = (await getOnboarding()).state;
    } catch {
      onboardingState.value = null;
    }
  }

  /** A card for each list the person may see (the server says null for the others), in a fixed order. */
  const workCards = computed<WorkCard[]>(() => {
    const work = pendingWork.work;
    if (!work) return [];
    return (Object.keys(WORK_LISTS) as Array<keyof PendingWork>).flatMap((key) => {
      const count = work[key];
      return count === null ? [] : [{ key, count, to: WORK_LISTS[key] }];
    });
  });

  const canSeeFigures = computed(() => session.can('data:analytics:read'));
  const today = shallowRef<AnalyticsOverview | null>(null);
  const todayTrend = shallowRef<AnalyticsTrend | null>(null);
  const loadingFigures = ref(false);

  /** Today (China time) beside yesterday, and its hours. */
  async function loadFigures(): Promise<void> {
    if (!canSeeFigures.value) return;
    const day = chinaToday();
    loadingFigures.value = true;
    try {
      [today.value, todayTrend.value] = await Promise.all([
        getAnalyticsOverview({ from: day, to: day }),
        getAnalyticsTrend({ from: day, to: day }),
      ]);
    } catch {
      // Shown by the request client.
    } finally {
      loadingFigures.value = false;
    }
  }

  async function loadShop(): Promise<void> {
    if (!session.can('shop:settings:read')) return;
    loadingShop.value = true;
    try {
      shop.value = await getShop();
      session.applyShop(shop.value);
    } catch {
      shop.value = null;
    } finally {
      loadingShop.value = false;
    }
  }

  onMounted(() => {
    void loadShop();
    void loadOnboardingState();
    // The work waiting is asked for by the layout (on sign-in, every minute and on every change of page).
    void loadFigures();
  });

  return {
    me,
    tenant,
    shop,
    loadingShop,
    h5Path,
    shortcuts,
    canSeeOnboarding,
    canSeeFirstSteps,
    onboardingState,
    workCards,
    canSeeFigures,
    today,
    todayTrend,
    loadingFigures,
    loadFigures,
  };
}
