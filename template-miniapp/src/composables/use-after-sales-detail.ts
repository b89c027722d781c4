import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { AfterSalesCase, CarrierCode } from '@shopfleet/contracts';
import { CARRIER_CODES, TRACKING_NO_PATTERN } from '@shopfleet/contracts/constants';
import { cancelAfterSales, confirmReplacement, getAfterSales, shipBackAfterSales } from '../api/after-sales';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import {
  afterSalesActorText,
  afterSalesHint,
  afterSalesKindText,
  afterSalesNoteText,
  afterSalesReasonText,
  afterSalesStatusText,
  carrierText,
  describeAfterSalesEvent,
  isCarrier,
} from '../utils/after-sales';
import { canComplainAboutCase } from '../utils/complaints';
import { formatFen } from '../utils/money';
import { openComplaintApply, openLogin, openOrder } from '../utils/routes';
import { formatDateTime } from '../utils/time';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

type Shipment = NonNullable<AfterSalesCase['returnShipment']>;

function shipmentView(s: Shipment | null) {
  return s ? { carrier: carrierText(s.carrier), trackingNo: s.trackingNo, at: formatDateTime(s.at) } : null;
}

/**
 * One case: where it stands in plain words with its deadline, the amount, the return address once agreed, the
 * parcels, the history of both sides, and what the shopper can do now — withdraw it (requested, approved), say how the
 * goods went back (approved), confirm an exchange's replacement arrived (reshipped), take it to the platform (refused
 * or closed).
 */
