import supertest from 'supertest';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, stockOf, systemCtx, type SellingShop } from '../../helpers/orders';
import { flashBody, manyBuyers } from '../../helpers/marketing';
import { flashGate } from '../../../src/modules/marketing';

let t: TestPlatform;
let s: SellingShop;
beforeAll(async () => {
  // Every racer comes from this one address here: its limit is raised as for shoppers behind one gateway.
  t = await startTestPlatform({ FLASH_RATE_PER_ADDRESS: '100000', FLASH_RATE_PER_SHOPPER: '5' });
  s = await sellingShop(t);
});
afterAll(async () => {
  await t?.close();
});

const ms = (iso: string) => new Date(iso).getTime();

/** A session set up by the merchant; the clock is then put `at` ms after its start (negative: before it). */
async function session(
  items: Array<{ skuId: number; flashPriceFen: number; stock: number; perShopperLimit?: number }>,
  over: Record<string, unknown> = {},
) {
  t.clock.set(new Date().toISOString());
  const res = await t.api
    .post('/merchant-api/v1/flash-sessions')
    .set(bearer(s.merchant))
    .send(flashBody(t, items, over))
    .expect(201);
  return res.body as {
    id: number;
    name: string;
    startsAt: string;
    endsAt: string;
    items: Array<{ id: number; skuId: number; stock: number; sold: number }>;
  };
}

const at = (iso: string, offsetMs: number) => t.clock.set(new Date(ms(iso) + offsetMs).toISOString());

const pass = async (token: string, sessionId: number) =>
  (
    await t.api
      .post(s.url(`/flash-sales/${sessionId}/pass`))
      .set(bearer(token))
      .expect(200)
  ).body.pass as string;

const buy = (b: { token: string; addressId: number }, itemId: number, p: string, key = `f-${uid()}`, quantity = 1) =>
  supertest(t.app)
    .post(s.url(`/flash-items/${itemId}/orders`))
    .set(bearer(b.token))
    .set('Idempotency-Key', key)
    .send({ pass: p, quantity, addressId: b.addressId });

const itemRow = async (id: number) => {
  const r = await t.platform.knex('flash_items').where({ id }).first();
  return { stock: Number(r.stock), sold: Number(r.sold), returned: r.returned_at !== null };
};

/** The units the gate (Redis) shows left, through the merchant's live view. */
async function gateLeft(itemId: number): Promise<number> {
  const sessionId = Number((await t.platform.knex('flash_items').where({ id: itemId }).first()).session_id);
  const live = await t.platform.services.flash.live(systemCtx(t, s.shop.id), sessionId);
  return live.items.find((i) => i.id === itemId)!.left;
}

