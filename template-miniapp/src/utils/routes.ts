/** Where the catalog pages live, and how to open them (query values are always URL-encoded). */

function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const parts = Object.entries(query)
    .filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '',
    )
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** A product's page; `flash` opens it in flash-sale mode (its flash price, countdown and grab-it button). */
export function openProduct(id: number, flash = false): void {
  uni.navigateTo({ url: withQuery('/pages/product/detail', { id, flash: flash ? 1 : undefined }) });
}

/** The product list of a category (`title` names it in the nav bar), or the results for `q`. */
export function openProductList(options: { categoryId?: number; q?: string; title?: string }, replace = false): void {
  const url = withQuery('/pages/product/list', { categoryId: options.categoryId, q: options.q, title: options.title });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

export function openSearch(q?: string): void {
  uni.navigateTo({ url: withQuery('/pages/search/index', { q }) });
}

// ---- cart, checkout, payment, orders, addresses, reviews ----

export const HOME_PAGE = '/pages/index/index';
export const CATEGORY_PAGE = '/pages/category/index';
export const CART_PAGE = '/pages/cart/index';
export const USER_PAGE = '/pages/user/index';

/**
 * Opens a tab page: switched to as a tab; a page the shop's tab bar leaves out of a mini-program's package is no tab
 * there, so it opens as a page (the home page is always a tab).
 */
export function openTabPage(url: string): void {
  uni.switchTab({ url, fail: () => uni.navigateTo({ url }) });
}

/** The cart (a tab page). */
export function openCart(): void {
  openTabPage(CART_PAGE);
}

export function openLogin(): void {
  uni.navigateTo({ url: '/pages/user/login' });
}

/** The shopper's profile: avatar, nickname, phone. */
export function openProfile(): void {
  uni.navigateTo({ url: '/pages/user/profile' });
}

export interface CheckoutItem {
  skuId: number;
  quantity: number;
}

/** `12x2,15x1` and back; the checkout page's `items` parameter. */
export function encodeCheckoutItems(items: readonly CheckoutItem[]): string {
  return items.map((item) => `${item.skuId}x${item.quantity}`).join(',');
}

export function decodeCheckoutItems(value: string): CheckoutItem[] {
  const items: CheckoutItem[] = [];
  for (const part of value.split(',')) {
    const match = /^(\d{1,15})x(\d{1,2})$/.exec(part.trim());
    if (!match) return [];
    const skuId = Number(match[1]);
    const quantity = Number(match[2]);
    if (skuId <= 0 || quantity <= 0) return [];
    items.push({ skuId, quantity });
  }
  return items;
}

/** The checkout page: the cart's selected lines (`cart=1`), or lines given directly (`items=`, buy now). */
export function openCheckout(options: { fromCart: true } | { items: readonly CheckoutItem[] }): void {
  const query = 'fromCart' in options ? { cart: 1 } : { items: encodeCheckoutItems(options.items) };
  uni.navigateTo({ url: withQuery('/pages/checkout/index', query) });
}

/** The payment page of an unpaid order; replaces the current page (checkout, or an order that is paid for). */
export function openPay(orderId: number, replace = false): void {
  const url = withQuery('/pages/pay/index', { orderId });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

export function openOrder(id: number, replace = false): void {
  const url = withQuery('/pages/order/detail', { id });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

/** The order list on a tab: '' for all, else an order status. */
export function openOrders(status = ''): void {
  uni.navigateTo({ url: withQuery('/pages/order/list', { status }) });
}

export function openOrderReview(orderId: number): void {
  uni.navigateTo({ url: withQuery('/pages/order/review', { orderId }) });
}

export function openProductReviews(productId: number): void {
  uni.navigateTo({ url: withQuery('/pages/product/reviews', { id: productId }) });
}

/** The address book; `select` makes a tap choose the address for checkout and go back. */
export function openAddresses(select = false): void {
  uni.navigateTo({ url: withQuery('/pages/address/list', { select: select ? 1 : undefined }) });
}

/** The address form: a new address, or `id` to edit; `select` chooses the saved address for checkout. */
export function openAddressEdit(options: { id?: number; select?: boolean } = {}): void {
  uni.navigateTo({ url: withQuery('/pages/address/edit', { id: options.id, select: options.select ? 1 : undefined }) });
}

// ---- coupons ----

/** The coupon centre: the shop's coupons to claim. */
export function openCouponCentre(): void {
  uni.navigateTo({ url: '/pages/coupon/centre' });
}

/** The shopper's coupons on a tab: unused (the default), used or expired. */
export function openMyCoupons(state?: 'unused' | 'used' | 'expired'): void {
  uni.navigateTo({ url: withQuery('/pages/coupon/mine', { state }) });
}

// ---- flash sales ----

/** The flash-sale page: the running and upcoming sessions. */
export function openFlashSales(): void {
  uni.navigateTo({ url: '/pages/flash/index' });
}

/** What the flash checkout buys: a session's item (of a product), so many units. */
export interface FlashCheckoutItem {
  itemId: number;
  productId: number;
  quantity: number;
}

/** The flash checkout: the address, then buying the item with the shopper's pass. */
export function openFlashCheckout(item: FlashCheckoutItem): void {
  uni.navigateTo({
    url: withQuery('/pages/flash/checkout', { item: item.itemId, product: item.productId, quantity: item.quantity }),
  });
}

// ---- group buys ----

/** What the group checkout buys: a SKU of a campaign (of a product), so many units, in a group to join or a new one. */
export interface GroupCheckoutItem {
  campaignId: number;
  productId: number;
  skuId: number;
  quantity: number;
  /** The group to join; null starts one. */
  groupId: number | null;
}

/** The group checkout: the address, then the order at the group price. */
export function openGroupCheckout(item: GroupCheckoutItem): void {
  uni.navigateTo({
    url: withQuery('/pages/group/checkout', {
      campaign: item.campaignId,
      product: item.productId,
      sku: item.skuId,
      quantity: item.quantity,
      group: item.groupId,
    }),
  });
}

/** The path of a group's page, from the root: what a friend opens from a share. */
export function groupPagePath(id: number): string {
  return withQuery('/pages/group/detail', { id });
}

/** A group's page; `replace` takes the place of the current page (the payment page, once paid). */
export function openGroup(id: number, replace = false): void {
  const url = groupPagePath(id);
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

/** A product's page with the sheet open to join a group of its campaign (joining from a group's page). */
export function openProductToJoin(productId: number, groupId: number): void {
  uni.navigateTo({ url: withQuery('/pages/product/detail', { id: productId, join: groupId }) });
}

/** The groups the shopper started or joined. */
export function openMyGroups(): void {
  uni.navigateTo({ url: '/pages/group/mine' });
}

// ---- after-sales ----

/** The request form for units of one line of an order. */
export function openAfterSalesApply(orderId: number, skuId: number): void {
  uni.navigateTo({ url: withQuery('/pages/after-sales/apply', { orderId, skuId }) });
}

/** A case's page; `replace` takes the place of the current page (the request form, once sent). */
export function openAfterSales(id: number, replace = false): void {
  const url = withQuery('/pages/after-sales/detail', { id });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

/** The shopper's cases on a tab: '' for all, `open` for those being handled, `done` for those that ended. */
export function openAfterSalesList(tab = ''): void {
  uni.navigateTo({ url: withQuery('/pages/after-sales/list', { tab }) });
}

// ---- complaints ----

/** The complaint form: about an order, or about one of its cases (`caseId`) the merchant refused or that closed. */
export function openComplaintApply(orderId: number, caseId?: number): void {
  uni.navigateTo({ url: withQuery('/pages/complaint/apply', { orderId, caseId }) });
}

/** A complaint's page; `replace` takes the place of the current page (the complaint form, once sent). */
export function openComplaint(id: number, replace = false): void {
  const url = withQuery('/pages/complaint/detail', { id });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

/** The shopper's complaints on a tab: '' for all, else a complaint status. */
export function openComplaintList(tab = ''): void {
  uni.navigateTo({ url: withQuery('/pages/complaint/list', { tab }) });
}

// ---- customer service ----

/** What the chat page offers to send when opened from a product, an order or an after-sales case. */
export type SupportOffer = { kind: 'product' | 'order' | 'after_sales'; id: number };

/** The chat with the shop's customer service; from a product, an order or a case, it offers to send that one's card. */
export function openSupportChat(offer?: SupportOffer | null): void {
  const query = {
    productId: offer?.kind === 'product' ? offer.id : undefined,
    orderId: offer?.kind === 'order' ? offer.id : undefined,
    caseId: offer?.kind === 'after_sales' ? offer.id : undefined,
  };
  uni.navigateTo({ url: withQuery('/pages/support/chat', query) });
}

// ---- members ----

/** the member centre: level, growth, benefits, points. */
export function openMemberCentre(): void {
  uni.navigateTo({ url: '/pages/member/centre' });
}

/** Daily sign-in (sign-in). */
export function openSignIn(): void {
  uni.navigateTo({ url: '/pages/member/sign-in' });
}

/** The points and their ledger. */
export function openPoints(): void {
  uni.navigateTo({ url: '/pages/member/points' });
}

/** favourites: the favourite products. */
export function openFavourites(): void {
  uni.navigateTo({ url: '/pages/member/favourites' });
}

/** history: the products seen lately. */
export function openHistory(): void {
  uni.navigateTo({ url: '/pages/member/history' });
}
