import { computed, reactive, ref, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type FormInstance, type FormRules } from 'element-plus';
import type { MerchantOrder, OrderStatus } from '@shopfleet/contracts';
import {
  CARRIER_CODES,
  CARRIERS,
  ORDER_LIMITS,
  TRACKING_NO_PATTERN,
  type CarrierCode,
} from '@shopfleet/contracts/constants';
import { cancelMerchantOrder, shipOrder } from '@/api/orders';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { formatFen } from '@/utils/money';

export interface ShipForm {
  carrier: CarrierCode | '';
  trackingNo: string;
}

const CANCELLABLE: readonly OrderStatus[] = ['pending_payment', 'paid'];

/**
 * What staff can do with an order, by its state and their permissions: ship a paid order (carrier and
 * tracking number), cancel one not yet shipped (a paid one is refunded in full), refund part or all of
 * what is left (the dialog is `useRefundDialog`). Each answers with the updated order, handed to `apply`.
 */
export function useOrderActions(order: Ref<MerchantOrder | null>, apply: (next: MerchantOrder) => void) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('order:order:manage'));
  const canRefundOrders = computed(() => session.can('order:refund:manage'));

  /**
   * What can still go back to the shopper: what was paid less what was refunded or is being refunded.
   * A closed order has some left only when a refund of it failed.
   */
  const refundableFen = computed(() =>
    order.value?.payment ? Math.max(0, order.value.payment.amountFen - order.value.refundedFen) : 0,
  );

  const canShip = computed(() => canManage.value && order.value?.status === 'paid');
  /** A group-buy order ships once its group has formed (the server answers 409 GROUP_NOT_FORMED before). */
  const shipWaiting = computed(() => order.value?.activity?.waiting === true);
  const canCancel = computed(
    () => canRefundOrders.value && order.value !== null && CANCELLABLE.includes(order.value.status),
  );
  const canRefund = computed(() => canRefundOrders.value && refundableFen.value > 0);

  // ---- ship ----
  const shipOpen = ref(false);
  const shipFormRef = useTemplateRef<FormInstance>('shipFormEl');
  const shipForm = reactive<ShipForm>({ carrier: '', trackingNo: '' });
  const shipping = ref(false);
  const carriers = CARRIER_CODES.map((code) => ({ code, name: CARRIERS[code] }));

  const shipRules = computed<FormRules<ShipForm>>(() => ({
    carrier: [{ required: true, message: t('orders.ship.carrierRequired'), trigger: 'change' }],
    trackingNo: [
      { required: true, message: t('orders.ship.trackingNoRequired'), trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, _value, callback) =>
          TRACKING_NO_PATTERN.test(shipForm.trackingNo.trim())
            ? callback()
            : callback(new Error(t('orders.ship.trackingNoInvalid'))),
      },
    ],
  }));

  function openShip(): void {
    Object.assign(shipForm, { carrier: '', trackingNo: '' });
    shipOpen.value = true;
    shipFormRef.value?.clearValidate();
  }

  async function confirmShip(): Promise<void> {
    const current = order.value;
    if (!current) return;
    const valid = await shipFormRef.value?.validate().catch(() => false);
    if (!valid || !shipForm.carrier) return;
    shipping.value = true;
    try {
      apply(await shipOrder(current.id, { carrier: shipForm.carrier, trackingNo: shipForm.trackingNo.trim() }));
      shipOpen.value = false;
      ElMessage.success(t('orders.ship.done'));
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      shipping.value = false;
    }
  }

  // ---- cancel ----
  const cancelOpen = ref(false);
  const cancelReason = ref('');
  const cancelReasonError = ref('');
  const cancelling = ref(false);
  /** Cancelling a paid order refunds what is left of it. */
  const cancelRefundText = computed(() =>
    order.value?.status === 'paid' ? t('orders.cancel.refundNotice', { amount: formatFen(refundableFen.value) }) : '',
  );

  function openCancel(): void {
    cancelReason.value = '';
    cancelReasonError.value = '';
    cancelOpen.value = true;
  }

  async function confirmCancel(): Promise<void> {
    const current = order.value;
    if (!current) return;
    const reason = cancelReason.value.trim();
    if (!reason || reason.length > ORDER_LIMITS.cancelReasonMax) {
      cancelReasonError.value = t('orders.cancel.reasonRequired', { max: ORDER_LIMITS.cancelReasonMax });
      return;
    }
    cancelling.value = true;
    try {
      apply(await cancelMerchantOrder(current.id, { reason }));
      cancelOpen.value = false;
      ElMessage.success(t('orders.cancel.done'));
    } catch {
      // Shown by the request client; the dialog keeps the reason.
    } finally {
      cancelling.value = false;
    }
  }

  watch(cancelReason, () => (cancelReasonError.value = ''));

  return {
    refundableFen,
    canShip,
    shipWaiting,
    canCancel,
    canRefund,
    carriers,
    shipOpen,
    shipForm,
    shipRules,
    shipping,
    openShip,
    confirmShip,
    cancelOpen,
    cancelReason,
    cancelReasonError,
    cancelReasonMax: ORDER_LIMITS.cancelReasonMax,
    cancelRefundText,
    cancelling,
    openCancel,
    confirmCancel,
  };
}
