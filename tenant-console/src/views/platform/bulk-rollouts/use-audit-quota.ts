import { onMounted, ref, shallowRef } from 'vue';
import type { AuditQuota } from '@shopfleet/contracts';
import { getAuditQuota } from '@/api/bulk-rollouts';
import { isApiError, notifyError } from '@/api/request';

/**
 * The platform's WeChat audit quota for this month: every shop of a bulk release spends one audit. When
 * no shop has authorized code management yet WeChat cannot be asked (409): the server's reason is shown
 * instead of the figures.
 */
export function useAuditQuota() {
  const quota = shallowRef<AuditQuota | null>(null);
  /** Why there are no figures (the server's 409 message), or null. */
  const unavailable = ref<string | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  let latest = 0;

  async function loadQuota(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const result = await getAuditQuota({ silent: true });
      if (ticket !== latest) return;
      quota.value = result;
      unavailable.value = null;
      failed.value = false;
    } catch (error) {
      if (ticket !== latest) return;
      quota.value = null;
      if (isApiError(error) && error.code === 'CONFLICT') {
        unavailable.value = error.message;
        failed.value = false;
      } else {
        unavailable.value = null;
        failed.value = true;
        notifyError(error);
      }
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  onMounted(loadQuota);

  return { quota, unavailable, quotaLoading: loading, quotaFailed: failed, loadQuota };
}
