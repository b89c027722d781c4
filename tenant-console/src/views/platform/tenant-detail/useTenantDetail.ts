import { computed, ref, watch } from 'vue';
import type { TenantSummary } from '@shopfleet/contracts';
import { isApiError } from '@/api/request';
import { getTenant } from '@/api/tenants';
import { shopH5Path } from '@/utils/format';

/** One tenant, by id. */
export function useTenantDetail(id: () => number) {
  const tenant = ref<TenantSummary | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  const h5Path = computed(() => (tenant.value ? shopH5Path(tenant.value.slug) : ''));

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      tenant.value = await getTenant(id());
    } catch (error) {
      tenant.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  watch(id, load, { immediate: true });

  return { tenant, loading, notFound, failed, h5Path, load };
}
