import {
  ANALYTICS_LIMITS,
  type AnalyticsFigures,
  type AnalyticsOverview,
  type AnalyticsRange,
  type AnalyticsTrend,
  type AnalyticsTrendPoint,
  type ShopEventsBody,
  type ShopEventsResult,
  type TopProduct,
  type TopProductsBy,
} from '@shopfleet/contracts';
import { chinaDay, chinaDayStart } from '../../kernel/china-time';
import type { TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { writeTable } from '../../kernel/spreadsheet';
import {
  PEOPLE,
  type AnalyticsRepository,
  type DayFigures,
  type EventRow,
  type Figures,
  type People,
  type ProductParts,
  type ScannedEvent,
} from './analytics.repository';
import type { SketchStore } from './sketches';

export interface AnalyticsDeps {
  repo: AnalyticsRepository;
  tx: Transactions;
  sketches: SketchStore;
  /** Product titles by id, deleted products included (the catalog's). */
  titles(ctx: TenantContext, productIds: number[]): Promise<Map<number, string>>;
  now?: () => Date;
}

/** Marks of hours rolled up in one transaction; a request's own roll-up takes at most one such pass. */
const ROLL_UP_BATCH = 5000;
/**
 * Below this many visitor-days in a range (a small shop, a short range), its people are counted exactly from the events
 * (a few thousand rows); above, by HyperLogLog.
 */
const EXACT_PEOPLE_MAX = 5000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (month: string) => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);

/** The people a figure counts, by the day rows' names. */
const PEOPLE_OF_DAY: Record<People, keyof DayFigures> = {
  visitors: 'visitors',
  product_viewers: 'productViewers',
  cart_adders: 'cartAdders',
  buyers: 'buyers',
  payers: 'payers',
};

/** An order's events, as the services record them (in their own transactions). */
export interface OrderPlacedEvent {
  orderId: number;
  shopperId: number;
  totalFen: number;
  at: Date;
}
export interface OrderPaidEvent {
  orderId: number;
  shopperId: number;
  paidFen: number;
  lines: Array<{ productId: number; quantity: number; paidFen: number }>;
  at: Date;
}
export interface OrderRefundedEvent {
  refundId: number;
  orderId: number;
  shopperId: number;
  amountFen: number;
  at: Date;
}

const shopper = (id: number) => `s${id}`;

/** The rows an order's events are stored as: one per event, and one per paid line (`item_paid`). */
export const orderEventRows = {
  placed: (o: OrderPlacedEvent): EventRow[] => [
    {
      eventId: `placed:${o.orderId}`,
      line: 0,
      kind: 'order_placed',
      occurredAt: o.at,
      visitor: shopper(o.shopperId),
      orderId: o.orderId,
      amountFen: o.totalFen,
    },
  ],
  paid: (o: OrderPaidEvent): EventRow[] => {
    const base = { eventId: `paid:${o.orderId}`, occurredAt: o.at, visitor: shopper(o.shopperId), orderId: o.orderId };
    return [
      { ...base, line: 0, kind: 'order_paid', amountFen: o.paidFen },
      ...o.lines.map((l, i) => ({
        ...base,
        line: i + 1,
        kind: 'item_paid' as const,
        productId: l.productId,
        quantity: l.quantity,
        amountFen: l.paidFen,
      })),
    ];
  },
  refunded: (r: OrderRefundedEvent): EventRow[] => [
    {
      eventId: `refund:${r.refundId}`,
      line: 0,
      kind: 'order_refunded',
      occurredAt: r.at,
      visitor: shopper(r.shopperId),
      orderId: r.orderId,
      amountFen: r.amountFen,
    },
  ],
};

/**
 * The shop's figures: events in (the shop's batches, the services' order events), rolled up by hour and day from the
 * events themselves — a late event marks its hour, and the next roll-up recomputes that hour and its day — and read
 * back as the dashboard's figures, trend, funnel and top products. Definitions: docs/analytics.md.
 */
