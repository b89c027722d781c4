import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { ArbitrationDetail, ComplaintDecision, ComplaintDecisionBody } from '@shopfleet/contracts';
import { COMPLAINT_LIMITS } from '@shopfleet/contracts/constants';
import { decideArbitration, getArbitration } from '@/api/complaints';
import { isApiError } from '@/api/request';
import { usePlatformSessionStore } from '@/stores/platform-session';
import { fenToYuan, formatFen, yuanToFen } from '@/utils/money';
import { arbitrationQueueLocation } from '../queue/use-arbitration-queue';

export interface DecideForm {
  decision: ComplaintDecision;
  /** Yuan as typed, two decimals; sent as whole fen. */
  amount: number | null;
  note: string;
}

/** After these the complaint or its order changed under the decision: read it again (the request client said why). */
const STALE_REASONS = new Set(['COMPLAINT_NOT_OPEN', 'REFUND_TOO_LARGE', 'COMPLAINT_CASE_UNITS_GONE']);

/**
 * One complaint in the platform's arbitration: both sides' statements, the case with its history, the order's money;
 * and, while it is open and the staff member may decide, the decision. A refund is prefilled with what the case's units
 * paid (exactly that refunds those units and ends the case refunded), else with what the shopper asked, never more than
 * the order has left; any other amount is refunded from the order as an amount. A refusal refunds nothing. Each needs
 * its reason (both sides read it) and is confirmed first; the page then shows the decision the server answers with.
 */
export function useArbitrationDetail(id: () => number) {
  const { t } = useI18n();
  const session = usePlatformSessionStore();

  const detail = shallowRef<ArbitrationDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  const complaint = computed(() => detail.value?.complaint ?? null);
  const order = computed(() => detail.value?.order ?? null);
  const canDecide = computed(() => session.can('platform:complaint:decide') && complaint.value?.status === 'open');
  /** The most a refund can give back now; 0 when the complaint names no order, or nothing is left of it. */
  const refundableFen = computed(() => order.value?.refundableFen ?? 0);
  const canRefund = computed(() => refundableFen.value > 0);
  const caseUnitsFen = computed(() => order.value?.caseUnitsFen ?? null);

  const form = reactive<DecideForm>({ decision: 'refund', amount: null, note: '' });
  const amountError = ref('');
  const noteError = ref('');
  const deciding = ref(false);

  const amountFen = computed(() => (form.amount == null ? null : yuanToFen(form.amount)));
  /** The amount typed is what the case's units paid: the refund takes them back and the case ends refunded. */
  const refundsCaseUnits = computed(() => caseUnitsFen.value !== null && amountFen.value === caseUnitsFen.value);

  /** What a refund starts at: the case's units, else the shopper's ask, within what is left; empty when neither. */
  function suggestedFen(d: ArbitrationDetail): number | null {
    const left = d.order?.refundableFen ?? 0;
    const wanted = d.order?.caseUnitsFen ?? d.complaint.requestedFen;
    return wanted === null || left <= 0 ? null : Math.min(wanted, left);
  }

  function resetForm(d: ArbitrationDetail): void {
    const suggested = suggestedFen(d);
    const canGiveBack = (d.order?.refundableFen ?? 0) > 0;
    Object.assign(form, {
      decision: canGiveBack ? 'refund' : 'refuse',
      amount: suggested === null ? null : fenToYuan(suggested),
      note: '',
    });
    amountError.value = '';
    noteError.value = '';
  }

  async function load(options: { keepForm?: boolean } = {}): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      const next = await getArbitration(id());
      detail.value = next;
      if (!options.keepForm) resetForm(next);
    } catch (error) {
      detail.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** The body to send, or null when the form says what is missing. */
  function bodyOf(): ComplaintDecisionBody | null {
    const note = form.note.trim();
    let ok = true;
    if (!note || note.length > COMPLAINT_LIMITS.decisionNoteMax) {
      noteError.value = t('afterSales.arbitration.decide.noteRequired', { max: COMPLAINT_LIMITS.decisionNoteMax });
      ok = false;
    }
    if (form.decision === 'refuse') return ok ? { decision: 'refuse', note } : null;
    const fen = amountFen.value;
    if (fen === null) amountError.value = t('afterSales.arbitration.decide.amountRequired');
    else if (fen < 1) amountError.value = t('afterSales.arbitration.decide.amountMin');
    else if (fen > refundableFen.value)
      amountError.value = t('afterSales.arbitration.decide.amountMax', { max: formatFen(refundableFen.value) });
    if (fen === null || amountError.value) return null;
    return ok ? { decision: 'refund', amountFen: fen, note } : null;
  }

  function confirmText(body: ComplaintDecisionBody): string {
    if (body.decision === 'refuse') return t('afterSales.arbitration.decide.confirmRefuse');
    const amount = formatFen(body.amountFen);
    return refundsCaseUnits.value
      ? t('afterSales.arbitration.decide.confirmRefundUnits', { amount })
      : t('afterSales.arbitration.decide.confirmRefund', { amount });
  }

  async function decide(): Promise<void> {
    const current = complaint.value;
    if (!current || !canDecide.value) return;
    const body = bodyOf();
    if (!body) return;
    try {
      await ElMessageBox.confirm(confirmText(body), t('afterSales.arbitration.decide.title'), {
        type: 'warning',
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    deciding.value = true;
    try {
      detail.value = await decideArbitration(current.id, body);
      ElMessage.success(t('afterSales.arbitration.decide.done'));
    } catch (error) {
      if (isApiError(error) && error.reason && STALE_REASONS.has(error.reason)) await load({ keepForm: true });
    } finally {
      deciding.value = false;
    }
  }

  watch(
    () => form.amount,
    () => (amountError.value = ''),
  );
  watch(
    () => form.decision,
    () => (amountError.value = ''),
  );
  watch(
    () => form.note,
    () => (noteError.value = ''),
  );
  watch(id, () => load(), { immediate: true });

  return {
    detail,
    complaint,
    order,
    loading,
    notFound,
    failed,
    canDecide,
    canRefund,
    refundableFen,
    caseUnitsFen,
    refundsCaseUnits,
    form,
    amountError,
    noteError,
    noteMax: COMPLAINT_LIMITS.decisionNoteMax,
    deciding,
    load,
    decide,
    backLocation: arbitrationQueueLocation,
  };
}
