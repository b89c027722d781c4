import { computed, reactive, ref, shallowRef, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormRules } from 'element-plus';
import type { AfterSalesCase, ReturnAddress } from '@shopfleet/contracts';
import {
  AFTER_SALES_LIMITS,
  CARRIER_CODES,
  CARRIERS,
  TRACKING_NO_PATTERN,
  type CarrierCode,
} from '@shopfleet/contracts/constants';
import {
  approveAfterSales,
  listReturnAddresses,
  receiveAfterSales,
  refuseAfterSales,
  refuseReceiptAfterSales,
  reshipAfterSales,
} from '@/api/after-sales';
import { isApiError } from '@/api/request';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { formatFen } from '@/utils/money';
import { addressLine } from '../common/return-address-text';
import { usePhotoPicker } from './use-photo-picker';

/** Refusing a request, or refusing the goods that came back: the same note and photos, another endpoint. */
export type RefuseMode = 'refuse' | 'refuseReceipt';

export interface ReshipForm {
  carrier: CarrierCode | '';
  trackingNo: string;
}

/**
 * The merchant's steps on a case, by its state and their permission: agree (a return or an exchange to one of the
 * shop's return addresses), refuse with a note and photos, confirm the goods came back (a return is then refunded),
 * refuse them, ship an exchange's replacement. Each step is confirmed, sent, and the page re-rendered from the case
 * the server answers with; when the case moved on meanwhile (409 AFTER_SALES_STEP_NOT_ALLOWED) the request client
 * says so and the page loads it again.
 */
