import { computed, ref, watch } from 'vue';
import type { ShopFlashItem, ShopFlashSession } from '@shopfleet/contracts';
import { shopFlashSales } from '../api/flash-sales';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import { passFor, serverNowMs, setClockOffset } from '../stores/flash';
import { clockOffset, countdownOf, maxQuantity, productSession, sessionStateAt, startText } from '../utils/flash';
import { formatFen } from '../utils/money';
import { useServerClock } from './use-server-clock';

/**
 * A flash-sale error in the shopper's words: by its reason (sold out, limit reached, not started, over…); a rate limit
 * says that many are buying at once.
 */
export function flashErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'TOO_MANY_REQUESTS') return t('flash.busy');
  return describeError(error);
}

/**
 * A product's flash sale, for its page: the session it is in (running, else the next upcoming), the items of its SKUs,
 * the countdown and state on the server's clock, and the pass to buy with. The page shows it in flash mode when opened
 * from the flash-sale page (or when the shopper taps the product's flash-sale entry). The session is read again when it
 * starts or ends on the clock.
 */
export function useProductFlash(productId: () => number | null) {
  const session = ref<ShopFlashSession | null>(null);
  /** The page shows the flash-sale (price, countdown, grab-it button) rather than the ordinary purchase. */
  const mode = ref(false);
  const taking = ref(false);
  const clock = useServerClock();
  let generation = 0;

  const state = computed(() => (session.value ? sessionStateAt(session.value, clock.nowMs.value) : null));
  /** Flash mode with a session to show (one that is not over). */
  const active = computed(() => mode.value && !!session.value && state.value !== null && state.value !== 'ended');

  const countdown = computed(() => {
    const s = session.value;
    const target = s && state.value ? countdownOf(s, state.value) : null;
    if (!target) return null;
    return { to: target.to, label: t(`flash.countdown.${target.to}`), text: clock.countdownTo(target.at) };
  });

  function itemOfSku(skuId: number | null | undefined): ShopFlashItem | null {
    if (skuId === null || skuId === undefined) return null;
    return session.value?.items.find((i) => i.skuId === skuId) ?? null;
  }

  /** The item a price shows before a SKU is chosen: the lowest flash price. */
  const cheapest = computed(() => {
    const items = session.value?.items ?? [];
    return items.reduce<ShopFlashItem | null>(
      (low, i) => (!low || i.flashPriceFen < low.flashPriceFen ? i : low),
      null,
    );
  });
  const left = computed(() => (session.value?.items ?? []).reduce((n, i) => n + i.left, 0));
  const soldOut = computed(() => state.value === 'running' && left.value === 0);

  /** The product page's flash-sale entry (in its ordinary mode): on flash sale with the price, or when it starts. */
  const entryText = computed(() => {
    const s = session.value;
    const low = cheapest.value;
    if (!s || !low || state.value === 'ended' || state.value === null) return null;
    const price = formatFen(low.flashPriceFen);
    return state.value === 'running'
      ? t('flash.entryRunning', { price })
      : t('flash.entryUpcoming', { price, at: startText(s.startsAt) });
  });

  /** The main button in flash mode: the grab-it button while units are left, else why not. */
  const buyState = computed<'buy' | 'upcoming' | 'sold_out' | 'ended'>(() => {
    if (state.value === 'upcoming') return 'upcoming';
    if (state.value !== 'running') return 'ended';
    return soldOut.value ? 'sold_out' : 'buy';
  });
  const buyText = computed(() => t(`flash.buy.${buyState.value}`));

  async function load(): Promise<void> {
    const id = productId();
    if (id === null) return;
    const mine = ++generation;
    try {
      const sales = await shopFlashSales(id);
      if (mine !== generation) return;
      setClockOffset(clockOffset(sales.now));
      clock.tick();
      session.value = productSession(sales, id, serverNowMs());
      if (mode.value && !session.value) {
        mode.value = false;
        uni.showToast({ title: t('flash.noneForProduct'), icon: 'none' });
      }
    } catch {
      // The product page stands without its flash-sale.
      if (mine === generation) session.value = null;
    }
  }

  /**
   * The pass to buy in the session (kept from before while it has time left), or null after telling the shopper why
   * not (the session has not started, is over…).
   */
  async function takePass(): Promise<string | null> {
    const s = session.value;
    if (!s || taking.value) return null;
    taking.value = true;
    try {
      return await passFor(s.id);
    } catch (e) {
      uni.showToast({ title: flashErrorText(e), icon: 'none' });
      return null;
    } finally {
      taking.value = false;
    }
  }

  // The session starts or ends on the clock: its stock and state as the server now has them.
  watch(state, (now, before) => {
    if (before !== undefined && before !== null && now !== before) void load();
  });

  return {
    session,
    mode,
    active,
    state,
    countdown,
    cheapest,
    left,
    soldOut,
    entryText,
    buyState,
    buyText,
    taking,
    itemOfSku,
    maxQuantityOf: maxQuantity,
    load,
    takePass,
  };
}
