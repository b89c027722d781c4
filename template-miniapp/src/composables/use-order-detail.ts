import { computed, ref } from 'vue';
import { onLoad, onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { Order } from '@shopfleet/contracts';
import { cancelOrder, confirmReceipt, getOrder } from '../api/orders';
import { t } from '../locales';
import { pageQueryId, pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { fullAddress, maskPhone } from '../utils/address';
import { canComplainAboutOrder } from '../utils/complaints';
import { discountRows } from '../utils/marketing';
import { formatFen } from '../utils/money';
import {
  describeEvent,
  orderActivityText,
  orderStatusHint,
  orderStatusText,
  paymentMethodText,
  refundKindText,
  refundStatusText,
  waitsForGroup,
} from '../utils/orders';
import {
  openAfterSalesApply,
  openAfterSalesList,
  openComplaintApply,
  openGroup,
  openLogin,
  openOrderReview,
  openPay,
  openProduct,
} from '../utils/routes';
import { formatDateTime, sleep } from '../utils/time';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useCountdown } from './use-countdown';
import { useLineAfterSales } from './use-line-after-sales';
import { useLoginRedirect } from './use-login-redirect';

/** The reasons a shopper picks from to cancel, in the shopper's language (the chosen text is the order's cancel reason). */
export const CANCEL_REASONS = ['changedMind', 'wrongInfo', 'wrongItem', 'other'] as const;

/** Back from a provider's payment page (`from=pay`): read the order this often until it is paid. */
const RETURN_TRIES = 5;
const RETURN_INTERVAL_MS = 1500;

/**
 * One order: status, countdown while unpaid, shipment, address, lines (with their discount and refunded units), totals
 * with the discounts, refunds, timeline, and its actions.
 */
export function useOrderDetail() {
  let orderId: number | null = null;
  let fromPay = false;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const order = ref<Order | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const checkingPayment = ref(false);
  const dialog = ref<'cancel' | 'receipt' | null>(null);
  const acting = ref(false);
  const lineAfterSales = useLineAfterSales();

  const cancelReasons = CANCEL_REASONS.map((reason) => t(`order.cancelReason.${reason}`));

  const countdown = useCountdown(() => {
    void load();
  });

  const statusText = computed(() => (order.value ? orderStatusText(order.value.status) : ''));
  const statusHint = computed(() => {
    const o = order.value;
    if (!o) return '';
    if (o.status === 'cancelled')
      return o.cancelReason ? t('order.cancelledBecause', { reason: o.cancelReason }) : orderStatusHint('cancelled');
    if (o.status === 'shipped' && o.autoConfirmAt) {
      return t('order.autoConfirm', { hint: orderStatusHint('shipped'), at: formatDateTime(o.autoConfirmAt) });
    }
    if (waitsForGroup(o)) return t('group.orderWaitingHint');
    return orderStatusHint(o.status);
  });
  /** The campaign the order was placed in (a flash sale), as its tag says it. */
  const activityText = computed(() => (order.value ? orderActivityText(order.value.activity) : ''));
  /** A group-buy order waiting for its group to form (it ships once formed). */
  const activityWaiting = computed(() => (order.value ? waitsForGroup(order.value) : false));
  /** The group a group-buy order is in, for the link to its page. */
  const groupId = computed(() => (order.value?.activity?.kind === 'group_buy' ? order.value.activity.id : null));
  const addressText = computed(() => (order.value ? fullAddress(order.value.address) : ''));
  const phoneText = computed(() => (order.value ? maskPhone(order.value.address.phone) : ''));
  const paymentText = computed(() => {
    const p = order.value?.payment;
    return p ? `${paymentMethodText(p.method)} ${formatFen(p.amountFen)}` : '';
  });
  const refunds = computed(() =>
    (order.value?.refunds ?? []).map((r) => ({
      id: r.id,
      amountText: formatFen(r.amountFen),
      statusText: refundStatusText(r.status),
      status: r.status,
      reason: r.reason || refundKindText(r.kind),
      at: formatDateTime(r.succeededAt ?? r.createdAt),
    })),
  );
  /** The discounts the order got: coupon, spend-and-save, timed discount, each with its name and −¥x. */
  const discounts = computed(() => discountRows(order.value?.discounts ?? []));
  /**
   * The lines, each with its share of the discounts and the units refunded, when there are any; whether it takes an
   * after-sales request now, and the units in open cases. A flash-sale order's line says the flash price it was bought
   * at.
   */
  const lines = computed(() =>
    (order.value?.lines ?? []).map((line) => {
      const inCases = lineAfterSales.unitsInCases(line);
      const flash = order.value?.activity?.kind === 'flash_sale' && line.quantity > 0;
      return {
        ...line,
        flashPriceText: flash
          ? t('order.flashPrice', {
              price: formatFen(Math.round((line.subtotalFen - line.discountFen) / line.quantity)),
            })
          : '',
        discountText: line.discountFen > 0 ? t('order.lineDiscount', { amount: formatFen(-line.discountFen) }) : '',
        refundedText: line.refundedQuantity > 0 ? t('order.lineRefunded', { count: line.refundedQuantity }) : '',
        canApplyAfterSales: lineAfterSales.canApply(line),
        inCasesText: inCases > 0 ? t('afterSales.line.inCases', { count: inCases }) : '',
      };
    }),
  );
  /** Newest first. */
  const timeline = computed(() =>
    [...(order.value?.events ?? [])].reverse().map((e, index) => ({
      key: `${e.at}-${index}`,
      text: describeEvent(e),
      note: e.note ?? '',
      at: formatDateTime(e.at),
    })),
  );

  const canPay = computed(() => order.value?.status === 'pending_payment' && countdown.running.value);
  const canCancel = computed(() => order.value?.status === 'pending_payment');
  const canConfirm = computed(() => order.value?.status === 'shipped');
  const canReview = computed(() => order.value?.status === 'completed' && !order.value.reviewed);
  /** Paid (shipped, completed, refunded): the shopper may complain to the platform about the order. */
  const canComplain = computed(() => (order.value ? canComplainAboutOrder(order.value) : false));

  function show(o: Order) {
    order.value = o;
    countdown.setDeadline(o.status === 'pending_payment' ? o.paymentDeadline : null);
    void lineAfterSales.load(o);
  }

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      sendToLogin();
      return;
    }
    if (orderId === null) {
      error.value = t('common.orderNotFound');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      show(await getOrder(orderId));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = e instanceof ApiError && e.status === 404 ? t('common.orderNotFound') : describeError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Back from WeChat Pay H5 or Alipay: the notification may still be on its way. */
  async function awaitPayment() {
    if (orderId === null) return;
    checkingPayment.value = true;
    for (let i = 0; i < RETURN_TRIES && order.value?.status === 'pending_payment'; i++) {
      await sleep(RETURN_INTERVAL_MS);
      const o = await getOrder(orderId).catch(() => null);
      if (o) show(o);
    }
    checkingPayment.value = false;
  }

  function pay() {
    if (order.value) openPay(order.value.id);
  }

  function applyAfterSales(skuId: number) {
    if (order.value) openAfterSalesApply(order.value.id, skuId);
  }

  function complain() {
    if (order.value) openComplaintApply(order.value.id);
  }

  function review() {
    if (order.value) openOrderReview(order.value.id);
  }

  async function act(action: () => Promise<Order>, done: string) {
    if (acting.value) return;
    acting.value = true;
    try {
      show(await action());
      dialog.value = null;
      uni.showToast({ title: done, icon: 'success' });
    } catch (e) {
      dialog.value = null;
      uni.showToast({
        title: e instanceof ApiError && e.status === 409 ? t('order.changed') : describeError(e),
        icon: 'none',
      });
      void load();
    } finally {
      acting.value = false;
    }
  }

  function confirmDialog(option: string | null) {
    const o = order.value;
    if (!o) return;
    if (dialog.value === 'cancel')
      void act(() => cancelOrder(o.id, option ?? t('order.cancelReason.changedMind')), t('order.cancelled'));
    else if (dialog.value === 'receipt') void act(() => confirmReceipt(o.id), t('order.received'));
  }

  function copy(text: string) {
    uni.setClipboardData({ data: text, success: () => uni.showToast({ title: t('common.copied'), icon: 'none' }) });
  }

  useShopBars({ tabPage: false, title: () => t('nav.order') });
  onLoad((query) => {
    orderId = pageQueryId(query, 'id');
    fromPay = pageQueryValue(query, 'from') === 'pay';
  });
  onShow(() => {
    void load().then(() => {
      if (fromPay) {
        fromPay = false;
        void awaitPayment();
      }
    });
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    cancelReasons,
    signedIn,
    order,
    loading,
    error,
    checkingPayment,
    statusText,
    activityText,
    activityWaiting,
    groupId,
    openGroup: () => groupId.value !== null && openGroup(groupId.value),
    statusHint,
    countdownText: countdown.text,
    countdownRunning: countdown.running,
    addressText,
    phoneText,
    paymentText,
    discounts,
    lines,
    refunds,
    timeline,
    canPay,
    canCancel,
    canConfirm,
    canReview,
    canComplain,
    dialog,
    acting,
    formatFen,
    formatDateTime,
    pay,
    review,
    complain,
    applyAfterSales,
    openAfterSalesList: () => openAfterSalesList('open'),
    askCancel: () => {
      dialog.value = 'cancel';
    },
    askConfirm: () => {
      dialog.value = 'receipt';
    },
    closeDialog: () => {
      dialog.value = null;
    },
    confirmDialog,
    copy,
    openProduct,
    goSignIn: openLogin,
    retry: load,
  };
}