export function useAfterSalesActions(
  item: Ref<AfterSalesCase | null>,
  apply: (next: AfterSalesCase) => void,
  reload: () => Promise<void>,
) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();
  const canManage = computed(() => session.can('aftersale:case:manage'));

  const status = computed(() => item.value?.status);
  const canAnswer = computed(() => canManage.value && status.value === 'requested');
  const canReceive = computed(() => canManage.value && status.value === 'returned');
  const canReship = computed(() => canManage.value && status.value === 'received');
  const busy = ref(false);

  /** Asks before a step; false when the merchant says no. */
  async function confirmed(message: string, title: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, {
        type: 'warning',
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sends a step and shows the case it answers with. True when the case is settled for this dialog: done, or moved on
   * meanwhile (then reloaded). False when it failed otherwise (the request client has said why; the input stays).
   */
  async function run(step: (id: number) => Promise<AfterSalesCase>, done: string): Promise<boolean> {
    const current = item.value;
    if (!current) return false;
    busy.value = true;
    try {
      apply(await step(current.id));
      ElMessage.success(done);
      return true;
    } catch (error) {
      if (isApiError(error) && error.reason === 'AFTER_SALES_STEP_NOT_ALLOWED') {
        await reload();
        return true;
      }
      return false;
    } finally {
      busy.value = false;
      void counts.refresh();
    }
  }

  // ---- 同意 ----
  const approveOpen = ref(false);
  const addresses = shallowRef<ReturnAddress[]>([]);
  const addressesLoading = ref(false);
  const approveForm = reactive<{ addressId: number | undefined; note: string }>({ addressId: undefined, note: '' });
  const approveError = ref('');

  async function loadAddresses(): Promise<void> {
    addressesLoading.value = true;
    try {
      addresses.value = await listReturnAddresses();
      const keep = addresses.value.some((a) => a.id === approveForm.addressId);
      if (!keep) approveForm.addressId = (addresses.value.find((a) => a.isDefault) ?? addresses.value[0])?.id;
    } catch {
      addresses.value = [];
    } finally {
      addressesLoading.value = false;
    }
  }

  /** A refund-only case is refunded on agreeing (asked once); a return or an exchange opens the address dialog. */
  async function startApprove(): Promise<void> {
    const current = item.value;
    if (!current) return;
    if (current.kind === 'refund_only') {
      const yes = await confirmed(
        t('afterSales.approve.refundConfirm', { amount: formatFen(current.amountFen) }),
        t('afterSales.approve.title'),
      );
      if (yes) await run((id) => approveAfterSales(id, { note: '' }), t('afterSales.approve.refunded'));
      return;
    }
    Object.assign(approveForm, { addressId: undefined, note: '' });
    approveError.value = '';
    approveOpen.value = true;
    await loadAddresses();
  }

  async function confirmApprove(): Promise<void> {
    const chosen = addresses.value.find((a) => a.id === approveForm.addressId);
    if (!chosen) {
      approveError.value = t('afterSales.approve.addressRequired');
      return;
    }
    const note = approveForm.note.trim();
    const yes = await confirmed(
      t('afterSales.approve.returnConfirm', { address: `${chosen.name} ${chosen.phone} ${addressLine(chosen)}` }),
      t('afterSales.approve.title'),
    );
    if (!yes) return;
    const settled = await run(
      (id) => approveAfterSales(id, { returnAddressId: chosen.id, note }),
      t('afterSales.approve.approved'),
    );
    if (settled) approveOpen.value = false;
  }

  watch(
    () => approveForm.addressId,
    () => (approveError.value = ''),
  );

  // ---- 拒绝 / 拒绝收货 ----
  const refuseOpen = ref(false);
  const refuseMode = ref<RefuseMode>('refuse');
  const refuseNote = ref('');
  const refuseNoteError = ref('');
  const photos = usePhotoPicker(AFTER_SALES_LIMITS.photosMax);

  function openRefuse(mode: RefuseMode): void {
    refuseMode.value = mode;
    refuseNote.value = '';
    refuseNoteError.value = '';
    photos.clear();
    refuseOpen.value = true;
  }

  async function confirmRefuse(): Promise<void> {
    const note = refuseNote.value.trim();
    if (!note || note.length > AFTER_SALES_LIMITS.noteMax) {
      refuseNoteError.value = t('afterSales.refuse.noteRequired', { max: AFTER_SALES_LIMITS.noteMax });
      return;
    }
    if (photos.uploading.value) {
      ElMessage.warning(t('afterSales.photos.uploading'));
      return;
    }
    const texts = `afterSales.${refuseMode.value}`;
    if (!(await confirmed(t(`${texts}.confirm`), t(`${texts}.title`)))) return;
    const body = { note, photoIds: [...photos.photoIds.value] };
    const send = refuseMode.value === 'refuse' ? refuseAfterSales : refuseReceiptAfterSales;
    const settled = await run((id) => send(id, body), t(`${texts}.done`));
    if (settled) refuseOpen.value = false;
  }

  watch(refuseNote, () => (refuseNoteError.value = ''));

  // ---- 确认收货 ----
  /** A return is refunded once its goods are confirmed; an exchange waits for its replacement to be shipped. */
  async function receive(): Promise<void> {
    const current = item.value;
    if (!current) return;
    const message =
      current.kind === 'return_refund'
        ? t('afterSales.receive.refundConfirm', { amount: formatFen(current.amountFen) })
        : t('afterSales.receive.exchangeConfirm');
    if (!(await confirmed(message, t('afterSales.receive.title')))) return;
    await run(
      receiveAfterSales,
      current.kind === 'return_refund' ? t('afterSales.receive.refunded') : t('afterSales.receive.received'),
    );
  }

  // ---- 发出换货 ----
  const reshipOpen = ref(false);
  const reshipFormRef = useTemplateRef<FormInstance>('reshipFormEl');
  const reshipForm = reactive<ReshipForm>({ carrier: '', trackingNo: '' });
  const carriers = CARRIER_CODES.map((code) => ({ code, name: CARRIERS[code] }));

  const reshipRules = computed<FormRules<ReshipForm>>(() => ({
    carrier: [{ required: true, message: t('orders.ship.carrierRequired'), trigger: 'change' }],
    trackingNo: [
      { required: true, message: t('orders.ship.trackingNoRequired'), trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, _value, callback) =>
          TRACKING_NO_PATTERN.test(reshipForm.trackingNo.trim())
            ? callback()
            : callback(new Error(t('orders.ship.trackingNoInvalid'))),
      },
    ],
  }));

  function openReship(): void {
    Object.assign(reshipForm, { carrier: '', trackingNo: '' });
    reshipOpen.value = true;
    reshipFormRef.value?.clearValidate();
  }

  async function confirmReship(): Promise<void> {
    const valid = await reshipFormRef.value?.validate().catch(() => false);
    const carrier = reshipForm.carrier;
    if (!valid || !carrier) return;
    const trackingNo = reshipForm.trackingNo.trim();
    const yes = await confirmed(
      t('afterSales.reship.confirm', { carrier: CARRIERS[carrier], trackingNo }),
      t('afterSales.reship.title'),
    );
    if (!yes) return;
    const settled = await run((id) => reshipAfterSales(id, { carrier, trackingNo }), t('afterSales.reship.done'));
    if (settled) reshipOpen.value = false;
  }

  return {
    canManage,
    canAnswer,
    canReceive,
    canReship,
    busy,
    noteMax: AFTER_SALES_LIMITS.noteMax,
    approveOpen,
    addresses,
    addressesLoading,
    approveForm,
    approveError,
    loadAddresses,
    startApprove,
    confirmApprove,
    refuseOpen,
    refuseMode,
    refuseNote,
    refuseNoteError,
    photos,
    openRefuse,
    confirmRefuse,
    receive,
    reshipOpen,
    reshipForm,
    reshipRules,
    carriers,
    openReship,
    confirmReship,
  };
}
