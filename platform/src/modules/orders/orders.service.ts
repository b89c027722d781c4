import {
  CARRIERS,
  type CarrierCode,
  type MerchantOrder,
  type Order,
  type OrderAfterSales,
  type OrderFlag,
  type OrderStatus,
  type Page,
  type PaymentMethod,
  type PaymentProviderName,
  type Refund,
} from '@shopfleet/contracts';
import { actorId, type RequestContext, type TenantContext, shopperIdOf } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import type { ShoppersService } from '../shoppers';
import type { TenantsService } from '../tenants';
import { forShopper, toOrder, type OrderPayment } from './order-rows';
import { isClosed, onFullRefund, orderMachine } from './order-states';
import { refundUnits, type LineBalance } from './pricing';
import type { NewOrder, OrderFilter, OrderLine, OrderRecord, OrdersRepository } from './orders.repository';
import type { FreightTemplatesService } from './freight-templates.service';
import type { AfterSalesOfOrders } from './ports';

/**
 * The money side of orders, which the payments module owns: the payment that paid each order and its refunds, read for
 * the order views (in the transaction the context carries, if any).
 */
export interface OrderMoney {
  ofOrders(
    ctx: TenantContext,
    q: { orderIds: number[]; paymentIds: number[] },
  ): Promise<{ payments: Map<number, OrderPayment>; refunds: Map<number, Refund[]> }>;
}

export interface OrdersDeps {
  repo: OrdersRepository;
  tx: Transactions;
  money: OrderMoney;
  /** The merchant's order view shows the buyer's nickname and phone. */
  shoppers: Pick<ShoppersService, 'contacts'>;
  tenants: Pick<TenantsService, 'forEachId'>;
  /** A shipped order's auto-confirm date comes from the shop's order settings. */
  shipping: Pick<FreightTemplatesService, 'settings'>;
  /** The orders' after-sales cases, shown with them; none when absent. */
  afterSales?: AfterSalesOfOrders;
  now?: () => Date;
}

/** A line's goods: what moves stock and sales when an order is paid, cancelled or refunded. */
export interface OrderedGoods {
  productId: number;
  skuId: number;
  quantity: number;
}

/** An order just paid, with its goods and what was paid for each line (its subtotal less its share of the discounts). */
export interface PaidOrder extends LeftOrder {
  lines: Array<{ productId: number; quantity: number; paidFen: number }>;
}

/** An order a change of state left: from which state, and its goods. */
export interface LeftOrder {
  order: OrderRecord;
  from: OrderStatus;
  goods: OrderedGoods[];
}

/** A shopper's order as reviews need it (see `forReview`). */
export interface ReviewableOrder {
  orderNo: string;
  status: OrderStatus;
  reviewed: boolean;
  lines: Array<{ skuId: number; productId: number; specValues: string[] }>;
}

/** An order's money as a refund needs it (see `lockForRefund`). */
export interface RefundableOrder {
  id: number;
  shopperId: number;
  status: OrderStatus;
  paidFen: number;
  /** Refunded, or reserved by refunds in flight. */
  refundedFen: number;
  paymentId: number | null;
}

/** An order as after-sales needs it (see `forAfterSales`). */
export interface AfterSalesOrder {
  id: number;
  orderNo: string;
  shopperId: number;
  status: OrderStatus;
  completedAt: Date | null;
  /** What the shopper owed, what they paid (0 until paid), and how much of it has been refunded. */
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  lines: OrderLine[];
}

const lineNotRefundable = (skuId: number) =>
  new ConflictError({
    reason: 'LINE_NOT_REFUNDABLE',
    params: { skuId },
    message: `SKU ${skuId} does not have that many units left to refund`,
  });

/**
 * What refunding units of lines gives back, line by line, from what line refunds left of each: the money, each
 * discount's part, and each line's refunded totals after. More units than a line has left throws.
 */
