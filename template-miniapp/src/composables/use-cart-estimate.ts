import { computed, ref, watch } from 'vue';
import { onHide, onShow, onUnload } from '@dcloudio/uni-app';
import type { Cart, CartEstimate } from '@shopfleet/contracts';
import { cartEstimate } from '../api/orders';
import { selectedLines } from '../stores/cart';
import { discountRows } from '../utils/marketing';
import { formatFen } from '../utils/money';

/** Quiet time after the last change of the cart before it is priced: a run of taps on the stepper asks once. */
export const ESTIMATE_DEBOUNCE_MS = 300;

/**
 * The cart's total and saving: the server prices the selected lines with the promotions and the best coupon after every
 * change of the cart (each answer of the cart API is a new cart), debounced, and an answer about an older cart is
 * dropped. While the page is hidden nothing is asked; showing it reloads the cart, which asks again.
 */
export function useCartEstimate(cart: () => Cart | null) {
  const estimate = ref<CartEstimate | null>(null);
  /** From a change of the cart until its estimate is in (or failed): the figures shown are the previous ones. */
  const pending = ref(false);
  const sheetOpen = ref(false);
  let active = false;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const chosen = computed(() => selectedLines(cart()));
  /** Without an estimate (none yet, or it failed): the selected lines at their prices, with no discount. */
  const plainFen = computed(() => chosen.value.reduce((n, line) => n + line.priceFen * line.quantity, 0));
  const payableFen = computed(() => estimate.value?.itemsPayableFen ?? plainFen.value);
  const discountFen = computed(() => estimate.value?.discountFen ?? 0);

  const totalText = computed(() => formatFen(payableFen.value));
  const savedText = computed(() => formatFen(discountFen.value));
  const itemsTotalText = computed(() => formatFen(estimate.value?.itemsTotalFen ?? plainFen.value));
  const rows = computed(() => discountRows(estimate.value?.discounts ?? []));
  /** The discount-details sheet: open, and only while there is something to list. */
  const offersOpen = computed(() => sheetOpen.value && discountFen.value > 0);

  function stopTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  async function fetchFor(mine: number) {
    try {
      const result = await cartEstimate();
      if (mine === generation) estimate.value = result;
    } catch {
      // The cart still shows its lines' prices; the next change or visit asks again.
      if (mine === generation) estimate.value = null;
    } finally {
      if (mine === generation) pending.value = false;
    }
  }

  /** The cart changed: price it again once the shopper stops tapping; answers about older carts are dropped. */
  function schedule() {
    const mine = ++generation;
    stopTimer();
    if (!active) return;
    if (!chosen.value.length) {
      // Nothing selected: nothing to price, and no discount.
      estimate.value = null;
      pending.value = false;
      sheetOpen.value = false;
      return;
    }
    pending.value = true;
    timer = setTimeout(() => {
      timer = null;
      void fetchFor(mine);
    }, ESTIMATE_DEBOUNCE_MS);
  }

  function pause() {
    active = false;
    generation++;
    stopTimer();
    pending.value = false;
    sheetOpen.value = false;
  }

  watch(cart, schedule);
  onShow(() => {
    active = true;
    // Priced at once for the cart as it is; the reload the page starts replaces it within the quiet time.
    schedule();
  });
  onHide(pause);
  onUnload(pause);

  return {
    estimatePending: pending,
    payableFen,
    discountFen,
    totalText,
    savedText,
    itemsTotalText,
    offerRows: rows,
    offersOpen,
    /** The saving on the bar opens the discount details above it, and closes them again. */
    toggleOffers: () => {
      sheetOpen.value = !offersOpen.value && discountFen.value > 0;
    },
    closeOffers: () => {
      sheetOpen.value = false;
    },
  };
}
