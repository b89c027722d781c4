import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { MerchantOrder } from '@shopfleet/contracts';
import { ORDER_LIMITS } from '@shopfleet/contracts/constants';
import { isApiError } from '@/api/request';
import { getMerchantOrder, remarkOrder } from '@/api/orders';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** One order, by id: everything about it, and the shop's own remark on it. */
export function useOrderDetail(id: () => number) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();

  const order = ref<MerchantOrder | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  /** Lines link to their product's page for those who may open it. */
  const canOpenProducts = computed(() => session.can('catalog:product:read'));
  /** The order's after-sales cases link to their page for those who may read cases. */
  const canOpenCases = computed(() => session.can('aftersale:case:read'));

  // ---- the merchant's remark ----
  const canRemark = computed(() => session.can('order:order:manage'));
  const remark = ref('');
  const remarkSaving = ref(false);
  const remarkDirty = computed(() => order.value !== null && remark.value.trim() !== order.value.merchantRemark);

  /** Show an order the server sent (loaded, or answered by an action); an unsaved remark is kept. */
  function apply(next: MerchantOrder): void {
    const keepRemark = order.value?.id === next.id && remarkDirty.value;
    order.value = next;
    if (!keepRemark) remark.value = next.merchantRemark;
  }

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      apply(await getMerchantOrder(id()));
    } catch (error) {
      order.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  async function saveRemark(): Promise<void> {
    if (!order.value || !remarkDirty.value) return;
    remarkSaving.value = true;
    try {
      const next = await remarkOrder(order.value.id, { remark: remark.value.trim() });
      order.value = next;
      remark.value = next.merchantRemark;
      ElMessage.success(t('orders.detail.remarkSaved'));
    } catch {
      // Shown by the request client; the text stays in the box.
    } finally {
      remarkSaving.value = false;
    }
  }

  function resetRemark(): void {
    remark.value = order.value?.merchantRemark ?? '';
  }

  /** The timeline, newest first. */
  const events = computed(() => (order.value ? [...order.value.events].reverse() : []));

  watch(id, load, { immediate: true });

  return {
    order,
    loading,
    notFound,
    failed,
    events,
    load,
    apply,
    canOpenProducts,
    canOpenCases,
    canRemark,
    remark,
    remarkMax: ORDER_LIMITS.remarkMax,
    remarkDirty,
    remarkSaving,
    saveRemark,
    resetRemark,
  };
}
