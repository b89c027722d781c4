import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { PendingWork } from '@shopfleet/contracts';
import { getPendingWork } from '@/api/analytics';

/** How often the console asks for the work waiting while it is open (and again on every change of page). */
export const PENDING_WORK_POLL_MS = 60_000;

/**
 * The merchant's work waiting (待发货, 待处理售后, 待回复评价, 未读消息), one state for the whole tab: the dashboard's cards
 * and the menus' badges read the same counts. A count is null when the signed-in person may not see that list; such a
 * count, or a 0, puts no badge on a menu.
 */
export const usePendingWorkStore = defineStore('pending-work', () => {
  const work = shallowRef<PendingWork | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let ticket = 0;

  /** Quiet: a failed poll is not worth a toast every minute; the next one tries again. */
  async function refresh(): Promise<void> {
    const mine = ++ticket;
    try {
      const next = await getPendingWork({ silent: true });
      if (mine === ticket) work.value = next;
    } catch {
      // Kept as it was; a lost session is handled by the request client.
    }
  }

  function startPolling(): void {
    stopPolling();
    void refresh();
    timer = setInterval(() => void refresh(), PENDING_WORK_POLL_MS);
  }

  function stopPolling(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function reset(): void {
    stopPolling();
    ticket++;
    work.value = null;
  }

  /**
   * Badges by menu entry: 订单列表 the orders to ship, 商品评价 the reviews to answer, the 订单 group both. (售后 and 客服
   * keep the badges their own stores give: those follow a case's change and the chat's live messages at once.)
   */
  const menuBadges = computed<Record<string, number>>(() => {
    const w = work.value;
    if (!w) return {};
    const badges: Record<string, number> = {};
    if (w.toShip !== null) badges['merchant-orders'] = w.toShip;
    if (w.reviewsToAnswer !== null) badges['merchant-product-reviews'] = w.reviewsToAnswer;
    const group = (w.toShip ?? 0) + (w.reviewsToAnswer ?? 0);
    if (group > 0) badges['merchant-order-center'] = group;
    return badges;
  });

  return { work, menuBadges, refresh, startPolling, stopPolling, reset };
});
