import ExcelJS from 'exceljs';
import { chinaDay } from '../../../src/kernel/china-time';
import { Database } from '../../../src/kernel/db/database';
import { analyticsRepository } from '../../../src/modules/analytics';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sets the platform's clock to a China-time moment (`2026-12-06 12:00`). */
const at = (chinaTime: string) => t.clock.set(new Date(`${chinaTime.replace(' ', 'T')}:00+08:00`).toISOString());
const id = () => `e${uid().replace(/[^0-9A-Za-z]/g, '')}${Math.random().toString(36).slice(2, 10)}`;

interface Ev {
  kind: 'page_view' | 'product_view' | 'add_to_cart';
  productId?: number;
  at?: Date;
}
/** A device's batch, as the shop sends it. */
async function send(s: SellingShop, device: string, events: Ev[], expected = 200) {
  const session = `s${device}`.slice(0, 40);
  return (
    await t.api
      .post(s.url('/events'))
      .send({
        device,
        events: events.map((e) => ({
          id: id(),
          kind: e.kind,
          at: (e.at ?? t.clock.now()).toISOString(),
          session,
          ...(e.kind === 'page_view' ? { page: 'pages/index/index' } : { productId: e.productId }),
        })),
      })
      .expect(expected)
  ).body;
}

const overview = async (s: SellingShop, from: string, to = from) =>
  (
    await t.api
      .get(m(`/analytics/overview?from=${from}&to=${to}`))
      .set(bearer(s.merchant))
      .expect(200)
  ).body;

async function refund(s: SellingShop, orderId: number, amountFen: number) {
  await t.api
    .post(m(`/orders/${orderId}/refunds`))
    .set(bearer(s.merchant))
    .send({ amountFen, reason: '退款' })
    .expect(201);
}

