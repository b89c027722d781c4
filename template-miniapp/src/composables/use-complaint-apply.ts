import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { AfterSalesCase, ComplaintReason, Order } from '@shopfleet/contracts';
import { COMPLAINT_LIMITS, COMPLAINT_REASONS } from '@shopfleet/contracts/constants';
import { getAfterSales, uploadAfterSalesPhoto } from '../api/after-sales';
import { fileComplaint } from '../api/complaints';
import { getOrder } from '../api/orders';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { afterSalesStatusText } from '../utils/after-sales';
import { canComplainAboutCase, complaintReasonText, isComplaintReason, refundableFen } from '../utils/complaints';
import { formatFen, parseYuanToFen } from '../utils/money';
import { openComplaint, openLogin } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';
import { usePhotoUploads } from './use-photo-uploads';

/**
 * The complaint form (about an order, or a case taken to the platform): what it is about (the order, and the case when one is named), why, the
 * shopper's statement and up to 9 photos, and optionally how much they want back (at most what the order has left).
 * Sending it opens the complaint. Whether one is already open is the server's to say (COMPLAINT_ALREADY_OPEN).
 */
export function useComplaintApply() {
  let orderId: number | null = null;
  let caseId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const order = ref<Order | null>(null);
  const theCase = ref<AfterSalesCase | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const reason = ref<ComplaintReason | null>(null);
  const reasonDialog = ref(false);
  const statement = ref('');
  const amount = ref('');
  const submitting = ref(false);
  const submitError = ref<string | null>(null);
  const photos = usePhotoUploads(COMPLAINT_LIMITS.photosMax, uploadAfterSalesPhoto);

  /** Why nothing can be complained about here (an unpaid order, a case still being handled); null when it can. */
  const closedReason = computed(() => {
    if (order.value && !order.value.payment) return t('errors.reasons.COMPLAINT_ORDER_UNPAID');
    if (theCase.value && !canComplainAboutCase(theCase.value.status))
      return t('errors.reasons.COMPLAINT_CASE_IN_PROGRESS');
    return null;
  });
  const reasonOptions = COMPLAINT_REASONS.map((value) => ({ value, label: complaintReasonText(value) }));
  const reasonText = computed(() => (reason.value ? complaintReasonText(reason.value) : ''));
  const maxFen = computed(() => (order.value ? refundableFen(order.value) : 0));
  const caseView = computed(() => {
    const c = theCase.value;
    return c
      ? {
          caseNo: c.caseNo,
          title: c.title,
          specText: c.specValues.join(' / '),
          imageUrl: c.imageUrl,
          statusText: afterSalesStatusText(c.status),
        }
      : null;
  });

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    // Once: coming back from the photo picker (a mini-program shows the page again) keeps what was filled in.
    if (!signedIn.value || order.value) return;
    if (orderId === null) {
      error.value = t('common.orderNotFound');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      const id = orderId;
      const [o, c] = await Promise.all([getOrder(id), caseId === null ? null : getAfterSales(caseId)]);
      if (c && c.orderId !== o.id) {
        error.value = t('errors.reasons.AFTER_SALES_NOT_FOUND');
        return;
      }
      order.value = o;
      theCase.value = c;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function pickReason(value: string) {
    if (isComplaintReason(value)) reason.value = value;
    reasonDialog.value = false;
  }

  /** What the shopper wants back in fen: undefined when left empty, null when it cannot be read or is out of range. */
  function requestedFen(): number | undefined | null {
    const fen = parseYuanToFen(amount.value);
    if (fen === undefined || fen === null) return fen;
    return fen >= 1 && fen <= maxFen.value ? fen : null;
  }

  /** What keeps the form from being sent, in words; null when it can be. */
  function problem(): string | null {
    if (!reason.value) return t('complaint.apply.chooseReason');
    if (!statement.value.trim()) return t('complaint.apply.statementRequired');
    if (requestedFen() === null) return t('complaint.apply.badAmount', { max: formatFen(maxFen.value) });
    if (photos.uploading.value) return t('afterSales.apply.waitUploads');
    if (photos.failed.value) return t('afterSales.apply.failedUploads');
    return null;
  }

  async function submit() {
    if (!order.value || submitting.value) return;
    const blocked = problem();
    if (blocked) {
      uni.showToast({ title: blocked, icon: 'none' });
      return;
    }
    submitting.value = true;
    submitError.value = null;
    try {
      const wanted = requestedFen();
      const filed = await fileComplaint({
        orderId: order.value.id,
        ...(theCase.value ? { caseId: theCase.value.id } : {}),
        reason: reason.value!,
        statement: statement.value.trim().slice(0, COMPLAINT_LIMITS.statementMax),
        photoIds: photos.ids.value,
        ...(typeof wanted === 'number' ? { requestedFen: wanted } : {}),
      });
      uni.showToast({ title: t('complaint.apply.sent'), icon: 'none' });
      openComplaint(filed.id, true);
    } catch (e) {
      submitError.value = describeError(e);
    } finally {
      submitting.value = false;
    }
  }

  // About a case: 'take it to the platform'; about the order itself: 'complain about the order'.
  useShopBars({
    tabPage: false,
    title: () => (caseId === null ? t('complaint.apply.orderTitle') : t('nav.complaintApply')),
  });
  onLoad((query) => {
    orderId = pageQueryId(query, 'orderId');
    caseId = pageQueryId(query, 'caseId');
  });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    statementMax: COMPLAINT_LIMITS.statementMax,
    photosMax: COMPLAINT_LIMITS.photosMax,
    signedIn,
    order,
    caseView,
    loading,
    error,
    closedReason,
    reasonOptions,
    reason,
    reasonText,
    reasonDialog,
    statement,
    amount,
    maxText: computed(() => formatFen(maxFen.value)),
    canAskAmount: computed(() => maxFen.value > 0),
    photos: photos.photos,
    uploading: photos.uploading,
    submitting,
    submitError,
    openReasons: () => {
      reasonDialog.value = true;
    },
    pickReason,
    closeReasons: () => {
      reasonDialog.value = false;
    },
    addPhotos: photos.add,
    retryPhoto: photos.retryAt,
    removePhoto: photos.remove,
    previewPhoto: photos.preview,
    submit,
    goSignIn: openLogin,
    retry: load,
  };
}
