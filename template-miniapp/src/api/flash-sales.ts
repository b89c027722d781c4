import type { FlashPass, Order, ShopFlashSales } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/**
 * GET /shops/:shopKey/flash-sales — the shop's running and upcoming flash-sale sessions with each item's stock left, and
 * the server's time for the countdowns; with `productId`, only that product's sessions and items (the product page).
 */
export function shopFlashSales(productId?: number): Promise<ShopFlashSales> {
  return shopRequest<ShopFlashSales>({ method: 'GET', path: '/flash-sales', query: { productId } });
}

/** POST /shops/:shopKey/flash-sales/:id/pass — the shopper's pass to buy in a session, given from 30 s before its start. */
export function flashPass(sessionId: number): Promise<FlashPass> {
  return shopRequest<FlashPass>({ method: 'POST', path: `/flash-sales/${sessionId}/pass`, auth: true });
}

/** What buying a flash item sends: the pass, how many (at most the per-shopper limit), where it goes, a remark. */
export interface FlashBuyRequest {
  pass: string;
  quantity: number;
  addressId: number;
  remark: string;
}

/**
 * POST /shops/:shopKey/flash-items/:id/orders — buy a flash item with a pass; the units are taken at once and the order
 * (201) waits for payment within the session's window. `idempotencyKey` is the same for every retry of one attempt, so
 * a retry after a lost answer returns the order the first one placed.
 */
export function buyFlashItem(itemId: number, req: FlashBuyRequest, idempotencyKey: string): Promise<Order> {
  return shopRequest<Order>({
    method: 'POST',
    path: `/flash-items/${itemId}/orders`,
    body: { pass: req.pass, quantity: req.quantity, addressId: req.addressId, remark: req.remark },
    headers: { 'Idempotency-Key': idempotencyKey },
    auth: true,
  });
}
