import { randomInt } from 'node:crypto';
import { CARRIERS, type MerchantOrder, type Order, type Refund } from '@shopfleet/contracts';
import { isDuplicateKey } from '../../kernel/db/rows';
import { chinaStamp } from '../../kernel/china-time';
import { maskPhone } from '../../kernel/mask';
import type { OrderEvent, OrderLine, OrderRecord } from './orders.repository';

/** The payment that paid an order, as the order shows it. */
export type OrderPayment = NonNullable<Order['payment']>;

/** Who placed an order, as the merchant sees them. */
export interface OrderShopper {
  nickname: string | null;
  phone: string | null;
}

/**
 * An order number: China time to the second and ten random digits. At hundreds of orders a second six
 * digits collided now and then (a 500 under the checkout benchmark); ten make it rare, and a collision
 * that still happens is retried with a new number (the unique index decides).
 */
export function orderNo(at: Date): string {
  return `${chinaStamp(at)}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
}

/** The duplicate was the order number, not the Idempotency-Key. */
export const isOrderNoTaken = (err: unknown) =>
  isDuplicateKey(err) && /order_no/.test(String((err as { sqlMessage?: string }).sqlMessage ?? (err as Error).message));

/** The order as its shopper sees it: without the merchant's remark, the shopper record and the WeChat upload state. */
export function forShopper(order: MerchantOrder): Order {
  const { shopper: _shopper, merchantRemark: _remark, merchantFlag: _flag, wechatShipping: _wechat, ...rest } = order;
  return rest;
}

/** A line as shopper and merchant see it, whether placed (an `OrderLine`) or priced for a preview. */
export const lineView = (
  l: Pick<
    OrderLine,
    | 'skuId'
    | 'productId'
    | 'title'
    | 'specValues'
    | 'imageUrl'
    | 'unitPriceFen'
    | 'quantity'
    | 'subtotalFen'
    | 'discountFen'
    | 'refundedQuantity'
    | 'refundedFen'
  >,
): Order['lines'][number] => ({
  skuId: l.skuId,
  productId: l.productId,
  title: l.title,
  specValues: l.specValues,
  imageUrl: l.imageUrl,
  unitPriceFen: l.unitPriceFen,
  quantity: l.quantity,
  subtotalFen: l.subtotalFen,
  discountFen: l.discountFen,
  refundedQuantity: l.refundedQuantity,
  refundedFen: l.refundedFen,
});

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** An order with what only the merchant sees, from its record, lines, timeline, payment, refunds and shopper. */
export function toOrder(
  o: OrderRecord,
  lines: OrderLine[],
  events: OrderEvent[],
  money: { payment: OrderPayment | null; refunds: Refund[] },
  shopper: OrderShopper | undefined,
  afterSales: Order['afterSales'] = [],
): MerchantOrder {
  return {
    id: o.id,
    orderNo: o.orderNo,
    status: o.status,
    lines: lines.map(lineView),
    itemsTotalFen: o.itemsTotalFen,
    discounts: o.discounts,
    discountFen: o.discountFen,
    shippingFen: o.shippingFen,
    totalFen: o.totalFen,
    address: o.address,
    remark: o.remark,
    // An order waits for its group only while it may still ship: a closed one waits for nothing.
    activity: o.activity && {
      ...o.activity,
      waiting: o.activity.waiting && (o.status === 'pending_payment' || o.status === 'paid'),
    },
    paymentDeadline: o.paymentDeadline.toISOString(),
    cancelReason: o.cancelReason,
    createdAt: o.createdAt.toISOString(),
    paidAt: isoOrNull(o.paidAt),
    payment: money.payment,
    shipment:
      o.carrier && o.shippedAt
        ? {
            carrier: o.carrier,
            carrierName: CARRIERS[o.carrier],
            trackingNo: String(o.trackingNo),
            shippedAt: o.shippedAt.toISOString(),
          }
        : null,
    autoConfirmAt: isoOrNull(o.autoConfirmAt),
    completedAt: isoOrNull(o.completedAt),
    refundedFen: o.refundedFen,
    refunds: money.refunds,
    afterSales,
    reviewed: o.reviewedAt !== null,
    events: events.map((e) => ({
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorType: e.actorType,
      note: e.note,
      at: e.createdAt.toISOString(),
    })),
    shopper: {
      id: o.shopperId,
      nickname: shopper?.nickname ?? '',
      phone: shopper?.phone ? maskPhone(shopper.phone) : null,
    },
    merchantRemark: o.merchantRemark,
    merchantFlag: o.merchantFlag,
    wechatShipping: o.wechatShipping,
  };
}
