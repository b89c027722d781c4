import { computed, onMounted, ref } from 'vue';
import type { FirstStep, FirstSteps } from '@shopfleet/contracts';
import { getFirstSteps } from '@/api/onboarding';

/** Where each first step is done in the console. */
export const FIRST_STEP_ROUTES: Record<FirstStep, string> = {
  products: 'merchant-catalog-products',
  payment: 'merchant-payment-settings',
  appearance: 'merchant-miniapp-appearance',
  release: 'merchant-miniapp-release',
};

/** An approved shop's first steps, as the server ticks them from the shop's data. */
export function useFirstSteps() {
  const data = ref<FirstSteps | null>(null);
  const loading = ref(false);

  const steps = computed(() => data.value?.steps ?? []);
  /** The first step not done yet: the one the guide points at. */
  const next = computed(() => steps.value.find((step) => !step.done)?.key ?? null);
  const doneCount = computed(() => steps.value.filter((step) => step.done).length);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      data.value = await getFirstSteps();
    } catch {
      data.value = null;
    } finally {
      loading.value = false;
    }
  }

  onMounted(load);

  return { data, steps, next, doneCount, loading, load };
}
