import { computed, ref } from 'vue';
import type { Order, ShopFlashItem, ShopFlashSession } from '@shopfleet/contracts';
import { buyFlashItem, shopFlashSales } from '../api/flash-sales';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError } from '../request';
import { forgetPass, passFor, setClockOffset } from '../stores/flash';
import { clockOffset, countdownOf, maxQuantity, sessionStateAt } from '../utils/flash';
import { formatFen } from '../utils/money';
import { useCampaignCheckout } from './use-campaign-checkout';
import { flashErrorText } from './use-product-flash';
import { useServerClock } from './use-server-clock';

/**
 * The flash checkout: a session's item bought with the shopper's pass, at the flash price (its shipping is the shop's,
 * shown on the payment page), through the flow every campaign's checkout shares (useCampaignCheckout). A pass the
 * server refuses (expired, another shopper's) is replaced once and the purchase tried again with the same key.
 */
export function useFlashCheckout() {
  const itemId = ref<number | null>(null);
  const productId = ref<number | null>(null);

  const session = ref<ShopFlashSession | null>(null);
  const item = ref<ShopFlashItem | null>(null);
  const clock = useServerClock();

  const state = computed(() => (session.value ? sessionStateAt(session.value, clock.nowMs.value) : null));

  async function loadItem() {
    const id = itemId.value;
    if (productId.value === null || id === null) return;
    const sales = await shopFlashSales(productId.value);
    setClockOffset(clockOffset(sales.now));
    clock.tick();
    session.value = sales.sessions.find((s) => s.items.some((i) => i.id === id)) ?? null;
    item.value = session.value?.items.find((i) => i.id === id) ?? null;
  }

  /** Buys with the pass kept (or a new one); a refused pass is replaced once, with the same Idempotency-Key. */
  async function buy(
    target: { sessionId: number; itemId: number },
    req: { addressId: number; remark: string },
    idempotencyKey: string,
  ): Promise<Order> {
    const { sessionId, itemId: id } = target;
    const body = { ...req, quantity: quantity.value };
    try {
      return await buyFlashItem(id, { ...body, pass: await passFor(sessionId) }, idempotencyKey);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'FLASH_PASS_INVALID')) throw e;
      forgetPass(sessionId);
      return await buyFlashItem(id, { ...body, pass: await passFor(sessionId, true) }, idempotencyKey);
    }
  }

  const checkout = useCampaignCheckout({
    title: () => t('nav.flashCheckout'),
    readQuery: (query) => {
      itemId.value = pageQueryId(query, 'item');
      productId.value = pageQueryId(query, 'product');
    },
    invalid: () => itemId.value === null || productId.value === null,
    load: loadItem,
    target: () => (session.value && item.value ? { sessionId: session.value.id, itemId: item.value.id } : null),
    open: () => state.value === 'running',
    place: buy,
    errorText: flashErrorText,
  });

  /** The item is no longer in a running or upcoming session. */
  const gone = computed(() => checkout.loaded.value && !item.value);
  const quantity = computed(() =>
    item.value ? Math.min(checkout.quantityAsked.value, maxQuantity(item.value)) : checkout.quantityAsked.value,
  );
  const totalText = computed(() => (item.value ? formatFen(item.value.flashPriceFen * quantity.value) : '--'));
  const countdown = computed(() => {
    const s = session.value;
    const target = s && state.value ? countdownOf(s, state.value) : null;
    if (!target) return null;
    return { to: target.to, label: t(`flash.countdown.${target.to}`), text: clock.countdownTo(target.at) };
  });
  const limitText = computed(() => (item.value ? t('flash.limit', { count: item.value.perShopperLimit }) : ''));

  return {
    checkout,
    session,
    item,
    gone,
    state,
    quantity,
    totalText,
    countdown,
    limitText,
  };
}
