import type { CouponDisplayStatus, FlashSessionStatus } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { totalOf } from '../../kernel/db/rows';
import type { FlashOrderState } from './flash-states';
import { withDisplayStatus } from './marketing.repository';

/** A 秒杀 session as stored. */
export interface StoredFlashSession {
  id: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  paymentWindowMinutes: number;
  status: FlashSessionStatus;
  stockReturnedAt: Date | null;
  visitors: number;
  createdAt: Date;
}

/** A SKU of a session as stored: `sold` counts the units in orders not closed unpaid. */
export interface StoredFlashItem {
  id: number;
  sessionId: number;
  productId: number;
  skuId: number;
  flashPriceFen: number;
  stock: number;
  sold: number;
  perShopperLimit: number;
  startsAt: Date;
  endsAt: Date;
  returnedAt: Date | null;
}

export type NewFlashItem = Pick<StoredFlashItem, 'productId' | 'skuId' | 'flashPriceFen' | 'stock' | 'perShopperLimit'>;

/** An order placed in a session. */
export interface FlashOrder {
  id: number;
  sessionId: number;
  itemId: number;
  orderId: number;
  shopperId: number;
  quantity: number;
  totalFen: number;
  reservation: string;
  state: FlashOrderState;
}

/** An item's orders by state: how many and how many units, and the money of the paid ones. */
export interface FlashItemFigures {
  itemId: number;
  orders: number;
  paidOrders: number;
  unpaidUnits: number;
  paidUnits: number;
  paidFen: number;
}

interface SessionRow {
  id: number;
  name: string;
  starts_at: Date;
  ends_at: Date;
  payment_window_minutes: number;
  status: FlashSessionStatus;
  stock_returned_at: Date | null;
  visitors: number;
  created_at: Date;
}

interface ItemRow {
  id: number;
  session_id: number;
  product_id: number;
  sku_id: number;
  flash_price_fen: number;
  stock: number;
  sold: number;
  per_shopper_limit: number;
  starts_at: Date;
  ends_at: Date;
  returned_at: Date | null;
}

interface OrderRow {
  id: number;
  session_id: number;
  item_id: number;
  order_id: number;
  shopper_id: number;
  quantity: number;
  total_fen: number;
  reservation: string;
  state: FlashOrderState;
}

const toSession = (r: SessionRow): StoredFlashSession => ({
  id: Number(r.id),
  name: r.name,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  paymentWindowMinutes: Number(r.payment_window_minutes),
  status: r.status,
  stockReturnedAt: r.stock_returned_at,
  visitors: Number(r.visitors),
  createdAt: r.created_at,
});

const toItem = (r: ItemRow): StoredFlashItem => ({
  id: Number(r.id),
  sessionId: Number(r.session_id),
  productId: Number(r.product_id),
  skuId: Number(r.sku_id),
  flashPriceFen: Number(r.flash_price_fen),
  stock: Number(r.stock),
  sold: Number(r.sold),
  perShopperLimit: Number(r.per_shopper_limit),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  returnedAt: r.returned_at,
});

const toOrder = (r: OrderRow): FlashOrder => ({
  id: Number(r.id),
  sessionId: Number(r.session_id),
  itemId: Number(r.item_id),
  orderId: Number(r.order_id),
  shopperId: Number(r.shopper_id),
  quantity: Number(r.quantity),
  totalFen: Number(r.total_fen),
  reservation: r.reservation,
  state: r.state,
});