function planLineRefunds(lines: readonly OrderLine[], wanted: ReadonlyArray<{ skuId: number; quantity: number }>) {
  let amountFen = 0;
  const asked = new Map<number, number>();
  const planned = wanted.map((w) => {
    const line = lines.find((l) => l.skuId === w.skuId);
    if (!line || w.quantity > line.quantity - line.refundedQuantity) throw lineNotRefundable(w.skuId);
    const back = line.refundedShares;
    const balance: LineBalance = {
      units: line.quantity - line.refundedQuantity,
      payableFen: line.subtotalFen - line.discountFen - line.refundedFen,
      discounts: line.discountShares.map((d, i) => ({ ...d, fen: d.fen - (back[i]?.fen ?? 0) })),
    };
    const { refund } = refundUnits(balance, line.unitPriceFen, w.quantity);
    amountFen += refund.payableFen;
    asked.set(w.skuId, w.quantity);
    return {
      skuId: w.skuId,
      refunded: {
        quantity: line.refundedQuantity + w.quantity,
        fen: line.refundedFen + refund.payableFen,
        shares: line.discountShares.map((d, i) => ({ ...d, fen: (back[i]?.fen ?? 0) + refund.discounts[i]!.fen })),
      },
    };
  });
  const allRefunded = lines.every((l) => l.refundedQuantity + (asked.get(l.skuId) ?? 0) === l.quantity);
  return { amountFen, allRefunded, lines: planned };
}

/** An order as a shipment report to WeChat needs it (see `forShipmentReport`). */
export interface ShipmentReportOrder {
  status: OrderStatus;
  /** Whether WeChat still needs the report: `pending`, `failed`, `uploaded` or `not_required`. */
  wechatShipping: string;
  paymentId: number | null;
  carrier: string;
  trackingNo: string;
  receiverPhone: string;
  lines: Array<{ title: string; quantity: number }>;
}

/** The payment that paid an order, as the payments module applies it. */
export interface AppliedPayment {
  paymentId: number;
  amountFen: number;
  provider: PaymentProviderName;
  method: PaymentMethod;
  at: Date;
}

/** Who cancels an order: the shopper or the merchant (`cancelled`), or its payment window ending (`closed`). */
/** Who cancels: the shopper, the merchant, the payment window's end, or a campaign (a group that failed). */
export type CancelBy = 'shopper' | 'merchant' | 'timeout' | 'campaign';

const goodsOf = (lines: OrderLine[]): OrderedGoods[] =>
  lines
    .map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity }))
    .sort((a, b) => a.skuId - b.skuId);

const refundable = (o: OrderRecord): RefundableOrder => ({
  id: o.id,
  shopperId: o.shopperId,
  status: o.status,
  paidFen: o.paidFen,
  refundedFen: o.refundedFen,
  paymentId: o.paymentId,
});

/**
 * Orders: their states (order-states.ts) and timelines, and how they read. Every change of state is a conditional update
 * on the state it leaves, in a transaction that travels in the context, plus an event on the timeline. What a change
 * means for other modules (stock, sales, refunds, provider trades) is the workflows' work (./workflows): this service
 * returns the goods an order left with, and never touches another module's data.
 */
