import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import pLimit from 'p-limit';
import {
  CARRIERS,
  ORDER_JOBS,
  QUEUES,
  type Address,
  type CarrierCode,
  type CheckoutBody,
  type MerchantOrder,
  type Order,
  type OrderStatus,
  type Page,
  type PaymentMethod,
  type PaymentProviderName,
  type RefundKind,
  type RefundStatus,
} from '@shopfleet/contracts';
import { actorId, type RequestContext, type TenantContext } from '../../kernel/context';
import { AppError, BusyError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, isDuplicateKey, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { maskPhone } from '../../kernel/mask';
import { chinaStamp } from '../../kernel/china-time';
import type { Queues } from '../../kernel/queue';
import type { CartService } from '../cart';
import type { ImagesService } from '../catalog';
import type { TenantsService } from '../tenants';
import type { ShippingService } from './shipping.service';

export interface OrdersDeps {
  knex: Knex;
  tenants: TenantsService;
  images: ImagesService;
  cart: CartService;
  queues: Queues;
  shipping: ShippingService;
  maxUnpaid: number;
  /** Orders placed at once by this process, and how many may wait for their turn. */
  placement: { concurrency: number; queue: number };
  now?: () => Date;
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

export interface PricedLine {
  skuId: number;
  productId: number;
  title: string;
  specValues: string[];
  imageUrl: string | null;
  unitPriceFen: number;
  quantity: number;
  subtotalFen: number;
}

function shopperOf(ctx: TenantContext): number {
  if (ctx.actor.type !== 'shopper') throw new ForbiddenError();
  return ctx.actor.shopperId;
}

/** An order number a person can read out: time to the second and six random digits. */
/**
 * An order number: China time to the second and ten random digits. At hundreds of orders a second six
 * digits collided now and then (a 500 under the checkout benchmark); ten make it rare, and a collision
 * that still happens is retried with a new number (the unique index decides).
 */
function orderNo(at: Date): string {
  return `${chinaStamp(at)}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
}

/** The duplicate was the order number, not the Idempotency-Key. */
const isOrderNoTaken = (err: unknown) => isDuplicateKey(err) && /order_no/.test(String((err as { sqlMessage?: string }).sqlMessage ?? (err as Error).message));

/**
 * Orders: priced by the server, placed once per Idempotency-Key, with stock reserved atomically (a
 * conditional decrement that cannot go below zero) and returned when an unpaid order is cancelled or
 * its payment window closes (a delayed job per order, and a sweeper for any job that was lost). Every
 * change of state is one conditional UPDATE on the state it leaves, plus an event on the timeline.
 */
export function ordersService(deps: OrdersDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);
  const cancelledListeners: CancelledListener[] = [];
  // Placing an order ends holding its SKUs' row locks until commit. A hundred placements interleaved in
  // one event loop stretch that moment (each waits its turn for every round trip), lock queues grow and
  // the slowest shoppers wait seconds. A few at a time, in arrival order, keeps locks short and the wait
  // fair; the line itself is bounded, beyond it the answer is 503 with Retry-After.
  const placing = pLimit(deps.placement.concurrency);

  /** Prices lines at today's prices; a SKU not for sale, or without stock enough, is a 409 naming it. */
  async function price(ctx: TenantContext, wanted: Array<{ skuId: number; quantity: number }>, trx?: Knex.Transaction): Promise<PricedLine[]> {
    if (wanted.length === 0) throw new ValidationError('nothing to buy', { issues: [{ path: 'body', message: 'no selected lines' }] });
    const merged = new Map<number, number>();
    for (const w of wanted) merged.set(w.skuId, (merged.get(w.skuId) ?? 0) + w.quantity);
    const rows = (await scopeOf(ctx, trx)
      .table('skus', 's')
      .join('products as p', (j) => j.on('p.id', '=', 's.product_id').andOn('p.tenant_id', '=', 's.tenant_id'))
      .whereIn('s.id', [...merged.keys()])
      .where('p.visible', true)
      .select('s.id', 's.product_id', 's.spec_values', 's.price_fen', 's.stock', 's.image_id', 'p.title', 'p.image_ids')) as Array<Record<string, unknown>>;
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const problems = [...merged].flatMap(([skuId, quantity]) => {
      const r = byId.get(skuId);
      if (!r) return [{ skuId, reason: 'not_for_sale' }];
      if (Number(r.stock) < quantity) return [{ skuId, reason: 'insufficient_stock', stockLeft: Number(r.stock) }];
      return [];
    });
    if (problems.length) throw new ConflictError('Some items cannot be bought as asked', { problems });
    const firstImage = (r: Record<string, unknown>) => (r.image_id ? Number(r.image_id) : ((parseJsonColumn(r.image_ids) as number[] | null) ?? [])[0]);
    const images = await deps.images.byIds(ctx, rows.map(firstImage).filter((x): x is number => Boolean(x)), trx);
    return [...merged].map(([skuId, quantity]) => {
      const r = byId.get(skuId)!;
      const imageId = firstImage(r);
      const unit = Number(r.price_fen);
      return {
        skuId,
        productId: Number(r.product_id),
        title: String(r.title),
        specValues: (parseJsonColumn(r.spec_values) as string[]) ?? [],
        imageUrl: imageId ? (images.get(imageId)?.thumb.jpeg ?? null) : null,
        unitPriceFen: unit,
        quantity,
        subtotalFen: unit * quantity,
      };
    });
  }

  async function shippingFee(ctx: TenantContext, addr: Pick<Address, 'regionCode'>, itemsTotalFen: number): Promise<number> {
    const fee = await deps.shipping.feeFor(ctx, addr.regionCode, itemsTotalFen);
    if (fee === null) throw new ConflictError('This shop does not deliver to that address', { problems: [{ reason: 'not_deliverable', regionCode: addr.regionCode }] });
    return fee;
  }

  async function wantedLines(ctx: TenantContext, body: CheckoutBody): Promise<Array<{ skuId: number; quantity: number }>> {
    if (!body.fromCart) return body.items ?? [];
    const cart = await deps.cart.cart(ctx);
    return cart.lines.filter((l) => l.selected).map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
  }

  async function address(ctx: TenantContext, id: number): Promise<Address> {
    const found = await deps.cart.address(ctx, id);
    if (!found) throw new NotFoundError('Address');
    return found;
  }

  /**
   * Adds `delta` to a SKU's stock and its product's total in one statement (a join update), so that an
   * order takes its stock in one round trip per line. A take (negative delta) happens only while stock
   * enough is left; returns whether the rows changed. The SKU row is locked first, then its product's,
   * as every stock change here does, so concurrent orders and cancels cannot lock them in opposite order.
   */
  async function moveStock(scope: TenantScope, skuId: number, delta: number): Promise<boolean> {
    const q = scope.joinScoped(scope.table('skus', 's'), 'products', 'p', 'p.id', 's.product_id').where('s.id', skuId);
    if (delta < 0) q.where('s.stock', '>=', -delta);
    const changed = await q.update({ 's.stock': deps.knex.raw('?? + ?', ['s.stock', delta]), 'p.total_stock': deps.knex.raw('?? + ?', ['p.total_stock', delta]) });
    return Number(changed) > 0;
  }

  /** Orders with lines, timelines, payments, refunds and shoppers, in a fixed number of queries whatever their number. */
  async function loadMany(ctx: TenantContext, rows: Array<Record<string, unknown>>, trx?: Knex.Transaction): Promise<MerchantOrder[]> {
    if (rows.length === 0) return [];
    const scope = scopeOf(ctx, trx);
    const ids = rows.map((r) => Number(r.id));
    const paymentIds = rows.map((r) => r.payment_id).filter((x) => x !== null).map(Number);
    const shopperIds = [...new Set(rows.map((r) => Number(r.shopper_id)))];
    const [items, events, payments, refunds, shoppers] = await Promise.all([
      scope.table('order_items').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      scope.table('order_events').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      (paymentIds.length ? scope.table('payments').whereIn('id', paymentIds) : Promise.resolve([])) as Promise<Array<Record<string, unknown>>>,
      scope.table('refunds').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      scope.table('shoppers').whereIn('id', shopperIds).select('id', 'nickname', 'phone') as Promise<Array<Record<string, unknown>>>,
    ]);
    const group = <T extends Record<string, unknown>>(list: T[]) => {
      const m = new Map<number, T[]>();
      for (const x of list) m.set(Number(x.order_id), [...(m.get(Number(x.order_id)) ?? []), x]);
      return m;
    };
    const [itemsOf, eventsOf, refundsOf] = [group(items), group(events), group(refunds)];
    const paymentOf = new Map(payments.map((p) => [Number(p.id), p]));
    const shopperOf = new Map(shoppers.map((p) => [Number(p.id), p]));
    return rows.map((row) =>
      toOrder(row, itemsOf.get(Number(row.id)) ?? [], eventsOf.get(Number(row.id)) ?? [], row.payment_id ? paymentOf.get(Number(row.payment_id)) : undefined, refundsOf.get(Number(row.id)) ?? [], shopperOf.get(Number(row.shopper_id))),
    );
  }

  async function loadFull(ctx: TenantContext, id: number, shopperId?: number, trx?: Knex.Transaction): Promise<MerchantOrder> {
    const q = scopeOf(ctx, trx).table('orders').where({ id });
    if (shopperId !== undefined) q.where({ shopper_id: shopperId });
    const row = await q.first();
    if (!row) throw new NotFoundError('Order');
    return (await loadMany(ctx, [row], trx))[0]!;
  }

  const load = async (ctx: TenantContext, id: number, shopperId?: number): Promise<Order> => forShopper(await loadFull(ctx, id, shopperId));

  async function event(scope: TenantScope, ctx: TenantContext, orderId: number, type: string, from: OrderStatus | null, to: OrderStatus, note: string | null = null): Promise<void> {
    await scope.insert('order_events', { order_id: orderId, type, from_status: from, to_status: to, actor_type: ctx.actor.type, actor_id: actorId(ctx.actor), note });
  }

  /**
   * Cancels an order that is in one of `from` and returns its stock, once: a second cancel finds
   * nothing to do. `inTrx` runs inside the same transaction (the refund of a paid order).
   */
  async function cancel(
    ctx: TenantContext,
    id: number,
    reason: string,
    type: 'cancelled' | 'closed',
    from: OrderStatus[] = ['pending_payment'],
    inTrx?: (trx: Knex.Transaction, row: Record<string, unknown>) => Promise<void>,
  ): Promise<boolean> {
    const done = await retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const row = await scope.table('orders').where({ id }).whereIn('status', from).forUpdate().first();
      if (!row) return false;
      const at = now();
      await scope.table('orders').where({ id }).update({ status: 'cancelled', cancel_reason: reason, cancelled_at: at, updated_at: at });
      const items = (await scope.table('order_items').where({ order_id: id }).orderBy('sku_id')) as Array<Record<string, unknown>>;
      for (const item of items) await moveStock(scope, Number(item.sku_id), Number(item.quantity));
      await event(scope, ctx, id, type, row.status as OrderStatus, 'cancelled', reason);
      if (inTrx) await inTrx(trx, row);
      return true;
    }));
    if (done) {
      for (const listener of cancelledListeners) {
        await listener(ctx, id).catch((err: unknown) => ctx.log.warn({ err, orderId: id }, 'after-cancel step failed'));
      }
    }
    return done;
  }

  /** Places an order now (see `place`, which lines placements up first). */
  async function placeNow(ctx: TenantContext, body: CheckoutBody, idempotencyKey: string): Promise<Order> {
    const shopperId = shopperOf(ctx);
    if (!(await deps.tenants.isActive(ctx.tenantId))) throw new ForbiddenError('This shop is not taking orders', 'TENANT_NOT_ACTIVE');
    const scope = scopeOf(ctx);
    // One read answers both: was this key used already, and how many orders wait for payment.
    const mine = (await scope
      .table('orders')
      .where({ shopper_id: shopperId })
      .where((w) => w.where({ idempotency_key: idempotencyKey }).orWhere({ status: 'pending_payment' }))
      .select('id', 'idempotency_key')) as Array<{ id: number; idempotency_key: string }>;
    const again = mine.find((o) => o.idempotency_key === idempotencyKey);
    if (again) return load(ctx, Number(again.id));
    if (mine.length >= deps.maxUnpaid) {
      throw new AppError('CONFLICT', `Pay or cancel your unpaid orders first (at most ${deps.maxUnpaid})`, 409, { reason: 'too_many_unpaid' });
    }
    const [addr, wanted, settings] = await Promise.all([address(ctx, body.addressId), wantedLines(ctx, body), deps.shipping.settings(ctx)]);
    const at = now();
    const windowMs = settings.paymentWindowMinutes * 60_000;
    // Priced from a consistent read before the transaction; the stock itself is taken inside it, last,
    // so the SKU row locks are held only for the moment before commit.
    const lines = await price(ctx, wanted);
    const itemsTotalFen = lines.reduce((n, l) => n + l.subtotalFen, 0);
    const shippingFen = await shippingFee(ctx, addr, itemsTotalFen);
    const row = {
      order_no: orderNo(at),
      shopper_id: shopperId,
      status: 'pending_payment',
      items_total_fen: itemsTotalFen,
      shipping_fen: shippingFen,
      total_fen: itemsTotalFen + shippingFen,
      address: JSON.stringify({ id: addr.id, name: addr.name, phone: addr.phone, regionCode: addr.regionCode, province: addr.province, city: addr.city, district: addr.district, detail: addr.detail }),
      remark: body.remark,
      idempotency_key: idempotencyKey,
      payment_deadline: new Date(at.getTime() + windowMs),
      created_at: at,
      updated_at: at,
    };
    const itemRows = lines.map((l) => ({ product_id: l.productId, sku_id: l.skuId, title: l.title, spec_values: JSON.stringify(l.specValues), image_url: l.imageUrl, unit_price_fen: l.unitPriceFen, quantity: l.quantity, subtotal_fen: l.subtotalFen }));
    let orderId: number | undefined;
    for (let attempt = 1; orderId === undefined; attempt++) {
      try {
        orderId = await retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
          const tx = scopeOf(ctx, trx);
          const id = await tx.insert('orders', row);
          await tx.table('order_items').insert(itemRows.map((r) => ({ ...r, order_id: id })));
          await event(tx, ctx, id, 'placed', null, 'pending_payment');
          if (body.fromCart) await tx.table('cart_items').where({ shopper_id: shopperId }).whereIn('sku_id', lines.map((l) => l.skuId)).delete();
          for (const line of [...lines].sort((a, b) => a.skuId - b.skuId)) {
            if (!(await moveStock(tx, line.skuId, -line.quantity))) throw new ConflictError('Some items sold out meanwhile', { problems: [{ skuId: line.skuId, reason: 'insufficient_stock' }] });
          }
          return id;
        }));
      } catch (err) {
        // Another order took this number in the same second: the whole transaction rolled back; try a new one.
        if (isOrderNoTaken(err) && attempt < 5) {
          row.order_no = orderNo(at);
          continue;
        }
        // Two requests with one key raced: the loser returns the winner's order.
        if (isDuplicateKey(err)) {
          const winner = await scope.table('orders').where({ shopper_id: shopperId, idempotency_key: idempotencyKey }).first();
          if (winner) return load(ctx, Number(winner.id));
        }
        throw err;
      }
    }
    await deps.queues
      .get(QUEUES.orderTimeouts)
      .add(ORDER_JOBS.closeUnpaidOrder, { tenantId: ctx.tenantId, orderId }, { jobId: `close-${ctx.tenantId}-${orderId}`, delay: windowMs })
      .catch((err: unknown) => ctx.log.warn({ err, orderId }, 'could not schedule the payment window; the sweeper will close the order'));
    // The new order as written, without reading it back.
    const placedEvent = { order_id: orderId, type: 'placed', from_status: null, to_status: 'pending_payment', actor_type: 'shopper', note: null, created_at: at };
    return forShopper(toOrder({ ...row, id: orderId, payment_id: null, refunded_fen: 0, reviewed_at: null }, itemRows, [placedEvent], undefined, [], undefined));
  }

  return {
    /** Registers a step to run after an order is cancelled (the payments module closes open provider trades). */
    onCancelled(listener: CancelledListener): void {
      cancelledListeners.push(listener);
    },

    /** The order as it would be placed now: lines at current prices, shipping and total. */
    async preview(ctx: TenantContext, body: CheckoutBody) {
      shopperOf(ctx);
      const [lines, addr] = await Promise.all([wantedLines(ctx, body).then((w) => price(ctx, w)), address(ctx, body.addressId)]);
      const itemsTotalFen = lines.reduce((n, l) => n + l.subtotalFen, 0);
      const shippingFen = await shippingFee(ctx, addr, itemsTotalFen);
      return { lines, itemsTotalFen, shippingFen, totalFen: itemsTotalFen + shippingFen, address: addr };
    },

    /**
     * Places an order once per Idempotency-Key: a retry returns the first order. Stock is taken with a
     * conditional decrement per SKU, in id order so that concurrent orders take their row locks in the
     * same order (a deadlock on index gaps is retried); if any SKU is short, nothing is taken or written.
     */
    async place(ctx: TenantContext, body: CheckoutBody, idempotencyKey: string): Promise<Order> {
      shopperOf(ctx);
      if (placing.activeCount + placing.pendingCount >= deps.placement.concurrency + deps.placement.queue) {
        throw new BusyError('Many orders are being placed right now; try again in a moment', 1);
      }
      return placing(() => placeNow(ctx, body, idempotencyKey));
    },

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
      if (order.status !== 'pending_payment' && order.status !== 'cancelled') throw new ConflictError(`An order that is ${order.status} cannot be cancelled here`);
      await cancel(ctx, id, reason, 'cancelled');
      return load(ctx, id);
    },

    /**
     * The merchant cancels an order not yet shipped. A paid one is refunded in full by `refund`, in the
     * same transaction as the cancellation, so a cancelled paid order always has its refund on record.
     */
    async cancelByMerchant(ctx: TenantContext, id: number, reason: string, refund: (trx: Knex.Transaction, row: Record<string, unknown>) => Promise<void>): Promise<boolean> {
      const row = await scopeOf(ctx).table('orders').where({ id }).first();
      if (!row) throw new NotFoundError('Order');
      if (row.status === 'cancelled') return false;
      if (row.status !== 'pending_payment' && row.status !== 'paid') throw new ConflictError(`An order that is ${String(row.status)} cannot be cancelled; refund it instead`);
      const done = await cancel(ctx, id, reason, 'cancelled', ['pending_payment', 'paid'], async (trx, locked) => {
        if (locked.status === 'paid') await refund(trx, locked);
      });
      if (!done) throw new ConflictError('The order changed meanwhile; reload it');
      return true;
    },

    /** Closes an order whose payment window has passed (the delayed job). Early or already closed: nothing happens. */
    async closeIfExpired(ctx: TenantContext, id: number, at = now()): Promise<boolean> {
      const row = await scopeOf(ctx).table('orders').where({ id }).first();
      if (!row || row.status !== 'pending_payment' || new Date(row.payment_deadline).getTime() > at.getTime()) return false;
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
     * the order row locked. Returns false when the order is no longer waiting for payment (closed, or
     * paid already): the caller then refunds the payment.
     */
    async applyPayment(ctx: TenantContext, trx: Knex.Transaction, orderId: number, payment: AppliedPayment): Promise<boolean> {
      const scope = scopeOf(ctx, trx);
      const row = await scope.table('orders').where({ id: orderId }).forUpdate().first();
      if (!row || row.status !== 'pending_payment') return false;
      if (Number(row.total_fen) !== payment.amountFen) throw new Error(`payment ${payment.paymentId} amount ${payment.amountFen} differs from order ${orderId} total ${String(row.total_fen)}`);
      await scope.table('orders').where({ id: orderId, status: 'pending_payment' }).update({
        status: 'paid',
        paid_at: payment.at,
        paid_fen: payment.amountFen,
        payment_id: payment.paymentId,
        wechat_shipping: payment.method === 'wechat_jsapi' ? 'pending' : 'not_required',
        updated_at: now(),
      });
      await event(scope, ctx, orderId, 'paid', 'pending_payment', 'paid', `${payment.provider}:${payment.method}`);
      return true;
    },

    /** Ships a paid order. Shipping it again with the same parcel changes nothing; an unpaid or finished order is a 409. */
    async ship(ctx: TenantContext, id: number, carrier: CarrierCode, trackingNo: string): Promise<{ changed: boolean; reportToWechat: boolean }> {
      const settings = await deps.shipping.settings(ctx);
      return deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const row = await scope.table('orders').where({ id }).forUpdate().first();
        if (!row) throw new NotFoundError('Order');
        if (row.status === 'shipped' && row.carrier === carrier && row.tracking_no === trackingNo) return { changed: false, reportToWechat: false };
        if (row.status !== 'paid') throw new ConflictError(`Only a paid order can be shipped; this one is ${String(row.status)}`);
        const at = now();
        await scope.table('orders').where({ id }).update({ status: 'shipped', carrier, tracking_no: trackingNo, shipped_at: at, auto_confirm_at: new Date(at.getTime() + settings.autoConfirmDays * 86_400_000), updated_at: at });
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
      if (order.status !== 'shipped') throw new ConflictError(`Only a shipped order can be confirmed; this one is ${order.status}`);
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
      if (!changed) throw new NotFoundError('Order');
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
      const moved = await scope.table('orders').where({ id, status: 'shipped' }).update({ status: 'completed', completed_at: at, updated_at: at });
      if (moved !== 1) return false;
      await event(scope, ctx, id, type, 'shipped', 'completed');
      return true;
    });
  }

  function eachTenant(ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>): Promise<void> {
    return deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) => fn({ ...ctx, tenantId }));
  }
}

/** The order as its shopper sees it: without the merchant's remark, the shopper record and the WeChat upload state. */
export function forShopper(order: MerchantOrder): Order {
  const { shopper: _shopper, merchantRemark: _remark, wechatShipping: _wechat, ...rest } = order;
  return rest;
}

function toOrder(
  row: Record<string, unknown>,
  items: Array<Record<string, unknown>>,
  events: Array<Record<string, unknown>>,
  payment: Record<string, unknown> | undefined,
  refunds: Array<Record<string, unknown>>,
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
    payment:
      payment && payment.paid_at
        ? {
            paymentNo: String(payment.payment_no),
            provider: payment.provider as PaymentProviderName,
            method: payment.method as PaymentMethod,
            amountFen: Number(payment.amount_fen),
            transactionId: (payment.transaction_id as string | null) ?? null,
            paidAt: iso(payment.paid_at as Date),
          }
        : null,
    shipment: carrier && row.shipped_at ? { carrier, carrierName: CARRIERS[carrier], trackingNo: String(row.tracking_no), shippedAt: iso(row.shipped_at as Date) } : null,
    autoConfirmAt: isoOrNull(row.auto_confirm_at as Date | null),
    completedAt: isoOrNull(row.completed_at as Date | null),
    refundedFen: Number(row.refunded_fen ?? 0),
    refunds: refunds.map((r) => ({
      id: Number(r.id),
      refundNo: String(r.refund_no),
      amountFen: Number(r.amount_fen),
      reason: String(r.reason),
      kind: r.kind as RefundKind,
      status: r.status as RefundStatus,
      createdAt: iso(r.created_at as Date),
      succeededAt: isoOrNull(r.succeeded_at as Date | null),
    })),
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

export type OrdersService = ReturnType<typeof ordersService>;
