import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { AfterSalesKind, AfterSalesQuote, AfterSalesReason, Order } from '@shopfleet/contracts';
import { AFTER_SALES_KINDS, AFTER_SALES_LIMITS, AFTER_SALES_REASONS } from '@shopfleet/contracts/constants';
import { afterSalesQuote, requestAfterSales, uploadAfterSalesPhoto } from '../api/after-sales';
import { newIdempotencyKey } from '../utils/ids';
import { getOrder } from '../api/orders';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { afterSalesKindText, afterSalesReasonText } from '../utils/after-sales';
import { formatFen } from '../utils/money';
import { openAfterSales, openAfterSalesList, openLogin } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';
import { usePhotoUploads } from './use-photo-uploads';

/**
 * The after-sales request form for one line of an order: the kinds the order takes now (the server's quote), how many units (up
 * to those left), why, a description and up to 9 photos; the refund the server proposes for those units, asked again
 * as the quantity changes. Sending it opens the new case.
 */
export function useAfterSalesApply() {
  let orderId: number | null = null;
  let skuId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const order = ref<Order | null>(null);
  const quote = ref<AfterSalesQuote | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const kind = ref<AfterSalesKind | null>(null);
  const quantity = ref(1);
  const reason = ref<AfterSalesReason | null>(null);
  const description = ref('');
  const quoting = ref(false);
  const reasonDialog = ref(false);
  const submitting = ref(false);
  const submitError = ref<string | null>(null);
  const photos = usePhotoUploads(AFTER_SALES_LIMITS.photosMax, uploadAfterSalesPhoto);
  let quoteGeneration = 0;

  const line = computed(() => order.value?.lines.find((l) => l.skuId === skuId) ?? null);
  const unitsLeft = computed(() => quote.value?.unitsLeft ?? 0);
  /** The kinds in the contract's order (refund only, return and refund, exchange), only those the order takes now. */
  const kinds = computed(() =>
    AFTER_SALES_KINDS.filter((k) => quote.value?.kinds.includes(k)).map((k) => ({
      kind: k,
      name: afterSalesKindText(k),
      text: t(`afterSales.kindHint.${k}`),
    })),
  );
  const closedReason = computed(() =>
    quote.value && (quote.value.unitsLeft === 0 || quote.value.kinds.length === 0)
      ? t('afterSales.apply.notAllowed')
      : null,
  );
  const reasonOptions = AFTER_SALES_REASONS.map((value) => ({ value, label: afterSalesReasonText(value) }));
  const reasonText = computed(() => (reason.value ? afterSalesReasonText(reason.value) : ''));
  /** An exchange refunds nothing, so it shows no amount. */
  const showsAmount = computed(() => kind.value !== 'exchange');
  const amountText = computed(() => (quote.value ? formatFen(quote.value.amountFen) : ''));

  /** Asks the server what `n` units would refund (and how many are left); an older answer arriving late is dropped. */
  async function requote(n: number): Promise<void> {
    if (orderId === null || skuId === null) return;
    const mine = ++quoteGeneration;
    quoting.value = true;
    try {
      const q = await afterSalesQuote({ orderId, skuId, quantity: n });
      if (mine !== quoteGeneration) return;
      quote.value = q;
      if (kind.value && !q.kinds.includes(kind.value)) kind.value = null;
      if (q.unitsLeft > 0 && n > q.unitsLeft) {
        // Fewer units are left than asked (another case took some): ask for what is left.
        quantity.value = q.unitsLeft;
        void requote(q.unitsLeft);
      }
    } catch (e) {
      if (mine === quoteGeneration) uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      if (mine === quoteGeneration) quoting.value = false;
    }
  }

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    // Once: coming back from the photo picker (a mini-program shows the page again) keeps what was filled in.
    if (!signedIn.value || order.value) return;
    if (orderId === null || skuId === null) {
      error.value = t('afterSales.apply.lineNotFound');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      const [o, q] = await Promise.all([getOrder(orderId), afterSalesQuote({ orderId, skuId, quantity: 1 })]);
      if (!o.lines.some((l) => l.skuId === skuId)) {
        error.value = t('afterSales.apply.lineNotFound');
        return;
      }
      order.value = o;
      quote.value = q;
      if (q.kinds.length === 1) kind.value = q.kinds[0]!;
      // All the units left, as a shopper most often asks; fewer with the stepper.
      if (q.unitsLeft > 1) {
        quantity.value = q.unitsLeft;
        void requote(q.unitsLeft);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = e instanceof ApiError && e.status === 404 ? t('common.orderNotFound') : describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function setQuantity(n: number) {
    const next = Math.min(Math.max(1, n), Math.max(1, unitsLeft.value));
    if (next === quantity.value) return;
    quantity.value = next;
    void requote(next);
  }

  function chooseKind(k: AfterSalesKind) {
    kind.value = k;
  }

  function pickReason(value: string) {
    const picked = AFTER_SALES_REASONS.find((r) => r === value);
    if (picked) reason.value = picked;
    reasonDialog.value = false;
  }

  /** What keeps the form from being sent, in words; null when it can be. */
  function problem(): string | null {
    if (!kind.value) return t('afterSales.apply.chooseKind');
    if (!reason.value) return t('afterSales.apply.chooseReason');
    if (photos.uploading.value) return t('afterSales.apply.waitUploads');
    if (photos.failed.value) return t('afterSales.apply.failedUploads');
    if (quoting.value) return t('common.pleaseWait');
    return null;
  }

  // One key for this form: a retried submission (a double tap, a lost answer) finds the case the first one opened.
  const requestKey = newIdempotencyKey();

  async function submit() {
    if (orderId === null || skuId === null || submitting.value || !line.value) return;
    const blocked = problem();
    if (blocked) {
      uni.showToast({ title: blocked, icon: 'none' });
      return;
    }
    submitting.value = true;
    submitError.value = null;
    try {
      const created = await requestAfterSales(
        {
          orderId,
          skuId,
          quantity: quantity.value,
          kind: kind.value!,
          reason: reason.value!,
          description: description.value.trim().slice(0, AFTER_SALES_LIMITS.descriptionMax),
          photoIds: photos.ids.value,
        },
        requestKey,
      );
      uni.showToast({ title: t('afterSales.apply.sent'), icon: 'none' });
      openAfterSales(created.id, true);
    } catch (e) {
      submitError.value = describeError(e);
      // The units left or the kinds allowed changed meanwhile: show them as they are now.
      if (e instanceof ApiError && e.status === 409) void requote(quantity.value);
    } finally {
      submitting.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('nav.afterSalesApply') });
  onLoad((query) => {
    orderId = pageQueryId(query, 'orderId');
    skuId = pageQueryId(query, 'skuId');
  });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    descriptionMax: AFTER_SALES_LIMITS.descriptionMax,
    photosMax: AFTER_SALES_LIMITS.photosMax,
    signedIn,
    order,
    line,
    loading,
    error,
    closedReason,
    kinds,
    kind,
    unitsLeft,
    quantity,
    reasonOptions,
    reason,
    reasonText,
    reasonDialog,
    description,
    photos: photos.photos,
    uploading: photos.uploading,
    quoting,
    showsAmount,
    amountText,
    amountFen: computed(() => quote.value?.amountFen ?? 0),
    submitting,
    submitError,
    chooseKind,
    setQuantity,
    openReasons: () => {
      reasonDialog.value = true;
    },
    pickReason,
    closeReasons: () => {
      reasonDialog.value = false;
    },
    addPhotos: photos.add,
    retryPhoto: photos.retry,
    removePhoto: photos.remove,
    previewPhoto: photos.preview,
    submit,
    goSignIn: openLogin,
    goCases: () => openAfterSalesList(),
    retry: load,
  };
}