export function analyticsService(deps: AnalyticsDeps) {
  const now = deps.now ?? (() => new Date());

  /** One pass: up to a batch of marked hours recomputed, then their days, and their months when those are over. */
  async function rollUpPass(ctx: TenantContext): Promise<number> {
    return retryOnDeadlock(() =>
      deps.tx.transaction(ctx, async (tctx) => {
        const state = await deps.repo.lockState(tctx);
        const marks = await deps.repo.dirty(tctx, ROLL_UP_BATCH);
        const at = now();
        const lastMonthOver = monthOf(addDays(monthOf(chinaDay(at)), -1));
        const hours = [...new Set(marks.map((m) => m.hour.getTime()))].sort((a, b) => a - b);
        for (const h of hours) await deps.repo.rollUpHour(tctx, new Date(h));
        const days = [...new Set(hours.map((h) => chinaDay(new Date(h))))];
        for (const day of days) await rollUpDay(tctx, day);
        if (days.length) await deps.sketches.changed(tctx.tenantId);

        // Months that are over read from their monthly rows: rebuilt when one of their days changed, built once over.
        const built = state.monthsBuiltThrough;
        const months = new Set(days.map(monthOf).filter((m) => built !== null && m <= built));
        let through = built;
        if (built === null || built < lastMonthOver) {
          // The first month to build: the one after the last built, or (never built) the month of the oldest figures.
          let m = built ? nextMonth(built) : lastMonthOver;
          if (!built) {
            const oldest = days.length ? monthOf(days[0]!) : lastMonthOver;
            m = oldest < m ? oldest : m;
          }
          for (; m <= lastMonthOver; m = nextMonth(m)) months.add(m);
          through = lastMonthOver;
        }
        for (const m of [...months].sort()) await deps.repo.rollUpProductMonth(tctx, m, nextMonth(m));
        await deps.repo.clearDirty(
          tctx,
          marks.map((m) => m.id),
        );
        await deps.repo.saveState(tctx, { rolledUpAt: at, ...(through ? { monthsBuiltThrough: through } : {}) });
        return marks.length;
      }),
    );
  }

  /** A day: the sums of its hours, its people counted exactly and sketched, its products. */
  async function rollUpDay(tctx: TenantContext, day: string): Promise<void> {
    const from = chinaDayStart(day);
    const to = new Date(from.getTime() + DAY_MS);
    const people = await deps.repo.people(tctx, from, to);
    const sketches: Array<{ people: People; sketch: Buffer }> = [];
    for (const p of PEOPLE)
      if (people[p].length)
        sketches.push({ people: p, sketch: await deps.sketches.build(tctx.tenantId, p, day, people[p]) });
    await deps.repo.saveDay(
      tctx,
      day,
      from,
      to,
      Object.fromEntries(PEOPLE.map((p) => [p, people[p].length])) as Record<People, number>,
    );
    await deps.repo.saveSketches(tctx, day, sketches);
    await deps.repo.rollUpProductDay(tctx, day, from, to);
  }

  /** Rolls up everything marked (in passes of a batch each). */
  async function rollUp(ctx: TenantContext): Promise<void> {
    // A shop with nothing marked and its months built is left alone (no lock, no write): the job visits every shop.
    const lastMonthOver = monthOf(addDays(monthOf(chinaDay(now())), -1));
    const { monthsBuiltThrough } = await deps.repo.state(ctx);
    const monthDue = monthsBuiltThrough === null || monthsBuiltThrough < lastMonthOver;
    if (!monthDue && !(await deps.repo.anyDirty(ctx))) return;
    while ((await rollUpPass(ctx)) === ROLL_UP_BATCH);
  }

  /** Before a read: what came in since the last roll-up is rolled up (one pass; the job does the rest). */
  async function fresh(ctx: TenantContext): Promise<void> {
    if (await deps.repo.anyDirty(ctx)) await rollUpPass(ctx);
  }

  /**
   * The people of a range's days, of each kind asked: a day's own counts; exactly from the events (one scan for every
   * kind) when the days count few people in all; else the merge of the days' sketches (whole months merged once).
   */
  async function peopleOf(
    ctx: TenantContext,
    kinds: People[],
    days: DayFigures[],
    range: AnalyticsRange,
  ): Promise<Record<People, number>> {
    const counts = Object.fromEntries(PEOPLE.map((p) => [p, 0])) as Record<People, number>;
    if (days.length <= 1) {
      for (const p of kinds) counts[p] = (days[0]?.[PEOPLE_OF_DAY[p]] as number | undefined) ?? 0;
      return counts;
    }
    const load = days.reduce((n, d) => n + kinds.reduce((m, p) => m + (d[PEOPLE_OF_DAY[p]] as number), 0), 0);
    if (load <= EXACT_PEOPLE_MAX) {
      const end = new Date(chinaDayStart(range.to).getTime() + DAY_MS);
      return { ...counts, ...(await deps.repo.distinctPeople(ctx, kinds, chinaDayStart(range.from), end)) };
    }
    const months = wholeMonths(range, addDays(monthOf(chinaDay(now())), -1));
    await Promise.all(
      kinds.map(async (p) => {
        const withSome = days.filter((d) => (d[PEOPLE_OF_DAY[p]] as number) > 0).map((d) => d.day);
        counts[p] = await deps.sketches.count(
          ctx.tenantId,
          p,
          withSome,
          (missing) => deps.repo.sketches(ctx, p, missing),
          months,
        );
      }),
    );
    return counts;
  }

  /** A range's figures, with its people of each kind asked (visitors and payers always). */
  async function figures(
    ctx: TenantContext,
    from: string,
    to: string,
    kinds: People[] = ['visitors', 'payers'],
  ): Promise<{ f: AnalyticsFigures; people: Record<People, number> }> {
    const days = await deps.repo.days(ctx, from, to);
    const sum = (k: keyof DayFigures) => days.reduce((s, d) => s + (d[k] as number), 0);
    const gmvFen = sum('gmvFen');
    const refundFen = sum('refundFen');
    const ordersPaid = sum('ordersPaid');
    const refundedOrders = sum('refundedOrders');
    const people = await peopleOf(ctx, kinds, days, { from, to });
    const { visitors, payers } = people;
    return {
      people,
      f: {
        gmvFen,
        refundFen,
        netFen: gmvFen - refundFen,
        ordersPaid,
        payers,
        aovFen: ordersPaid ? Math.round(gmvFen / ordersPaid) : 0,
        visitors,
        pageViews: sum('pageViews'),
        productViews: sum('productViews'),
        cartAdds: sum('cartAdds'),
        ordersPlaced: sum('ordersPlaced'),
        placedFen: sum('placedFen'),
        refunds: sum('refunds'),
        refundedOrders,
        conversionRate: ratio(payers, visitors),
        refundRate: ratio(refundedOrders, ordersPaid),
      },
    };
  }

  /** The months that are over (not later than `through`, a day) and wholly in the range. */
  function wholeMonths(range: AnalyticsRange, through: string): string[] {
    const months: string[] = [];
    for (let m = monthOf(range.from); m <= range.to; m = nextMonth(m))
      if (m >= range.from && addDays(nextMonth(m), -1) <= range.to && m <= through) months.push(m);
    return months;
  }

  /**
   * What a range of product figures reads: per month of the range, its monthly rows when the month is built and wholly
   * in the range; when the range holds most of a built month, the month less the days it leaves out (fewer rows than
   * the days it holds); else its days.
   */
  function productParts(range: AnalyticsRange, builtThrough: string | null): ProductParts {
    const parts: ProductParts = { months: [], days: [] };
    for (let m = monthOf(range.from); m <= range.to; m = nextMonth(m)) {
      const end = addDays(nextMonth(m), -1);
      const from = m < range.from ? range.from : m;
      const to = end > range.to ? range.to : end;
      const built = builtThrough !== null && m <= builtThrough;
      const held = daysBetween(from, to) + 1;
      const left = daysBetween(m, end) + 1 - held;
      if (built && left < held) {
        parts.months.push({ month: m, sign: 1 });
        if (from > m) parts.days.push({ from: m, to: addDays(from, -1), sign: -1 });
        if (to < end) parts.days.push({ from: addDays(to, 1), to: end, sign: -1 });
      } else parts.days.push({ from, to, sign: 1 });
    }
    return parts;
  }

  async function topProducts(
    ctx: TenantContext,
    range: AnalyticsRange,
    by: TopProductsBy,
    limit: number,
  ): Promise<TopProduct[]> {
    await fresh(ctx);
    const state = await deps.repo.state(ctx);
    const list = await deps.repo.topProducts(ctx, productParts(range, state.monthsBuiltThrough), by, limit);
    const titles = await deps.titles(
      ctx,
      list.map((p) => p.productId),
    );
    return list.map((p) => ({ ...p, title: titles.get(p.productId) ?? null }));
  }

  /** A trend's point: an hour's or a day's figures (none: zeros). */
  const point = (at: string, f: Figures | undefined): AnalyticsTrendPoint => ({
    at,
    gmvFen: f?.gmvFen ?? 0,
    refundFen: f?.refundFen ?? 0,
    ordersPaid: f?.ordersPaid ?? 0,
    payers: f?.payers ?? 0,
    visitors: f?.visitors ?? 0,
    pageViews: f?.pageViews ?? 0,
    ordersPlaced: f?.ordersPlaced ?? 0,
  });

  async function trend(ctx: TenantContext, range: AnalyticsRange): Promise<AnalyticsTrend> {
    await fresh(ctx);
    if (range.from === range.to) {
      const start = chinaDayStart(range.from);
      const hours = new Map(
        (await deps.repo.hours(ctx, start, new Date(start.getTime() + DAY_MS))).map((h) => [h.hour.getTime(), h]),
      );
      return {
        unit: 'hour',
        points: Array.from({ length: 24 }, (_x, i) => {
          return point(`${range.from} ${String(i).padStart(2, '0')}:00`, hours.get(start.getTime() + i * HOUR_MS));
        }),
      };
    }
    const days = new Map((await deps.repo.days(ctx, range.from, range.to)).map((d) => [d.day, d]));
    const points = [];
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
      points.push(point(d, days.get(d)));
    }
    return { unit: 'day', points };
  }

  return {
    /**
     * A device's batch from the shop: events older than a week or ahead of the clock by more than ten minutes are
     * dropped; one sent before (same id) is kept once.
     */
    async ingest(ctx: TenantContext, body: ShopEventsBody): Promise<ShopEventsResult> {
      const at = now().getTime();
      const oldest = at - ANALYTICS_LIMITS.lateDaysMax * DAY_MS;
      const latest = at + ANALYTICS_LIMITS.aheadMinutesMax * 60_000;
      const kept: EventRow[] = [];
      for (const e of body.events) {
        const when = Date.parse(e.at);
        if (when < oldest || when > latest) continue;
        kept.push({
          eventId: e.id,
          line: 0,
          kind: e.kind,
          occurredAt: new Date(when),
          visitor: body.device,
          sessionId: e.session,
          page: e.kind === 'page_view' ? (e.page ?? null) : null,
          productId: e.kind === 'page_view' ? null : (e.productId ?? null),
          quantity: e.kind === 'add_to_cart' ? (e.quantity ?? 1) : null,
        });
      }
      const accepted = kept.length
        ? await retryOnDeadlock(() => deps.tx.transaction(ctx, (tctx) => deps.repo.record(tctx, kept)))
        : 0;
      return { accepted, dropped: body.events.length - kept.length };
    },

    /** Orders placed (in the placement's transaction). */
    ordersPlaced: (tctx: TenantContext, placed: OrderPlacedEvent[]) =>
      deps.repo.record(tctx, placed.flatMap(orderEventRows.placed)).then(() => undefined),

    /** An order paid, and each of its lines (in the payment's transaction). */
    orderPaid: (tctx: TenantContext, o: OrderPaidEvent) =>
      deps.repo.record(tctx, orderEventRows.paid(o)).then(() => undefined),

    /** A refund made (in the refund's transaction), counted at its time whenever the order was paid. */
    orderRefunded: (tctx: TenantContext, r: OrderRefundedEvent) =>
      deps.repo.record(tctx, orderEventRows.refunded(r)).then(() => undefined),

    rollUp,

    async overview(ctx: TenantContext, range: AnalyticsRange): Promise<AnalyticsOverview> {
      await fresh(ctx);
      const length = daysBetween(range.from, range.to) + 1;
      const previous = { from: addDays(range.from, -length), to: addDays(range.from, -1) };
      const [current, before, state] = await Promise.all([
        figures(ctx, range.from, range.to, [...PEOPLE]),
        figures(ctx, previous.from, previous.to),
        deps.repo.state(ctx),
      ]);
      const p = current.people;
      return {
        from: range.from,
        to: range.to,
        figures: current.f,
        funnel: {
          visitors: p.visitors,
          productViewers: p.product_viewers,
          cartAdders: p.cart_adders,
          buyers: p.buyers,
          payers: p.payers,
        },
        previous: { ...previous, figures: before.f },
        rolledUpAt: state.rolledUpAt?.toISOString() ?? null,
      };
    },

    trend,
    topProducts,

    /** A data table as a file: each day's figures, or the products (up to the most a table shows, by the ranking). */
    async exportTable(
      ctx: TenantContext,
      q: AnalyticsRange & { table: 'trend' | 'products'; by: TopProductsBy; format: 'csv' | 'xlsx' },
    ): Promise<Buffer> {
      if (q.table === 'products') {
        const list = await topProducts(ctx, q, q.by, 1000);
        return writeTable(
          ['productId', 'title', 'views', 'cartAdds', 'paidUnits', 'paid'],
          list.map((p) => ({ ...p, title: p.title ?? '', paid: (p.paidFen / 100).toFixed(2) })),
          q.format,
          { sheet: 'products', header: ['商品ID', '商品', '浏览量', '加购次数', '支付件数', '支付金额（元）'] },
        );
      }
      await fresh(ctx);
      const days = new Map((await deps.repo.days(ctx, q.from, q.to)).map((d) => [d.day, d]));
      const rows = [];
      for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
        const f = days.get(d);
        const yuan = (fen = 0) => (fen / 100).toFixed(2);
        rows.push({
          day: d,
          visitors: f?.visitors ?? 0,
          pageViews: f?.pageViews ?? 0,
          ordersPlaced: f?.ordersPlaced ?? 0,
          ordersPaid: f?.ordersPaid ?? 0,
          payers: f?.payers ?? 0,
          gmv: yuan(f?.gmvFen),
          refund: yuan(f?.refundFen),
          net: yuan((f?.gmvFen ?? 0) - (f?.refundFen ?? 0)),
        });
      }
      return writeTable(
        ['day', 'visitors', 'pageViews', 'ordersPlaced', 'ordersPaid', 'payers', 'gmv', 'refund', 'net'],
        rows,
        q.format,
        {
          sheet: 'days',
          header: [
            '日期',
            '访客数',
            '浏览量',
            '下单数',
            '支付订单数',
            '支付人数',
            '支付金额（元）',
            '退款金额（元）',
            '净销售额（元）',
          ],
        },
      );
    },

    /** The events with a product after an id, in order (the recommendations read them in pages). */
    scanEvents: (ctx: TenantContext, q: { afterId: number; limit: number; since?: Date }): Promise<ScannedEvent[]> =>
      deps.repo.scan(ctx, q.afterId, q.limit, q.since),

    /** The products these visitors (device ids, `s<shopperId>`) viewed, added or bought lately, newest first. */
    recentProducts: (ctx: TenantContext, visitors: string[], limit: number) =>
      deps.repo.recentProducts(ctx, visitors, limit),

    /** GMV, orders paid and refunds per day across the shops (platform staff's figures). */
    platformDaily: (from: string, to: string) => deps.repo.acrossShops(from, to),

    /** The visitor id the services give a shopper's events. */
    shopperVisitor: shopper,
  };
}

export type AnalyticsService = ReturnType<typeof analyticsService>;
