import { computed, onUnmounted, ref } from 'vue';
import { onHide, onLoad, onShow } from '@dcloudio/uni-app';
import type { Order, PaymentMethod } from '@shopfleet/contracts';
import { getOrder } from '../api/orders';
import { confirmSandboxPayment, payOrder, paymentMethods, type PaymentMethods } from '../api/payments';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import {
  openPaymentPage,
  paymentClient,
  paymentReturnPath,
  postPaymentForm,
  requestWechatPayment,
} from '../platform/payment';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { formatFen } from '../utils/money';
import { paymentMethodText } from '../utils/orders';
import { qrSvgDataUrl } from '../utils/qrcode';
import { openGroup, openLogin, openOrder } from '../utils/routes';
import { sleep } from '../utils/time';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useCountdown } from './use-countdown';
import { useLoginRedirect } from './use-login-redirect';

/** After paying: how often and how many times the order is read until it shows as paid. */
const CONFIRM_TRIES = 6;
const CONFIRM_INTERVAL_MS = 1000;
/** While a Native QR code is shown: read the order every few seconds, for up to ten minutes. */
const QR_POLL_MS = 3000;
const QR_POLL_MAX = 200;

const PAID_OR_LATER: ReadonlySet<Order['status']> = new Set(['paid', 'shipped', 'completed']);

/** The letter on a method's round icon: one for every WeChat method. */
function methodIcon(method: PaymentMethod): string {
  return method === 'alipay_wap' || method === 'unionpay_wap' || method === 'sandbox'
    ? t(`pay.methodIcon.${method}`)
    : t('pay.methodIcon.wechat');
}

