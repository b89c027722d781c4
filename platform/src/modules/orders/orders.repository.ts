import type { Knex } from 'knex';
import type {
  CarrierCode,
  MerchantOrder,
  Order,
  OrderActivityKind,
  OrderDiscount,
  OrderFlag,
  OrderStatus,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { chinaDayStart, chinaStamp } from '../../kernel/china-time';
import { parseJsonColumn, shiftedBy, totalOf } from '../../kernel/db/rows';
import type { Discount } from './pricing';

/** Where an order goes, as it was when the order was placed (the address book may change later). */
export type OrderAddress = Order['address'] & { id: number };

/** Whether WeChat still needs a shipment report of this order. */
export type WechatShippingState = MerchantOrder['wechatShipping'];

/** An order as stored. */
export interface OrderRecord {
  id: number;
  orderNo: string;
  shopperId: number;
  status: OrderStatus;
  itemsTotalFen: number;
  discountFen: number;
  /** The discounts by source, with their names as placed. */
  discounts: OrderDiscount[];
  shippingFen: number;
  totalFen: number;
  /** What its payment brought in, and what of it is refunded or reserved by refunds in flight. */
  paidFen: number;
  refundedFen: number;
  address: OrderAddress;
  remark: string;
  merchantRemark: string;
  /** The merchant's coloured flag, or null. */
  merchantFlag: OrderFlag | null;
  /** The campaign it was placed in (a flash item), or null. */
  /** The campaign it was placed in (a flash item, a group) and, for a group, whether it waits for it to form. */
  activity: { kind: OrderActivityKind; id: number; waiting: boolean } | null;
  idempotencyKey: string;
  paymentDeadline: Date;
  paymentId: number | null;
  paidAt: Date | null;
  carrier: CarrierCode | null;
  trackingNo: string | null;
  shippedAt: Date | null;
  autoConfirmAt: Date | null;
  completedAt: Date | null;
  cancelReason: string | null;
  reviewedAt: Date | null;
  wechatShipping: WechatShippingState;
  createdAt: Date;
}

/** An order as checkout writes it: the rest comes with payment, shipping and after. */
export type NewOrder = Pick<
  OrderRecord,
  | 'orderNo'
  | 'shopperId'
  | 'itemsTotalFen'
  | 'discountFen'
  | 'discounts'
  | 'shippingFen'
  | 'totalFen'
  | 'address'
  | 'remark'
  | 'activity'
  | 'idempotencyKey'
  | 'paymentDeadline'
  | 'createdAt'
>;

/** A line of an order: what was bought, at what price, and its share of each discount (so a refund of it gives each back). */
export interface OrderLine {
  productId: number;
  skuId: number;
  title: string;
  specValues: string[];
  imageUrl: string | null;
  unitPriceFen: number;
  quantity: number;
  subtotalFen: number;
  discountFen: number;
  discountShares: Discount[];
  /** What line refunds have given back of it: units, money, and each discount's part. */
  refundedQuantity: number;
  refundedFen: number;
  refundedShares: Discount[];
}

/** An entry of an order's timeline. */
export interface OrderEvent {
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actorType: string;
  actorId: number | null;
  note: string | null;
  createdAt: Date;
}

/** What a change of an order may set. */
export type OrderChange = Partial<
  Pick<
    OrderRecord,
    | 'status'
    | 'paidAt'
    | 'paidFen'
    | 'paymentId'
    | 'wechatShipping'
    | 'carrier'
    | 'trackingNo'
    | 'shippedAt'
    | 'autoConfirmAt'
    | 'completedAt'
    | 'cancelReason'
    | 'merchantRemark'
    | 'merchantFlag'
  > & { cancelledAt: Date; updatedAt: Date }
>;

/** The merchant's search of orders. */
export interface OrderFilter {
  status?: OrderStatus;
  q?: string;
  from?: string;
  to?: string;
  /** With this flag; `none`: with none. */
  flag?: OrderFlag | 'none';
}

interface OrderRow {
  id: number;
  order_no: string;
  shopper_id: number;
  status: OrderStatus;
  items_total_fen: number;
  discount_fen: number;
  discounts: unknown;
  shipping_fen: number;
  total_fen: number;
  paid_fen: number;
  refunded_fen: number;
  address: unknown;
  remark: string;
  merchant_remark: string;
  merchant_flag: OrderFlag | null;
  activity_kind: OrderActivityKind | null;
  activity_id: number | null;
  waiting_for_group: number | boolean;
  idempotency_key: string;
  payment_deadline: Date;
  payment_id: number | null;
  paid_at: Date | null;
  carrier: CarrierCode | null;
  tracking_no: string | null;
  shipped_at: Date | null;
  auto_confirm_at: Date | null;
  completed_at: Date | null;
  cancel_reason: string | null;
  reviewed_at: Date | null;
  wechat_shipping: WechatShippingState;
  created_at: Date;
}

interface LineRow {
  order_id: number;
  product_id: number;
  sku_id: number;
  title: string;
  spec_values: unknown;
  image_url: string | null;
  unit_price_fen: number;
  quantity: number;
  subtotal_fen: number;
  discount_fen: number;
  discount_shares: unknown;
  refunded_quantity: number;
  refunded_fen: number;
  refunded_shares: unknown;
}

interface EventRow {
  order_id: number;
  type: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  actor_type: string;
  actor_id: number | null;
  note: string | null;
  created_at: Date;
}

const toRecord = (r: OrderRow): OrderRecord => ({
  id: Number(r.id),
  orderNo: r.order_no,
  shopperId: Number(r.shopper_id),
  status: r.status,
  itemsTotalFen: Number(r.items_total_fen),
  discountFen: Number(r.discount_fen),
  discounts: (parseJsonColumn(r.discounts) as OrderDiscount[] | null) ?? [],
  shippingFen: Number(r.shipping_fen),
  totalFen: Number(r.total_fen),
  paidFen: Number(r.paid_fen),
  refundedFen: Number(r.refunded_fen),
  address: parseJsonColumn(r.address) as OrderAddress,
  remark: r.remark,
  merchantRemark: r.merchant_remark,
  merchantFlag: r.merchant_flag ?? null,
  activity: r.activity_kind
    ? { kind: r.activity_kind, id: Number(r.activity_id), waiting: Boolean(r.waiting_for_group) }
    : null,
  idempotencyKey: r.idempotency_key,
  paymentDeadline: r.payment_deadline,
  paymentId: r.payment_id === null ? null : Number(r.payment_id),
  paidAt: r.paid_at,
  carrier: r.carrier,
  trackingNo: r.tracking_no,
  shippedAt: r.shipped_at,
  autoConfirmAt: r.auto_confirm_at,
  completedAt: r.completed_at,
  cancelReason: r.cancel_reason,
  reviewedAt: r.reviewed_at,
  wechatShipping: r.wechat_shipping,
  createdAt: r.created_at,
});

const toLine = (l: LineRow): OrderLine => ({
  productId: Number(l.product_id),
  skuId: Number(l.sku_id),
  title: l.title,
  specValues: (parseJsonColumn(l.spec_values) as string[] | null) ?? [],
  imageUrl: l.image_url,
  unitPriceFen: Number(l.unit_price_fen),
  quantity: Number(l.quantity),
  subtotalFen: Number(l.subtotal_fen),
  discountFen: Number(l.discount_fen),
  discountShares: (parseJsonColumn(l.discount_shares) as Discount[] | null) ?? [],
  refundedQuantity: Number(l.refunded_quantity),
  refundedFen: Number(l.refunded_fen),
  refundedShares: (parseJsonColumn(l.refunded_shares) as Discount[] | null) ?? [],
});

const toEvent = (e: EventRow): OrderEvent => ({
  type: e.type,
  fromStatus: e.from_status,
  toStatus: e.to_status,
  actorType: e.actor_type,
  actorId: e.actor_id === null ? null : Number(e.actor_id),
  note: e.note,
  createdAt: e.created_at,
});

const CHANGE_COLUMNS: Record<keyof OrderChange, string> = {
  status: 'status',
  paidAt: 'paid_at',
  paidFen: 'paid_fen',
  paymentId: 'payment_id',
  wechatShipping: 'wechat_shipping',
  carrier: 'carrier',
  trackingNo: 'tracking_no',
  shippedAt: 'shipped_at',
  autoConfirmAt: 'auto_confirm_at',
  completedAt: 'completed_at',
  cancelReason: 'cancel_reason',
  merchantRemark: 'merchant_remark',
  merchantFlag: 'merchant_flag',
  cancelledAt: 'cancelled_at',
  updatedAt: 'updated_at',
};

function changeRow(change: OrderChange): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change))
    if (value !== undefined) row[CHANGE_COLUMNS[key as keyof OrderChange]] = value;
  return row;
}

