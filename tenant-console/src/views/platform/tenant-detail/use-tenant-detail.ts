import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { TenantDetail } from '@shopfleet/contracts';
import { isApiError } from '@/api/request';
import { getTenant, reinstateTenant, suspendTenant } from '@/api/tenants';
import { usePlatformSessionStore } from '@/stores/platform-session';
import { shopH5Path } from '@/utils/format';

export type StatusAction = 'suspend' | 'reinstate';

const REASON_MIN = 2;
const REASON_MAX = 500;

/** One tenant, by id: its profile and documents, and suspending or reinstating it with a reason. */
export function useTenantDetail(id: () => number) {
  const { t } = useI18n();
  const session = usePlatformSessionStore();

  const tenant = ref<TenantDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  const h5Path = computed(() => (tenant.value ? shopH5Path(tenant.value.slug) : ''));
  const canManage = computed(() => session.can('platform:tenant:manage'));
  /** An active tenant can be suspended; a suspended one reinstated. */
  const availableAction = computed<StatusAction | null>(() => {
    if (!tenant.value || !canManage.value) return null;
    if (tenant.value.status === 'active') return 'suspend';
    if (tenant.value.status === 'suspended') return 'reinstate';
    return null;
  });

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

  // ---- suspend / reinstate ----
  const dialogAction = ref<StatusAction | null>(null);
  const reason = ref('');
  const reasonError = ref('');
  const changing = ref(false);

  const dialogOpen = computed({
    get: () => dialogAction.value !== null,
    set: (open: boolean) => {
      if (!open) dialogAction.value = null;
    },
  });

  function openStatusDialog(action: StatusAction): void {
    dialogAction.value = action;
    reason.value = '';
    reasonError.value = '';
  }

  async function confirmStatusChange(): Promise<void> {
    const action = dialogAction.value;
    if (!action || !tenant.value) return;
    const text = reason.value.trim();
    if (text.length < REASON_MIN || text.length > REASON_MAX) {
      reasonError.value = t('tenantDetail.reasonLength', { min: REASON_MIN, max: REASON_MAX });
      return;
    }
    changing.value = true;
    try {
      const change = action === 'suspend' ? suspendTenant : reinstateTenant;
      tenant.value = await change(tenant.value.id, { reason: text });
      dialogAction.value = null;
      ElMessage.success(t(action === 'suspend' ? 'tenantDetail.suspended' : 'tenantDetail.reinstated'));
    } catch {
      // Shown by the request client; the dialog keeps the reason.
    } finally {
      changing.value = false;
    }
  }

  watch(reason, () => (reasonError.value = ''));
  watch(id, load, { immediate: true });

  return {
    tenant,
    loading,
    notFound,
    failed,
    h5Path,
    availableAction,
    dialogAction,
    dialogOpen,
    reason,
    reasonError,
    changing,
    load,
    openStatusDialog,
    confirmStatusChange,
  };
}