/** The only SQL on `flash_sessions`, `flash_items`, `flash_buyers` and `flash_orders`. */
export function flashRepository(db: Database) {
  const sessions = (ctx: TenantContext) => db.scope(ctx).table('flash_sessions');
  const items = (ctx: TenantContext) => db.scope(ctx).table('flash_items');
  const buyers = (ctx: TenantContext) => db.scope(ctx).table('flash_buyers');
  const orders = (ctx: TenantContext) => db.scope(ctx).table('flash_orders');

  return {
    async insertSession(
      ctx: TenantContext,
      s: Pick<StoredFlashSession, 'name' | 'startsAt' | 'endsAt' | 'paymentWindowMinutes'>,
      list: NewFlashItem[],
      at: Date,
    ): Promise<number> {
      const id = await db.scope(ctx).insert('flash_sessions', {
        name: s.name,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        payment_window_minutes: s.paymentWindowMinutes,
        created_at: at,
        updated_at: at,
      });
      await db.scope(ctx).insert(
        'flash_items',
        list.map((i) => ({
          session_id: id,
          product_id: i.productId,
          sku_id: i.skuId,
          flash_price_fen: i.flashPriceFen,
          stock: i.stock,
          per_shopper_limit: i.perShopperLimit,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
        })),
      );
      return id;
    },

    async session(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredFlashSession | null> {
      const q = sessions(ctx).where({ id }).first();
      const row = (await (opts.lock ? q.forUpdate() : q)) as SessionRow | undefined;
      return row ? toSession(row) : null;
    },

    /** Sessions newest start first; `when` narrows them against the clock (as their display status does). */
    async listSessions(
      ctx: TenantContext,
      q: { when?: CouponDisplayStatus; at: Date; page: number; pageSize: number },
    ): Promise<{ rows: StoredFlashSession[]; total: number }> {
      const base = withDisplayStatus(sessions(ctx), q.when, q.at, ['starts_at', 'ends_at'], 'scheduled');
      const [rows, total] = await Promise.all([
        base
          .clone()
          .orderBy('starts_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<SessionRow[]>,
        base.clone().count({ total: '*' }),
      ]);
      return { rows: rows.map(toSession), total: totalOf(total) };
    },

    /** Sessions not stopped that are running at `at` or start before `until`, soonest first. */
    async shownSessions(ctx: TenantContext, at: Date, until: Date): Promise<StoredFlashSession[]> {
      const rows = (await sessions(ctx)
        .where({ status: 'scheduled' })
        .where('ends_at', '>', at)
        .where('starts_at', '<', until)
        .orderBy('starts_at')
        .limit(20)) as SessionRow[];
      return rows.map(toSession);
    },

    async updateSession(
      ctx: TenantContext,
      id: number,
      change: Partial<Pick<StoredFlashSession, 'name' | 'startsAt' | 'endsAt' | 'paymentWindowMinutes'>>,
      at: Date,
    ): Promise<void> {
      await sessions(ctx)
        .where({ id })
        .update({
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.startsAt ? { starts_at: change.startsAt } : {}),
          ...(change.endsAt ? { ends_at: change.endsAt } : {}),
          ...(change.paymentWindowMinutes !== undefined ? { payment_window_minutes: change.paymentWindowMinutes } : {}),
          updated_at: at,
        });
      if (change.startsAt || change.endsAt)
        await items(ctx)
          .where({ session_id: id })
          .update({
            ...(change.startsAt ? { starts_at: change.startsAt } : {}),
            ...(change.endsAt ? { ends_at: change.endsAt } : {}),
          });
    },

    /** Stops a session now: it and its items end at `at`. */
    async stopSession(ctx: TenantContext, id: number, at: Date): Promise<void> {
      await sessions(ctx).where({ id }).update({ status: 'stopped', ends_at: at, updated_at: at });
      await items(ctx).where({ session_id: id }).where('ends_at', '>', at).update({ ends_at: at });
    },

    /** The session's stock is back with the SKUs; its visitors are kept. */
    async markReturned(ctx: TenantContext, id: number, visitors: number, at: Date): Promise<void> {
      await sessions(ctx).where({ id }).update({ stock_returned_at: at, visitors, updated_at: at });
    },

    /** Sessions whose end has passed and whose stock is not back with the SKUs yet. */
    async endedUnreturned(ctx: TenantContext, at: Date): Promise<number[]> {
      const rows = (await sessions(ctx)
        .whereNull('stock_returned_at')
        .where('ends_at', '<=', at)
        .select('id')
        .limit(100)) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** Sessions running at `at` (for the reconciliation of their gates). */
    async running(ctx: TenantContext, at: Date): Promise<number[]> {
      const rows = (await sessions(ctx)
        .whereNull('stock_returned_at')
        .where('starts_at', '<=', at)
        .where('ends_at', '>', at)
        .select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    async itemsOf(ctx: TenantContext, sessionIds: number[], opts: { lock?: boolean } = {}): Promise<StoredFlashItem[]> {
      if (sessionIds.length === 0) return [];
      const q = items(ctx).whereIn('session_id', sessionIds).orderBy('id');
      return ((await (opts.lock ? q.forUpdate() : q)) as ItemRow[]).map(toItem);
    },

    async item(ctx: TenantContext, id: number): Promise<StoredFlashItem | null> {
      const row = (await items(ctx).where({ id }).first()) as ItemRow | undefined;
      return row ? toItem(row) : null;
    },

    /** Items of these SKUs in sessions not stopped over part of `from`–`to` (other than `exceptSession`). */
    async overlapping(ctx: TenantContext, skuIds: number[], from: Date, to: Date, exceptSession?: number) {
      if (skuIds.length === 0) return [];
      const q = items(ctx)
        .whereIn('sku_id', skuIds)
        .where('ends_at', '>', from)
        .where('starts_at', '<', to)
        .whereNull('returned_at');
      if (exceptSession !== undefined) q.whereNot({ session_id: exceptSession });
      return ((await q) as ItemRow[]).map(toItem);
    },

    /** Running items of these products (or starting before `until`), for the product page. */
    async itemsOfProduct(ctx: TenantContext, productId: number, at: Date, until: Date): Promise<StoredFlashItem[]> {
      const rows = (await items(ctx)
        .where({ product_id: productId })
        .where('ends_at', '>', at)
        .where('starts_at', '<', until)
        .whereNull('returned_at')) as ItemRow[];
      return rows.map(toItem);
    },

    /**
     * Takes `quantity` units of an item for an order, if its session runs at `at`, its units are not back with the SKU,
     * and enough are left. Returns whether it took them.
     */
    async take(ctx: TenantContext, itemId: number, quantity: number, at: Date): Promise<boolean> {
      const n = await items(ctx)
        .where({ id: itemId })
        .whereNull('returned_at')
        .where('starts_at', '<=', at)
        .where('ends_at', '>', at)
        .whereRaw('sold + ? <= stock', [quantity])
        .increment('sold', quantity);
      return n === 1;
    },

    /** Puts units back in the item, unless they went back to the SKU already. Returns whether it did. */
    async untake(ctx: TenantContext, itemId: number, quantity: number): Promise<boolean> {
      const n = await items(ctx)
        .where({ id: itemId })
        .whereNull('returned_at')
        .where('sold', '>=', quantity)
        .decrement('sold', quantity);
      return n === 1;
    },

    /** Adds units to a shopper's count of an item, within `limit`. Returns whether it did. */
    async addBought(ctx: TenantContext, itemId: number, shopperId: number, quantity: number, limit: number) {
      await db.scope(ctx).upsert(
        'flash_buyers',
        { item_id: itemId, shopper_id: shopperId, units: 0 },
        {
          units: db.knex.raw('units'),
        },
      );
      const n = await buyers(ctx)
        .where({ item_id: itemId, shopper_id: shopperId })
        .whereRaw('units + ? <= ?', [quantity, limit])
        .increment('units', quantity);
      return n === 1;
    },

    async subtractBought(ctx: TenantContext, itemId: number, shopperId: number, quantity: number): Promise<void> {
      await buyers(ctx)
        .where({ item_id: itemId, shopper_id: shopperId })
        .where('units', '>=', quantity)
        .decrement('units', quantity);
    },

    async buyersOf(ctx: TenantContext, itemId: number): Promise<Array<{ shopperId: number; units: number }>> {
      const rows = (await buyers(ctx).where({ item_id: itemId }).where('units', '>', 0)) as Array<{
        shopper_id: number;
        units: number;
      }>;
      return rows.map((r) => ({ shopperId: Number(r.shopper_id), units: Number(r.units) }));
    },

    /**
     * Gives one shopper's flash purchases to another (a merge): each item's units are added to the survivor's count, and
     * the flash orders become theirs. Returns the items whose counts moved.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number[]> {
      const theirs = (await buyers(ctx).where({ shopper_id: fromId }).forUpdate()) as Array<{
        item_id: number;
        units: number;
      }>;
      for (const b of theirs)
        await db
          .scope(ctx)
          .upsert(
            'flash_buyers',
            { item_id: b.item_id, shopper_id: toId, units: Number(b.units) },
            { units: db.knex.raw('LEAST(255, ?? + ?)', ['units', Number(b.units)]) },
          );
      await buyers(ctx).where({ shopper_id: fromId }).delete();
      await db.scope(ctx).table('flash_orders').where({ shopper_id: fromId }).update({ shopper_id: toId });
      return theirs.map((b) => Number(b.item_id));
    },

    /** Marks the item's units back with the SKU (once). Returns whether it did. */
    async markItemReturned(ctx: TenantContext, itemId: number, at: Date): Promise<boolean> {
      return (await items(ctx).where({ id: itemId }).whereNull('returned_at').update({ returned_at: at })) === 1;
    },

    async insertOrders(ctx: TenantContext, rows: Array<Omit<FlashOrder, 'id' | 'state'>>, at: Date): Promise<void> {
      if (rows.length === 0) return;
      await db.scope(ctx).insert(
        'flash_orders',
        rows.map((r) => ({
          session_id: r.sessionId,
          item_id: r.itemId,
          order_id: r.orderId,
          shopper_id: r.shopperId,
          quantity: r.quantity,
          total_fen: r.totalFen,
          reservation: r.reservation,
          created_at: at,
        })),
      );
    },

    async orderOf(ctx: TenantContext, orderId: number, opts: { lock?: boolean } = {}): Promise<FlashOrder | null> {
      const q = orders(ctx).where({ order_id: orderId }).first();
      const row = (await (opts.lock ? q.forUpdate() : q)) as OrderRow | undefined;
      return row ? toOrder(row) : null;
    },

    async setOrderState(ctx: TenantContext, id: number, state: FlashOrder['state']): Promise<void> {
      await orders(ctx).where({ id }).update({ state });
    },

    /** The reservations of an item's live orders (placed or paid), with their shopper and units. */
    async liveOf(ctx: TenantContext, itemId: number): Promise<FlashOrder[]> {
      const rows = (await orders(ctx).where({ item_id: itemId }).whereIn('state', ['placed', 'paid'])) as OrderRow[];
      return rows.map(toOrder);
    },

    /** Which of these reservations of an item made an order (in any state). */
    async madeOrders(ctx: TenantContext, itemId: number, reservations: string[]): Promise<Set<string>> {
      if (reservations.length === 0) return new Set();
      const rows = (await orders(ctx)
        .where({ item_id: itemId })
        .whereIn('reservation', reservations)
        .select('reservation')) as Array<{ reservation: string }>;
      return new Set(rows.map((r) => r.reservation));
    },

    async figures(ctx: TenantContext, sessionIds: number[]): Promise<FlashItemFigures[]> {
      if (sessionIds.length === 0) return [];
      const rows = (await orders(ctx)
        .whereIn('session_id', sessionIds)
        .groupBy('item_id')
        .select(
          'item_id',
          db.knex.raw('COUNT(*) AS orders'),
          db.knex.raw(`SUM(state = 'paid') AS paid_orders`),
          db.knex.raw(`COALESCE(SUM(CASE WHEN state = 'placed' THEN quantity END), 0) AS unpaid_units`),
          db.knex.raw(`COALESCE(SUM(CASE WHEN state = 'paid' THEN quantity END), 0) AS paid_units`),
          db.knex.raw(`COALESCE(SUM(CASE WHEN state = 'paid' THEN total_fen END), 0) AS paid_fen`),
        )) as Array<Record<string, number | string>>;
      return rows.map((r) => ({
        itemId: Number(r.item_id),
        orders: Number(r.orders),
        paidOrders: Number(r.paid_orders),
        unpaidUnits: Number(r.unpaid_units),
        paidUnits: Number(r.paid_units),
        paidFen: Number(r.paid_fen),
      }));
    },
  };
}

export type FlashRepository = ReturnType<typeof flashRepository>;