function groupBy<T>(rows: Array<T & { order_id: number }>, map: (row: T) => unknown): Map<number, never[]> {
  const grouped = new Map<number, unknown[]>();
  for (const r of rows) {
    const id = Number(r.order_id);
    const list = grouped.get(id);
    if (list) list.push(map(r));
    else grouped.set(id, [map(r)]);
  }
  return grouped as Map<number, never[]>;
}

/** `orders`, `order_items`, `order_events` and `shopper_unpaid_orders`: the orders of a shop, their lines, timelines, and each shopper's count of unpaid orders. */
export function ordersRepository(db: Database) {
  const orders = (ctx: TenantContext) => db.scope(ctx).table('orders');

  function filtered(ctx: TenantContext, f: OrderFilter): Knex.QueryBuilder {
    const scope = db.scope(ctx);
    const q = scope.table('orders');
    if (f.status) q.where({ status: f.status });
    if (f.flag) q.where({ merchant_flag: f.flag === 'none' ? null : f.flag });
    if (f.from) q.where('created_at', '>=', chinaDayStart(f.from));
    if (f.to) q.where('created_at', '<', new Date(chinaDayStart(f.to).getTime() + 86_400_000));
    if (f.q) {
      const text = f.q;
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => {
        w.where('order_no', text)
          .orWhereRaw("JSON_UNQUOTE(JSON_EXTRACT(address, '$.phone')) = ?", [text])
          .orWhereRaw("JSON_UNQUOTE(JSON_EXTRACT(address, '$.name')) = ?", [text])
          .orWhereIn('id', scope.table('order_items').where('title', 'like', like).select('order_id'));
      });
    }
    return q;
  }

  return {
    /**
     * An order; `shopperId` limits it to that shopper's, `statuses` to those states, and `lock` holds its row until the
     * context's transaction ends.
     */
    async byId(
      ctx: TenantContext,
      id: number,
      opts: { shopperId?: number; statuses?: readonly OrderStatus[]; lock?: boolean } = {},
    ): Promise<OrderRecord | null> {
      const q = orders(ctx).where({ id });
      if (opts.shopperId !== undefined) q.where({ shopper_id: opts.shopperId });
      if (opts.statuses) q.whereIn('status', opts.statuses);
      const row = (await (opts.lock ? q.forUpdate() : q).first()) as OrderRow | undefined;
      return row ? toRecord(row) : null;
    },

    /** Changes an order, only while it is in one of `from` when given; whether it changed. */
    async change(ctx: TenantContext, id: number, change: OrderChange, from?: readonly OrderStatus[]): Promise<boolean> {
      const q = orders(ctx).where({ id });
      if (from) q.whereIn('status', from);
      return (await q.update(changeRow(change))) === 1;
    },

    /** How many of the shop's orders are in this state. */
    async countIn(ctx: TenantContext, status: OrderStatus): Promise<number> {
      const row = (await orders(ctx).where({ status }).count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },

    /**
     * Orders placed in [from, to), to the second. An order's number begins with the China-time second it was placed
     * (`orderNo`), so the range is one of numbers, served by the unique (tenant_id, order_no) index.
     */
    async countPlaced(ctx: TenantContext, from: Date, to: Date): Promise<number> {
      return totalOf(
        await orders(ctx)
          .where('order_no', '>=', chinaStamp(from))
          .where('order_no', '<', chinaStamp(to))
          .count({ total: '*' }),
      );
    },

    /** The numbers of these orders, by id. */
    async numbers(ctx: TenantContext, ids: number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows = (await orders(ctx)
        .whereIn('id', [...new Set(ids)])
        .select('id', 'order_no')) as Array<{
        id: number;
        order_no: string;
      }>;
      return new Map(rows.map((r) => [Number(r.id), r.order_no]));
    },

    /** The state of these orders and when each was completed (received), by id. */
    async completions(
      ctx: TenantContext,
      ids: number[],
    ): Promise<Map<number, { status: OrderStatus; completedAt: Date | null }>> {
      if (ids.length === 0) return new Map();
      const rows = (await orders(ctx).whereIn('id', ids).select('id', 'status', 'completed_at')) as Array<{
        id: number;
        status: OrderStatus;
        completed_at: Date | null;
      }>;
      return new Map(rows.map((r) => [Number(r.id), { status: r.status, completedAt: r.completed_at }]));
    },

    /** Orders of a group that has formed: they may ship. */
    async stopWaitingForGroup(ctx: TenantContext, ids: number[]): Promise<void> {
      if (ids.length) await orders(ctx).whereIn('id', ids).update({ waiting_for_group: false });
    },

    /** Whether the shopper has ever paid for an order (refunded or cancelled since, or not). */
    async hasPaidOrder(ctx: TenantContext, shopperId: number): Promise<boolean> {
      return (await orders(ctx).where({ shopper_id: shopperId }).whereNotNull('paid_at').first('id')) !== undefined;
    },

    /** Marks an order reviewed, once: false when it was already. */
    async markReviewed(ctx: TenantContext, id: number, at: Date): Promise<boolean> {
      return (await orders(ctx).where({ id }).whereNull('reviewed_at').update({ reviewed_at: at })) === 1;
    },

    /** Moves the amount refunded or reserved for refunds in flight (negative: given back). */
    async moveRefunded(ctx: TenantContext, id: number, fen: number): Promise<void> {
      await orders(ctx).where({ id }).increment('refunded_fen', fen);
    },

    /** The lines of these orders, by order, in the order they were written. */
    async lines(
      ctx: TenantContext,
      orderIds: number[],
      opts: { lock?: boolean } = {},
    ): Promise<Map<number, OrderLine[]>> {
      if (orderIds.length === 0) return new Map();
      const q = db.scope(ctx).table('order_items').whereIn('order_id', orderIds).orderBy('id');
      // A locking read sees the latest committed rows, whatever the transaction's snapshot: what a refund adds to.
      return groupBy((await (opts.lock ? q.forUpdate() : q)) as LineRow[], toLine);
    },

    /** Sets what line refunds have given back of a line (an order has one line per SKU). */
    async setLineRefunded(
      ctx: TenantContext,
      orderId: number,
      skuId: number,
      r: { quantity: number; fen: number; shares: Discount[] },
    ): Promise<void> {
      await db
        .scope(ctx)
        .table('order_items')
        .where({ order_id: orderId, sku_id: skuId })
        .update({
          refunded_quantity: r.quantity,
          refunded_fen: r.fen,
          refunded_shares: r.shares.length ? JSON.stringify(r.shares) : null,
        });
    },

    /** The timelines of these orders, by order. */
    async events(ctx: TenantContext, orderIds: number[]): Promise<Map<number, OrderEvent[]>> {
      if (orderIds.length === 0) return new Map();
      return groupBy(
        (await db.scope(ctx).table('order_events').whereIn('order_id', orderIds).orderBy('id')) as EventRow[],
        toEvent,
      );
    },

    async addEvent(ctx: TenantContext, orderId: number, e: Omit<OrderEvent, 'createdAt'>): Promise<void> {
      await db.scope(ctx).insert('order_events', {
        order_id: orderId,
        type: e.type,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        actor_type: e.actorType,
        actor_id: e.actorId,
        note: e.note,
      });
    },

    /** A shopper's orders, newest first, and how many there are. */
    async ofShopper(
      ctx: TenantContext,
      shopperId: number,
      q: { status?: OrderStatus; page: number; pageSize: number },
    ): Promise<{ orders: OrderRecord[]; total: number }> {
      const base = () => {
        const b = orders(ctx).where({ shopper_id: shopperId });
        if (q.status) b.where({ status: q.status });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      return { orders: (rows as OrderRow[]).map(toRecord), total: totalOf(counted) };
    },

    /** The merchant's search, newest first: a page (`offset`) or the orders before an id (`beforeId`, for export). */
    async search(
      ctx: TenantContext,
      f: OrderFilter,
      page: { limit: number; offset?: number; beforeId?: number },
    ): Promise<OrderRecord[]> {
      const q = filtered(ctx, f).orderBy('id', 'desc').limit(page.limit);
      if (page.offset) q.offset(page.offset);
      if (page.beforeId !== undefined) q.where('id', '<', page.beforeId);
      return ((await q) as OrderRow[]).map(toRecord);
    },

    async count(ctx: TenantContext, f: OrderFilter): Promise<number> {
      return totalOf(await filtered(ctx, f).count({ total: '*' }));
    },

    /** How many orders of the search (its state aside) are in each state: one grouped query. */
    async countByStatus(ctx: TenantContext, f: Omit<OrderFilter, 'status'>): Promise<Map<OrderStatus, number>> {
      const rows = (await filtered(ctx, f).groupBy('status').select('status').count({ n: '*' })) as Array<{
        status: OrderStatus;
        n: number | string;
      }>;
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    },

    /**
     * Writes an unpaid order's new price (the caller holds its row locked): its totals and discounts, and each line's
     * share of them. Only while it is still unpaid; whether it was.
     */
    async reprice(
      ctx: TenantContext,
      id: number,
      price: { totalFen: number; shippingFen: number; discountFen: number; discounts: OrderDiscount[] },
      lines: Array<{ skuId: number; discountFen: number; discountShares: Discount[] }>,
      at: Date,
    ): Promise<boolean> {
      const moved = await orders(ctx)
        .where({ id, status: 'pending_payment' })
        .update({
          total_fen: price.totalFen,
          shipping_fen: price.shippingFen,
          discount_fen: price.discountFen,
          discounts: price.discounts.length ? JSON.stringify(price.discounts) : null,
          updated_at: at,
        });
      if (moved !== 1) return false;
      for (const l of lines)
        await db
          .scope(ctx)
          .table('order_items')
          .where({ order_id: id, sku_id: l.skuId })
          .update({
            discount_fen: l.discountFen,
            discount_shares: l.discountShares.length ? JSON.stringify(l.discountShares) : null,
          });
      return true;
    },

    /** Sets where an order goes, only while it is in one of `from`; whether it changed. */
    async readdress(
      ctx: TenantContext,
      id: number,
      address: OrderAddress,
      from: readonly OrderStatus[],
      at: Date,
    ): Promise<boolean> {
      return (
        (await orders(ctx)
          .where({ id })
          .whereIn('status', from)
          .update({ address: JSON.stringify(address), updated_at: at })) === 1
      );
    },

    /** The ids of the orders with these numbers, by number. */
    async idsByNumbers(ctx: TenantContext, orderNos: string[]): Promise<Map<string, number>> {
      if (orderNos.length === 0) return new Map();
      const rows = (await orders(ctx)
        .whereIn('order_no', [...new Set(orderNos)])
        .select('id', 'order_no')) as Array<{ id: number; order_no: string }>;
      return new Map(rows.map((r) => [r.order_no, Number(r.id)]));
    },

    /** Ids of orders in `status` whose `column` date has come (unpaid past their window, shipped past auto-confirm), at most 1000. */
    async due(
      ctx: TenantContext,
      status: 'pending_payment' | 'shipped',
      column: 'payment_deadline' | 'auto_confirm_at',
      at: Date,
    ): Promise<number[]> {
      const rows = (await orders(ctx).where({ status }).where(column, '<=', at).select('id').limit(1000)) as Array<{
        id: number;
      }>;
      return rows.map((r) => Number(r.id));
    },

    /** For checkout: these shoppers' orders that used one of these keys or wait for payment. */
    async keyedOrUnpaid(
      ctx: TenantContext,
      shopperIds: number[],
      keys: string[],
    ): Promise<Array<{ id: number; shopperId: number; idempotencyKey: string; status: OrderStatus }>> {
      const rows = (await orders(ctx)
        .whereIn('shopper_id', shopperIds)
        .where((w) => w.whereIn('idempotency_key', keys).orWhere({ status: 'pending_payment' }))
        .select('id', 'shopper_id', 'idempotency_key', 'status')) as Array<{
        id: number;
        shopper_id: number;
        idempotency_key: string;
        status: OrderStatus;
      }>;
      return rows.map((r) => ({
        id: Number(r.id),
        shopperId: Number(r.shopper_id),
        idempotencyKey: r.idempotency_key,
        status: r.status,
      }));
    },

    /** The order a shopper placed with this Idempotency-Key, if any. */
    async idByKey(ctx: TenantContext, shopperId: number, key: string): Promise<number | null> {
      const row = (await orders(ctx).where({ shopper_id: shopperId, idempotency_key: key }).first('id')) as
        { id: number } | undefined;
      return row ? Number(row.id) : null;
    },

    /**
     * Writes placed orders with their lines and first events: one insert per table, whatever their number. Returns each
     * order's id by its number. A taken number or key is a duplicate key error (the unique indexes decide).
     */
    async insertPlaced(
      ctx: TenantContext,
      placed: Array<{ order: NewOrder; lines: OrderLine[]; event: Omit<OrderEvent, 'createdAt'> }>,
    ): Promise<Map<string, number>> {
      const scope = db.scope(ctx);
      await scope.insert(
        'orders',
        placed.map(({ order: o }) => ({
          order_no: o.orderNo,
          shopper_id: o.shopperId,
          status: 'pending_payment',
          items_total_fen: o.itemsTotalFen,
          discount_fen: o.discountFen,
          discounts: o.discounts.length ? JSON.stringify(o.discounts) : null,
          shipping_fen: o.shippingFen,
          total_fen: o.totalFen,
          address: JSON.stringify(o.address),
          remark: o.remark,
          activity_kind: o.activity?.kind ?? null,
          activity_id: o.activity?.id ?? null,
          waiting_for_group: o.activity?.waiting ?? false,
          idempotency_key: o.idempotencyKey,
          payment_deadline: o.paymentDeadline,
          created_at: o.createdAt,
          updated_at: o.createdAt,
        })),
      );
      const ids = (await scope
        .table('orders')
        .whereIn(
          'order_no',
          placed.map((p) => p.order.orderNo),
        )
        .select('id', 'order_no')) as Array<{ id: number; order_no: string }>;
      const idOf = new Map(ids.map((r) => [r.order_no, Number(r.id)]));
      await scope.insert(
        'order_items',
        placed.flatMap(({ order, lines }) =>
          lines.map((l) => ({
            order_id: idOf.get(order.orderNo)!,
            product_id: l.productId,
            sku_id: l.skuId,
            title: l.title,
            spec_values: JSON.stringify(l.specValues),
            image_url: l.imageUrl,
            unit_price_fen: l.unitPriceFen,
            quantity: l.quantity,
            subtotal_fen: l.subtotalFen,
            discount_fen: l.discountFen,
            discount_shares: l.discountShares.length ? JSON.stringify(l.discountShares) : null,
          })),
        ),
      );
      await scope.insert(
        'order_events',
        placed.map(({ order, event: e }) => ({
          order_id: idOf.get(order.orderNo)!,
          type: e.type,
          from_status: e.fromStatus,
          to_status: e.toStatus,
          actor_type: e.actorType,
          actor_id: e.actorId,
          note: e.note,
        })),
      );
      return idOf;
    },

    /**
     * Locks these shoppers' unpaid-order counts (creating a count of 0 for a shopper who has none yet) and returns them.
     * Locked in shopper order, before any SKU, so that every transaction that moves a count (placing, paying, cancelling)
     * takes these rows in the same order relative to the SKUs and products: concurrent placements, in this process or
     * another, queue for a shopper's count rather than both reading it and both passing the limit.
     */
    async lockUnpaidCounts(ctx: TenantContext, shopperIds: number[]): Promise<Map<number, number>> {
      const ids = [...new Set(shopperIds)].sort((a, b) => a - b);
      const scope = db.scope(ctx);
      // ON DUPLICATE KEY UPDATE takes the existing row's exclusive lock at once (INSERT IGNORE would take a
      // shared one, and two placements upgrading it would deadlock).
      await scope.upsert(
        'shopper_unpaid_orders',
        ids.map((id) => ({ shopper_id: id, unpaid: 0 })),
        { unpaid: db.knex.raw('??', ['unpaid']) },
      );
      const rows = (await scope
        .table('shopper_unpaid_orders')
        .whereIn('shopper_id', ids)
        .forUpdate()
        .select('shopper_id', 'unpaid')) as Array<{ shopper_id: number; unpaid: number }>;
      return new Map(rows.map((r) => [Number(r.shopper_id), Number(r.unpaid)]));
    },

    /**
     * The units of these products each of these shoppers ordered, over their orders not cancelled (refunded ones
     * included), keyed `shopperId:productId`: what a purchase limit per shopper is judged on. Read after the shoppers'
     * unpaid counts are locked, this consistent read's snapshot begins after every placement of theirs that held the
     * lock before, so two orders of one shopper never both pass a limit.
     */
    async boughtUnits(ctx: TenantContext, shopperIds: number[], productIds: number[]): Promise<Map<string, number>> {
      if (shopperIds.length === 0 || productIds.length === 0) return new Map();
      const scope = db.scope(ctx);
      const rows = (await scope
        .joinScoped(scope.table('orders', 'o'), 'order_items', 'i', 'i.order_id', 'o.id')
        .whereIn('o.shopper_id', [...new Set(shopperIds)])
        .whereNot('o.status', 'cancelled')
        .whereIn('i.product_id', [...new Set(productIds)])
        .groupBy('o.shopper_id', 'i.product_id')
        .select('o.shopper_id', 'i.product_id')
        .sum({ units: 'i.quantity' })) as Array<{ shopper_id: number; product_id: number; units: string | number }>;
      return new Map(rows.map((r) => [`${Number(r.shopper_id)}:${Number(r.product_id)}`, Number(r.units)]));
    },

    /** Adds to shoppers' unpaid counts locked by `lockUnpaidCounts`, each by its own number, in one statement. */
    async addUnpaid(ctx: TenantContext, perShopper: Map<number, number>): Promise<void> {
      if (perShopper.size === 0) return;
      await db
        .scope(ctx)
        .table('shopper_unpaid_orders')
        .whereIn('shopper_id', [...perShopper.keys()])
        .update({ unpaid: shiftedBy(db.knex, 'unpaid', 'shopper_id', '+', perShopper) });
    },

    /** Frees one of a shopper's unpaid places: an order left pending_payment (paid, cancelled or closed). */
    async releaseUnpaid(ctx: TenantContext, shopperId: number): Promise<void> {
      await db.scope(ctx).table('shopper_unpaid_orders').where({ shopper_id: shopperId }).decrement('unpaid', 1);
    },

    /**
     * Gives every order of one shopper to another (a merge). An Idempotency-Key both used is renamed on the moved order
     * (`merged:<order id>`), so the unique key of the survivor holds; returns the ids of the orders moved.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number[]> {
      const scope = db.scope(ctx);
      const moved = (
        (await orders(ctx)
          .where({ shopper_id: fromId })
          .orderBy('id')
          .forUpdate()
          .select('id', 'idempotency_key')) as Array<{
          id: number;
          idempotency_key: string;
        }>
      ).map((r) => ({ id: Number(r.id), key: r.idempotency_key }));
      if (moved.length === 0) return [];
      const clashing = new Set(
        (
          (await orders(ctx)
            .where({ shopper_id: toId })
            .whereIn(
              'idempotency_key',
              moved.map((m) => m.key),
            )
            .select('idempotency_key')) as Array<{ idempotency_key: string }>
        ).map((r) => r.idempotency_key),
      );
      for (const m of moved.filter((o) => clashing.has(o.key)))
        await orders(ctx)
          .where({ id: m.id })
          .update({ idempotency_key: `merged:${m.id}` });
      await scope.table('orders').where({ shopper_id: fromId }).update({ shopper_id: toId });
      return moved.map((m) => m.id);
    },

    /** Moves one shopper's unpaid count (locked by `lockUnpaidCounts`) onto another's and removes it. */
    async moveUnpaid(ctx: TenantContext, fromId: number, toId: number, unpaid: number): Promise<void> {
      const scope = db.scope(ctx);
      if (unpaid > 0)
        await scope.table('shopper_unpaid_orders').where({ shopper_id: toId }).increment('unpaid', unpaid);
      await scope.table('shopper_unpaid_orders').where({ shopper_id: fromId }).delete();
    },
  };
}

export type OrdersRepository = ReturnType<typeof ordersRepository>;
