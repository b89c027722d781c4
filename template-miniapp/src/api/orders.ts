import type { z } from 'zod';
import type { CartEstimate, Order, OrderStatus, Page, checkoutPreviewSchema } from '@shopfleet/contracts';
import { shopRequest } from '../request';

export type CheckoutPreview = z.infer<typeof checkoutPreviewSchema>;

/**
 * What to buy: the cart's selected lines, or lines given directly ("buy now"). `couponId`: absent, the server picks the
 * coupon that saves the most; null, none. `expectedTotalFen`: the total the shopper was shown (placing only).
 */
export type CheckoutRequest = {
  addressId: number;
  remark: string;
  couponId?: number | null;
  /** Pay part of the order with points (as many as the order may take). */
  usePoints?: boolean;
  expectedTotalFen?: number;
} & ({ fromCart: true } | { fromCart: false; items: Array<{ skuId: number; quantity: number }> });

function checkoutBody(req: CheckoutRequest): Record<string, unknown> {
  const body: Record<string, unknown> = req.fromCart
    ? { fromCart: true, addressId: req.addressId, remark: req.remark }
    : { fromCart: false, items: req.items, addressId: req.addressId, remark: req.remark };
  if (req.couponId !== undefined) body.couponId = req.couponId;
  if (req.usePoints) body.usePoints = true;
  if (req.expectedTotalFen !== undefined) body.expectedTotalFen = req.expectedTotalFen;
  return body;
}

/**
 * POST /shops/:shopKey/checkout/preview — lines at today's prices, the discounts, shipping and total, and the shopper's
 * coupons (usable here or why not); 409 names what cannot be bought, or why the coupon asked for cannot be used.
 */
export function checkoutPreview(req: CheckoutRequest): Promise<CheckoutPreview> {
  return shopRequest<CheckoutPreview>({
    method: 'POST',
    path: '/checkout/preview',
    body: checkoutBody(req),
    auth: true,
  });
}

/**
 * GET /shops/:shopKey/cart/estimate — the cart's selected lines priced with the promotions and the best coupon, before
 * an address is chosen (no shipping): what the cart shows as its total and saving.
 */
export function cartEstimate(): Promise<CartEstimate> {
  return shopRequest<CartEstimate>({ method: 'GET', path: '/cart/estimate', auth: true });
}

/**
 * POST /shops/:shopKey/orders — place the order; stock is reserved at once. `idempotencyKey` is the
 * same for every retry of one submission, so a retry returns the order the first attempt placed. A total that is no
 * longer `expectedTotalFen` places nothing: 409 PRICE_CHANGED with the new total.
 */
export function placeOrder(req: CheckoutRequest, idempotencyKey: string): Promise<Order> {
  return shopRequest<Order>({
    method: 'POST',
    path: '/orders',
    body: checkoutBody(req),
    headers: { 'Idempotency-Key': idempotencyKey },
    auth: true,
  });
}

/** GET /shops/:shopKey/orders — the shopper's orders, newest first. */
export function listOrders(query: { status?: OrderStatus; page: number; pageSize: number }): Promise<Page<Order>> {
  return shopRequest<Page<Order>>({
    method: 'GET',
    path: '/orders',
    query: { status: query.status, page: query.page, pageSize: query.pageSize },
    auth: true,
  });
}

/** GET /shops/:shopKey/orders/:id — one order with its timeline. */
export function getOrder(id: number): Promise<Order> {
  return shopRequest<Order>({ method: 'GET', path: `/orders/${id}`, auth: true });
}

/** POST /shops/:shopKey/orders/:id/cancel — cancel an unpaid order; its stock returns. */
export function cancelOrder(id: number, reason: string): Promise<Order> {
  return shopRequest<Order>({ method: 'POST', path: `/orders/${id}/cancel`, body: { reason }, auth: true });
}

/** POST /shops/:shopKey/orders/:id/confirm-receipt — the shipped order arrived. */
export function confirmReceipt(id: number): Promise<Order> {
  return shopRequest<Order>({ method: 'POST', path: `/orders/${id}/confirm-receipt`, auth: true });
}
