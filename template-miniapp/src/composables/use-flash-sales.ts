import { computed, ref, watch } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { FlashShopState, ShopFlashItem, ShopFlashSession } from '@shopfleet/contracts';
import { shopFlashSales } from '../api/flash-sales';
import { t } from '../locales';
import { describeError } from '../request';
import { setClockOffset } from '../stores/flash';
import {
  clockOffset,
  countdownOf,
  itemAction,
  leftPercent,
  sessionStateAt,
  startText,
  type FlashItemAction,
} from '../utils/flash';
import { formatFen } from '../utils/money';
import { openProduct } from '../utils/routes';
import { useShopBars, useThemeVars } from './shop-theme';
import { useServerClock } from './use-server-clock';

/** Running sessions first, then the upcoming ones, each by its start. */
const STATE_ORDER: Record<FlashShopState, number> = { running: 0, upcoming: 1, ended: 2 };

/** An item's card as the flash-sale page shows it. */
export interface FlashItemCard {
  item: ShopFlashItem;
  action: FlashItemAction;
  actionText: string;
  priceText: string;
  struckText: string;
  spec: string;
  percent: number;
  leftText: string;
}

/** The flash-sale button's words: coming up before the start, grab it while there are units, sold out at none. */
export function flashActionText(action: FlashItemAction): string {
  return t(`flash.action.${action}`);
}

/**
 * The flash-sale page: the shop's running and upcoming sessions as tabs (running first), the chosen one's countdown —
 * to its end while it runs, to its start before — on the server's clock, and its items, each with its flash price, the
 * price struck through, the stock left as a bar, and its button, which opens the product in flash mode. A session
 * whose state changes on the clock (it starts, it ends) is read again.
 */
export function useFlashSales() {
  const sessions = ref<ShopFlashSession[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const chosenId = ref<number | null>(null);
  const clock = useServerClock();
  let generation = 0;

  const stateOf = (session: ShopFlashSession) => sessionStateAt(session, clock.nowMs.value);

  /** The sessions not over, running first. */
  const shown = computed(() =>
    sessions.value
      .filter((s) => stateOf(s) !== 'ended')
      .sort(
        (a, b) => STATE_ORDER[stateOf(a)] - STATE_ORDER[stateOf(b)] || Date.parse(a.startsAt) - Date.parse(b.startsAt),
      ),
  );
  const empty = computed(() => loaded.value && shown.value.length === 0);
  const chosen = computed(() => shown.value.find((s) => s.id === chosenId.value) ?? shown.value[0] ?? null);
  const chosenState = computed(() => (chosen.value ? stateOf(chosen.value) : null));

  const tabs = computed(() =>
    shown.value.map((s) => ({
      id: s.id,
      time: startText(s.startsAt),
      state: stateOf(s),
      stateText: t(`flash.state.${stateOf(s)}`),
    })),
  );

  const countdown = computed(() => {
    const session = chosen.value;
    const state = chosenState.value;
    const target = session && state ? countdownOf(session, state) : null;
    if (!target) return null;
    return { to: target.to, label: t(`flash.countdown.${target.to}`), text: clock.countdownTo(target.at) };
  });

  const cards = computed<FlashItemCard[]>(() => {
    const session = chosen.value;
    const state = chosenState.value;
    if (!session || !state) return [];
    return session.items.map((item) => {
      const action = itemAction(state, item);
      return {
        item,
        action,
        actionText: flashActionText(action),
        priceText: formatFen(item.flashPriceFen),
        struckText: formatFen(item.priceFen),
        spec: item.specValues.join(' / '),
        percent: leftPercent(item),
        leftText: item.left > 0 ? t('flash.left', { count: item.left }) : t('flash.soldOut'),
      };
    });
  });

  async function load() {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const sales = await shopFlashSales();
      if (mine !== generation) return;
      setClockOffset(clockOffset(sales.now));
      clock.tick();
      sessions.value = sales.sessions;
      loaded.value = true;
    } catch (e) {
      if (mine === generation) error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function choose(id: number) {
    chosenId.value = id;
  }

  function open(card: FlashItemCard) {
    openProduct(card.item.productId, true);
  }

  // A session that starts or ends on the clock: its items' stock and state as the server now has them.
  watch(
    () => shown.value.map((s) => `${s.id}:${stateOf(s)}`).join(','),
    (now, before) => {
      if (loaded.value && before !== undefined && now !== before) void load();
    },
  );

  useShopBars({ tabPage: false, title: () => t('nav.flashSales') });
  onShow(() => {
    void load();
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    loaded,
    loading,
    error,
    empty,
    tabs,
    chosen,
    chosenState,
    countdown,
    cards,
    choose,
    open,
    retry: load,
  };
}
