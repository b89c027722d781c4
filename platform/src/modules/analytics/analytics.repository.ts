import type { TenantContext } from '../../kernel/context';
import type { Knex } from 'knex';
import type { Database } from '../../kernel/db/database';

/** The kinds of people a day counts (and keeps a HyperLogLog of). */
export const PEOPLE = ['visitors', 'product_viewers', 'cart_adders', 'buyers', 'payers'] as const;
export type People = (typeof PEOPLE)[number];

export type EventKind =
  'page_view' | 'product_view' | 'add_to_cart' | 'order_placed' | 'order_paid' | 'item_paid' | 'order_refunded';

/** An event as stored: one row per event, or per line of an order's event. */
export interface EventRow {
  eventId: string;
  line: number;
  kind: EventKind;
  occurredAt: Date;
  visitor: string;
  sessionId?: string | null;
  page?: string | null;
  productId?: number | null;
  orderId?: number | null;
  quantity?: number | null;
  amountFen?: number | null;
}

/** The figures of an hour or a day, as rolled up. */
export interface Figures {
  pageViews: number;
  productViews: number;
  cartAdds: number;
  visitors: number;
  ordersPlaced: number;
  placedFen: number;
  ordersPaid: number;
  payers: number;
  gmvFen: number;
  refunds: number;
  refundedOrders: number;
  refundFen: number;
}

export interface DayFigures extends Figures {
  day: string;
  productViewers: number;
  cartAdders: number;
  buyers: number;
}

export interface ProductFigures {
  productId: number;
  views: number;
  cartAdds: number;
  paidUnits: number;
  paidFen: number;
}

/** What a range of product figures sums: monthly rows and runs of daily rows, each added or taken away. */
export interface ProductParts {
  months: Array<{ month: string; sign: 1 | -1 }>;
  days: Array<{ from: string; to: string; sign: 1 | -1 }>;
}

/** An event with a product, as the recommendations read them. */
export interface ScannedEvent {
  id: number;
  kind: 'product_view' | 'add_to_cart' | 'item_paid';
  visitor: string;
  sessionId: string | null;
  productId: number;
  orderId: number | null;
  occurredAt: Date;
}

const FIGURE_COLUMNS: Record<keyof Figures, string> = {
  pageViews: 'page_views',
  productViews: 'product_views',
  cartAdds: 'cart_adds',
  visitors: 'visitors',
  ordersPlaced: 'orders_placed',
  placedFen: 'placed_fen',
  ordersPaid: 'orders_paid',
  payers: 'payers',
  gmvFen: 'gmv_fen',
  refunds: 'refunds',
  refundedOrders: 'refunded_orders',
  refundFen: 'refund_fen',
};
const FIGURE_KEYS = Object.keys(FIGURE_COLUMNS) as Array<keyof Figures>;

/** Which events make each kind of people. */
const PEOPLE_KINDS: Record<People, EventKind[]> = {
  visitors: ['page_view', 'product_view', 'add_to_cart'],
  product_viewers: ['product_view'],
  cart_adders: ['add_to_cart'],
  buyers: ['order_placed'],
  payers: ['order_paid'],
};

/**
 * An hour's figures straight from its events. Visitors are the devices that viewed or added anything; payers the
 * shoppers who paid; refunds are counted by when they were made.
 */
const HOUR_FIGURES_SQL = `
  select sum(kind = 'page_view') as page_views,
         sum(kind = 'product_view') as product_views,
         sum(kind = 'add_to_cart') as cart_adds,
         count(distinct case when kind in ('page_view', 'product_view', 'add_to_cart') then visitor end) as visitors,
         sum(kind = 'order_placed') as orders_placed,
         coalesce(sum(case when kind = 'order_placed' then amount_fen end), 0) as placed_fen,
         sum(kind = 'order_paid') as orders_paid,
         count(distinct case when kind = 'order_paid' then visitor end) as payers,
         coalesce(sum(case when kind = 'order_paid' then amount_fen end), 0) as gmv_fen,
         sum(kind = 'order_refunded') as refunds,
         count(distinct case when kind = 'order_refunded' then order_id end) as refunded_orders,
         coalesce(sum(case when kind = 'order_refunded' then amount_fen end), 0) as refund_fen
    from analytics_events
   where tenant_id = ? and occurred_at >= ? and occurred_at < ?`;

