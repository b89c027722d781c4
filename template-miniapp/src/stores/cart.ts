import { reactive } from 'vue';
import type { Cart, CartLine } from '@shopfleet/contracts';
import { addCartItem, getCart, removeCartItem, selectAllCartItems, updateCartItem } from '../api/cart';

interface CartState {
  /** The server's cart, as last returned: lines, quantities and `selected` are its own. */
  cart: Cart | null;
}

export const cartState = reactive<CartState>({ cart: null });

function keep(cart: Cart): Cart {
  cartState.cart = cart;
  return cart;
}

/** Lines that can be bought now and are ticked. */
export function selectedLines(cart: Cart | null = cartState.cart): CartLine[] {
  return (cart?.lines ?? []).filter((line) => line.available && line.selected);
}

/** Ticked lines that cannot be bought (off sale, sold out, short of stock). */
export function selectedUnavailableLines(cart: Cart | null = cartState.cart): CartLine[] {
  return (cart?.lines ?? []).filter((line) => !line.available && line.selected);
}

/** Pieces in the cart, for the badge on the product page. */
export function cartPieces(): number {
  return (cartState.cart?.lines ?? []).reduce((n, line) => n + line.quantity, 0);
}

export async function loadCart(): Promise<Cart> {
  return keep(await getCart());
}

/** Adds a SKU; the server adds to its line if there is one, and ticks it. */
export async function addToCart(skuId: number, quantity: number): Promise<Cart> {
  return keep(await addCartItem(skuId, quantity));
}

export async function setLineQuantity(line: CartLine, quantity: number): Promise<Cart> {
  return keep(await updateCartItem(line.id, { quantity }));
}

export async function setLineSelected(line: CartLine, selected: boolean): Promise<Cart> {
  return keep(await updateCartItem(line.id, { selected }));
}

/** Switches a line to another SKU of the same product. */
export async function setLineSku(line: CartLine, skuId: number): Promise<Cart> {
  return keep(await updateCartItem(line.id, { skuId }));
}

export async function setAllSelected(selected: boolean): Promise<Cart> {
  return keep(await selectAllCartItems(selected));
}

export async function removeLine(line: CartLine): Promise<Cart> {
  return keep(await removeCartItem(line.id));
}

export function forgetCart(): void {
  cartState.cart = null;
}