describe('setting up a session', () => {
  it('takes each item’s stock from its SKU at once, and refuses what cannot be sold', async () => {
    const p = await product(t, s, 50, 10_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 5_900, stock: 10, perShopperLimit: 2 }]);
    expect(f.items[0]).toMatchObject({ skuId: p.skuId, stock: 10, sold: 0 });
    expect(await stockOf(t, p.skuId)).toBe(40);

    const refused = async (body: object, status: number) =>
      (await t.api.post('/merchant-api/v1/flash-sessions').set(bearer(s.merchant)).send(body).expect(status)).body
        .error;
    expect(await refused(flashBody(t, [{ skuId: p.skuId, flashPriceFen: 10_000, stock: 1 }]), 409)).toMatchObject({
      reason: 'FLASH_PRICE_NOT_BELOW',
      params: { skuId: p.skuId },
    });
    const q = await product(t, s, 3, 2_000);
    expect(await refused(flashBody(t, [{ skuId: q.skuId, flashPriceFen: 900, stock: 4 }]), 409)).toMatchObject({
      reason: 'FLASH_STOCK_SHORT',
      params: { skuId: q.skuId, stock: 3 },
    });
    // The same SKU in another session over part of the same hour.
    expect(await refused(flashBody(t, [{ skuId: p.skuId, flashPriceFen: 5_000, stock: 1 }]), 409)).toMatchObject({
      reason: 'FLASH_SKU_BUSY',
    });
    const bad = await refused(
      { ...flashBody(t, [{ skuId: q.skuId, flashPriceFen: 900, stock: 1 }]), endsAt: f.startsAt, startsAt: f.endsAt },
      400,
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.details.issues[0]).toMatchObject({
      path: 'body.endsAt',
      reason: 'FLASH_PERIOD_INVALID',
      params: { hours: 72 },
    });
    // Nothing was taken by the refusals.
    expect(await stockOf(t, q.skuId)).toBe(3);
    expect(await stockOf(t, p.skuId)).toBe(40);
  });

  it('changes the period only before the start, and another shop can neither read nor change it', async () => {
    const p = await product(t, s, 5, 3_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 1_000, stock: 2 }]);
    const other = await sellingShop(t);
    await t.api.get(`/merchant-api/v1/flash-sessions/${f.id}`).set(bearer(other.merchant)).expect(404);
    await t.api.post(`/merchant-api/v1/flash-sessions/${f.id}/stop`).set(bearer(other.merchant)).expect(404);
    await t.api.get(`/merchant-api/v1/flash-sessions/${f.id}/live`).set(bearer(other.merchant)).expect(404);
    const theirShop = await t.api.get(other.url('/flash-sales')).expect(200);
    expect(theirShop.body.sessions.map((x: { id: number }) => x.id)).not.toContain(f.id);
    await t.api
      .patch(`/merchant-api/v1/flash-sessions/${f.id}`)
      .set(bearer(other.merchant))
      .send({ name: 'x' })
      .expect(404);
    const list = await t.api.get('/merchant-api/v1/flash-sessions').set(bearer(other.merchant)).expect(200);
    expect(list.body.items.map((x: { id: number }) => x.id)).not.toContain(f.id);
    const mine = await t.api
      .get('/merchant-api/v1/flash-sessions?status=not_started&pageSize=1')
      .set(bearer(s.merchant))
      .expect(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.total).toBeGreaterThanOrEqual(1);
    expect(mine.body.total).toBe(
      Number(
        (
          await t.platform
            .knex('flash_sessions')
            .where({ tenant_id: s.shop.id, status: 'scheduled' })
            .where('starts_at', '>', t.clock.now())
            .count({ n: '*' })
        )[0]!.n,
      ),
    );

    const renamed = await t.api
      .patch(`/merchant-api/v1/flash-sessions/${f.id}`)
      .set(bearer(s.merchant))
      .send({ name: '午间场' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: '午间场', displayStatus: 'not_started' });
    at(f.startsAt, 1);
    const late = await t.api
      .patch(`/merchant-api/v1/flash-sessions/${f.id}`)
      .set(bearer(s.merchant))
      .send({ name: '晚场' })
      .expect(409);
    expect(late.body.error.reason).toBe('FLASH_SESSION_STARTED');
  });
});

