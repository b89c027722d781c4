import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { Complaint } from '@shopfleet/contracts';
import { COMPLAINT_LIMITS } from '@shopfleet/contracts/constants';
import { uploadAfterSalesPhoto } from '../api/after-sales';
import { addComplaintStatement, getMyComplaint, withdrawComplaint } from '../api/complaints';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import {
  complaintDecisionView,
  complaintHint,
  complaintReasonText,
  complaintSideText,
  complaintStatusText,
} from '../utils/complaints';
import { formatFen } from '../utils/money';
import { openAfterSales, openLogin, openOrder } from '../utils/routes';
import { formatDateTime } from '../utils/time';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';
import { usePhotoUploads } from './use-photo-uploads';

/**
 * One complaint: where it stands, what it is about (the order, the case), every statement of both sides, the
 * platform's and WeChat Pay's, and the platform's decision once made (opening it marks it read). While it is open the
 * shopper may say more, with photos, and withdraw one filed in the shop.
 */
export function useComplaintDetail() {
  let complaintId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const found = ref<Complaint | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const statement = ref('');
  const sending = ref(false);
  const sendError = ref<string | null>(null);
  const withdrawDialog = ref(false);
  const withdrawing = ref(false);
  const photos = usePhotoUploads(COMPLAINT_LIMITS.photosMax, uploadAfterSalesPhoto);

  const statusText = computed(() => (found.value ? complaintStatusText(found.value.status) : ''));
  const hint = computed(() => (found.value ? complaintHint(found.value) : ''));
  const reasonText = computed(() => (found.value ? complaintReasonText(found.value.reason) : ''));
  const requestedText = computed(() => (found.value?.requestedFen != null ? formatFen(found.value.requestedFen) : ''));
  const decision = computed(() => (found.value ? complaintDecisionView(found.value) : null));
  /** Oldest first, as a conversation reads. */
  const statements = computed(() =>
    (found.value?.statements ?? []).map((s, index) => ({
      key: `${s.at}-${index}`,
      side: s.side,
      sideText: complaintSideText(s.side),
      body: s.body,
      photoUrls: s.photoUrls,
      at: formatDateTime(s.at),
    })),
  );
  const isOpen = computed(() => found.value?.status === 'open');
  const canWithdraw = computed(() => isOpen.value && found.value?.source === 'shop');

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      sendToLogin();
      return;
    }
    if (complaintId === null) {
      error.value = t('errors.reasons.COMPLAINT_NOT_FOUND');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      found.value = await getMyComplaint(complaintId);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Says more in the open complaint; decided meanwhile (409), it is said and the complaint read again. */
  async function sendStatement() {
    const id = complaintId;
    if (id === null || sending.value) return;
    const text = statement.value.trim();
    if (!text) {
      sendError.value = t('complaint.apply.statementRequired');
      return;
    }
    if (photos.uploading.value) {
      sendError.value = t('afterSales.apply.waitUploads');
      return;
    }
    if (photos.failed.value) {
      sendError.value = t('afterSales.apply.failedUploads');
      return;
    }
    sending.value = true;
    sendError.value = null;
    try {
      found.value = await addComplaintStatement(id, {
        statement: text.slice(0, COMPLAINT_LIMITS.statementMax),
        photoIds: photos.ids.value,
      });
      statement.value = '';
      photos.clear();
      uni.showToast({ title: t('complaint.detail.statementSent'), icon: 'none' });
    } catch (e) {
      sendError.value = describeError(e);
      if (e instanceof ApiError && e.status === 409) void load();
    } finally {
      sending.value = false;
    }
  }

  async function confirmWithdraw() {
    const id = complaintId;
    if (id === null || withdrawing.value) return;
    withdrawing.value = true;
    try {
      found.value = await withdrawComplaint(id);
      uni.showToast({ title: t('complaint.detail.withdrawn'), icon: 'none' });
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
      if (e instanceof ApiError && e.status === 409) void load();
    } finally {
      withdrawing.value = false;
      withdrawDialog.value = false;
    }
  }

  function copy(text: string) {
    uni.setClipboardData({ data: text, success: () => uni.showToast({ title: t('common.copied'), icon: 'none' }) });
  }

  function previewPhoto(urls: readonly string[], index: number) {
    uni.previewImage({ urls: [...urls], current: urls[index] ?? urls[0] });
  }

  useShopBars({ tabPage: false, title: () => t('nav.complaint') });
  onLoad((query) => {
    complaintId = pageQueryId(query, 'id');
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
    statementMax: COMPLAINT_LIMITS.statementMax,
    photosMax: COMPLAINT_LIMITS.photosMax,
    signedIn,
    found,
    loading,
    error,
    statusText,
    hint,
    reasonText,
    requestedText,
    decision,
    statements,
    isOpen,
    canWithdraw,
    statement,
    photos: photos.photos,
    uploading: photos.uploading,
    sending,
    sendError,
    withdrawDialog,
    withdrawing,
    formatDateTime,
    sendStatement,
    addPhotos: photos.add,
    retryPhoto: photos.retryAt,
    removePhoto: photos.remove,
    previewUpload: photos.preview,
    askWithdraw: () => {
      withdrawDialog.value = true;
    },
    closeWithdraw: () => {
      withdrawDialog.value = false;
    },
    confirmWithdraw,
    copy,
    previewPhoto,
    openOrder: () => {
      if (found.value?.orderId) openOrder(found.value.orderId);
    },
    openCase: () => {
      if (found.value?.caseId) openAfterSales(found.value.caseId);
    },
    goSignIn: openLogin,
    retry: load,
  };
}
