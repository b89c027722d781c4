import { computed, reactive, ref, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormRules } from 'element-plus';
import type { MerchantOrder, OrderStatus } from '@shopfleet/contracts';
import { ORDER_LIMITS } from '@shopfleet/contracts/constants';
import { refundOrder, type RefundOrderBody } from '@/api/orders';
import { isApiError } from '@/api/request';
import { fenToYuan, formatFen, yuanToFen } from '@/utils/money';
import {
  estimateLineRefundFen,
  pickedLines,
  takesEveryUnit,
  unitsLeft,
  unitsPicked,
  type RefundPicks,
} from './refund-lines';

type Line = MerchantOrder['lines'][number];

/** By line (units of each, at what was paid for them) or by amount (of what is left). */
export type RefundMode = 'lines' | 'amount';

export interface RefundForm {
  /** Yuan as typed, two decimals; sent as whole fen. */
  amount: number | null;
  reason: string;
}

const CLOSED: readonly OrderStatus[] = ['cancelled', 'refunded'];

/**
 * The refund dialog: units of lines (the default while the order is open and has units left), each line's money shown
 * as an estimate since the server splits the discounts to the fen, or an amount of what is left. What is sent is
 * confirmed first; the answer (the order as it now is) is handed to `apply`. A 409 means the order changed under the
 * merchant (refunded elsewhere): it is read again with `reload` and the dialog keeps the input, within what is left.
 */