describe('the rush', () => {
  it('nothing tells how to buy before the start: no pass, and a forged or another shopper’s pass is refused', async () => {
    const p = await product(t, s, 5, 3_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 1_000, stock: 2 }]);
    const [a, b] = [await buyer(t, s), await buyer(t, s)];
    at(f.startsAt, -60_000);
    const early = await t.api
      .post(s.url(`/flash-sales/${f.id}/pass`))
      .set(bearer(a.token))
      .expect(409);
    expect(early.body.error).toMatchObject({ reason: 'FLASH_NOT_STARTED', params: { seconds: 60 } });
    at(f.startsAt, -10_000);
    const mine = await pass(a.token, f.id);
    // Given just before the start, the pass still buys nothing until then.
    expect((await buy(a, f.items[0]!.id, mine)).body.error).toMatchObject({ reason: 'FLASH_NOT_STARTED' });
    at(f.startsAt, 1_000);
    expect((await buy(b, f.items[0]!.id, mine).expect(403)).body.error.reason).toBe('FLASH_PASS_INVALID');
    const forged = mine.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await buy(a, f.items[0]!.id, forged).expect(403)).body.error.reason).toBe('FLASH_PASS_INVALID');
    // A pass expires: five minutes after it was given.
    at(f.startsAt, 300_000);
    expect((await buy(a, f.items[0]!.id, mine).expect(403)).body.error.reason).toBe('FLASH_PASS_INVALID');
  });

  it('300 shoppers race for 20 units: exactly 20 orders at the flash price, stock 0, the rest sold out, no 5xx', async () => {
    const p = await product(t, s, 100, 9_900);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 990, stock: 20 }]);
    const racers = await manyBuyers(t, s.shop.id, 300);
    at(f.startsAt, -5_000);
    const passes = await Promise.all(racers.map((r) => pass(r.token, f.id)));
    at(f.startsAt, 2_000);
    const results = await Promise.all(racers.map((r, i) => buy(r, f.items[0]!.id, passes[i]!)));
    const placed = results.filter((r) => r.status === 201);
    expect(placed).toHaveLength(20);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.error).toMatchObject({ code: 'CONFLICT', reason: 'FLASH_SOLD_OUT' });
    for (const r of placed) {
      expect(r.body).toMatchObject({
        activity: { kind: 'flash_sale', id: f.items[0]!.id },
        itemsTotalFen: 9_900,
        discountFen: 8_910,
        discounts: [{ source: 'flash_sale', sourceId: f.items[0]!.id, name: f.name, fen: 8_910 }],
      });
      // The session's payment window, not the shop's.
      expect(ms(r.body.paymentDeadline) - ms(r.body.createdAt)).toBe(5 * 60_000);
    }
    expect(await itemRow(f.items[0]!.id)).toEqual({ stock: 20, sold: 20, returned: false });
    expect(await gateLeft(f.items[0]!.id)).toBe(0);
    // The SKU's own stock was never touched by the rush.
    expect(await stockOf(t, p.skuId)).toBe(80);
    const orders = await t.platform.knex('flash_orders').where({ item_id: f.items[0]!.id });
    expect(new Set(orders.map((o: { shopper_id: number }) => o.shopper_id)).size).toBe(20);
  });

  it('50 requests at once from one shopper, limit 1: one order; the others over the limit or too fast', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 10, perShopperLimit: 1 }]);
    const [me] = await manyBuyers(t, s.shop.id, 1);
    at(f.startsAt, 0);
    const mine = await pass(me!.token, f.id);
    const results = await Promise.all(Array.from({ length: 50 }, () => buy(me!, f.items[0]!.id, mine)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect([409, 429]).toContain(r.status);
      if (r.status === 409) expect(r.body.error).toMatchObject({ reason: 'FLASH_LIMIT_REACHED', params: { limit: 1 } });
    }
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 1 });
    expect(await gateLeft(f.items[0]!.id)).toBe(9);
  });

  it('a retried request with its key makes one order, and the same key never takes a second unit', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 5, perShopperLimit: 3 }]);
    const me = await buyer(t, s);
    at(f.startsAt, 0);
    const mine = await pass(me.token, f.id);
    const [x, y] = await Promise.all([
      buy(me, f.items[0]!.id, mine, 'same-key-1'),
      buy(me, f.items[0]!.id, mine, 'same-key-1'),
    ]);
    expect(x.status).toBe(201);
    expect(y.status).toBe(201);
    expect(y.body.id).toBe(x.body.id);
    const again = await buy(me, f.items[0]!.id, mine, 'same-key-1').expect(201);
    expect(again.body.id).toBe(x.body.id);
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 1 });
    expect(await gateLeft(f.items[0]!.id)).toBe(4);
  });
});

