import { computed, ref } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { CartLine } from '@shopfleet/contracts';
import { CART_QUANTITY_MAX } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import {
  cartState,
  forgetCart,
  loadCart,
  removeLine,
  selectedLines,
  selectedUnavailableLines,
  setAllSelected,
  setLineQuantity,
  setLineSelected,
} from '../stores/cart';
import { isSignedIn } from '../stores/session';
import { openCheckout, openCouponCentre, openLogin, openProduct } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useCartEstimate } from './use-cart-estimate';

/**
 * The cart tab: lines with stepper and ticks, unavailable lines greyed with the reason, the total and the saving as
 * the server prices the selection (with its discount details), and check-out.
 */
export function useCart() {
  const signedIn = ref(false);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** Line ids with a change on the way, so a double tap does not send two. */
  const busy = ref<number[]>([]);
  const allBusy = ref(false);
  const removing = ref<CartLine | null>(null);

  const lines = computed(() => cartState.cart?.lines ?? []);
  const empty = computed(() => loaded.value && lines.value.length === 0);
  const chosen = computed(() => selectedLines(cartState.cart));
  const chosenPieces = computed(() => chosen.value.reduce((n, line) => n + line.quantity, 0));
  const availableLines = computed(() => lines.value.filter((line) => line.available));
  const allSelected = computed(
    () => availableLines.value.length > 0 && availableLines.value.every((line) => line.selected),
  );
  const estimate = useCartEstimate(() => cartState.cart);

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      forgetCart();
      loaded.value = false;
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      await loadCart();
      loaded.value = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  async function run(lineId: number | null, action: () => Promise<unknown>) {
    if (lineId !== null && busy.value.includes(lineId)) return;
    if (lineId !== null) busy.value = [...busy.value, lineId];
    else allBusy.value = true;
    try {
      await action();
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
      // The server's view wins after a failed change.
      void loadCart().catch(() => undefined);
    } finally {
      if (lineId !== null) busy.value = busy.value.filter((id) => id !== lineId);
      else allBusy.value = false;
    }
  }

  function isBusy(line: CartLine): boolean {
    return busy.value.includes(line.id);
  }

  /** The most a line may be set to: 99, or the stock left when that limits it. */
  function maxQuantity(line: CartLine): number {
    return line.stockLeft !== null ? Math.max(1, Math.min(CART_QUANTITY_MAX, line.stockLeft)) : CART_QUANTITY_MAX;
  }

  /** Off sale, gone or sold out: only removing is left. Short of stock: the stepper can bring it down. */
  function steppable(line: CartLine): boolean {
    return line.available || line.unavailableReason === 'insufficient_stock';
  }

  function canDecrease(line: CartLine): boolean {
    return steppable(line) && line.quantity > 1;
  }

  function canIncrease(line: CartLine): boolean {
    return line.available && line.quantity < maxQuantity(line);
  }

  function changeQuantity(line: CartLine, delta: number) {
    if (delta < 0 && !canDecrease(line)) return;
    if (delta > 0 && !canIncrease(line)) {
      if (line.available) {
        const title =
          line.stockLeft !== null
            ? t('cart.maxStock', { count: line.stockLeft })
            : t('cart.maxPerLine', { max: CART_QUANTITY_MAX });
        uni.showToast({ title, icon: 'none' });
      }
      return;
    }
    // Short of stock: straight down to what is left.
    const next =
      line.unavailableReason === 'insufficient_stock' && line.stockLeft !== null && delta < 0
        ? Math.max(1, line.stockLeft)
        : line.quantity + delta;
    void run(line.id, () => setLineQuantity(line, next));
  }

  function toggleLine(line: CartLine) {
    if (!line.available) {
      uni.showToast({ title: t('cart.cannotCheckout', { reason: unavailableText(line) }), icon: 'none' });
      return;
    }
    void run(line.id, () => setLineSelected(line, !line.selected));
  }

  function toggleAll() {
    if (!availableLines.value.length || allBusy.value) return;
    void run(null, () => setAllSelected(!allSelected.value));
  }

  function askRemove(line: CartLine) {
    removing.value = line;
  }

  function cancelRemove() {
    removing.value = null;
  }

  function confirmRemove() {
    const line = removing.value;
    removing.value = null;
    if (line) void run(line.id, () => removeLine(line));
  }

  function unavailableText(line: CartLine): string {
    if (!line.unavailableReason) return '';
    if (line.unavailableReason === 'insufficient_stock' && line.stockLeft !== null)
      return t('cart.reason.fewLeft', { count: line.stockLeft });
    return t(`cart.reason.${line.unavailableReason}`);
  }

  async function checkout() {
    if (allBusy.value || busy.value.length) return;
    if (!chosen.value.length) {
      uni.showToast({ title: t('cart.nothingSelected'), icon: 'none' });
      return;
    }
    // Ticked lines that cannot be bought would make the order fail: untick them first.
    const blocked = selectedUnavailableLines(cartState.cart);
    if (blocked.length) {
      allBusy.value = true;
      try {
        for (const line of blocked) await setLineSelected(line, false);
      } catch (e) {
        uni.showToast({ title: describeError(e), icon: 'none' });
        return;
      } finally {
        allBusy.value = false;
      }
    }
    openCheckout({ fromCart: true });
  }

  useShopBars({ tabPage: true, title: () => t('nav.cart') });
  onShow(() => {
    void load();
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    ...estimate,
    primaryStyle: usePrimaryButtonStyle(),
    goCoupons: openCouponCentre,
    signedIn,
    loaded,
    loading,
    error,
    lines,
    empty,
    chosenPieces,
    allSelected,
    allBusy,
    removing,
    isBusy,
    canDecrease,
    canIncrease,
    changeQuantity,
    toggleLine,
    toggleAll,
    askRemove,
    cancelRemove,
    confirmRemove,
    unavailableText,
    checkout,
    openProduct,
    goSignIn: openLogin,
    goShopping: () => uni.switchTab({ url: '/pages/index/index' }),
    retry: load,
  };
}