export function useRefundDialog(
  order: Ref<MerchantOrder | null>,
  refundableFen: Ref<number>,
  apply: (next: MerchantOrder) => void,
  reload: () => Promise<void>,
) {
  const { t } = useI18n();
  const refundOpen = ref(false);
  const refundMode = ref<RefundMode>('lines');
  const refundFormRef = useTemplateRef<FormInstance>('refundFormEl');
  const refundForm = reactive<RefundForm>({ amount: null, reason: '' });
  const refundPicks = ref<RefundPicks>({});
  const refundLinesError = ref('');
  const refunding = ref(false);
  /** What is left to refund, in yuan: the amount the dialog starts with. */
  const refundMaxYuan = computed(() => fenToYuan(refundableFen.value));

  /** Units are refunded by line while the order is open; a closed one (a refund of it failed) is refunded by amount. */
  const canRefundLines = computed(
    () =>
      order.value !== null && !CLOSED.includes(order.value.status) && order.value.lines.some((l) => unitsLeft(l) > 0),
  );
  const lines = computed(() => order.value?.lines ?? []);
  const linesToSend = computed(() => pickedLines(lines.value, refundPicks.value));
  /** The picks take the order's last units: the refund is all that is left (shipping too), exactly, and closes it. */
  const takesAllUnits = computed(() => takesEveryUnit(lines.value, refundPicks.value));
  /** What the picked units give back: exactly what is left when they are the last ones, else an estimate. */
  const linesRefundFen = computed(() =>
    takesAllUnits.value
      ? refundableFen.value
      : lines.value.reduce((sum, l) => sum + estimateLineRefundFen(l, unitsPicked(l, refundPicks.value)), 0),
  );

  function lineEstimateFen(line: Line): number {
    return estimateLineRefundFen(line, unitsPicked(line, refundPicks.value));
  }

  const refundRules = computed<FormRules<RefundForm>>(() => ({
    amount: [
      {
        trigger: 'blur',
        validator: (_rule, _value, callback) => {
          if (refundForm.amount == null) return callback(new Error(t('orders.refund.amountRequired')));
          const fen = yuanToFen(refundForm.amount);
          if (fen < 1) return callback(new Error(t('orders.refund.amountMin')));
          if (fen > refundableFen.value)
            return callback(new Error(t('orders.refund.amountMax', { max: formatFen(refundableFen.value) })));
          callback();
        },
      },
    ],
    reason: [
      { required: true, message: t('orders.refund.reasonRequired'), trigger: 'blur' },
      {
        max: ORDER_LIMITS.refundReasonMax,
        message: t('orders.refund.reasonLength', { max: ORDER_LIMITS.refundReasonMax }),
        trigger: 'blur',
      },
    ],
  }));

  function openRefund(): void {
    refundMode.value = canRefundLines.value ? 'lines' : 'amount';
    refundPicks.value = Object.fromEntries(lines.value.map((l) => [l.skuId, 0]));
    refundLinesError.value = '';
    Object.assign(refundForm, { amount: refundMaxYuan.value, reason: '' });
    refundOpen.value = true;
    refundFormRef.value?.clearValidate();
  }

  watch(linesToSend, () => (refundLinesError.value = ''));
  watch(refundMode, () => refundFormRef.value?.clearValidate());
  // Read again after a conflict: no line asks for more than it has left now.
  watch(lines, (now) => {
    for (const line of now) refundPicks.value[line.skuId] = unitsPicked(line, refundPicks.value);
  });

  /** Says what goes back (and that the last of it closes the order) and waits for the merchant's yes. */
  async function confirmSend(amountFen: number, estimated: boolean, status: OrderStatus): Promise<boolean> {
    const amount = estimated ? t('orders.refund.estimate', { amount: formatFen(amountFen) }) : formatFen(amountFen);
    // Refunding all that is left closes an open order; a closed one (a refund of it failed) stays closed.
    const full = !estimated && amountFen === refundableFen.value && !CLOSED.includes(status);
    let text: string;
    if (full)
      text = t('orders.refund.confirmFull', {
        amount,
        stock: status === 'paid' ? t('orders.refund.confirmFullStock') : '',
      });
    else if (estimated) text = t('orders.refund.confirmLines', { amount });
    else text = t('orders.refund.confirmPartial', { amount, max: formatFen(refundableFen.value) });
    try {
      await ElMessageBox.confirm(text, t('orders.refund.confirmTitle'), {
        type: 'warning',
        confirmButtonText: t('orders.refund.send', { amount }),
        cancelButtonText: t('orders.refund.back'),
      });
      return true;
    } catch {
      return false;
    }
  }

  async function confirmRefund(): Promise<void> {
    const current = order.value;
    if (!current) return;
    const byLines = refundMode.value === 'lines';
    if (byLines && linesToSend.value.length === 0) refundLinesError.value = t('orders.refund.linesRequired');
    const valid = await refundFormRef.value?.validate().catch(() => false);
    if (!valid || refundLinesError.value) return;
    const reason = refundForm.reason.trim();
    let body: RefundOrderBody;
    if (byLines) {
      body = { lines: linesToSend.value, reason };
      if (!(await confirmSend(linesRefundFen.value, !takesAllUnits.value, current.status))) return;
    } else {
      if (refundForm.amount == null) return;
      const amountFen = yuanToFen(refundForm.amount);
      body = { amountFen, reason };
      if (!(await confirmSend(amountFen, false, current.status))) return;
    }
    refunding.value = true;
    try {
      const next = await refundOrder(current.id, body);
      // The server's figure: the refund this made (by line, it split the discounts to the fen).
      const before = new Set(current.refunds.map((r) => r.id));
      const sentFen = next.refunds.filter((r) => !before.has(r.id)).reduce((sum, r) => sum + r.amountFen, 0);
      apply(next);
      refundOpen.value = false;
      ElMessage.success(t('orders.refund.done', { amount: formatFen(sentFen) }));
    } catch (error) {
      // Shown by the request client, from its reason.
      if (isApiError(error) && error.status === 409) await reload();
    } finally {
      refunding.value = false;
    }
  }

  return {
    refundOpen,
    refundMode,
    refundForm,
    refundRules,
    refundReasonMax: ORDER_LIMITS.refundReasonMax,
    refundPicks,
    refundLinesError,
    canRefundLines,
    takesAllUnits,
    linesRefundFen,
    lineEstimateFen,
    refunding,
    openRefund,
    confirmRefund,
  };
}