export function ordersService(deps: OrdersDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  /** Orders with lines, timelines, payments, refunds and shoppers, in a fixed number of queries whatever their number. */
  async function loadMany(ctx: TenantContext, records: OrderRecord[]): Promise<MerchantOrder[]> {
    if (records.length === 0) return [];
    const ids = records.map((o) => o.id);
    const paymentIds = records.flatMap((o) => (o.paymentId === null ? [] : [o.paymentId]));
    const [lines, events, money, shoppers, cases] = await Promise.all([
      repo.lines(ctx, ids),
      repo.events(ctx, ids),
      deps.money.ofOrders(ctx, { orderIds: ids, paymentIds }),
      deps.shoppers.contacts(ctx, [...new Set(records.map((o) => o.shopperId))]),
      deps.afterSales ? deps.afterSales.ofOrders(ctx, ids) : new Map<number, OrderAfterSales[]>(),
    ]);
    return records.map((o) =>
      toOrder(
        o,
        lines.get(o.id) ?? [],
        events.get(o.id) ?? [],
        {
          payment: o.paymentId === null ? null : (money.payments.get(o.paymentId) ?? null),
          refunds: money.refunds.get(o.id) ?? [],
        },
        shoppers.get(o.shopperId),
        cases.get(o.id) ?? [],
      ),
    );
  }

  async function loadFull(ctx: TenantContext, id: number, shopperId?: number): Promise<MerchantOrder> {
    const o = await repo.byId(ctx, id, { shopperId });
    if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
    return (await loadMany(ctx, [o]))[0]!;
  }

  const load = async (ctx: TenantContext, id: number, shopperId?: number): Promise<Order> =>
    forShopper(await loadFull(ctx, id, shopperId));

  async function event(
    ctx: TenantContext,
    orderId: number,
    type: string,
    from: OrderStatus | null,
    to: OrderStatus,
    note: string | null = null,
  ): Promise<void> {
    await repo.addEvent(ctx, orderId, {
      type,
      fromStatus: from,
      toStatus: to,
      actorType: ctx.actor.type,
      actorId: actorId(ctx.actor),
      note,
    });
  }

  /**
   * The goods an order leaves with as it closes from `status`: a paid, unshipped order's units refunded by line went back
   * to stock (and out of its sales) with their refund, so only the rest; otherwise all of them.
   */
  async function goodsLeft(ctx: TenantContext, orderId: number, status: OrderStatus): Promise<OrderedGoods[]> {
    const lines = (await repo.lines(ctx, [orderId], { lock: true })).get(orderId) ?? [];
    if (status !== 'paid') return goodsOf(lines);
    return goodsOf(lines.map((l) => ({ ...l, quantity: l.quantity - l.refundedQuantity }))).filter(
      (g) => g.quantity > 0,
    );
  }

  async function complete(ctx: TenantContext, id: number, type: 'received' | 'auto_confirmed'): Promise<boolean> {
    return deps.tx.transaction(ctx, async (tctx) => {
      const at = now();
      const moved = await repo.change(
        tctx,
        id,
        { status: orderMachine.transitions.confirmReceipt.to, completedAt: at, updatedAt: at },
        orderMachine.sources('confirmReceipt'),
      );
      if (moved) await event(tctx, id, type, 'shipped', 'completed');
      return moved;
    });
  }

  function eachTenant(ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>): Promise<void> {
    return deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) => fn({ ...ctx, tenantId }));
  }

  return {
    async list(ctx: TenantContext, q: { status?: OrderStatus; page: number; pageSize: number }): Promise<Page<Order>> {
      const { orders, total } = await repo.ofShopper(ctx, shopperIdOf(ctx), q);
      return { items: (await loadMany(ctx, orders)).map(forShopper), page: q.page, pageSize: q.pageSize, total };
    },

    /** A shopper's latest orders and how many they have (customer service shows them beside the conversation). */
    async recentOfShopper(
      ctx: TenantContext,
      shopperId: number,
      limit: number,
    ): Promise<{
      orders: Array<{
        id: number;
        orderNo: string;
        status: OrderStatus;
        totalFen: number;
        createdAt: Date;
        title: string;
        imageUrl: string | null;
      }>;
      total: number;
    }> {
      const { orders, total } = await repo.ofShopper(ctx, shopperId, { page: 1, pageSize: limit });
      const lines = await repo.lines(
        ctx,
        orders.map((o) => o.id),
      );
      return {
        orders: orders.map((o) => {
          const first = lines.get(o.id)?.[0];
          return {
            id: o.id,
            orderNo: o.orderNo,
            status: o.status,
            totalFen: o.totalFen,
            createdAt: o.createdAt,
            title: first?.title ?? o.orderNo,
            imageUrl: first?.imageUrl ?? null,
          };
        }),
        total,
      };
    },

    /** The shopper's own order. */
    get: (ctx: TenantContext, id: number) => load(ctx, id, shopperIdOf(ctx)),
    /** Any order of the shop, as its shopper sees it (a replayed placement answers with it). */
    asShopperSees: (ctx: TenantContext, id: number) => load(ctx, id),
    /** Any order of the shop with what only the merchant sees. */
    full: (ctx: TenantContext, id: number) => loadFull(ctx, id),

    /** The merchant's search: a page of orders, newest first. */
    async search(
      ctx: TenantContext,
      f: OrderFilter & { page: number; pageSize: number },
    ): Promise<Page<MerchantOrder>> {
      const [records, total] = await Promise.all([
        repo.search(ctx, f, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize }),
        repo.count(ctx, f),
      ]);
      return { items: await loadMany(ctx, records), page: f.page, pageSize: f.pageSize, total };
    },

    /** The merchant's search for an export: up to `limit` orders before `beforeId`, newest first. */
    async searchBefore(ctx: TenantContext, f: OrderFilter, beforeId: number, limit: number): Promise<MerchantOrder[]> {
      return loadMany(ctx, await repo.search(ctx, f, { limit, beforeId }));
    },

    /**
     * Whether `by` may cancel this order now: a 404 when there is no such order (of this shopper), a 409 when its state
     * does not allow it. An order cancelled already is fine (cancelling it again changes nothing). Returns its state.
     */
    async mustBeCancellable(ctx: TenantContext, id: number, by: Exclude<CancelBy, 'timeout'>): Promise<OrderStatus> {
      const o = await repo.byId(ctx, id, by === 'shopper' ? { shopperId: shopperIdOf(ctx) } : {});
      if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
      if (o.status === 'cancelled') return o.status;
      if (by === 'shopper' && !orderMachine.can(o.status, 'cancel')) {
        throw new ConflictError({
          reason: 'ORDER_NOT_CANCELLABLE',
          params: { status: o.status },
          message: `An order that is ${o.status} cannot be cancelled here`,
        });
      }
      if (by === 'merchant' && !orderMachine.can(o.status, 'cancel') && !orderMachine.can(o.status, 'cancelPaid')) {
        throw new ConflictError({
          reason: 'ORDER_NOT_CANCELLABLE',
          params: { status: o.status },
          message: `An order that is ${o.status} cannot be cancelled; refund it instead`,
        });
      }
      return o.status;
    },

    /**
     * Cancels an order, once, if it is still in a state `by` may cancel (the merchant also a paid one) — for `timeout`,
     * only an unpaid order whose payment window has passed. An unpaid order frees its shopper's unpaid place. Returns the
     * order as it was, with its goods, or null when there was nothing to do. Runs in the context's transaction.
     */
    async cancel(ctx: TenantContext, id: number, by: CancelBy, reason: string, at = now()): Promise<LeftOrder | null> {
      const from =
        by === 'merchant' || by === 'campaign'
          ? [...orderMachine.sources('cancel'), ...orderMachine.sources('cancelPaid')]
          : orderMachine.sources('cancel');
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, id, { statuses: from, lock: true });
        if (!o || (by === 'timeout' && o.paymentDeadline.getTime() > at.getTime())) return null;
        const to = orderMachine.next(o.status, o.status === 'paid' ? 'cancelPaid' : 'cancel')!;
        await repo.change(tctx, id, { status: to, cancelReason: reason, cancelledAt: now(), updatedAt: now() });
        if (o.status === 'pending_payment') await repo.releaseUnpaid(tctx, o.shopperId);
        await event(tctx, id, by === 'timeout' ? 'closed' : 'cancelled', o.status, to, reason);
        return { order: o, from: o.status, goods: await goodsLeft(tctx, id, o.status) };
      });
    },

    /** The unpaid orders whose payment window has passed, at most 1000, in every shop. */
    async eachExpired(
      ctx: RequestContext,
      at: Date,
      fn: (tctx: TenantContext, orderId: number) => Promise<void>,
    ): Promise<void> {
      await eachTenant(ctx, async (tctx) => {
        for (const id of await repo.due(tctx, 'pending_payment', 'payment_deadline', at)) await fn(tctx, id);
      });
    },

    /**
     * Marks an unpaid order paid by this payment, in the context's transaction, with the order row locked: it frees the
     * shopper's unpaid place, once, as the order leaves pending_payment once. Returns the order as it was and its goods
     * (their sales count now), or null when the order is no longer waiting for payment (closed, or paid already) or when
     * the payment is not of its total (the merchant changed its price since the trade was opened): the payment is then
     * refunded. The total is compared under the row's lock, which a price change takes too: an order is never paid at
     * another amount than it records.
     */
    async applyPayment(ctx: TenantContext, orderId: number, payment: AppliedPayment): Promise<PaidOrder | null> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, orderId, { lock: true });
        if (!o || !orderMachine.can(o.status, 'pay')) return null;
        if (o.totalFen !== payment.amountFen) {
          ctx.log.warn(
            { orderId, paymentId: payment.paymentId, amountFen: payment.amountFen, totalFen: o.totalFen },
            "a payment of another amount than the order's total (its price changed): refunding it",
          );
          return null;
        }
        await repo.change(
          tctx,
          orderId,
          {
            status: orderMachine.next(o.status, 'pay')!,
            paidAt: payment.at,
            paidFen: payment.amountFen,
            paymentId: payment.paymentId,
            wechatShipping: payment.method === 'wechat_jsapi' ? 'pending' : 'not_required',
            updatedAt: now(),
          },
          orderMachine.sources('pay'),
        );
        await repo.releaseUnpaid(tctx, o.shopperId);
        await event(tctx, orderId, 'paid', 'pending_payment', 'paid', `${payment.provider}:${payment.method}`);
        const lines = (await repo.lines(tctx, [orderId])).get(orderId) ?? [];
        return {
          order: o,
          from: o.status,
          goods: goodsOf(lines),
          lines: lines.map((l) => ({
            productId: l.productId,
            quantity: l.quantity,
            paidFen: l.subtotalFen - l.discountFen,
          })),
        };
      });
    },

    /**
     * Closes an order whose payment is now refunded in full (`refunded`), in the context's transaction (the refund's, with
     * the order row locked by `lockForRefund`). Returns the order as it was with its goods — their stock goes back only
     * if it was not shipped (`from === 'paid'`) — or null when a cancelled or closed order changes nothing.
     */
    async closeRefunded(ctx: TenantContext, orderId: number, reason: string): Promise<LeftOrder | null> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, orderId, { lock: true });
        const close = o ? onFullRefund(o.status) : null;
        if (!o || !close) return null;
        const at = now();
        await repo.change(
          tctx,
          orderId,
          { status: close.to, cancelReason: reason.slice(0, 200), cancelledAt: at, updatedAt: at },
          [o.status],
        );
        await event(tctx, orderId, 'refunded_in_full', o.status, close.to, reason);
        return { order: o, from: o.status, goods: await goodsLeft(tctx, orderId, o.status) };
      });
    },

    /**
     * Ships a paid order. Shipping it again with the same parcel changes nothing; an unpaid or finished order is a 409.
     * Returns whether it changed and whether WeChat wants a shipment report of it.
     */
    /** The orders of a group that formed may ship now (in the context's transaction). */
    async groupFormed(ctx: TenantContext, orderIds: number[]): Promise<void> {
      await repo.stopWaitingForGroup(ctx, orderIds);
    },

    async ship(
      ctx: TenantContext,
      id: number,
      carrier: CarrierCode,
      trackingNo: string,
    ): Promise<{ changed: boolean; reportToWechat: boolean }> {
      const settings = await deps.shipping.settings(ctx);
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, id, { lock: true });
        if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
        if (o.status === 'shipped' && o.carrier === carrier && o.trackingNo === trackingNo)
          return { changed: false, reportToWechat: false };
        if (!orderMachine.can(o.status, 'ship')) {
          const closed = isClosed(o.status);
          const message = `Only a paid order can be shipped; this one is ${o.status}`;
          throw new ConflictError(
            closed
              ? { reason: 'ORDER_CLOSED', message }
              : { reason: 'ORDER_NOT_SHIPPABLE', params: { status: o.status }, message },
            { reason: closed ? 'order_closed' : 'not_shippable', status: o.status },
          );
        }
        if (o.activity?.waiting)
          throw new ConflictError({
            reason: 'GROUP_NOT_FORMED',
            message: 'This order ships once its group has formed',
          });
        const at = now();
        await repo.change(tctx, id, {
          status: orderMachine.next(o.status, 'ship')!,
          carrier,
          trackingNo,
          shippedAt: at,
          autoConfirmAt: new Date(at.getTime() + settings.autoConfirmDays * 86_400_000),
          updatedAt: at,
        });
        await event(tctx, id, 'shipped', 'paid', 'shipped', `${CARRIERS[carrier]} ${trackingNo}`);
        return { changed: true, reportToWechat: o.wechatShipping === 'pending' };
      });
    },

    /** Records whether WeChat took the shipment report of a WeChat Pay order. */
    async setWechatShipping(ctx: TenantContext, id: number, state: 'uploaded' | 'failed', note: string): Promise<void> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, id);
        if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
        await repo.change(tctx, id, { wechatShipping: state });
        await event(
          tctx,
          id,
          state === 'uploaded' ? 'wechat_shipping_uploaded' : 'wechat_shipping_failed',
          o.status,
          o.status,
          note.slice(0, 200),
        );
      });
    },

    /** The shopper confirms receipt of a shipped order; confirming again changes nothing. */
    async confirmReceipt(ctx: TenantContext, id: number): Promise<Order> {
      const shopperId = shopperIdOf(ctx);
      const order = await load(ctx, id, shopperId);
      if (order.status === 'completed') return order;
      if (!orderMachine.can(order.status, 'confirmReceipt'))
        throw new ConflictError({
          reason: 'ORDER_NOT_CONFIRMABLE',
          params: { status: order.status },
          message: `Only a shipped order can be confirmed; this one is ${order.status}`,
        });
      await complete(ctx, id, 'received');
      return load(ctx, id);
    },

    /** Completes every shipped order whose auto-confirm date has passed, in every tenant. */
    async autoConfirm(ctx: RequestContext, at = now()): Promise<number> {
      let confirmed = 0;
      await eachTenant(ctx, async (tctx) => {
        for (const id of await repo.due(tctx, 'shipped', 'auto_confirm_at', at))
          if (await complete(tctx, id, 'auto_confirmed')) confirmed++;
      });
      return confirmed;
    },

    /** The merchant's remark and, when given, flag (null clears it). */
    async remark(ctx: TenantContext, id: number, remark: string, flag?: OrderFlag | null): Promise<void> {
      const change = {
        merchantRemark: remark,
        updatedAt: now(),
        ...(flag !== undefined ? { merchantFlag: flag } : {}),
      };
      if (!(await repo.change(ctx, id, change))) {
        // An update that sets what is there already moves no row: tell it from an order that does not exist.
        if (!(await repo.byId(ctx, id))) throw new NotFoundError('ORDER_NOT_FOUND');
      }
    },

    /** A shopper's order as a review needs it: its state, whether it was reviewed, and its lines. Null when the shopper has no such order. */
    async forReview(ctx: TenantContext, orderId: number, shopperId: number): Promise<ReviewableOrder | null> {
      const o = await repo.byId(ctx, orderId, { shopperId });
      if (!o) return null;
      const lines = (await repo.lines(ctx, [orderId])).get(orderId) ?? [];
      return {
        orderNo: o.orderNo,
        status: o.status,
        reviewed: o.reviewedAt !== null,
        lines: lines.map((l) => ({ skuId: l.skuId, productId: l.productId, specValues: l.specValues })),
      };
    },

    /** What a shipment report to WeChat says of an order: its parcel, its lines and whom it goes to. Null when there is no such order. */
    async forShipmentReport(ctx: TenantContext, orderId: number): Promise<ShipmentReportOrder | null> {
      const o = await repo.byId(ctx, orderId);
      if (!o) return null;
      const lines = (await repo.lines(ctx, [orderId])).get(orderId) ?? [];
      return {
        status: o.status,
        wechatShipping: o.wechatShipping,
        paymentId: o.paymentId,
        carrier: String(o.carrier),
        trackingNo: String(o.trackingNo),
        receiverPhone: o.address.phone,
        lines: lines.map((l) => ({ title: l.title, quantity: l.quantity })),
      };
    },

    /** Whether the shopper has ever paid for an order of the shop: a new shopper has not (marketing's new-shopper coupons). */
    hasPaidOrder(ctx: TenantContext, shopperId: number): Promise<boolean> {
      return repo.hasPaidOrder(ctx, shopperId);
    },

    /** Marks a completed order reviewed, once, with its timeline event, in the context's transaction; false when it was already. */
    async markReviewed(ctx: TenantContext, orderId: number): Promise<boolean> {
      return deps.tx.transaction(ctx, async (tctx) => {
        if (!(await repo.markReviewed(tctx, orderId, now()))) return false;
        await event(tctx, orderId, 'reviewed', 'completed', 'completed');
        return true;
      });
    },

    /**
     * The order's money as a refund needs it, its row locked until the context's transaction ends: what was paid, what is
     * already refunded or reserved for refunds in flight, by which payment. Null when there is no such order.
     */
    async lockForRefund(ctx: TenantContext, orderId: number): Promise<RefundableOrder | null> {
      const o = await repo.byId(ctx, orderId, { lock: true });
      return o ? refundable(o) : null;
    },

    /**
     * Refunds units of lines of a paid order, in the context's transaction, its row locked first (as every refund locks
     * it): each unit at what was paid for it, its share of each discount split to the fen (`refundUnits`), so the units
     * of a line refunded in any parts add up to what was paid for the line. Returns the money to refund, whether every
     * unit of every line is now refunded, the order's state and the goods refunded. More units than a line has left is a
     * 409 naming it.
     */
    async refundLines(
      ctx: TenantContext,
      orderId: number,
      wanted: ReadonlyArray<{ skuId: number; quantity: number }>,
    ): Promise<{ amountFen: number; allRefunded: boolean; status: OrderStatus; goods: OrderedGoods[] }> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, orderId, { lock: true });
        if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
        const lines = (await repo.lines(tctx, [orderId], { lock: true })).get(orderId) ?? [];
        const planned = planLineRefunds(lines, wanted);
        for (const p of planned.lines) await repo.setLineRefunded(tctx, orderId, p.skuId, p.refunded);
        if (planned.amountFen === 0 && !planned.allRefunded) throw lineNotRefundable(wanted[0]!.skuId);
        const goods = wanted.map((w) => ({
          productId: lines.find((l) => l.skuId === w.skuId)!.productId,
          skuId: w.skuId,
          quantity: w.quantity,
        }));
        return { amountFen: planned.amountFen, allRefunded: planned.allRefunded, status: o.status, goods };
      });
    },

    /** What refunding these units of lines would give back now, as `refundLines` would compute it; nothing is written. */
    async quoteLines(
      ctx: TenantContext,
      orderId: number,
      wanted: ReadonlyArray<{ skuId: number; quantity: number }>,
    ): Promise<number> {
      const lines = (await repo.lines(ctx, [orderId])).get(orderId) ?? [];
      return planLineRefunds(lines, wanted).amountFen;
    },

    /**
     * An order as after-sales needs it — its state, dates and lines — if it is this shopper's (any shopper's when
     * `shopperId` is null); with `lock`, its row locked until the context's transaction ends (as refunds lock it), so
     * requests on its lines queue.
     */
    async forAfterSales(
      ctx: TenantContext,
      orderId: number,
      shopperId: number | null,
      opts: { lock?: boolean } = {},
    ): Promise<AfterSalesOrder | null> {
      const o = await repo.byId(ctx, orderId, { lock: opts.lock });
      if (!o || (shopperId !== null && o.shopperId !== shopperId)) return null;
      const lines = (await repo.lines(ctx, [orderId])).get(orderId) ?? [];
      return {
        id: o.id,
        orderNo: o.orderNo,
        shopperId: o.shopperId,
        status: o.status,
        completedAt: o.completedAt,
        totalFen: o.totalFen,
        paidFen: o.paidFen,
        refundedFen: o.refundedFen,
        lines,
      };
    },

    /** Reserves a refund's amount on the order (positive) or gives it back when the refund failed (negative), in the context's transaction. */
    moveRefunded: (ctx: TenantContext, orderId: number, fen: number): Promise<void> =>
      repo.moveRefunded(ctx, orderId, fen),

    /** The order's state as the context's transaction sees it. */
    /** The state of these orders and when each was received (members' and distribution's after-sales windows). */
    completions: (ctx: TenantContext, ids: number[]) => repo.completions(ctx, ids),

    /** How many orders the shop placed in [from, to), paid or not (usage). */
    placedCount: (ctx: TenantContext, from: Date, to: Date) => repo.countPlaced(ctx, from, to),

    /** The numbers of these orders (distribution's commission lists). */
    numbers: (ctx: TenantContext, ids: number[]) => repo.numbers(ctx, ids),
    /** Paid orders waiting to be shipped. */
    toShip: (ctx: TenantContext) => repo.countIn(ctx, 'paid'),

    async statusOf(ctx: TenantContext, orderId: number): Promise<OrderStatus> {
      const o = await repo.byId(ctx, orderId);
      if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
      return o.status;
    },

    /** What placing orders needs of the orders module (see workflows/place-order.ts). */
    placement: {
      /** These shoppers' orders that used one of these keys or wait for payment. */
      keyedOrUnpaid: repo.keyedOrUnpaid,
      /** The order a shopper placed with this Idempotency-Key, if any. */
      idByKey: repo.idByKey,
      /** Locks the shoppers' unpaid-order counts, in shopper order, before any SKU; returns them. */
      lockUnpaidCounts: repo.lockUnpaidCounts,
      /** The units of products each shopper ordered, orders not cancelled (`shopperId:productId` → units). */
      boughtUnits: repo.boughtUnits,
      /**
       * Writes placed orders (in the context's transaction, after their stock was taken): their lines, first events, and
       * their shoppers' unpaid counts. Returns each order's id by its number.
       */
      async record(
        ctx: TenantContext,
        placed: Array<{ order: NewOrder; lines: OrderLine[] }>,
      ): Promise<Map<string, number>> {
        const perShopper = new Map<number, number>();
        for (const { order } of placed) perShopper.set(order.shopperId, (perShopper.get(order.shopperId) ?? 0) + 1);
        await repo.addUnpaid(ctx, perShopper);
        return repo.insertPlaced(
          ctx,
          placed.map((p) => ({
            ...p,
            event: {
              type: 'placed',
              fromStatus: null,
              toStatus: 'pending_payment',
              actorType: 'shopper',
              actorId: p.order.shopperId,
              note: null,
            },
          })),
        );
      },
    },

    /**
     * A merge (in its transaction): every order of `fromId` becomes `toId`'s, with its unpaid count added to theirs
     * (both counts locked first, in shopper order, as placements lock them). Returns the ids of the orders moved.
     */
    async absorbShopper(tctx: TenantContext, fromId: number, toId: number): Promise<number[]> {
      const counts = await repo.lockUnpaidCounts(tctx, [fromId, toId]);
      const moved = await repo.reassignShopper(tctx, fromId, toId);
      await repo.moveUnpaid(tctx, fromId, toId, counts.get(fromId) ?? 0);
      return moved;
    },

    /** Adds an event to an order's timeline in the context's transaction (refunds record theirs this way). */
    async note(ctx: TenantContext, orderId: number, type: string, status: OrderStatus, text: string): Promise<void> {
      await event(ctx, orderId, type, status, status, text.slice(0, 200));
    },
  };
}

export type OrdersService = ReturnType<typeof ordersService>;
