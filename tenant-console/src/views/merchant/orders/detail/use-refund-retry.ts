import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { Refund } from '@shopfleet/contracts';
import { retryRefund } from '@/api/payments';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { formatFen } from '@/utils/money';

/**
 * A failed refund: why it failed, in the console's language, and a retry that sends it again under the
 * same refund number (the server reserves its amount on the order again, never more than is left);
 * the order is read again afterwards.
 */
export function useRefundRetry(reload: () => Promise<void>) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canRetryRefunds = computed(() => session.can('order:refund:manage'));
  const retryingRefund = ref<number | null>(null);

  function refundFailure(refund: Refund): string {
    return refund.failure ? t(`jobFailures.${refund.failure.code}`, refund.failure.params) : '';
  }

  async function retry(refund: Refund): Promise<void> {
    if (retryingRefund.value !== null) return;
    retryingRefund.value = refund.id;
    try {
      await retryRefund(refund.id);
      ElMessage.success(t('orders.refund.retried', { amount: formatFen(refund.amountFen) }));
      await reload();
    } catch {
      // Shown by the request client (no longer failed, or more than is left: 409).
    } finally {
      retryingRefund.value = null;
    }
  }

  return { canRetryRefunds, retryingRefund, refundFailure, retryRefund: retry };
}
