import { randomInt } from 'node:crypto';
import { CARRIERS, type CarrierCode, type MerchantOrder, type Order, type OrderStatus, type Refund } from '@shopfleet/contracts';

/** The payment that paid an order, as the order shows it. */
export type OrderPayment = NonNullable<Order['payment']>;
import { iso, isDuplicateKey, isoOrNull, parseJsonColumn } from '../../kernel/db/rows';
import { chinaStamp } from '../../kernel/china-time';
import { maskPhone } from '../../kernel/mask';

/**
 * An order number: China time to the second and ten random digits. At hundreds of orders a second six
 * digits collided now and then (a 500 under the checkout benchmark); ten make it rare, and a collision
 * that still happens is retried with a new number (the unique index decides).
 */
export function orderNo(at: Date): string {
  return `${chinaStamp(at)}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
}

/** The duplicate was the order number, not the Idempotency-Key. */
export const isOrderNoTaken = (err: unknown) => isDuplicateKey(err) && /order_no/.test(String((err as { sqlMessage?: string }).sqlMessage ?? (err as Error).message));

/** The order as its shopper sees it: without the merchant's remark, the shopper record and the WeChat upload state. */
export function forShopper(order: MerchantOrder): Order {
  const { shopper: _shopper, merchantRemark: _remark, wechatShipping: _wechat, ...rest } = order;
  return rest;
}

export function toOrder(
  row: Record<string, unknown>,
  items: Array<Record<string, unknown>>,
  events: Array<Record<string, unknown>>,
  payment: OrderPayment | null,
  refunds: Refund[],
  shopper: Record<string, unknown> | undefined,
): MerchantOrder {
  const address = parseJsonColumn(row.address) as Order['address'] & { id: number };
  const carrier = row.carrier as CarrierCode | null;
  return {
    id: Number(row.id),
    orderNo: String(row.order_no),
    status: row.status as OrderStatus,
    lines: items.map((i) => ({
      skuId: Number(i.sku_id),
      productId: Number(i.product_id),
      title: String(i.title),
      specValues: (parseJsonColumn(i.spec_values) as string[]) ?? [],
      imageUrl: (i.image_url as string | null) ?? null,
      unitPriceFen: Number(i.unit_price_fen),
      quantity: Number(i.quantity),
      subtotalFen: Number(i.subtotal_fen),
    })),
    itemsTotalFen: Number(row.items_total_fen),
    shippingFen: Number(row.shipping_fen),
    totalFen: Number(row.total_fen),
    address,
    remark: String(row.remark),
    paymentDeadline: iso(row.payment_deadline as Date),
    cancelReason: (row.cancel_reason as string | null) ?? null,
    createdAt: iso(row.created_at as Date),
    paidAt: isoOrNull(row.paid_at as Date | null),
    payment,
    shipment: carrier && row.shipped_at ? { carrier, carrierName: CARRIERS[carrier], trackingNo: String(row.tracking_no), shippedAt: iso(row.shipped_at as Date) } : null,
    autoConfirmAt: isoOrNull(row.auto_confirm_at as Date | null),
    completedAt: isoOrNull(row.completed_at as Date | null),
    refundedFen: Number(row.refunded_fen ?? 0),
    refunds,
    reviewed: row.reviewed_at !== null && row.reviewed_at !== undefined,
    events: events.map((e) => ({
      type: String(e.type),
      fromStatus: (e.from_status as string | null) ?? null,
      toStatus: String(e.to_status),
      actorType: String(e.actor_type),
      note: (e.note as string | null) ?? null,
      at: isoOrNull(e.created_at as Date)!,
    })),
    shopper: { id: Number(row.shopper_id), nickname: String(shopper?.nickname ?? ''), phone: shopper?.phone ? maskPhone(String(shopper.phone)) : null },
    merchantRemark: String(row.merchant_remark ?? ''),
    wechatShipping: (row.wechat_shipping as MerchantOrder['wechatShipping']) ?? 'not_required',
  };
}