export function useAfterSalesDetail() {
  let caseId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const found = ref<AfterSalesCase | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** When the case was read: the time left is counted from here. */
  const readAt = ref(Date.now());
  const dialog = ref<'cancel' | 'confirm' | null>(null);
  const acting = ref(false);
  const shipForm = ref(false);
  const carrierSheet = ref(false);
  const carrier = ref<CarrierCode | null>(null);
  const trackingNo = ref('');
  const shipError = ref<string | null>(null);

  const statusText = computed(() => (found.value ? afterSalesStatusText(found.value.status) : ''));
  const hint = computed(() => (found.value ? afterSalesHint(found.value, readAt.value) : ''));
  const deadlineText = computed(() =>
    found.value?.deadlineAt ? t('afterSales.detail.deadline', { at: formatDateTime(found.value.deadlineAt) }) : '',
  );
  const kindText = computed(() => (found.value ? afterSalesKindText(found.value.kind) : ''));
  const reasonText = computed(() => (found.value ? afterSalesReasonText(found.value.reason) : ''));
  const amountText = computed(() => (found.value ? formatFen(found.value.amountFen) : ''));
  /** The return address while the goods are on their way back or with the merchant. */
  const returnAddress = computed(() => {
    const c = found.value;
    if (!c?.returnAddress || !['approved', 'returned', 'received'].includes(c.status)) return null;
    const a = c.returnAddress;
    return { name: a.name, phone: a.phone, text: `${a.province}${a.city}${a.district}${a.detail}` };
  });
  const returnShipment = computed(() => shipmentView(found.value?.returnShipment ?? null));
  const replacementShipment = computed(() => shipmentView(found.value?.replacementShipment ?? null));
  /** Newest first. */
  const history = computed(() =>
    [...(found.value?.history ?? [])].reverse().map((e, index) => ({
      key: `${e.at}-${index}`,
      type: e.type,
      text: describeAfterSalesEvent(e),
      actor: afterSalesActorText(e.actorType),
      note: afterSalesNoteText(e),
      photoUrls: e.photoUrls,
      at: formatDateTime(e.at),
    })),
  );
  const carriers = CARRIER_CODES.map((code) => ({ value: code, label: carrierText(code) }));
  const carrierName = computed(() => (carrier.value ? carrierText(carrier.value) : ''));

  const canCancel = computed(() => found.value?.status === 'requested' || found.value?.status === 'approved');
  const canShipBack = computed(() => found.value?.status === 'approved');
  const canConfirm = computed(() => found.value?.status === 'reshipped');
  /** Refused (the request or the returned goods) or closed: the shopper may take it to the platform. */
  const canComplain = computed(() => (found.value ? canComplainAboutCase(found.value.status) : false));

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      sendToLogin();
      return;
    }
    if (caseId === null) {
      error.value = t('errors.reasons.AFTER_SALES_NOT_FOUND');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      found.value = await getAfterSales(caseId);
      readAt.value = Date.now();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  /**
   * Takes a step; a 409 (the case moved meanwhile: the merchant answered, a deadline passed) is said in words and the
   * case read again, as is any other failure.
   */
  async function act(step: () => Promise<AfterSalesCase>, done: string): Promise<boolean> {
    if (acting.value) return false;
    acting.value = true;
    try {
      found.value = await step();
      readAt.value = Date.now();
      uni.showToast({ title: done, icon: 'none' });
      return true;
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
      if (e instanceof ApiError && e.status === 409) void load();
      return false;
    } finally {
      acting.value = false;
      dialog.value = null;
    }
  }

  function confirmDialog() {
    const id = caseId;
    if (id === null) return;
    if (dialog.value === 'cancel') void act(() => cancelAfterSales(id), t('afterSales.detail.cancelled'));
    else if (dialog.value === 'confirm') void act(() => confirmReplacement(id), t('afterSales.detail.confirmed'));
  }

  function openShipForm() {
    shipError.value = null;
    shipForm.value = true;
  }

  function pickCarrier(value: string) {
    if (isCarrier(value)) carrier.value = value;
    carrierSheet.value = false;
  }

  /** Says how the goods went back; a wrong number stays in the form to be corrected, a case that moved is read again. */
  async function sendShipment() {
    const id = caseId;
    const code = carrier.value;
    const number = trackingNo.value.trim();
    if (id === null || acting.value) return;
    if (!code) {
      shipError.value = t('afterSales.detail.chooseCarrier');
      return;
    }
    if (!TRACKING_NO_PATTERN.test(number)) {
      shipError.value = t('afterSales.detail.badTrackingNo');
      return;
    }
    shipError.value = null;
    acting.value = true;
    try {
      found.value = await shipBackAfterSales(id, { carrier: code, trackingNo: number });
      readAt.value = Date.now();
      shipForm.value = false;
      uni.showToast({ title: t('afterSales.detail.shipped'), icon: 'none' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        shipForm.value = false;
        uni.showToast({ title: describeError(e), icon: 'none' });
        void load();
      } else {
        shipError.value = describeError(e);
      }
    } finally {
      acting.value = false;
    }
  }

  function copy(text: string) {
    uni.setClipboardData({ data: text, success: () => uni.showToast({ title: t('common.copied'), icon: 'none' }) });
  }

  function copyAddress() {
    const a = returnAddress.value;
    if (a) copy(`${a.name} ${a.phone} ${a.text}`);
  }

  function previewPhoto(urls: readonly string[], index: number) {
    uni.previewImage({ urls: [...urls], current: urls[index] ?? urls[0] });
  }

  useShopBars({ tabPage: false, title: () => t('nav.afterSales') });
  onLoad((query) => {
    caseId = pageQueryId(query, 'id');
  });
  onShow(() => {
    void load();
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    found,
    loading,
    error,
    statusText,
    hint,
    deadlineText,
    kindText,
    reasonText,
    amountText,
    returnAddress,
    returnShipment,
    replacementShipment,
    history,
    carriers,
    carrier,
    carrierName,
    trackingNo,
    shipForm,
    carrierSheet,
    shipError,
    canCancel,
    canShipBack,
    canConfirm,
    canComplain,
    dialog,
    acting,
    formatDateTime,
    askCancel: () => {
      dialog.value = 'cancel';
    },
    askConfirm: () => {
      dialog.value = 'confirm';
    },
    closeDialog: () => {
      dialog.value = null;
    },
    confirmDialog,
    openShipForm,
    closeShipForm: () => {
      shipForm.value = false;
    },
    openCarriers: () => {
      carrierSheet.value = true;
    },
    closeCarriers: () => {
      carrierSheet.value = false;
    },
    pickCarrier,
    sendShipment,
    copy,
    copyAddress,
    previewPhoto,
    openOrder: () => {
      if (found.value) openOrder(found.value.orderId);
    },
    complain: () => {
      if (found.value) openComplaintApply(found.value.orderId, found.value.id);
    },
    goSignIn: openLogin,
    retry: load,
  };
}
