import { computed, onMounted, ref } from 'vue';
import type { OnboardingState, ShopSettings } from '@shopfleet/contracts';
import { getOnboarding } from '@/api/onboarding';
import { getShop } from '@/api/shop';
import { useMenuItems } from '@/composables/use-menu-items';
import { merchantRoutes } from '@/router/routes';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { shopH5Path } from '@/utils/format';

/** The merchant's home: who is signed in, which shop, its status, and where its H5 shop lives. */
export function useDashboard() {
  const session = useMerchantSessionStore();
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
  });

  return { me, tenant, shop, loadingShop, h5Path, shortcuts, canSeeOnboarding, canSeeFirstSteps, onboardingState };
}
