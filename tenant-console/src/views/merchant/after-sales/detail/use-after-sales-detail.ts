import { computed, ref, shallowRef, watch } from 'vue';
import type { AfterSalesCase, Refund } from '@shopfleet/contracts';
import { getAfterSales } from '@/api/after-sales';
import { getMerchantOrder } from '@/api/orders';
import { isApiError } from '@/api/request';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** One case, by id: the request, where it stands, its history, and the refund it made (read from its order). */
export function useAfterSalesDetail(id: () => number) {
  const session = useMerchantSessionStore();

  const item = shallowRef<AfterSalesCase | null>(null);
  const refund = shallowRef<Refund | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  /** The order number links to the order's page for those who may open it. */
  const canOpenOrder = computed(() => session.can('order:order:read'));

  /**
   * The case's refund as its order lists it (number, status): the case only knows its id. Quiet: the case's page
   * stands without it.
   */
  async function loadRefund(c: AfterSalesCase): Promise<void> {
    if (c.refundId === null || !canOpenOrder.value) {
      refund.value = null;
      return;
    }
    try {
      const order = await getMerchantOrder(c.orderId, { silent: true });
      if (item.value?.id === c.id) refund.value = order.refunds.find((r) => r.id === c.refundId) ?? null;
    } catch {
      refund.value = null;
    }
  }

  /** Show a case the server sent (loaded, or answered by a step). */
  function apply(next: AfterSalesCase): void {
    item.value = next;
    void loadRefund(next);
  }

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      apply(await getAfterSales(id()));
    } catch (error) {
      item.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** The history, newest first. */
  const history = computed(() => (item.value ? [...item.value.history].reverse() : []));

  watch(id, load, { immediate: true });

  return { item, refund, loading, notFound, failed, canOpenOrder, history, load, apply };
}
