import type { FlashShopState, ShopFlashItem, ShopFlashSales, ShopFlashSession } from '@shopfleet/contracts';

/**
 * Flash sales by the server's clock. A device's clock may be off by minutes; the countdowns and the state of a session
 * are worked out from the server's `now` (sent with every listing) and how far the device's clock is from it.
 */

/** How far the server's clock is ahead of the device's (ms), from the `now` of an answer read at `deviceNow`. */
export function clockOffset(serverNow: string, deviceNow: number = Date.now()): number {
  const at = Date.parse(serverNow);
  return Number.isNaN(at) ? 0 : at - deviceNow;
}

/** A time of the server's clock as the device's clock will show it then (what a device countdown counts to). */
export function onDeviceClock(iso: string, offsetMs: number): string {
  return new Date(Date.parse(iso) - offsetMs).toISOString();
}

/** Where a session stands at `serverNowMs`: a listing read a while ago may say upcoming for one that has started. */
export function sessionStateAt(
  session: Pick<ShopFlashSession, 'startsAt' | 'endsAt'>,
  serverNowMs: number,
): FlashShopState {
  if (serverNowMs < Date.parse(session.startsAt)) return 'upcoming';
  if (serverNowMs < Date.parse(session.endsAt)) return 'running';
  return 'ended';
}

/** What a session's countdown counts to: its start while upcoming, its end while running; none once over. */
export function countdownOf(
  session: Pick<ShopFlashSession, 'startsAt' | 'endsAt'>,
  state: FlashShopState,
): { to: 'start' | 'end'; at: string } | null {
  if (state === 'upcoming') return { to: 'start', at: session.startsAt };
  if (state === 'running') return { to: 'end', at: session.endsAt };
  return null;
}

/** What an item's button offers: wait for the start, buy, nothing left, or nothing (the session is over). */
export type FlashItemAction = 'upcoming' | 'buy' | 'sold_out' | 'ended';

export function itemAction(state: FlashShopState, item: Pick<ShopFlashItem, 'left'>): FlashItemAction {
  if (state === 'ended') return 'ended';
  if (state === 'upcoming') return 'upcoming';
  return item.left > 0 ? 'buy' : 'sold_out';
}

/** The share of an item's stock still to be had, 0–100, for its bar. */
export function leftPercent(item: Pick<ShopFlashItem, 'left' | 'stock'>): number {
  if (item.stock <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((item.left / item.stock) * 100)));
}

/** How many a shopper may take at once: up to the per-shopper limit and what is left, at least one. */
export function maxQuantity(item: Pick<ShopFlashItem, 'left' | 'perShopperLimit'>): number {
  return Math.max(1, Math.min(item.perShopperLimit, item.left));
}

/**
 * The session a product's page shows in flash mode: a running one (one with units left first), else the upcoming one
 * that starts first; null when the product is in none.
 */
export function productSession(
  sales: Pick<ShopFlashSales, 'sessions'>,
  productId: number,
  serverNowMs: number,
): ShopFlashSession | null {
  const withProduct = sales.sessions
    .map((s) => ({ ...s, items: s.items.filter((i) => i.productId === productId) }))
    .filter((s) => s.items.length > 0);
  const running = withProduct.filter((s) => sessionStateAt(s, serverNowMs) === 'running');
  const stocked = running.find((s) => s.items.some((i) => i.left > 0));
  if (stocked ?? running[0]) return stocked ?? running[0]!;
  const upcoming = withProduct
    .filter((s) => sessionStateAt(s, serverNowMs) === 'upcoming')
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return upcoming[0] ?? null;
}

/** A session's start as its tab says it: `HH:mm` today, `MM-DD HH:mm` another day (the device's day). */
export function startText(iso: string, deviceNow: Date = new Date()): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === deviceNow.getFullYear() &&
    d.getMonth() === deviceNow.getMonth() &&
    d.getDate() === deviceNow.getDate();
  return sameDay ? time : `${two(d.getMonth() + 1)}-${two(d.getDate())} ${time}`;
}