describe('the gate', () => {
  it('limits attempts per shopper and per address within the window, before anything else', async () => {
    const gate = flashGate(t.platform.redis, `${t.config.REDIS_PREFIX}:gate-${uid()}`);
    const at = new Date();
    await gate.load(
      s.shop.id,
      1,
      {
        sessionId: 7,
        skuId: 9,
        stock: 0,
        limit: 1,
        startsAt: new Date(at.getTime() - 1000),
        endsAt: new Date(at.getTime() + 60_000),
        paymentWindowMinutes: 5,
        buyers: [],
        held: [],
      },
      at,
    );
    const limits = { perShopper: 3, perAddress: 5, windowMs: 60_000 };
    const attempt = (shopperId: number, address: string) =>
      gate.reserve(
        s.shop.id,
        1,
        { shopperId, quantity: 1, reservation: `r-${uid()}`, sessionId: 7, address, at },
        limits,
      );
    // Sold out, three times: the fourth attempt of the shopper in the window is refused before the stock is read.
    for (let i = 0; i < 3; i++) expect((await attempt(1, 'a')).kind).toBe('sold_out');
    expect(await attempt(1, 'a')).toMatchObject({ kind: 'limited' });
    // Another shopper at the same address: the address has two attempts left.
    expect((await attempt(2, 'a')).kind).toBe('sold_out');
    expect(await attempt(3, 'a')).toMatchObject({ kind: 'limited' });
    // Elsewhere, the same shopper 2 is still within their own limit.
    expect((await attempt(2, 'b')).kind).toBe('sold_out');
    // A session it was not loaded for is refused: a pass of another session does not open this gate.
    expect(
      (
        await gate.reserve(
          s.shop.id,
          1,
          { shopperId: 4, quantity: 1, reservation: 'x', sessionId: 8, address: 'c', at },
          limits,
        )
      ).kind,
    ).toBe('wrong_session');
  });
});

