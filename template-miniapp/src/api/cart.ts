import type { Cart } from '@shopfleet/contracts';
import { shopRequest } from '../request';

export interface CartLineUpdate {
  quantity?: number;
  selected?: boolean;
  /** Another SKU of the same product. */
  skuId?: number;
}

/** GET /shops/:shopKey/cart — the cart with prices and stock read now. */
export function getCart(): Promise<Cart> {
  return shopRequest<Cart>({ method: 'GET', path: '/cart', auth: true });
}

/** POST /shops/:shopKey/cart/items — add a SKU (to its line if the cart has it, which is then selected). */
export function addCartItem(skuId: number, quantity: number): Promise<Cart> {
  return shopRequest<Cart>({ method: 'POST', path: '/cart/items', body: { skuId, quantity }, auth: true });
}

/** PUT /shops/:shopKey/cart/items/:id — quantity, selection or SKU of a line. */
export function updateCartItem(id: number, change: CartLineUpdate): Promise<Cart> {
  return shopRequest<Cart>({ method: 'PUT', path: `/cart/items/${id}`, body: { ...change }, auth: true });
}

/** DELETE /shops/:shopKey/cart/items/:id — remove a line. */
export function removeCartItem(id: number): Promise<Cart> {
  return shopRequest<Cart>({ method: 'DELETE', path: `/cart/items/${id}`, auth: true });
}

/** POST /shops/:shopKey/cart/select — select or unselect every line. */
export function selectAllCartItems(selected: boolean): Promise<Cart> {
  return shopRequest<Cart>({ method: 'POST', path: '/cart/select', body: { selected }, auth: true });
}