describe('the dashboard counts what happened in the shop', () => {
  it('visits, views, cart adds, orders placed and paid show in today’s figures, the funnel and the hour’s trend', async () => {
    at('2026-12-02 12:10');
    const s = await sellingShop(t);
    const { productId, skuId } = await product(t, s, 20, 2500);
    const deviceA = `devA${id()}`;
    const deviceB = `devB${id()}`;
    await send(s, deviceA, [
      { kind: 'page_view' },
      { kind: 'product_view', productId },
      { kind: 'add_to_cart', productId },
    ]);
    await send(s, deviceB, [{ kind: 'page_view' }, { kind: 'page_view' }, { kind: 'product_view', productId }]);
    const b = await buyer(t, s);
    const paid = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, paid.id);

    const o = await overview(s, '2026-12-02');
    expect(o.figures).toMatchObject({
      pageViews: 3,
      productViews: 2,
      cartAdds: 1,
      visitors: 2,
      ordersPlaced: 2,
      placedFen: paid.totalFen + 2500 + (paid.totalFen - 5000),
      ordersPaid: 1,
      payers: 1,
      gmvFen: paid.totalFen,
      refundFen: 0,
      netFen: paid.totalFen,
      aovFen: paid.totalFen,
      conversionRate: 0.5,
      refundRate: 0,
    });
    expect(o.funnel).toEqual({ visitors: 2, productViewers: 2, cartAdders: 1, buyers: 1, payers: 1 });
    expect(o.previous).toMatchObject({ from: '2026-12-01', to: '2026-12-01' });
    expect(o.previous.figures.gmvFen).toBe(0);
    expect(o.rolledUpAt).not.toBeNull();

    const trend = (await t.api.get(m('/analytics/trend?from=2026-12-02&to=2026-12-02')).set(bearer(s.merchant))).body;
    expect(trend.unit).toBe('hour');
    expect(trend.points).toHaveLength(24);
    expect(trend.points[12]).toMatchObject({
      at: '2026-12-02 12:00',
      gmvFen: paid.totalFen,
      ordersPaid: 1,
      visitors: 2,
    });
    expect(trend.points.filter((p: { gmvFen: number }) => p.gmvFen > 0)).toHaveLength(1);

    const top = (
      await t.api.get(m('/analytics/products?from=2026-12-02&to=2026-12-02')).set(bearer(s.merchant)).expect(200)
    ).body;
    expect(top).toEqual([{ productId, title: expect.any(String), views: 2, cartAdds: 1, paidUnits: 2, paidFen: 5000 }]);
  });

  it('refunds count on the day they are made: net sales move, the day of payment keeps its GMV', async () => {
    at('2026-12-03 09:30');
    const s = await sellingShop(t);
    const { skuId } = await product(t, s, 20, 4000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    at('2026-12-04 10:00');
    await refund(s, order.id, 1500);
    await refund(s, order.id, 500);

    const paidDay = await overview(s, '2026-12-03');
    expect(paidDay.figures).toMatchObject({ gmvFen: order.totalFen, refundFen: 0, netFen: order.totalFen });
    const refundDay = await overview(s, '2026-12-04');
    expect(refundDay.figures).toMatchObject({
      gmvFen: 0,
      refundFen: 2000,
      netFen: -2000,
      refunds: 2,
      refundedOrders: 1,
    });
    const both = await overview(s, '2026-12-03', '2026-12-04');
    expect(both.figures).toMatchObject({
      gmvFen: order.totalFen,
      refundFen: 2000,
      netFen: order.totalFen - 2000,
      ordersPaid: 1,
      refundRate: 1,
    });
    // Comparing with the two days before: nothing then.
    expect(both.previous).toMatchObject({ from: '2026-12-01', to: '2026-12-02' });
  });

  it('a late event recomputes the hour and day it belongs to; a batch sent again counts once; too old is dropped', async () => {
    at('2026-12-05 20:00');
    const s = await sellingShop(t);
    const device = `late${id()}`;
    await send(s, device, [{ kind: 'page_view' }]);
    expect((await overview(s, '2026-12-04')).figures.pageViews).toBe(0);
    expect((await overview(s, '2026-12-05')).figures.pageViews).toBe(1);

    // The app was offline yesterday evening: its events arrive now, stamped when they happened.
    const yesterday = new Date(t.clock.now().getTime() - DAY);
    const batch = {
      device,
      events: [1, 2, 3].map((i) => ({
        id: id(),
        kind: 'page_view',
        at: new Date(yesterday.getTime() + i * 60_000).toISOString(),
        session: 'late-session',
        page: 'pages/index/index',
      })),
    };
    expect((await t.api.post(s.url('/events')).send(batch).expect(200)).body).toEqual({ accepted: 3, dropped: 0 });
    expect((await t.api.post(s.url('/events')).send(batch).expect(200)).body).toEqual({ accepted: 0, dropped: 0 });
    const late = await overview(s, '2026-12-04');
    expect(late.figures).toMatchObject({ pageViews: 3, visitors: 1 });
    const trend = (await t.api.get(m('/analytics/trend?from=2026-12-04&to=2026-12-04')).set(bearer(s.merchant))).body;
    expect(trend.points[20]).toMatchObject({ pageViews: 3, visitors: 1 });

    const old = await send(s, device, [
      { kind: 'page_view', at: new Date(t.clock.now().getTime() - 8 * DAY) },
      { kind: 'page_view', at: new Date(t.clock.now().getTime() + HOUR) },
      { kind: 'page_view' },
    ]);
    expect(old).toEqual({ accepted: 1, dropped: 2 });
    // The job rolls up what no read did: nothing is left marked.
    await t.platform.services.analyticsSweeps.rollUpAll(systemCtx(t, s.shop.id));
    expect(await t.platform.knex('analytics_dirty').where({ tenant_id: s.shop.id }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    expect((await overview(s, '2026-12-05')).figures.pageViews).toBe(2);
  });

  it('people over several days are each counted once', async () => {
    at('2026-12-06 08:00');
    const s = await sellingShop(t);
    const days = [new Date(t.clock.now().getTime() - 2 * DAY), new Date(t.clock.now().getTime() - DAY)];
    // 30 devices the first day, 30 the second, 10 of them both days: 50 people.
    for (let i = 0; i < 50; i++) {
      const device = `uv${i}x${id()}`.slice(0, 40);
      const on = i < 20 ? [days[0]!] : i < 40 ? [days[1]!] : days;
      await send(
        s,
        device,
        on.map((d) => ({ kind: 'page_view' as const, at: d })),
      );
    }
    const o = await overview(s, '2026-12-04', '2026-12-05');
    expect(o.figures.visitors).toBe(50);
    expect(o.figures.pageViews).toBe(60);
    expect((await overview(s, '2026-12-04')).figures.visitors).toBe(30);
  });

  it('counts visitors within 1% over a range, across days with large overlaps', async () => {
    at('2026-12-06 09:00');
    const s = await sellingShop(t);
    const ctx = systemCtx(t, s.shop.id);
    const repo = analyticsRepository(new Database(t.platform.knex));
    // 60,000 devices over three days, 30,000 a day: the first 30k, then 15k of those with 15k new, then the last 30k.
    const start = t.clock.now().getTime() - 3 * DAY;
    for (let day = 0; day < 3; day++)
      for (let from = day * 15_000; from < day * 15_000 + 30_000; from += 2000)
        await repo.record(
          ctx,
          Array.from({ length: 2000 }, (_x, i) => ({
            eventId: `uv-${day}-${from + i}`,
            line: 0,
            kind: 'page_view' as const,
            occurredAt: new Date(start + day * DAY + i),
            visitor: `visitor-${from + i}`,
          })),
        );
    const o = await overview(s, chinaDay(new Date(start)), chinaDay(new Date(start + 2 * DAY)));
    expect(o.figures.pageViews).toBe(90_000);
    expect(Math.abs(o.figures.visitors - 60_000) / 60_000).toBeLessThanOrEqual(0.01);
    // One day alone is counted exactly.
    expect((await overview(s, chinaDay(new Date(start + DAY)))).figures.visitors).toBe(30_000);
  });
  it('a month that is over counts its people through one merged sketch, made again when one of its days changes', async () => {
    at('2026-12-06 09:30');
    const s = await sellingShop(t);
    const ctx = systemCtx(t, s.shop.id);
    const repo = analyticsRepository(new Database(t.platform.knex));
    const visit = (visitor: string, day: string, n: number) => ({
      eventId: `m-${visitor}-${day}-${n}`,
      line: 0,
      kind: 'page_view' as const,
      occurredAt: new Date(`${day}T10:00:00+08:00`),
      visitor,
    });
    // October: 3,000 people on the 3rd, 3,000 on the 20th, 1,000 of them both days; November: 5 new ones. Enough
    // people to be counted by HyperLogLog (a small range is counted exactly).
    const many = (n: number, offset: number, day: string) =>
      Array.from({ length: n }, (_x, i) => visit(`p${i + offset}`, day, 0));
    await repo.record(ctx, many(3000, 0, '2026-10-03'));
    await repo.record(ctx, many(3000, 2000, '2026-10-20'));
    await repo.record(ctx, many(5, 100_000, '2026-11-11'));
    const before = (await overview(s, '2026-10-01', '2026-11-30')).figures.visitors;
    expect(Math.abs(before - 5005) / 5005).toBeLessThanOrEqual(0.01);
    // 200 late arrivals in October (an import, or events recorded by the services): the month's merged sketch built for
    // the read before is not used again.
    await repo.record(ctx, many(200, 50_000, '2026-10-25'));
    const after = (await overview(s, '2026-10-01', '2026-11-30')).figures.visitors;
    expect(after).toBeGreaterThan(before);
    expect(Math.abs(after - 5205) / 5205).toBeLessThanOrEqual(0.01);
    // A small range is counted exactly: November's 5 and 3 of October's people, on two days.
    await repo.record(ctx, many(3, 0, '2026-11-12'));
    expect((await overview(s, '2026-11-11', '2026-11-12')).figures.visitors).toBe(8);
  });
});

describe('whose figures', () => {
  it('a shop sees only its own figures; staff without the permission and other audiences are refused', async () => {
    at('2026-12-06 10:00');
    const a = await sellingShop(t);
    const b = await sellingShop(t);
    const { productId, skuId } = await product(t, a, 10, 3000);
    await send(a, `iso${id()}`, [{ kind: 'product_view', productId }]);
    const shopper = await buyer(t, a);
    const order = await placeOrder(t, a, shopper, [{ skuId, quantity: 1 }]);
    await paySandbox(t, a, shopper.token, order.id);

    expect((await overview(a, '2026-12-06')).figures).toMatchObject({ productViews: 1, ordersPaid: 1 });
    const seenByB = await overview(b, '2026-12-06');
    expect(seenByB.figures).toMatchObject({ productViews: 0, ordersPaid: 0, gmvFen: 0, visitors: 0 });
    expect(
      (await t.api.get(m('/analytics/products?from=2026-12-06&to=2026-12-06&by=views')).set(bearer(b.merchant))).body,
    ).toEqual([]);
    expect((await t.api.get(m('/pending-work')).set(bearer(b.merchant)).expect(200)).body.toShip).toBe(0);
    expect((await t.api.get(m('/pending-work')).set(bearer(a.merchant)).expect(200)).body).toEqual({
      toShip: 1,
      afterSales: 0,
      reviewsToAnswer: 0,
      unreadChats: 0,
    });

    // A staff member of the shop (the staff role has no data permission) sees no figures, and no counts they may not see.
    await t.platform.services.identity.addMerchantUser(
      { requestId: 'test', tenantId: null, actor: { type: 'system', job: 'test' }, log: t.platform.log },
      a.shop.id,
      { email: `staff${uid()}@example.com`, name: '店员', password: 'staff-password-1', role: 'staff' },
    );
    const staffUser = (await t.platform.knex('merchant_users').orderBy('id', 'desc').first('email')) as {
      email: string;
    };
    const staff = (await t.api.post(m('/auth/login')).send({ email: staffUser.email, password: 'staff-password-1' }))
      .body.accessToken as string;
    const refused = await t.api.get(m('/analytics/overview?from=2026-12-06&to=2026-12-06')).set(bearer(staff));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const pending = (await t.api.get(m('/pending-work')).set(bearer(staff)).expect(200)).body;
    expect(pending.toShip).toBe(1);

    // A shopper's token is not a merchant's.
    await t.api.get(m('/analytics/overview?from=2026-12-06&to=2026-12-06')).set(bearer(shopper.token)).expect(401);
  });

  it('refuses a reversed or too long range, and bad events, with a reason', async () => {
    const s = await sellingShop(t);
    const reversed = await t.api.get(m('/analytics/overview?from=2026-12-06&to=2026-12-01')).set(bearer(s.merchant));
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body.error.details)).toContain('RANGE_INVALID');
    const long = await t.api.get(m('/analytics/trend?from=2025-01-01&to=2026-12-01')).set(bearer(s.merchant));
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.error.details)).toContain('RANGE_TOO_LONG');
    const bad = await t.api
      .post(s.url('/events'))
      .send({ device: 'short', events: [{ id: id(), kind: 'checkout', at: 'yesterday', session: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.platform.knex('analytics_events').where({ tenant_id: s.shop.id }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });
});

describe('long ranges and exports', () => {
  it('a month that is over reads from its monthly rows: the same top products as its days', async () => {
    at('2026-10-01 10:00');
    const s = await sellingShop(t);
    const one = await product(t, s, 50, 1000);
    const two = await product(t, s, 50, 700);
    const b = await buyer(t, s);
    const first = await placeOrder(t, s, b, [{ skuId: two.skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, first.id);
    at('2026-10-20 15:00');
    for (const [p, quantity] of [
      [one, 1],
      [two, 3],
      [one, 2],
    ] as const) {
      const order = await placeOrder(t, s, b, [{ skuId: p.skuId, quantity }]);
      await paySandbox(t, s, b.token, order.id);
    }
    at('2026-12-06 11:00');
    const order = await placeOrder(t, s, b, [{ skuId: one.skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    await t.platform.services.analyticsSweeps.rollUpAll(systemCtx(t, s.shop.id));
    const monthly = await t.platform.knex('analytics_product_monthly').where({ tenant_id: s.shop.id });
    expect(monthly.map((r: { paid_units: number }) => r.paid_units).sort()).toEqual([3, 4]);

    const top = async (from: string, to: string) =>
      (
        await t.api
          .get(m(`/analytics/products?from=${from}&to=${to}`))
          .set(bearer(s.merchant))
          .expect(200)
      ).body;
    const whole = await top('2026-10-01', '2026-12-06');
    expect(
      whole.map((p: { productId: number; paidUnits: number; paidFen: number }) => [
        p.productId,
        p.paidUnits,
        p.paidFen,
      ]),
    ).toEqual([
      [one.productId, 4, 4000],
      [two.productId, 4, 2800],
    ]);
    // October but its first day: the month less that day.
    const days = await top('2026-10-02', '2026-10-31');
    expect(days.map((p: { paidUnits: number }) => p.paidUnits)).toEqual([3, 3]);
  });

  it('exports the days and the products of a range as a spreadsheet', async () => {
    at('2026-12-06 12:00');
    const s = await sellingShop(t);
    const { productId, skuId } = await product(t, s, 10, 1234);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    const csv = await t.api
      .get(m('/analytics/export?from=2026-12-05&to=2026-12-06&table=trend&format=csv'))
      .set(bearer(s.merchant))
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('日期');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('2026-12-06');
    expect(lines[2]).toContain((order.totalFen / 100).toFixed(2));
    const xlsx = await t.api
      .get(m('/analytics/export?from=2026-12-06&to=2026-12-06&table=products'))
      .set(bearer(s.merchant))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(xlsx.body as Buffer).buffer);
    const row = book.worksheets[0]!.getRow(2).values as unknown[];
    expect(row.slice(1, 7)).toEqual([productId, expect.any(String), 0, 0, 1, '12.34']);
  });
});
