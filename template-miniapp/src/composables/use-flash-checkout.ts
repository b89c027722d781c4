import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { Order, ShopFlashItem, ShopFlashSession } from '@shopfleet/contracts';
import { BUYER_REMARK_MAX } from '@shopfleet/contracts/constants';
import { buyFlashItem, shopFlashSales } from '../api/flash-sales';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError } from '../request';
import { forgetPass, passFor, setClockOffset } from '../stores/flash';
import { isSignedIn } from '../stores/session';
import { clockOffset, countdownOf, maxQuantity, sessionStateAt } from '../utils/flash';
import { newIdempotencyKey } from '../utils/ids';
import { formatFen } from '../utils/money';
import { openLogin, openPay } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useAddressChoice } from './use-address-choice';
import { useLoginRedirect } from './use-login-redirect';
import { flashErrorText } from './use-product-flash';
import { useServerClock } from './use-server-clock';

/**
 * The flash checkout: a session's item bought with the shopper's pass. The address is chosen as checkout chooses it;
 * the order is placed at the flash price (its shipping is the shop's, shown on the payment page). One Idempotency-Key
 * for this visit of the page: a retry after a lost answer returns the order the first try placed. A pass the server
 * refuses (expired, another shopper's) is replaced once and the purchase tried again with the same key.
 */
export function useFlashCheckout() {
  const itemId = ref<number | null>(null);
  const productId = ref<number | null>(null);
  const quantityAsked = ref(1);
  const idempotencyKey = newIdempotencyKey();

  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const choice = useAddressChoice(() => {
    signedIn.value = isSignedIn();
  });

  const session = ref<ShopFlashSession | null>(null);
  const item = ref<ShopFlashItem | null>(null);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const remark = ref('');
  const submitting = ref(false);
  const submitError = ref<string | null>(null);
  const clock = useServerClock();

  const invalid = computed(() => itemId.value === null || productId.value === null);
  /** The item is no longer in a running or upcoming session. */
  const gone = computed(() => loaded.value && !item.value);
  const state = computed(() => (session.value ? sessionStateAt(session.value, clock.nowMs.value) : null));
  const quantity = computed(() =>
    item.value ? Math.min(quantityAsked.value, maxQuantity(item.value)) : quantityAsked.value,
  );
  const totalText = computed(() => (item.value ? formatFen(item.value.flashPriceFen * quantity.value) : '--'));
  const countdown = computed(() => {
    const s = session.value;
    const target = s && state.value ? countdownOf(s, state.value) : null;
    if (!target) return null;
    return { to: target.to, label: t(`flash.countdown.${target.to}`), text: clock.countdownTo(target.at) };
  });
  const limitText = computed(() => (item.value ? t('flash.limit', { count: item.value.perShopperLimit }) : ''));
  const canSubmit = computed(
    () => !!item.value && !!choice.address.value && !submitting.value && state.value === 'running',
  );

  async function loadItem() {
    const id = itemId.value;
    if (productId.value === null || id === null) return;
    loadError.value = null;
    try {
      const sales = await shopFlashSales(productId.value);
      setClockOffset(clockOffset(sales.now));
      clock.tick();
      session.value = sales.sessions.find((s) => s.items.some((i) => i.id === id)) ?? null;
      item.value = session.value?.items.find((i) => i.id === id) ?? null;
      loaded.value = true;
    } catch (e) {
      loadError.value = flashErrorText(e);
    }
  }

  async function refresh() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || invalid.value) return;
    await Promise.all([choice.loadAddresses(), loadItem()]);
  }

  /** Buys with the pass kept (or a new one); a refused pass is replaced once, with the same Idempotency-Key. */
  async function buy(sessionId: number, id: number, addressId: number): Promise<Order> {
    const req = { quantity: quantity.value, addressId, remark: remark.value.trim().slice(0, BUYER_REMARK_MAX) };
    try {
      return await buyFlashItem(id, { ...req, pass: await passFor(sessionId) }, idempotencyKey);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'FLASH_PASS_INVALID')) throw e;
      forgetPass(sessionId);
      return await buyFlashItem(id, { ...req, pass: await passFor(sessionId, true) }, idempotencyKey);
    }
  }

  async function submit() {
    if (submitting.value) return;
    const s = session.value;
    const i = item.value;
    const address = choice.address.value;
    if (!address) {
      uni.showToast({ title: t('checkout.needAddress'), icon: 'none' });
      return;
    }
    if (!s || !i) return;
    submitting.value = true;
    submitError.value = null;
    try {
      const order = await buy(s.id, i.id, address.id);
      openPay(order.id, true);
    } catch (e) {
      if (e instanceof ApiError && e.status > 0 && e.status < 500) {
        submitError.value = flashErrorText(e);
        // Sold out, ended, not started: the stock and state as the server has them now.
        if (e.status === 409) void loadItem();
      } else {
        // No answer, or a server failure: the order may or may not exist; the same key makes a retry safe.
        submitError.value = t('checkout.retrySafe', { error: flashErrorText(e) });
      }
    } finally {
      submitting.value = false;
    }
  }

  function back() {
    if (getCurrentPages().length > 1) uni.navigateBack();
    else uni.switchTab({ url: '/pages/index/index' });
  }

  useShopBars({ tabPage: false, title: () => t('nav.flashCheckout') });
  onLoad((query) => {
    itemId.value = pageQueryId(query, 'item');
    productId.value = pageQueryId(query, 'product');
    quantityAsked.value = pageQueryId(query, 'quantity') ?? 1;
  });
  onShow(() => {
    void refresh();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    REMARK_MAX: BUYER_REMARK_MAX,
    invalid,
    signedIn,
    addressesLoaded: choice.addressesLoaded,
    addressError: choice.addressError,
    address: choice.address,
    addressText: choice.addressText,
    addressPhone: choice.addressPhone,
    changeAddress: choice.changeAddress,
    session,
    item,
    loaded,
    loadError,
    gone,
    state,
    quantity,
    totalText,
    countdown,
    limitText,
    remark,
    submitting,
    submitError,
    canSubmit,
    submit,
    back,
    retry: refresh,
    goSignIn: openLogin,
  };
}