const PRODUCT_FIGURES_SQL = `
  select product_id,
         sum(kind = 'product_view') as views,
         sum(kind = 'add_to_cart') as cart_adds,
         coalesce(sum(case when kind = 'item_paid' then quantity end), 0) as paid_units,
         coalesce(sum(case when kind = 'item_paid' then amount_fen end), 0) as paid_fen
    from analytics_events
   where tenant_id = ? and occurred_at >= ? and occurred_at < ? and product_id is not null
   group by product_id`;

const num = (v: unknown) => Number(v ?? 0);
const HOUR_MS = 3_600_000;

function toFigures(row: Record<string, unknown> | undefined): Figures {
  const f = {} as Figures;
  for (const k of FIGURE_KEYS) f[k] = num(row?.[FIGURE_COLUMNS[k]]);
  return f;
}

function toProduct(r: Record<string, unknown>): ProductFigures {
  return {
    productId: num(r.product_id),
    views: num(r.views),
    cartAdds: num(r.cart_adds),
    paidUnits: num(r.paid_units),
    paidFen: num(r.paid_fen),
  };
}

/** A raw query's rows (mysql2 answers `[rows, fields]`). */
async function rows<T = Record<string, unknown>>(
  conn: ReturnType<Database['conn']>,
  sql: string,
  args: readonly Knex.RawBinding[],
): Promise<T[]> {
  return ((await conn.raw(sql, args)) as [T[]])[0];
}

