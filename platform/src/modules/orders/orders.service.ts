import type { Knex } from 'knex';
import type { CarrierCode, CheckoutBody, MerchantOrder, Order, OrderStatus, Page, PaymentMethod, PaymentProviderName, Refund } from '@shopfleet/contracts';
import { CARRIERS } from '@shopfleet/contracts';
import { actorId, type RequestContext, type TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { contextScope, joinTransaction } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { ShoppersService } from '../shoppers';
import { checkoutService, type CheckoutDeps } from './checkout.service';
import { forShopper, toOrder, type OrderPayment } from './order-rows';
import { isClosed, onFullRefund, orderMachine } from './order-states';

/** What checkout needs, but the clock (optional here) and the loading of an order (orders gives it); and the sales ledger. */
/**
 * The money side of orders, which the payments module owns: the payment that paid each order and its
 * refunds, read for the order views (in the caller's transaction when given one).
 */
export interface OrderMoney {
  ofOrders(ctx: TenantContext, q: { orderIds: number[]; paymentIds: number[] }, trx?: Knex.Transaction): Promise<{ payments: Map<number, OrderPayment>; refunds: Map<number, Refund[]> }>;
}

export type OrdersDeps = Omit<CheckoutDeps, 'now' | 'load'> & {
  now?: () => Date;
  money: OrderMoney;
  sales: SalesLedger;
  /** The merchant's order view shows the buyer's nickname and phone. */
  shoppers: Pick<ShoppersService, 'contacts'>;
};

/** A product's sales moving by `quantity` (negative: taken back). */
export interface SalesChange {
  productId: number;
  quantity: number;
}

/**
 * Keeps the products' sales figures in step with orders; the catalog module provides it (orders never
 * touch catalog tables for it). Sales are counted when an order is paid and taken back when a paid
 * order is cancelled or refunded in full, each inside the transaction that changes the order's state,
 * so a state change counts once however often it is asked for.
 */
export interface SalesLedger {
  /** Moves sales inside the caller's transaction. */
  record(ctx: TenantContext, trx: Knex.Transaction, changes: SalesChange[]): Promise<void>;
  /** After the transaction committed: lets the shop show the new figures. */
  published(ctx: TenantContext): Promise<void>;
}

/** A shopper's order as reviews need it (see `forReview`). */
export interface ReviewableOrder {
  status: OrderStatus;
  reviewed: boolean;
  lines: Array<{ skuId: number; productId: number; specValues: string[] }>;
}

/** An order's money as a refund needs it (see `lockForRefund`). */
export interface RefundableOrder {
  status: OrderStatus;
  paidFen: number;
  /** Refunded, or reserved by refunds in flight. */
  refundedFen: number;
  paymentId: number | null;
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

/** Called after an order left pending_payment or paid for cancelled, outside its transaction (to close provider trades). */
export type CancelledListener = (ctx: TenantContext, orderId: number) => Promise<void>;

/** The payment that paid an order, as the payments module applies it. */
export interface AppliedPayment {
  paymentId: number;
  amountFen: number;
  provider: PaymentProviderName;
  method: PaymentMethod;
  at: Date;
}

function shopperOf(ctx: TenantContext): number {
  if (ctx.actor.type !== 'shopper') throw new ForbiddenError({ reason: 'SHOPPER_ONLY', message: 'Sign in as a shopper' });
  return ctx.actor.shopperId;
}

/**
 * Orders: placed by checkout (priced by the server, once per Idempotency-Key, stock reserved atomically),
 * with their stock returned when an unpaid order is cancelled or its payment window closes (a delayed
 * job per order, and a sweeper for any job that was lost). Every change of state is one conditional
 * UPDATE on the state it leaves, plus an event on the timeline.
 */
export function ordersService(deps: OrdersDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);
  const cancelledListeners: CancelledListener[] = [];

  /** Frees one of a shopper's unpaid places: the order left pending_payment (paid, cancelled or closed). */
  async function releaseUnpaid(scope: TenantScope, shopperId: number): Promise<void> {
    await scope.table('shopper_unpaid_orders').where({ shopper_id: shopperId }).decrement('unpaid', 1);
  }

  type ItemRow = { product_id: number; sku_id: number; quantity: number };
  const itemsOf = async (scope: TenantScope, orderId: number) =>
    (await scope.table('order_items').where({ order_id: orderId }).orderBy('sku_id').select('product_id', 'sku_id', 'quantity')) as ItemRow[];
  const salesOf = (items: ItemRow[], sign: 1 | -1): SalesChange[] => items.map((i) => ({ productId: Number(i.product_id), quantity: sign * Number(i.quantity) }));

  /** Orders with lines, timelines, payments, refunds and shoppers, in a fixed number of queries whatever their number. */
  async function loadMany(ctx: TenantContext, rows: Array<Record<string, unknown>>, trx?: Knex.Transaction): Promise<MerchantOrder[]> {
    if (rows.length === 0) return [];
    const scope = scopeOf(ctx, trx);
    const ids = rows.map((r) => Number(r.id));
    const paymentIds = rows.map((r) => r.payment_id).filter((x) => x !== null).map(Number);
    const shopperIds = [...new Set(rows.map((r) => Number(r.shopper_id)))];
    const [items, events, money, shoppers] = await Promise.all([
      scope.table('order_items').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      scope.table('order_events').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      deps.money.ofOrders(ctx, { orderIds: ids, paymentIds }, trx),
      deps.shoppers.contacts(ctx, shopperIds),
    ]);
    const group = <T extends Record<string, unknown>>(list: T[]) => {
      const m = new Map<number, T[]>();
      for (const x of list) m.set(Number(x.order_id), [...(m.get(Number(x.order_id)) ?? []), x]);
      return m;
    };
    const [itemsOf, eventsOf] = [group(items), group(events)];
    const shopperOf = new Map([...shoppers].map(([id, c]) => [id, { id, nickname: c.nickname, phone: c.phone } as Record<string, unknown>]));
    return rows.map((row) =>
      toOrder(
        row,
        itemsOf.get(Number(row.id)) ?? [],
        eventsOf.get(Number(row.id)) ?? [],
        row.payment_id ? (money.payments.get(Number(row.payment_id)) ?? null) : null,
        money.refunds.get(Number(row.id)) ?? [],
        shopperOf.get(Number(row.shopper_id)),
      ),
    );
  }

  async function loadFull(ctx: TenantContext, id: number, shopperId?: number, trx?: Knex.Transaction): Promise<MerchantOrder> {
    const q = scopeOf(ctx, trx).table('orders').where({ id });
    if (shopperId !== undefined) q.where({ shopper_id: shopperId });
    const row = await q.first();
    if (!row) throw new NotFoundError('ORDER_NOT_FOUND');
    return (await loadMany(ctx, [row], trx))[0]!;
  }

  const load = async (ctx: TenantContext, id: number, shopperId?: number): Promise<Order> => forShopper(await loadFull(ctx, id, shopperId));
  const checkout = checkoutService({ ...deps, now, load: (ctx, id) => load(ctx, id) });

  async function event(scope: TenantScope, ctx: TenantContext, orderId: number, type: string, from: OrderStatus | null, to: OrderStatus, note: string | null = null): Promise<void> {
    await scope.insert('order_events', { order_id: orderId, type, from_status: from, to_status: to, actor_type: ctx.actor.type, actor_id: actorId(ctx.actor), note });
  }

  /**
   * Cancels an order that is in one of `from` and returns its stock, once: a second cancel finds
   * nothing to do. An unpaid order frees its shopper's unpaid place; a paid one gives back the sales
   * counted at payment. `inTrx` runs inside the same transaction (the refund of a paid order).
   */
  async function cancel(
    ctx: TenantContext,
    id: number,
    reason: string,
    type: 'cancelled' | 'closed',
    from: readonly OrderStatus[] = orderMachine.sources('cancel'),
    inTrx?: (trx: Knex.Transaction, row: Record<string, unknown>) => Promise<void>,
  ): Promise<boolean> {
    let salesTaken = false;
    const done = await retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const row = await scope.table('orders').where({ id }).whereIn('status', from).forUpdate().first();
      if (!row) return false;
      const at = now();
      const to = orderMachine.next(row.status as OrderStatus, row.status === 'paid' ? 'cancelPaid' : 'cancel')!;
      await scope.table('orders').where({ id }).update({ status: to, cancel_reason: reason, cancelled_at: at, updated_at: at });
      if (row.status === 'pending_payment') await releaseUnpaid(scope, Number(row.shopper_id));
      const items = await itemsOf(scope, id);
      for (const item of items) await deps.stock.giveBack(joinTransaction(ctx, trx), Number(item.sku_id), Number(item.quantity));
      // A paid order's sales were counted when it was paid.
      salesTaken = row.status === 'paid';
      if (salesTaken) await deps.sales.record(ctx, trx, salesOf(items, -1));
      await event(scope, ctx, id, type, row.status as OrderStatus, to, reason);
      if (inTrx) await inTrx(trx, row);
      return true;
    }));
    if (done && salesTaken) await deps.sales.published(ctx);
    if (done) {
      for (const listener of cancelledListeners) {
        await listener(ctx, id).catch((err: unknown) => ctx.log.warn({ err, orderId: id }, 'after-cancel step failed'));
      }
    }
    return done;
  }

  return {
    /** Registers a step to run after an order is cancelled (the payments module closes open provider trades). */
    onCancelled(listener: CancelledListener): void {
      cancelledListeners.push(listener);
    },

    /** The order as it would be placed now: lines at current prices, shipping and total. */
    preview: (ctx: TenantContext, body: CheckoutBody) => checkout.preview(ctx, body),

    /** Places an order once per Idempotency-Key (see checkout). */
    place: (ctx: TenantContext, body: CheckoutBody, idempotencyKey: string): Promise<Order> => checkout.place(ctx, body, idempotencyKey),

    async list(ctx: TenantContext, q: { status?: OrderStatus; page: number; pageSize: number }): Promise<Page<Order>> {
      const shopperId = shopperOf(ctx);
      const base = () => {
        const b = scopeOf(ctx).table('orders').where({ shopper_id: shopperId });
        if (q.status) b.where({ status: q.status });
        return b;
      };
      const [rows, counted] = await Promise.all([base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize), base().count({ total: '*' })]);
      return { items: (await loadMany(ctx, rows as Array<Record<string, unknown>>)).map(forShopper), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    get: (ctx: TenantContext, id: number) => load(ctx, id, shopperOf(ctx)),
    /** Any order of the tenant with what only the merchant sees. */
    full: (ctx: TenantContext, id: number, trx?: Knex.Transaction) => loadFull(ctx, id, undefined, trx),
    loadMany,

    /** The shopper cancels an unpaid order. Cancelling it again changes nothing. */
    async cancelByShopper(ctx: TenantContext, id: number, reason: string): Promise<Order> {
      const order = await load(ctx, id, shopperOf(ctx));
      if (!orderMachine.can(order.status, 'cancel') && order.status !== 'cancelled') throw new ConflictError({ reason: 'ORDER_NOT_CANCELLABLE', params: { status: order.status }, message: `An order that is ${order.status} cannot be cancelled here` });
      await cancel(ctx, id, reason, 'cancelled');
      return load(ctx, id);
    },

    /**
     * The merchant cancels an order not yet shipped. A paid one is refunded in full by `refund`, in the
     * same transaction as the cancellation, so a cancelled paid order always has its refund on record.
     */
    async cancelByMerchant(ctx: TenantContext, id: number, reason: string, refund: (trx: Knex.Transaction, row: Record<string, unknown>) => Promise<void>): Promise<boolean> {
      const row = await scopeOf(ctx).table('orders').where({ id }).first();
      if (!row) throw new NotFoundError('ORDER_NOT_FOUND');
      if (row.status === 'cancelled') return false;
      const status = row.status as OrderStatus;
      if (!orderMachine.can(status, 'cancel') && !orderMachine.can(status, 'cancelPaid')) throw new ConflictError({ reason: 'ORDER_NOT_CANCELLABLE', params: { status: String(row.status) }, message: `An order that is ${String(row.status)} cannot be cancelled; refund it instead` });
      const done = await cancel(ctx, id, reason, 'cancelled', [...orderMachine.sources('cancel'), ...orderMachine.sources('cancelPaid')], async (trx, locked) => {
        if (locked.status === 'paid') await refund(trx, locked);
      });
      if (!done) throw new ConflictError({ reason: 'CHANGED_MEANWHILE', message: 'The order changed meanwhile; reload it' });
      return true;
    },

    /** Closes an order whose payment window has passed (the delayed job). Early or already closed: nothing happens. */
    async closeIfExpired(ctx: TenantContext, id: number, at = now()): Promise<boolean> {
      const row = await scopeOf(ctx).table('orders').where({ id }).first();
      if (!row || !orderMachine.can(row.status, 'cancel') || new Date(row.payment_deadline).getTime() > at.getTime()) return false;
      return cancel(ctx, id, '超时未支付', 'closed');
    },

    /** Closes every expired unpaid order of every tenant: the backstop for lost delayed jobs. */
    async sweep(ctx: RequestContext, at = now()): Promise<number> {
      let closed = 0;
      await eachTenant(ctx, async (tctx) => {
        const due = (await scopeOf(tctx).table('orders').where({ status: 'pending_payment' }).where('payment_deadline', '<=', at).select('id').limit(1000)) as Array<{ id: number }>;
        for (const o of due) if (await this.closeIfExpired(tctx, Number(o.id), at)) closed++;
      });
      return closed;
    },

    /**
     * Marks an unpaid order paid by this payment, inside the caller's transaction (the payment's), with
     * the order row locked: it frees the shopper's unpaid place and counts the order's sales, once, as
     * the order leaves pending_payment once (then `publishSales` after commit). Returns false when the
     * order is no longer waiting for payment (closed, or paid already): the caller then refunds the payment.
     */
    async applyPayment(ctx: TenantContext, trx: Knex.Transaction, orderId: number, payment: AppliedPayment): Promise<boolean> {
      const scope = scopeOf(ctx, trx);
      const row = await scope.table('orders').where({ id: orderId }).forUpdate().first();
      if (!row || !orderMachine.can(row.status, 'pay')) return false;
      if (Number(row.total_fen) !== payment.amountFen) throw new Error(`payment ${payment.paymentId} amount ${payment.amountFen} differs from order ${orderId} total ${String(row.total_fen)}`);
      await scope.table('orders').where({ id: orderId }).whereIn('status', orderMachine.sources('pay')).update({
        status: orderMachine.next(row.status, 'pay')!,
        paid_at: payment.at,
        paid_fen: payment.amountFen,
        payment_id: payment.paymentId,
        wechat_shipping: payment.method === 'wechat_jsapi' ? 'pending' : 'not_required',
        updated_at: now(),
      });
      await releaseUnpaid(scope, Number(row.shopper_id));
      await deps.sales.record(ctx, trx, salesOf(await itemsOf(scope, orderId), 1));
      await event(scope, ctx, orderId, 'paid', 'pending_payment', 'paid', `${payment.provider}:${payment.method}`);
      return true;
    },

    /** After a transaction that paid or closed an order (applyPayment, closeRefunded) committed: the shop shows the new sales figures. */
    publishSales: (ctx: TenantContext): Promise<void> => deps.sales.published(ctx),

    /**
     * Closes an order whose payment is now refunded in full (`refunded`), inside the refund's transaction
     * with the order row locked by the caller. An order not yet shipped also gets its stock back; its
     * sales are taken back in every case. A cancelled or already closed order changes nothing. Returns
     * whether the order was closed (then `publishSales` after commit).
     */
    async closeRefunded(ctx: TenantContext, trx: Knex.Transaction, orderId: number, reason: string): Promise<boolean> {
      const scope = scopeOf(ctx, trx);
      const row = await scope.table('orders').where({ id: orderId }).forUpdate().first('status');
      const from = row?.status as OrderStatus | undefined;
      const close = from ? onFullRefund(from) : null;
      if (!from || !close) return false;
      const at = now();
      await scope.table('orders').where({ id: orderId, status: from }).update({ status: close.to, cancel_reason: reason.slice(0, 200), cancelled_at: at, updated_at: at });
      const items = await itemsOf(scope, orderId);
      if (close.returnsStock) for (const item of items) await deps.stock.giveBack(joinTransaction(ctx, trx), Number(item.sku_id), Number(item.quantity));
      await deps.sales.record(ctx, trx, salesOf(items, -1));
      await event(scope, ctx, orderId, 'refunded_in_full', from, close.to, reason);
      return true;
    },

    /** Ships a paid order. Shipping it again with the same parcel changes nothing; an unpaid or finished order is a 409. */
    async ship(ctx: TenantContext, id: number, carrier: CarrierCode, trackingNo: string): Promise<{ changed: boolean; reportToWechat: boolean }> {
      const settings = await deps.shipping.settings(ctx);
      return deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const row = await scope.table('orders').where({ id }).forUpdate().first();
        if (!row) throw new NotFoundError('ORDER_NOT_FOUND');
        if (row.status === 'shipped' && row.carrier === carrier && row.tracking_no === trackingNo) return { changed: false, reportToWechat: false };
        if (!orderMachine.can(row.status, 'ship')) {
          const closed = isClosed(row.status as OrderStatus);
          const message = `Only a paid order can be shipped; this one is ${String(row.status)}`;
          throw new ConflictError(closed ? { reason: 'ORDER_CLOSED', message } : { reason: 'ORDER_NOT_SHIPPABLE', params: { status: String(row.status) }, message }, { reason: closed ? 'order_closed' : 'not_shippable', status: row.status });
        }
        const at = now();
        await scope.table('orders').where({ id }).update({ status: orderMachine.next(row.status, 'ship')!, carrier, tracking_no: trackingNo, shipped_at: at, auto_confirm_at: new Date(at.getTime() + settings.autoConfirmDays * 86_400_000), updated_at: at });
        await event(scope, ctx, id, 'shipped', 'paid', 'shipped', `${CARRIERS[carrier]} ${trackingNo}`);
        return { changed: true, reportToWechat: row.wechat_shipping === 'pending' };
      });
    },

    /** Records whether WeChat took the shipping report of a WeChat Pay order. */
    async setWechatShipping(ctx: TenantContext, id: number, state: 'uploaded' | 'failed', note: string): Promise<void> {
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const row = await scope.table('orders').where({ id }).first('status');
        await scope.table('orders').where({ id }).update({ wechat_shipping: state });
        await event(scope, ctx, id, state === 'uploaded' ? 'wechat_shipping_uploaded' : 'wechat_shipping_failed', row.status as OrderStatus, row.status as OrderStatus, note.slice(0, 200));
      });
    },

    /** The shopper confirms receipt of a shipped order; confirming again changes nothing. */
    async confirmReceipt(ctx: TenantContext, id: number): Promise<Order> {
      const shopperId = shopperOf(ctx);
      const order = await load(ctx, id, shopperId);
      if (order.status === 'completed') return order;
      if (!orderMachine.can(order.status, 'confirmReceipt')) throw new ConflictError({ reason: 'ORDER_NOT_CONFIRMABLE', params: { status: order.status }, message: `Only a shipped order can be confirmed; this one is ${order.status}` });
      await complete(ctx, id, 'received');
      return load(ctx, id);
    },

    /** Completes every shipped order whose auto-confirm date has passed, in every tenant. */
    async autoConfirm(ctx: RequestContext, at = now()): Promise<number> {
      let confirmed = 0;
      await eachTenant(ctx, async (tctx) => {
        const due = (await scopeOf(tctx).table('orders').where({ status: 'shipped' }).where('auto_confirm_at', '<=', at).select('id').limit(1000)) as Array<{ id: number }>;
        for (const o of due) if (await complete(tctx, Number(o.id), 'auto_confirmed')) confirmed++;
      });
      return confirmed;
    },

    async remark(ctx: TenantContext, id: number, remark: string): Promise<void> {
      const changed = await scopeOf(ctx).table('orders').where({ id }).update({ merchant_remark: remark, updated_at: now() });
      if (!changed) throw new NotFoundError('ORDER_NOT_FOUND');
    },

    /**
     * A shopper's order as a review needs it: its state, whether it was reviewed, and its lines. Null
     * when the shopper has no such order.
     */
    async forReview(ctx: TenantContext, orderId: number, shopperId: number): Promise<ReviewableOrder | null> {
      const scope = scopeOf(ctx);
      const order = await scope.table('orders').where({ id: orderId, shopper_id: shopperId }).first('status', 'reviewed_at');
      if (!order) return null;
      const lines = (await scope.table('order_items').where({ order_id: orderId }).orderBy('id').select('product_id', 'sku_id', 'spec_values')) as Array<ItemRow & { spec_values: unknown }>;
      return {
        status: order.status as OrderStatus,
        reviewed: order.reviewed_at !== null,
        lines: lines.map((l) => ({ skuId: Number(l.sku_id), productId: Number(l.product_id), specValues: (parseJsonColumn(l.spec_values) as string[] | null) ?? [] })),
      };
    },

    /** What a shipment report to WeChat says of an order: its parcel, its lines and whom it goes to. Null when there is no such order. */
    async forShipmentReport(ctx: TenantContext, orderId: number): Promise<ShipmentReportOrder | null> {
      const scope = scopeOf(ctx);
      const order = await scope.table('orders').where({ id: orderId }).first();
      if (!order) return null;
      const items = (await scope.table('order_items').where({ order_id: orderId }).select('title', 'quantity')) as Array<{ title: string; quantity: number }>;
      return {
        status: order.status as OrderStatus,
        wechatShipping: String(order.wechat_shipping),
        paymentId: order.payment_id === null ? null : Number(order.payment_id),
        carrier: String(order.carrier),
        trackingNo: String(order.tracking_no),
        receiverPhone: (parseJsonColumn(order.address) as { phone: string }).phone,
        lines: items.map((i) => ({ title: String(i.title), quantity: Number(i.quantity) })),
      };
    },

    /** Marks a completed order reviewed, once, with its timeline event, in the context's transaction; false when it was already. */
    async markReviewed(ctx: TenantContext, orderId: number): Promise<boolean> {
      const scope = contextScope(deps.knex, ctx);
      const marked = await scope.table('orders').where({ id: orderId }).whereNull('reviewed_at').update({ reviewed_at: now() });
      if (marked !== 1) return false;
      await event(scope, ctx, orderId, 'reviewed', 'completed', 'completed');
      return true;
    },

    /**
     * The order's money as a refund needs it, its row locked until the caller's transaction ends: what
     * was paid, what is already refunded or reserved for refunds in flight, by which payment. Null when
     * there is no such order.
     */
    async lockForRefund(ctx: TenantContext, trx: Knex.Transaction, orderId: number): Promise<RefundableOrder | null> {
      const row = await scopeOf(ctx, trx).table('orders').where({ id: orderId }).forUpdate().first('status', 'paid_fen', 'refunded_fen', 'payment_id');
      if (!row) return null;
      return { status: row.status as OrderStatus, paidFen: Number(row.paid_fen), refundedFen: Number(row.refunded_fen), paymentId: row.payment_id === null ? null : Number(row.payment_id) };
    },

    /** Reserves a refund's amount on the order (positive) or gives it back when the refund failed (negative), in the caller's transaction. */
    async moveRefunded(ctx: TenantContext, trx: Knex.Transaction, orderId: number, fen: number): Promise<void> {
      await scopeOf(ctx, trx).table('orders').where({ id: orderId }).increment('refunded_fen', fen);
    },

    /** The order's state as the caller's transaction sees it. */
    async statusOf(ctx: TenantContext, trx: Knex.Transaction, orderId: number): Promise<OrderStatus> {
      return (await scopeOf(ctx, trx).table('orders').where({ id: orderId }).first('status')).status as OrderStatus;
    },

    /** Adds an event to an order's timeline inside the caller's transaction (refunds record theirs this way). */
    async note(ctx: TenantContext, trx: Knex.Transaction, orderId: number, type: string, status: OrderStatus, text: string): Promise<void> {
      await event(scopeOf(ctx, trx), ctx, orderId, type, status, status, text.slice(0, 200));
    },
  };

  async function complete(ctx: TenantContext, id: number, type: 'received' | 'auto_confirmed'): Promise<boolean> {
    return deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const at = now();
      const moved = await scope.table('orders').where({ id }).whereIn('status', orderMachine.sources('confirmReceipt')).update({ status: orderMachine.transitions.confirmReceipt.to, completed_at: at, updated_at: at });
      if (moved !== 1) return false;
      await event(scope, ctx, id, type, 'shipped', 'completed');
      return true;
    });
  }

  function eachTenant(ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>): Promise<void> {
    return deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) => fn({ ...ctx, tenantId }));
  }
}

export type OrdersService = ReturnType<typeof ordersService>;