/** The payment page of an unpaid order: total, deadline countdown, the shop's methods for this client, paying. */
export function usePay() {
  let orderId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const order = ref<Order | null>(null);
  const methods = ref<PaymentMethods | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const selected = ref<PaymentMethod | null>(null);
  const paying = ref(false);
  const confirming = ref(false);
  const payError = ref<string | null>(null);
  const nativeCodeUrl = ref<string | null>(null);
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let pollCount = 0;
  /** Set once the page is being replaced by the order detail, so two paths do not both redirect. */
  let leaving = false;

  /** Paid: the order's page, or for a group-buy order its group's page (how many joined, the invitation to share). */
  function leaveToOrder() {
    if (orderId === null || leaving) return;
    leaving = true;
    stopPolling();
    const activity = order.value?.activity;
    if (activity?.kind === 'group_buy') openGroup(activity.id, true);
    else openOrder(orderId, true);
  }

  const countdown = useCountdown(() => {
    void reloadOrder();
  });

  const totalText = computed(() => (order.value ? formatFen(order.value.totalFen) : ''));
  const payable = computed(() => order.value?.status === 'pending_payment' && countdown.secondsLeft.value > 0);
  const methodList = computed(() =>
    (methods.value?.methods ?? []).map((method) => ({
      method,
      name: paymentMethodText(method),
      hint: t(`pay.hint.${method}`),
      icon: methodIcon(method),
    })),
  );
  const nativeQr = computed(() => (nativeCodeUrl.value ? qrSvgDataUrl(nativeCodeUrl.value) : ''));
  const submitLabel = computed(() => {
    if (confirming.value) return t('pay.confirming');
    if (selected.value === 'sandbox') return t('pay.confirmSandbox', { amount: totalText.value });
    if (nativeCodeUrl.value) return t('pay.newQr');
    return t('pay.payNow', { amount: totalText.value });
  });

  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  }

  async function reloadOrder(): Promise<Order | null> {
    if (orderId === null) return null;
    try {
      const o = await getOrder(orderId);
      order.value = o;
      countdown.setDeadline(o.status === 'pending_payment' ? o.paymentDeadline : null);
      return o;
    } catch {
      return order.value;
    }
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
      const [o, m] = await Promise.all([getOrder(orderId), paymentMethods(paymentClient)]);
      order.value = o;
      methods.value = m;
      if (!selected.value || !m.methods.includes(selected.value)) selected.value = m.methods[0] ?? null;
      countdown.setDeadline(o.status === 'pending_payment' ? o.paymentDeadline : null);
      // Paid meanwhile (e.g. back from a provider's page): the order detail says so.
      if (PAID_OR_LATER.has(o.status) && !confirming.value) leaveToOrder();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = e instanceof ApiError && e.status === 404 ? t('common.orderNotFound') : describeError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Reads the order a few times until it is paid, then opens its detail (which says if it is still being confirmed). */
  async function finish(known: Order | null) {
    if (orderId === null) return;
    confirming.value = true;
    let latest = known;
    for (let i = 0; i < CONFIRM_TRIES && !(latest && PAID_OR_LATER.has(latest.status)); i++) {
      if (i > 0 || !latest) await sleep(CONFIRM_INTERVAL_MS);
      latest = await getOrder(orderId).catch(() => latest);
    }
    confirming.value = false;
    if (latest) order.value = latest;
    if (!latest || !PAID_OR_LATER.has(latest.status)) uni.showToast({ title: t('pay.pending'), icon: 'none' });
    leaveToOrder();
  }

  function pollNative() {
    stopPolling();
    if (orderId === null || !nativeCodeUrl.value || pollCount >= QR_POLL_MAX) return;
    pollTimer = setTimeout(() => {
      pollCount++;
      void reloadOrder().then((o) => {
        if (o && PAID_OR_LATER.has(o.status)) {
          nativeCodeUrl.value = null;
          void finish(o);
        } else if (o?.status === 'pending_payment') {
          pollNative();
        }
      });
    }, QR_POLL_MS);
  }

  async function pay() {
    const method = selected.value;
    if (orderId === null || !method || paying.value || confirming.value) return;
    if (!payable.value) {
      uni.showToast({ title: t('pay.windowClosed'), icon: 'none' });
      return;
    }
    paying.value = true;
    payError.value = null;
    try {
      const params = await payOrder(orderId, { method, returnPath: paymentReturnPath(orderId) });
      switch (params.method) {
        case 'sandbox': {
          const paid = await confirmSandboxPayment(params.paymentNo);
          paying.value = false;
          await finish(paid);
          return;
        }
        case 'wechat_jsapi': {
          const outcome = await requestWechatPayment(params.requestPayment);
          paying.value = false;
          if (outcome === 'cancelled') {
            uni.showToast({ title: t('pay.payCancelled'), icon: 'none' });
            return;
          }
          await finish(null);
          return;
        }
        case 'wechat_h5':
          if (!openPaymentPage(params.h5Url)) payError.value = t('pay.noWechat');
          return;
        case 'alipay_wap':
          if (!openPaymentPage(params.redirectUrl)) payError.value = t('pay.noAlipay');
          return;
        case 'unionpay_wap':
          if (!postPaymentForm(params.action, params.fields)) payError.value = t('pay.noUnionPay');
          return;
        case 'wechat_native':
          nativeCodeUrl.value = params.codeUrl;
          pollCount = 0;
          pollNative();
          return;
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Paid, closed or cancelled meanwhile: show the order as it is now.
        const o = await reloadOrder();
        if (o && PAID_OR_LATER.has(o.status)) {
          await finish(o);
          return;
        }
        payError.value = o?.status === 'cancelled' ? t('pay.orderClosed') : t('pay.notPayable');
      } else {
        payError.value = describeError(e);
      }
    } finally {
      paying.value = false;
    }
  }

  /** "I have paid" under the QR code: read the order now. */
  async function checkNow() {
    const o = await reloadOrder();
    if (o && PAID_OR_LATER.has(o.status)) {
      stopPolling();
      nativeCodeUrl.value = null;
      await finish(o);
    } else {
      uni.showToast({ title: t('pay.noResultYet'), icon: 'none' });
    }
  }

  function choose(method: PaymentMethod) {
    if (paying.value || confirming.value) return;
    selected.value = method;
    if (method !== 'wechat_native') {
      nativeCodeUrl.value = null;
      stopPolling();
    }
  }

  function viewOrder() {
    leaveToOrder();
  }

  useShopBars({ tabPage: false, title: () => t('nav.pay') });
  onLoad((query) => {
    orderId = pageQueryId(query, 'orderId');
  });
  onShow(() => {
    void load();
    if (nativeCodeUrl.value) pollNative();
  });
  onHide(stopPolling);
  onUnmounted(stopPolling);

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    order,
    methods,
    methodList,
    loading,
    error,
    selected,
    paying,
    confirming,
    payError,
    payable,
    totalText,
    countdownText: countdown.text,
    countdownRunning: countdown.running,
    nativeCodeUrl,
    nativeQr,
    submitLabel,
    choose,
    pay,
    checkNow,
    viewOrder,
    goSignIn: openLogin,
    retry: load,
  };
}