/** The only code touching the `analytics_*` tables. */
export function analyticsRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  const conn = (ctx: TenantContext) => db.conn(ctx);

  return {
    /**
     * Keeps the events not seen before (by event id and line) and marks the hours they fall in for the roll-up, in the
     * context's transaction (a service's event is recorded with what it records). Returns how many were new.
     */
    async record(ctx: TenantContext, events: EventRow[]): Promise<number> {
      if (!events.length) return 0;
      // One multi-row INSERT IGNORE, its values laid out by hand (a batch of thousands of events is the common case).
      const bindings: Knex.RawBinding[] = [];
      for (const e of events)
        bindings.push(
          ctx.tenantId,
          e.eventId,
          e.line,
          e.kind,
          e.occurredAt,
          e.visitor,
          e.sessionId ?? null,
          e.page ?? null,
          e.productId ?? null,
          e.orderId ?? null,
          e.quantity ?? null,
          e.amountFen ?? null,
        );
      const [result] = (await conn(ctx).raw(
        `insert ignore into analytics_events
           (tenant_id, event_id, line, kind, occurred_at, visitor, session_id, page, product_id, order_id, quantity, amount_fen)
         values ${events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        bindings,
      )) as [{ affectedRows: number }];
      const hours = new Set(events.map((e) => Math.floor(e.occurredAt.getTime() / HOUR_MS) * HOUR_MS));
      await scope(ctx)
        .table('analytics_dirty')
        .insert([...hours].map((h) => ({ hour: new Date(h) })));
      return result.affectedRows;
    },

    /** Takes the shop's roll-up lock (its state row, made on first use) for the transaction; returns its state. */
    async lockState(ctx: TenantContext): Promise<{ rolledUpAt: Date | null; monthsBuiltThrough: string | null }> {
      await scope(ctx).table('analytics_state').insert({}).onConflict().ignore();
      const row = (await scope(ctx)
        .table('analytics_state')
        .forUpdate()
        .first('rolled_up_at', db.knex.raw("date_format(months_built_through, '%Y-%m-%d') as months"))) as
        { rolled_up_at: Date | null; months: string | null } | undefined;
      return { rolledUpAt: row?.rolled_up_at ?? null, monthsBuiltThrough: row?.months ?? null };
    },

    async state(ctx: TenantContext): Promise<{ rolledUpAt: Date | null; monthsBuiltThrough: string | null }> {
      const row = (await scope(ctx)
        .table('analytics_state')
        .first('rolled_up_at', db.knex.raw("date_format(months_built_through, '%Y-%m-%d') as months"))) as
        { rolled_up_at: Date | null; months: string | null } | undefined;
      return { rolledUpAt: row?.rolled_up_at ?? null, monthsBuiltThrough: row?.months ?? null };
    },

    async saveState(ctx: TenantContext, patch: { rolledUpAt: Date; monthsBuiltThrough?: string }): Promise<void> {
      await scope(ctx)
        .table('analytics_state')
        .update({
          rolled_up_at: patch.rolledUpAt,
          ...(patch.monthsBuiltThrough ? { months_built_through: patch.monthsBuiltThrough } : {}),
        });
    },

    /** Whether any hour waits for its roll-up. */
    async anyDirty(ctx: TenantContext): Promise<boolean> {
      return Boolean(await scope(ctx).table('analytics_dirty').first('id'));
    },

    /** The oldest marks of hours to roll up. */
    async dirty(ctx: TenantContext, limit: number): Promise<Array<{ id: number; hour: Date }>> {
      const list = (await scope(ctx)
        .table('analytics_dirty')
        .orderBy('id')
        .limit(limit)
        .select('id', 'hour')) as Array<{
        id: number;
        hour: Date;
      }>;
      return list.map((r) => ({ id: Number(r.id), hour: r.hour }));
    },

    /** Forgets these marks (exactly these: a mark added since stays for the next roll-up). */
    async clearDirty(ctx: TenantContext, ids: number[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 1000)
        await scope(ctx)
          .table('analytics_dirty')
          .whereIn('id', ids.slice(i, i + 1000))
          .delete();
    },

    /** Recomputes an hour's row from its events. */
    async rollUpHour(ctx: TenantContext, hour: Date): Promise<Figures> {
      const [row] = await rows(conn(ctx), HOUR_FIGURES_SQL, [ctx.tenantId, hour, new Date(hour.getTime() + HOUR_MS)]);
      const figures = toFigures(row);
      const values = Object.fromEntries(FIGURE_KEYS.map((k) => [FIGURE_COLUMNS[k], figures[k]]));
      await scope(ctx).upsert('analytics_hourly', { hour, ...values }, Object.keys(values));
      return figures;
    },

    /** The distinct people of each kind between two instants, from the events. */
    async people(ctx: TenantContext, from: Date, to: Date): Promise<Record<People, string[]>> {
      const list = await rows<{ kind: EventKind; visitor: string }>(
        conn(ctx),
        `select kind, visitor from analytics_events
          where tenant_id = ? and occurred_at >= ? and occurred_at < ?
            and kind in ('page_view', 'product_view', 'add_to_cart', 'order_placed', 'order_paid')
          group by kind, visitor`,
        [ctx.tenantId, from, to],
      );
      const sets = Object.fromEntries(PEOPLE.map((p) => [p, new Set<string>()])) as Record<People, Set<string>>;
      for (const r of list) for (const p of PEOPLE) if (PEOPLE_KINDS[p].includes(r.kind)) sets[p].add(r.visitor);
      return Object.fromEntries(PEOPLE.map((p) => [p, [...sets[p]]])) as Record<People, string[]>;
    },

    /** The distinct people of each kind asked between two instants, exactly, in one scan (ranges with few people). */
    async distinctPeople(
      ctx: TenantContext,
      kinds: People[],
      from: Date,
      to: Date,
    ): Promise<Partial<Record<People, number>>> {
      const [row] = await rows(
        conn(ctx),
        `select ${kinds
          .map(
            (p) =>
              `count(distinct case when kind in (${PEOPLE_KINDS[p].map((k) => `'${k}'`).join(', ')}) then visitor end) as ${p}`,
          )
          .join(', ')}
           from analytics_events where tenant_id = ? and occurred_at >= ? and occurred_at < ?`,
        [ctx.tenantId, from, to],
      );
      return Object.fromEntries(kinds.map((p) => [p, num(row?.[p])]));
    },

    /** Writes a day's row: the sums of its hours, and its people (each counted once in the day). */
    async saveDay(ctx: TenantContext, day: string, from: Date, to: Date, people: Record<People, number>) {
      const sums = FIGURE_KEYS.filter((k) => k !== 'visitors' && k !== 'payers')
        .map((k) => `coalesce(sum(${FIGURE_COLUMNS[k]}), 0) as ${FIGURE_COLUMNS[k]}`)
        .join(', ');
      const [row] = await rows(
        conn(ctx),
        `select ${sums} from analytics_hourly where tenant_id = ? and hour >= ? and hour < ?`,
        [ctx.tenantId, from, to],
      );
      const figures = toFigures(row);
      figures.visitors = people.visitors;
      figures.payers = people.payers;
      const values: Record<string, unknown> = Object.fromEntries(
        FIGURE_KEYS.map((k) => [FIGURE_COLUMNS[k], figures[k]]),
      );
      values.product_viewers = people.product_viewers;
      values.cart_adders = people.cart_adders;
      values.buyers = people.buyers;
      await scope(ctx).upsert('analytics_daily', { day, ...values }, Object.keys(values));
    },

    async saveSketches(ctx: TenantContext, day: string, sketches: Array<{ people: People; sketch: Buffer }>) {
      await scope(ctx).table('analytics_day_sketches').where({ day }).delete();
      if (sketches.length)
        await scope(ctx).insert(
          'analytics_day_sketches',
          sketches.map((s) => ({ day, people: s.people, sketch: s.sketch })),
        );
    },

    async sketches(ctx: TenantContext, people: People, days: string[]): Promise<Map<string, Buffer>> {
      if (!days.length) return new Map();
      const list = (await scope(ctx)
        .table('analytics_day_sketches')
        .where({ people })
        .whereIn('day', days)
        .select(db.knex.raw("date_format(day, '%Y-%m-%d') as day"), 'sketch')) as Array<{
        day: string;
        sketch: Buffer;
      }>;
      return new Map(list.map((r) => [r.day, r.sketch]));
    },

    /** Recomputes a day's product rows from its events. */
    async rollUpProductDay(ctx: TenantContext, day: string, from: Date, to: Date): Promise<void> {
      const list = (await rows(conn(ctx), PRODUCT_FIGURES_SQL, [ctx.tenantId, from, to])).map(toProduct);
      await scope(ctx).table('analytics_product_daily').where({ day }).delete();
      for (let i = 0; i < list.length; i += 1000)
        await scope(ctx).insert(
          'analytics_product_daily',
          list.slice(i, i + 1000).map((p) => ({
            day,
            product_id: p.productId,
            views: p.views,
            cart_adds: p.cartAdds,
            paid_units: p.paidUnits,
            paid_fen: p.paidFen,
          })),
        );
    },

    /** Rebuilds a month's product rows (`month` is its first day) from its days. */
    async rollUpProductMonth(ctx: TenantContext, month: string, nextMonth: string): Promise<void> {
      await scope(ctx).table('analytics_product_monthly').where({ month }).delete();
      await conn(ctx).raw(
        `insert into analytics_product_monthly (tenant_id, month, product_id, views, cart_adds, paid_units, paid_fen)
         select tenant_id, ?, product_id, sum(views), sum(cart_adds), sum(paid_units), sum(paid_fen)
           from analytics_product_daily
          where tenant_id = ? and day >= ? and day < ?
          group by tenant_id, product_id`,
        [month, ctx.tenantId, month, nextMonth],
      );
    },

    /** The sums of a range of days (people are the days' sums: right for one day only). */
    async sumDays(ctx: TenantContext, from: string, to: string): Promise<DayFigures> {
      const cols = [...FIGURE_KEYS.map((k) => FIGURE_COLUMNS[k]), 'product_viewers', 'cart_adders', 'buyers'];
      const [row] = await rows(
        conn(ctx),
        `select ${cols.map((c) => `coalesce(sum(${c}), 0) as ${c}`).join(', ')}
           from analytics_daily where tenant_id = ? and day >= ? and day <= ?`,
        [ctx.tenantId, from, to],
      );
      return {
        day: from,
        ...toFigures(row),
        productViewers: num(row?.product_viewers),
        cartAdders: num(row?.cart_adders),
        buyers: num(row?.buyers),
      };
    },

    /** Each day of a range that has figures, in order. */
    async days(ctx: TenantContext, from: string, to: string): Promise<DayFigures[]> {
      const list = await rows(
        conn(ctx),
        `select d.*, date_format(day, '%Y-%m-%d') as day from analytics_daily d
          where tenant_id = ? and day >= ? and day <= ? order by day`,
        [ctx.tenantId, from, to],
      );
      return list.map((r) => ({
        ...toFigures(r),
        day: String(r.day),
        productViewers: num(r.product_viewers),
        cartAdders: num(r.cart_adders),
        buyers: num(r.buyers),
      }));
    },

    /** Each hour between two instants that has figures, in order. */
    async hours(ctx: TenantContext, from: Date, to: Date): Promise<Array<Figures & { hour: Date }>> {
      const list = (await scope(ctx)
        .table('analytics_hourly')
        .where('hour', '>=', from)
        .where('hour', '<', to)
        .orderBy('hour')
        .select('*')) as Array<Record<string, unknown>>;
      return list.map((r) => ({ ...toFigures(r), hour: r.hour as Date }));
    },

    /**
     * The top products of a range's parts (monthly rows, runs of daily rows, some taken away): summed, ranked by paid
     * amount or views (ties by product id); a product whose parts cancel out is not in the range.
     */
    async topProducts(
      ctx: TenantContext,
      parts: ProductParts,
      by: 'sales' | 'views',
      limit: number,
    ): Promise<ProductFigures[]> {
      const selects: string[] = [];
      const args: Knex.RawBinding[] = [];
      // Unsigned columns taken away must be signed first (an unsigned times -1 is out of range).
      const signed = ['views', 'cart_adds', 'paid_units', 'paid_fen'].map((c) => `cast(${c} as signed) * ? as ${c}`);
      const cols = `product_id, ${signed.join(', ')}`;
      for (const { month, sign } of parts.months) {
        selects.push(`select ${cols} from analytics_product_monthly where tenant_id = ? and month = ?`);
        args.push(sign, sign, sign, sign, ctx.tenantId, month);
      }
      for (const { from, to, sign } of parts.days) {
        selects.push(`select ${cols} from analytics_product_daily where tenant_id = ? and day >= ? and day <= ?`);
        args.push(sign, sign, sign, sign, ctx.tenantId, from, to);
      }
      if (!selects.length) return [];
      const order = by === 'sales' ? 'paid_fen desc, paid_units desc' : 'views desc';
      const list = await rows(
        conn(ctx),
        `select product_id, sum(views) as views, sum(cart_adds) as cart_adds, sum(paid_units) as paid_units,
                sum(paid_fen) as paid_fen
           from (${selects.join(' union all ')}) p
          group by product_id
         having sum(views) <> 0 or sum(cart_adds) <> 0 or sum(paid_units) <> 0 or sum(paid_fen) <> 0
          order by ${order}, product_id
          limit ?`,
        [...args, limit],
      );
      return list.map(toProduct);
    },

    /** The events with a product after an id, in order (for the recommendations). */
    async scan(ctx: TenantContext, afterId: number, limit: number, since?: Date): Promise<ScannedEvent[]> {
      const q = scope(ctx)
        .table('analytics_events')
        .where('id', '>', afterId)
        .whereIn('kind', ['product_view', 'add_to_cart', 'item_paid'])
        .whereNotNull('product_id')
        .orderBy('id')
        .limit(limit)
        .select('id', 'kind', 'visitor', 'session_id', 'product_id', 'order_id', 'occurred_at');
      if (since) q.where('occurred_at', '>=', since);
      const list = (await q) as Array<Record<string, unknown>>;
      return list.map((r) => ({
        id: num(r.id),
        kind: r.kind as ScannedEvent['kind'],
        visitor: String(r.visitor),
        sessionId: (r.session_id as string | null) ?? null,
        productId: num(r.product_id),
        orderId: r.order_id === null ? null : num(r.order_id),
        occurredAt: r.occurred_at as Date,
      }));
    },

    /** The products these visitors viewed, added or bought lately, newest first. */
    async recentProducts(
      ctx: TenantContext,
      visitors: string[],
      limit: number,
    ): Promise<Array<{ productId: number; kind: ScannedEvent['kind']; occurredAt: Date }>> {
      if (!visitors.length) return [];
      // Raw SQL: read on every guess-you-like request, it is not built anew each time.
      const list = await rows(
        conn(ctx),
        `select product_id, kind, occurred_at from analytics_events
          where tenant_id = ? and visitor in (${visitors.map(() => '?').join(', ')})
            and kind in ('product_view', 'add_to_cart', 'item_paid') and product_id is not null
          order by occurred_at desc limit ?`,
        [ctx.tenantId, ...visitors, limit],
      );
      return list.map((r) => ({
        productId: num(r.product_id),
        kind: r.kind as ScannedEvent['kind'],
        occurredAt: r.occurred_at as Date,
      }));
    },

    /**
     * GMV, orders and refunds per day across all shops, for platform staff: the one read of these tables that spans
     * shops (a sum of their daily rows).
     */
    async acrossShops(
      from: string,
      to: string,
    ): Promise<Array<{ day: string; gmvFen: number; ordersPaid: number; refundFen: number; payingTenants: number }>> {
      const list = await rows(
        db.knex,
        `select date_format(day, '%Y-%m-%d') as day, sum(gmv_fen) as gmv_fen, sum(orders_paid) as orders_paid,
                sum(refund_fen) as refund_fen, sum(orders_paid > 0) as paying_tenants
           from analytics_daily where day >= ? and day <= ? group by day order by day`,
        [from, to],
      );
      return list.map((r) => ({
        day: String(r.day),
        gmvFen: num(r.gmv_fen),
        ordersPaid: num(r.orders_paid),
        refundFen: num(r.refund_fen),
        payingTenants: num(r.paying_tenants),
      }));
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof analyticsRepository>;