describe('after the rush', () => {
  it('an unpaid order loses its unit when the window closes: back to the session, and the shopper may buy again', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 1, perShopperLimit: 1 }]);
    const [a, b] = [await buyer(t, s), await buyer(t, s)];
    at(f.startsAt, 0);
    const [pa, pb] = [await pass(a.token, f.id), await pass(b.token, f.id)];
    const order = (await buy(a, f.items[0]!.id, pa).expect(201)).body;
    expect((await buy(b, f.items[0]!.id, pb).expect(409)).body.error.reason).toBe('FLASH_SOLD_OUT');
    at(f.startsAt, 5 * 60_000 + 1);
    expect(await t.platform.services.cancelOrder.closeIfExpired(systemCtx(t, s.shop.id), order.id)).toBe(true);
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 0 });
    expect(await gateLeft(f.items[0]!.id)).toBe(1);
    // Back in the session, not in the SKU.
    expect(await stockOf(t, p.skuId)).toBe(9);
    const pb2 = await pass(b.token, f.id);
    await buy(b, f.items[0]!.id, pb2).expect(201);
    const pa2 = await pass(a.token, f.id);
    expect((await buy(a, f.items[0]!.id, pa2).expect(409)).body.error.reason).toBe('FLASH_SOLD_OUT');
  });

  it('a payment that arrives after the window is refunded in full, and the unit stays with whoever has it now', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 300, stock: 1, perShopperLimit: 1 }]);
    const a = await buyer(t, s);
    at(f.startsAt, 0);
    const order = (await buy(a, f.items[0]!.id, await pass(a.token, f.id)).expect(201)).body;
    const pay = await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(a.token))
      .send({ method: 'sandbox' })
      .expect(200);
    at(f.startsAt, 5 * 60_000 + 1);
    await t.platform.services.cancelOrder.closeIfExpired(systemCtx(t, s.shop.id), order.id);
    const b = await buyer(t, s);
    await buy(b, f.items[0]!.id, await pass(b.token, f.id)).expect(201);
    // The late payment is applied through the provider's path: the order stays closed, the money goes back at once.
    const after = (
      await t.api
        .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
        .set(bearer(a.token))
        .expect(200)
    ).body;
    expect(after).toMatchObject({
      status: 'cancelled',
      refunds: [{ kind: 'late_payment', amountFen: 300, status: 'succeeded' }],
    });
    // The unit went to the next shopper, and is not taken twice.
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 1 });
    expect(await gateLeft(f.items[0]!.id)).toBe(0);
  });

  it('Redis losing the gate mid-session loses nothing: it is rebuilt from MySQL, limits included', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 3, perShopperLimit: 1 }]);
    const racers = await manyBuyers(t, s.shop.id, 4);
    at(f.startsAt, 0);
    const passes = await Promise.all(racers.map((r) => pass(r.token, f.id)));
    await buy(racers[0]!, f.items[0]!.id, passes[0]!).expect(201);
    const keys = await t.platform.redis.keys(`${t.config.REDIS_PREFIX}:{fs:${s.shop.id}:${f.items[0]!.id}}*`);
    expect(keys.length).toBeGreaterThan(0);
    await t.platform.redis.del(...keys);
    expect((await buy(racers[0]!, f.items[0]!.id, passes[0]!).expect(409)).body.error.reason).toBe(
      'FLASH_LIMIT_REACHED',
    );
    const results = await Promise.all(racers.slice(1).map((r, i) => buy(r, f.items[0]!.id, passes[i + 1]!)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 3 });
    expect(await gateLeft(f.items[0]!.id)).toBe(0);
  });

  it('the reconciliation frees a reservation that never became an order, and takes back an order the gate lost', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 2, perShopperLimit: 1 }]);
    const item = f.items[0]!.id;
    const [a, b] = [await buyer(t, s), await buyer(t, s)];
    at(f.startsAt, 0);
    const order = (await buy(a, item, await pass(a.token, f.id)).expect(201)).body;
    // A reservation whose process died before MySQL: the gate holds a unit no order has.
    const ctx = {
      ...systemCtx(t, s.shop.id),
      actor: { type: 'shopper' as const, shopperId: b.shopperId, tenantId: s.shop.id },
    };
    await t.platform.services.flash.reserve(ctx, item, {
      pass: await pass(b.token, f.id),
      quantity: 1,
      reservation: 'crashed-before-mysql',
    });
    expect(await gateLeft(item)).toBe(0);
    // And the gate forgot the placed order's reservation (a release crossed it).
    const row = await t.platform.knex('flash_orders').where({ order_id: order.id }).first();
    await t.platform.services.flash.release(ctx, item, row.reservation);
    expect(await gateLeft(item)).toBe(1);
    // Within the minute a placement may take, the orphan is left alone.
    at(f.startsAt, 30_000);
    expect(await t.platform.services.flash.reconcile(systemCtx(t, s.shop.id))).toMatchObject({ freed: 0, adopted: 1 });
    expect(await gateLeft(item)).toBe(0);
    at(f.startsAt, 61_000);
    expect(await t.platform.services.flash.reconcile(systemCtx(t, s.shop.id))).toMatchObject({
      freed: 1,
      adopted: 0,
      drift: 0,
    });
    expect(await gateLeft(item)).toBe(1);
    await buy(b, item, await pass(b.token, f.id)).expect(201);
    expect(await itemRow(item)).toMatchObject({ sold: 2 });
  });

  it('at the end, what is left goes back to the SKU once; an order closing after goes to the SKU too', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 4, perShopperLimit: 1 }]);
    const a = await buyer(t, s);
    at(f.startsAt, 0);
    const order = (await buy(a, f.items[0]!.id, await pass(a.token, f.id)).expect(201)).body;
    expect(await stockOf(t, p.skuId)).toBe(6);
    at(f.endsAt, -1);
    expect(await t.platform.services.flash.endDue(systemCtx(t, s.shop.id), f.id)).toBe(false);
    at(f.endsAt, 0);
    expect(await t.platform.services.flash.endDue(systemCtx(t, s.shop.id), f.id)).toBe(true);
    expect(await t.platform.services.flash.endDue(systemCtx(t, s.shop.id), f.id)).toBe(false);
    expect(await stockOf(t, p.skuId)).toBe(9);
    expect(await itemRow(f.items[0]!.id)).toEqual({ stock: 4, sold: 1, returned: true });
    await t.api
      .post(s.url(`/orders/${order.id}/cancel`))
      .set(bearer(a.token))
      .send({ reason: '不想要了' })
      .expect(200);
    expect(await stockOf(t, p.skuId)).toBe(10);
    const b = await buyer(t, s);
    expect(
      (
        await t.api
          .post(s.url(`/flash-sales/${f.id}/pass`))
          .set(bearer(b.token))
          .expect(409)
      ).body.error.reason,
    ).toBe('FLASH_ENDED');
  });

  it('stopping early ends the rush and returns the stock; the live view and the figures count what happened', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 700, stock: 5, perShopperLimit: 2 }]);
    const [a, b] = [await buyer(t, s), await buyer(t, s)];
    at(f.startsAt, 0);
    const shown = await t.api
      .get(s.url(`/flash-sales?productId=${p.productId}`))
      .set(bearer(a.token))
      .expect(200);
    expect(shown.body.sessions).toHaveLength(1);
    expect(shown.body.sessions[0]).toMatchObject({ id: f.id, state: 'running' });
    expect(shown.body.sessions[0].items[0]).toMatchObject({ flashPriceFen: 700, priceFen: 5_000, left: 5 });
    const pa = await pass(a.token, f.id);
    const paid = (await buy(a, f.items[0]!.id, pa, undefined, 2).expect(201)).body;
    await paySandbox(t, s, a.token, paid.id);
    await buy(b, f.items[0]!.id, await pass(b.token, f.id)).expect(201);
    const live = (await t.api.get(`/merchant-api/v1/flash-sessions/${f.id}/live`).set(bearer(s.merchant)).expect(200))
      .body;
    expect(live).toMatchObject({
      displayStatus: 'running',
      items: [{ id: f.items[0]!.id, stock: 5, left: 2, unpaid: 1, paid: 2, orders: 2 }],
      figures: { orders: 2, paidOrders: 1, paidFen: paid.totalFen },
    });
    expect(live.figures.visitors).toBeGreaterThanOrEqual(1);
    const stopped = await t.api
      .post(`/merchant-api/v1/flash-sessions/${f.id}/stop`)
      .set(bearer(s.merchant))
      .expect(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', displayStatus: 'stopped', stockReturned: true });
    expect(await stockOf(t, p.skuId)).toBe(7);
    // A pass given before the stop buys nothing after it.
    expect((await buy(a, f.items[0]!.id, pa).expect(409)).body.error.reason).toBe('FLASH_ENDED');
  });

  it('a shopper of another shop cannot buy this shop’s flash item', async () => {
    const p = await product(t, s, 10, 5_000);
    const f = await session([{ skuId: p.skuId, flashPriceFen: 100, stock: 2 }]);
    const other = await sellingShop(t);
    const stranger = await buyer(t, other);
    at(f.startsAt, 0);
    // Through their own shop: the item is not there; through this shop: their sign-in is not this shop's.
    await t.api
      .post(other.url(`/flash-sales/${f.id}/pass`))
      .set(bearer(stranger.token))
      .expect(404);
    await supertest(t.app)
      .post(s.url(`/flash-items/${f.items[0]!.id}/orders`))
      .set(bearer(stranger.token))
      .set('Idempotency-Key', `x-${uid()}`)
      .send({ pass: '1.2.x', quantity: 1, addressId: stranger.addressId })
      .expect(403);
    expect(await itemRow(f.items[0]!.id)).toMatchObject({ sold: 0 });
  });
});
