import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { ORDER_JOBS, QUEUES, type Address, type CheckoutBody, type Order, type OrderStatus, type Page } from '@shopfleet/contracts';
import { actorId, type RequestContext, type TenantContext } from '../../kernel/context';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, isDuplicateKey, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { Queues } from '../../kernel/queue';
import type { CartService } from '../cart';
import type { ImagesService } from '../catalog';
import type { TenantsService } from '../tenants';

export interface OrdersDeps {
  knex: Knex;
  tenants: TenantsService;
  images: ImagesService;
  cart: CartService;
  queues: Queues;
  paymentWindowMinutes: number;
  maxUnpaid: number;
  now?: () => Date;
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
function orderNo(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return `${t}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/**
 * Orders: priced by the server, placed once per Idempotency-Key, with stock reserved atomically (a
 * conditional decrement that cannot go below zero) and returned when an unpaid order is cancelled or
 * its payment window closes (a delayed job per order, and a sweeper for any job that was lost).
 */
export function ordersService(deps: OrdersDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

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
    const imageIds = rows.map((r) => (r.image_id ? Number(r.image_id) : ((parseJsonColumn(r.image_ids) as number[] | null) ?? [])[0])).filter((x): x is number => Boolean(x));
    const images = await deps.images.byIds(ctx, imageIds, trx);
    return [...merged].map(([skuId, quantity]) => {
      const r = byId.get(skuId)!;
      const imageId = r.image_id ? Number(r.image_id) : ((parseJsonColumn(r.image_ids) as number[] | null) ?? [])[0];
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

  async function wantedLines(ctx: TenantContext, body: CheckoutBody): Promise<Array<{ skuId: number; quantity: number }>> {
    if (!body.fromCart) return body.items ?? [];
    const cart = await deps.cart.cart(ctx);
    return cart.lines.filter((l) => l.selected).map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
  }

  async function address(ctx: TenantContext, id: number): Promise<Address> {
    const found = (await deps.cart.addresses(ctx)).find((a) => a.id === id);
    if (!found) throw new NotFoundError('Address');
    return found;
  }

  /** Orders with their lines and timelines, in three queries whatever their number. */
  async function loadMany(ctx: TenantContext, rows: Array<Record<string, unknown>>): Promise<Order[]> {
    if (rows.length === 0) return [];
    const scope = scopeOf(ctx);
    const ids = rows.map((r) => Number(r.id));
    const [items, events] = await Promise.all([
      scope.table('order_items').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
      scope.table('order_events').whereIn('order_id', ids).orderBy('id') as Promise<Array<Record<string, unknown>>>,
    ]);
    return rows.map((row) =>
      toOrder(
        row,
        items.filter((i) => Number(i.order_id) === Number(row.id)),
        events.filter((e) => Number(e.order_id) === Number(row.id)),
      ),
    );
  }

  async function load(ctx: TenantContext, id: number, shopperId?: number): Promise<Order> {
    const q = scopeOf(ctx).table('orders').where({ id });
    if (shopperId !== undefined) q.where({ shopper_id: shopperId });
    const row = await q.first();
    if (!row) throw new NotFoundError('Order');
    return (await loadMany(ctx, [row]))[0]!;
  }

  /** Cancels an unpaid order and returns its stock, once: a second cancel finds nothing to do. */
  async function cancel(ctx: TenantContext, id: number, reason: string, type: 'cancelled' | 'closed'): Promise<boolean> {
    return retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const at = now();
      const moved = await scope.table('orders').where({ id, status: 'pending_payment' }).update({ status: 'cancelled', cancel_reason: reason, cancelled_at: at, updated_at: at });
      if (moved !== 1) return false;
      const items = (await scope.table('order_items').where({ order_id: id }).orderBy('sku_id')) as Array<Record<string, unknown>>;
      for (const item of items) {
        await scope.table('skus').where({ id: item.sku_id }).increment('stock', Number(item.quantity));
        await scope.table('products').where({ id: item.product_id }).increment('total_stock', Number(item.quantity));
      }
      await scope.insert('order_events', { order_id: id, type, from_status: 'pending_payment', to_status: 'cancelled', actor_type: ctx.actor.type, actor_id: actorId(ctx.actor), note: reason });
      return true;
    }));
  }

  return {
    /** The order as it would be placed now: lines at current prices, shipping and total. */
    async preview(ctx: TenantContext, body: CheckoutBody) {
      shopperOf(ctx);
      const [lines, addr] = await Promise.all([wantedLines(ctx, body).then((w) => price(ctx, w)), address(ctx, body.addressId)]);
      const itemsTotalFen = lines.reduce((n, l) => n + l.subtotalFen, 0);
      const shippingFen = 0;
      return { lines, itemsTotalFen, shippingFen, totalFen: itemsTotalFen + shippingFen, address: addr };
    },

    /**
     * Places an order once per Idempotency-Key: a retry returns the first order. Stock is taken with a
     * conditional decrement per SKU, in id order so that concurrent orders take their row locks in the
     * same order (a deadlock on index gaps is retried); if any SKU is short, nothing is taken or written.
     */
    async place(ctx: TenantContext, body: CheckoutBody, idempotencyKey: string): Promise<Order> {
      const shopperId = shopperOf(ctx);
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError('This shop is not taking orders', 'TENANT_NOT_ACTIVE');
      const scope = scopeOf(ctx);
      const again = await scope.table('orders').where({ shopper_id: shopperId, idempotency_key: idempotencyKey }).first();
      if (again) return load(ctx, Number(again.id));
      const unpaid = totalOf(await scope.table('orders').where({ shopper_id: shopperId, status: 'pending_payment' }).count({ total: '*' }));
      if (unpaid >= deps.maxUnpaid) {
        throw new AppError('CONFLICT', `Pay or cancel your unpaid orders first (at most ${deps.maxUnpaid})`, 409, { reason: 'too_many_unpaid' });
      }
      const addr = await address(ctx, body.addressId);
      const wanted = await wantedLines(ctx, body);
      const at = now();
      const deadline = new Date(at.getTime() + deps.paymentWindowMinutes * 60_000);
      let orderId: number;
      try {
        orderId = await retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
          const tx = scopeOf(ctx, trx);
          const lines = await price(ctx, wanted, trx);
          for (const line of [...lines].sort((a, b) => a.skuId - b.skuId)) {
            const taken = await tx.table('skus').where({ id: line.skuId }).where('stock', '>=', line.quantity).decrement('stock', line.quantity);
            if (taken !== 1) throw new ConflictError('Some items sold out meanwhile', { problems: [{ skuId: line.skuId, reason: 'insufficient_stock' }] });
            await tx.table('products').where({ id: line.productId }).decrement('total_stock', line.quantity);
          }
          const itemsTotalFen = lines.reduce((n, l) => n + l.subtotalFen, 0);
          const id = await tx.insert('orders', {
            order_no: orderNo(at),
            shopper_id: shopperId,
            status: 'pending_payment',
            items_total_fen: itemsTotalFen,
            shipping_fen: 0,
            total_fen: itemsTotalFen,
            address: JSON.stringify({ id: addr.id, name: addr.name, phone: addr.phone, regionCode: addr.regionCode, province: addr.province, city: addr.city, district: addr.district, detail: addr.detail }),
            remark: body.remark,
            idempotency_key: idempotencyKey,
            payment_deadline: deadline,
          });
          await tx.table('order_items').insert(
            lines.map((l) => ({ order_id: id, product_id: l.productId, sku_id: l.skuId, title: l.title, spec_values: JSON.stringify(l.specValues), image_url: l.imageUrl, unit_price_fen: l.unitPriceFen, quantity: l.quantity, subtotal_fen: l.subtotalFen })),
          );
          await tx.insert('order_events', { order_id: id, type: 'placed', from_status: null, to_status: 'pending_payment', actor_type: 'shopper', actor_id: shopperId });
          if (body.fromCart) await tx.table('cart_items').where({ shopper_id: shopperId }).whereIn('sku_id', lines.map((l) => l.skuId)).delete();
          return id;
        }));
      } catch (err) {
        // Two requests with one key raced: the loser returns the winner's order.
        if (isDuplicateKey(err)) {
          const winner = await scope.table('orders').where({ shopper_id: shopperId, idempotency_key: idempotencyKey }).first();
          if (winner) return load(ctx, Number(winner.id));
        }
        throw err;
      }
      await deps.queues
        .get(QUEUES.orderTimeouts)
        .add(ORDER_JOBS.closeUnpaidOrder, { tenantId: ctx.tenantId, orderId }, { jobId: `close-${ctx.tenantId}-${orderId}`, delay: deps.paymentWindowMinutes * 60_000 })
        .catch((err: unknown) => ctx.log.warn({ err, orderId }, 'could not schedule the payment window; the sweeper will close the order'));
      return load(ctx, orderId);
    },

    async list(ctx: TenantContext, q: { status?: OrderStatus; page: number; pageSize: number }): Promise<Page<Order>> {
      const shopperId = shopperOf(ctx);
      const base = () => {
        const b = scopeOf(ctx).table('orders').where({ shopper_id: shopperId });
        if (q.status) b.where({ status: q.status });
        return b;
      };
      const [rows, counted] = await Promise.all([base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize), base().count({ total: '*' })]);
      return { items: await loadMany(ctx, rows as Array<Record<string, unknown>>), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    get: (ctx: TenantContext, id: number) => load(ctx, id, shopperOf(ctx)),

    /** The shopper cancels an unpaid order. Cancelling it again changes nothing. */
    async cancelByShopper(ctx: TenantContext, id: number, reason: string): Promise<Order> {
      const order = await load(ctx, id, shopperOf(ctx));
      if (order.status !== 'pending_payment' && order.status !== 'cancelled') throw new ConflictError(`An order that is ${order.status} cannot be cancelled here`);
      await cancel(ctx, id, reason, 'cancelled');
      return load(ctx, id);
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
      let afterId = 0;
      for (;;) {
        const ids = await deps.tenants.idsInStatus(['active', 'suspended', 'pending_review'], afterId, 200);
        if (ids.length === 0) return closed;
        afterId = ids[ids.length - 1]!;
        for (const tenantId of ids) {
          const tctx: TenantContext = { ...ctx, tenantId };
          const due = (await scopeOf(tctx).table('orders').where({ status: 'pending_payment' }).where('payment_deadline', '<=', at).select('id').limit(1000)) as Array<{ id: number }>;
          for (const o of due) if (await this.closeIfExpired(tctx, Number(o.id), at)) closed++;
        }
      }
    },
  };
}

function toOrder(row: Record<string, unknown>, items: Array<Record<string, unknown>>, events: Array<Record<string, unknown>>): Order {
  const address = parseJsonColumn(row.address) as Order['address'] & { id: number };
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
    events: events.map((e) => ({
      type: String(e.type),
      fromStatus: (e.from_status as string | null) ?? null,
      toStatus: String(e.to_status),
      actorType: String(e.actor_type),
      note: (e.note as string | null) ?? null,
      at: isoOrNull(e.created_at as Date)!,
    })),
  };
}

export type OrdersService = ReturnType<typeof ordersService>;
