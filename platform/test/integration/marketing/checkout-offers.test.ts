import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, stockOf, systemCtx, type SellingShop } from '../../helpers/orders';
import { templateBody } from '../../helpers/marketing';

let t: TestPlatform;
let a: SellingShop;
let b: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  [a, b] = await Promise.all([sellingShop(t), sellingShop(t)]);
});
afterAll(async () => {
  await t?.close();
});

const M = '/merchant-api/v1';
type Buyer = Awaited<ReturnType<typeof buyer>>;
type Line = { skuId: number; quantity: number };

/** A running claim-mode template of shop `s`, and a coupon of it claimed by each buyer given. */
async function coupon(s: SellingShop, over: Record<string, unknown>, ...buyers: Buyer[]) {
  const tpl = (
    await t.api
      .post(`${M}/coupon-templates`)
      .set(bearer(s.merchant))
      .send(templateBody(t, { totalQuantity: 1000, ...over }))
      .expect(201)
  ).body as { id: number };
  const ids: number[] = [];
  for (const by of buyers)
    ids.push(
      (
        await t.api
          .post(s.url(`/coupon-templates/${tpl.id}/claim`))
          .set(bearer(by.token))
          .expect(201)
      ).body.id,
    );
  return { templateId: tpl.id, couponIds: ids };
}

/** A promotion of shop `s` running from an hour ago for a week. */
async function promotion(s: SellingShop, kind: 'full_reduction' | 'timed_discount', body: Record<string, unknown>) {
  const now = t.clock.now().getTime();
  const period = {
    name: `活动${uid()}`,
    startsAt: new Date(now - 3_600_000).toISOString(),
    endsAt: new Date(now + 7 * 86_400_000).toISOString(),
  };
  const key = kind === 'full_reduction' ? 'fullReduction' : 'timedDiscount';
  return (
    await t.api
      .post(`${M}/promotions`)
      .set(bearer(s.merchant))
      .send({ kind, [key]: { ...period, ...body } })
      .expect(201)
  ).body as { id: number; name: string };
}

const preview = async (s: SellingShop, by: Buyer, items: Line[], extra: Record<string, unknown> = {}) =>
  (
    await t.api
      .post(s.url('/checkout/preview'))
      .set(bearer(by.token))
      .send({ items, addressId: by.addressId, ...extra })
  ).body;

const place = (s: SellingShop, by: Buyer, items: Line[], extra: Record<string, unknown> = {}) =>
  t.api
    .post(s.url('/orders'))
    .set(bearer(by.token))
    .set('Idempotency-Key', `k-${uid()}`)
    .send({ items, addressId: by.addressId, ...extra });

const couponRow = async (id: number) => t.platform.knex('coupons').where({ id }).first();

describe('coupons at checkout', () => {
  it('picks the coupon that saves the most, says why each other cannot be used, and uses the chosen one once', async () => {
    const s = await sellingShop(t);
    const big = await product(t, s, 50, 12_000);
    const other = await product(t, s, 50, 3_000);
    const by = await buyer(t, s);
    const ten = await coupon(s, { name: '满100减10' }, by); // ¥10 off ¥100
    const pct = await coupon(
      s,
      {
        name: '85折',
        kind: 'percent_off',
        amountOffFen: undefined,
        discountPercent: 15,
        maxOffFen: 2_500,
        thresholdFen: 0,
      },
      by,
    ); // 15% off, at most ¥25
    const far = await coupon(s, { name: '满500减50', thresholdFen: 50_000, amountOffFen: 5_000 }, by);
    const elsewhere = await coupon(
      s,
      {
        name: '指定商品',
        kind: 'no_threshold',
        thresholdFen: 0,
        amountOffFen: 500,
        scope: 'products',
        scopeIds: [other.productId],
      },
      by,
    );
    const later = await coupon(
      s,
      {
        name: '明天可用',
        validDays: undefined,
        validFrom: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
        validTo: new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      },
      by,
    );

    const items = [{ skuId: big.skuId, quantity: 1 }];
    const p = await preview(s, by, items);
    // ¥120: 15% is ¥18, more than ¥10.
    expect(p).toMatchObject({
      itemsTotalFen: 12_000,
      discountFen: 1_800,
      totalFen: 10_200,
      couponId: pct.couponIds[0],
    });
    expect(p.discounts).toEqual([{ source: 'coupon', sourceId: pct.couponIds[0], name: '85折', fen: 1_800 }]);
    const byId = new Map(p.coupons.map((c: { coupon: { id: number } }) => [c.coupon.id, c]));
    expect(byId.get(ten.couponIds[0])).toMatchObject({ usable: true, discountFen: 1_000, reason: null });
    expect(byId.get(far.couponIds[0])).toMatchObject({
      usable: false,
      reason: 'COUPON_THRESHOLD_NOT_MET',
      params: { short: '380.00' },
    });
    expect(byId.get(elsewhere.couponIds[0])).toMatchObject({ usable: false, reason: 'COUPON_OUT_OF_SCOPE' });
    expect(byId.get(later.couponIds[0])).toMatchObject({ usable: false, reason: 'COUPON_NOT_YET_VALID' });
    expect(p.coupons[0].coupon.id).toBe(pct.couponIds[0]);

    // The shopper picks the ¥10 one instead; the line's share is stored, the coupon is used by this order.
    const chosen = await preview(s, by, items, { couponId: ten.couponIds[0] });
    expect(chosen).toMatchObject({ discountFen: 1_000, totalFen: 11_000, couponId: ten.couponIds[0] });
    const order = (await place(s, by, items, { couponId: ten.couponIds[0], expectedTotalFen: 11_000 }).expect(201))
      .body;
    expect(order).toMatchObject({ totalFen: 11_000, discountFen: 1_000 });
    expect(order.discounts).toEqual([{ source: 'coupon', sourceId: ten.couponIds[0], name: '满100减10', fen: 1_000 }]);
    expect(order.lines[0]).toMatchObject({ subtotalFen: 12_000, discountFen: 1_000, refundedQuantity: 0 });
    expect(await couponRow(ten.couponIds[0]!)).toMatchObject({ state: 'used', order_id: order.id });

    // Used: asked for again it is refused, and it is no longer offered.
    const again = await place(s, by, items, { couponId: ten.couponIds[0] }).expect(409);
    expect(again.body.error.reason).toBe('COUPON_USED');
    const next = await preview(s, by, items);
    expect(next.coupons.map((c: { coupon: { id: number } }) => c.coupon.id)).not.toContain(ten.couponIds[0]);

    // A coupon that cannot be used is refused with why; null means none.
    const refused = await place(s, by, items, { couponId: far.couponIds[0] }).expect(409);
    expect(refused.body.error).toMatchObject({ reason: 'COUPON_THRESHOLD_NOT_MET', params: { short: '380.00' } });
    const plain = await preview(s, by, items, { couponId: null });
    expect(plain).toMatchObject({ discountFen: 0, totalFen: 12_000, couponId: null });
  });

  it('refuses a total the shopper was shown when the order now prices otherwise, with the new total, and places nothing', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 5_000);
    const by = await buyer(t, s);
    await coupon(s, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 700 }, by);
    const items = [{ skuId: item.skuId, quantity: 2 }];
    const stale = await place(s, by, items, { expectedTotalFen: 10_000 }).expect(409);
    expect(stale.body.error).toMatchObject({
      reason: 'PRICE_CHANGED',
      params: { total: '93.00' },
      details: { totalFen: 9_300 },
    });
    expect(await stockOf(t, item.skuId)).toBe(10);
    expect(await t.platform.knex('orders').where({ tenant_id: s.shop.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
    await place(s, by, items, { expectedTotalFen: 9_300 }).expect(201);
  });

  it('one coupon, many orders at once: exactly one order gets it', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 100, 5_000);
    const by = await buyer(t, s);
    const { couponIds } = await coupon(s, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 1_000 }, by);
    const items = [{ skuId: item.skuId, quantity: 1 }];
    const results = await Promise.all(Array.from({ length: 4 }, () => place(s, by, items, { couponId: couponIds[0] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.reason).toBe('COUPON_USED');
    const used = await t.platform.knex('orders').where({ tenant_id: s.shop.id, discount_fen: 1_000 }).count({ n: '*' });
    expect(used).toEqual([{ n: 1 }]);
    expect(await stockOf(t, item.skuId)).toBe(99);
  });

  it('gives the coupon back when the shopper cancels, and when the payment window closes the order', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 5_000);
    const by = await buyer(t, s);
    const { templateId, couponIds } = await coupon(s, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 500 }, by);
    const items = [{ skuId: item.skuId, quantity: 1 }];

    const first = (await place(s, by, items).expect(201)).body;
    expect(first.totalFen).toBe(4_500);
    await t.api
      .post(s.url(`/orders/${first.id}/cancel`))
      .set(bearer(by.token))
      .send({ reason: '不想要了' })
      .expect(200);
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'unused', order_id: null, used_at: null });

    const second = (await place(s, by, items).expect(201)).body;
    expect(second.totalFen).toBe(4_500);
    const ctx = systemCtx(t, s.shop.id);
    const after = new Date(Date.parse(second.paymentDeadline) + 1_000);
    expect(await t.platform.services.cancelOrder.closeIfExpired(ctx, second.id, after)).toBe(true);
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'unused', order_id: null });

    const tpl = (await t.api.get(`${M}/coupon-templates/${templateId}`).set(bearer(s.merchant)).expect(200)).body;
    expect(tpl).toMatchObject({
      issued: 1,
      used: 0,
      figures: { orders: 2, paidOrders: 0, paidFen: 0, discountFen: 0 },
    });
  });

  it('after payment: a partial refund by line keeps the coupon used and refunds what the line paid; the last line closes the order and gives it back', async () => {
    const s = await sellingShop(t);
    const tea = await product(t, s, 10, 333);
    const cup = await product(t, s, 10, 2_000);
    const by = await buyer(t, s);
    const { templateId, couponIds } = await coupon(
      s,
      { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 1_000 },
      by,
    );
    const order = (
      await place(s, by, [
        { skuId: tea.skuId, quantity: 3 },
        { skuId: cup.skuId, quantity: 1 },
      ]).expect(201)
    ).body;
    // ¥10 over ¥9.99 and ¥20.00: 333 and 667.
    expect(order.lines.map((l: { discountFen: number }) => l.discountFen)).toEqual([333, 667]);
    expect(order.totalFen).toBe(1_999);
    await paySandbox(t, s, by.token, order.id);
    const paidTpl = (await t.api.get(`${M}/coupon-templates/${templateId}`).set(bearer(s.merchant))).body;
    expect(paidTpl).toMatchObject({
      used: 1,
      figures: { orders: 1, paidOrders: 1, paidFen: 1_999, discountFen: 1_000 },
    });

    const refund = (lines: Line[]) =>
      t.api.post(`${M}/orders/${order.id}/refunds`).set(bearer(s.merchant)).send({ lines, reason: '退一件' });
    // One tea of three: ¥3.33 less its third of ¥3.33 off = ¥2.22.
    const one = (await refund([{ skuId: tea.skuId, quantity: 1 }]).expect(201)).body;
    expect(one).toMatchObject({ status: 'paid', refundedFen: 222 });
    expect(one.lines[0]).toMatchObject({ refundedQuantity: 1 });
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'used', order_id: order.id });
    const tooMany = await refund([{ skuId: tea.skuId, quantity: 3 }]).expect(409);
    expect(tooMany.body.error).toMatchObject({ reason: 'LINE_NOT_REFUNDABLE', params: { skuId: tea.skuId } });
    await refund([
      { skuId: tea.skuId, quantity: 1 },
      { skuId: tea.skuId, quantity: 1 },
    ]).expect(400);

    // The rest: the tea's last two units and the cup; all paid comes back, the order closes, the coupon returns.
    const rest = (
      await refund([
        { skuId: tea.skuId, quantity: 2 },
        { skuId: cup.skuId, quantity: 1 },
      ]).expect(201)
    ).body;
    expect(rest).toMatchObject({ status: 'refunded', refundedFen: 1_999 });
    const items = await t.platform.knex('order_items').where({ order_id: order.id }).orderBy('id');
    expect(items.map((i: { refunded_fen: number }) => Number(i.refunded_fen))).toEqual([666, 1_333]);
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'unused', order_id: null });
    const closedTpl = (await t.api.get(`${M}/coupon-templates/${templateId}`).set(bearer(s.merchant))).body;
    expect(closedTpl).toMatchObject({ used: 0, figures: { orders: 1, paidOrders: 0 } });
  });

  it('a full refund after the coupon expired keeps it used', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 5_000);
    const by = await buyer(t, s);
    const { couponIds } = await coupon(
      s,
      { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 500, validDays: 1 },
      by,
    );
    const order = (await place(s, by, [{ skuId: item.skuId, quantity: 1 }]).expect(201)).body;
    await paySandbox(t, s, by.token, order.id);
    const was = t.clock.now();
    t.clock.set(new Date(was.getTime() + 2 * 86_400_000).toISOString());
    try {
      await t.api
        .post(`${M}/orders/${order.id}/refunds`)
        .set(bearer(s.merchant))
        .send({ amountFen: 4_500, reason: '全退' })
        .expect(201);
    } finally {
      t.clock.set(was.toISOString());
    }
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'used', order_id: order.id });
  });
});

describe('promotions at checkout, and how they stack with coupons', () => {
  it('满减 takes the highest tier reached; a coupon that combines with it stacks, on what the 满减 left', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 50, 10_000);
    const by = await buyer(t, s);
    const fr = await promotion(s, 'full_reduction', {
      basis: 'amount',
      tiers: [
        { threshold: 10_000, amountOffFen: 1_000 },
        { threshold: 20_000, amountOffFen: 3_000 },
      ],
    });
    const stacking = await coupon(
      s,
      {
        kind: 'percent_off',
        amountOffFen: undefined,
        discountPercent: 10,
        thresholdFen: 0,
        combinesWith: ['full_reduction'],
      },
      by,
    );
    const p = await preview(s, by, [{ skuId: item.skuId, quantity: 2 }]);
    // ¥200 reaches the second tier (¥30 off), then 10% of the ¥170 left: ¥17.
    expect(p).toMatchObject({ discountFen: 4_700, totalFen: 15_300, couponId: stacking.couponIds[0] });
    expect(p.discounts).toEqual([
      { source: 'full_reduction', sourceId: fr.id, name: fr.name, fen: 3_000 },
      { source: 'coupon', sourceId: stacking.couponIds[0], name: expect.any(String), fen: 1_700 },
    ]);
    const order = (await place(s, by, [{ skuId: item.skuId, quantity: 2 }]).expect(201)).body;
    await paySandbox(t, s, by.token, order.id);
    const figures = (await t.api.get(`${M}/promotions/${fr.id}`).set(bearer(s.merchant)).expect(200)).body.figures;
    expect(figures).toEqual({ orders: 1, paidOrders: 1, paidFen: 15_300, discountFen: 3_000 });
  });

  it('a coupon that does not combine with 满减 replaces it only when it saves more', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 50, 10_000);
    const by = await buyer(t, s);
    await promotion(s, 'full_reduction', { basis: 'quantity', tiers: [{ threshold: 2, discountPercent: 10 }] });
    const small = await coupon(s, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 1_500 }, by);
    const big = await coupon(s, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 2_500 }, by);
    const two = [{ skuId: item.skuId, quantity: 2 }];
    // 满2件9折 on ¥200 is ¥20: the ¥25 coupon saves more and replaces it; the ¥15 one would not.
    const p = await preview(s, by, two);
    expect(p).toMatchObject({ discountFen: 2_500, couponId: big.couponIds[0] });
    expect(p.discounts.map((d: { source: string }) => d.source)).toEqual(['coupon']);
    const withSmall = p.coupons.find((c: { coupon: { id: number } }) => c.coupon.id === small.couponIds[0]);
    expect(withSmall).toMatchObject({ usable: true, discountFen: 1_500 });
    const noCoupon = await preview(s, by, two, { couponId: null });
    expect(noCoupon).toMatchObject({ discountFen: 2_000, couponId: null });
    // Chosen anyway, the ¥15 coupon replaces the 满减: the shopper's choice stands.
    const chosen = await preview(s, by, two, { couponId: small.couponIds[0] });
    expect(chosen).toMatchObject({ discountFen: 1_500 });
    // One item does not reach the tier: any coupon beats nothing.
    const one = await preview(s, by, [{ skuId: item.skuId, quantity: 1 }]);
    expect(one).toMatchObject({ discountFen: 2_500, couponId: big.couponIds[0] });
  });

  it('限时折扣 prices per SKU; a coupon that does not combine with it leaves those lines out, or cannot be used at all', async () => {
    const s = await sellingShop(t);
    const flash = await product(t, s, 50, 10_000);
    const plain = await product(t, s, 50, 4_000);
    const by = await buyer(t, s);
    const td = await promotion(s, 'timed_discount', {
      tag: '秒杀',
      items: [{ productId: flash.productId, priceFen: 7_900 }],
    });
    const c = await coupon(
      s,
      { kind: 'percent_off', amountOffFen: undefined, discountPercent: 50, thresholdFen: 0 },
      by,
    );
    const both = await preview(s, by, [
      { skuId: flash.skuId, quantity: 1 },
      { skuId: plain.skuId, quantity: 1 },
    ]);
    // The flash line pays ¥79 (¥21 off); the coupon takes half of the plain line only: ¥20.
    expect(both.discounts).toEqual([
      { source: 'timed_discount', sourceId: td.id, name: td.name, fen: 2_100 },
      { source: 'coupon', sourceId: c.couponIds[0], name: expect.any(String), fen: 2_000 },
    ]);
    expect(both.lines.map((l: { discountFen: number }) => l.discountFen)).toEqual([2_100, 2_000]);
    const onlyFlash = await preview(s, by, [{ skuId: flash.skuId, quantity: 1 }]);
    expect(onlyFlash).toMatchObject({ discountFen: 2_100, couponId: null });
    expect(onlyFlash.coupons[0]).toMatchObject({ usable: false, reason: 'COUPON_NOT_COMBINABLE' });

    // The shop shows the 限时价 on the product page and card.
    const page = (await t.api.get(s.url(`/products/${flash.productId}`)).expect(200)).body;
    expect(page.promotion).toMatchObject({ timedPriceFen: 7_900, timedTag: '秒杀' });
    expect(page.skus[0].timedPriceFen).toBe(7_900);

    // Stopped: checkout prices it at once (never a stale price), and the shop stops showing it.
    await t.api.post(`${M}/promotions/${td.id}/stop`).set(bearer(s.merchant)).expect(200);
    const after = await preview(s, by, [{ skuId: flash.skuId, quantity: 1 }]);
    expect(after).toMatchObject({ discountFen: 5_000, couponId: c.couponIds[0] });
    const pageAfter = (await t.api.get(s.url(`/products/${flash.productId}`)).expect(200)).body;
    expect(pageAfter.promotion).toBeNull();
  });
});

describe('the cart estimate', () => {
  it("prices the cart's selected lines with the promotions and the best coupon, before an address is chosen", async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 6_000);
    const skipped = await product(t, s, 10, 9_000);
    const by = await buyer(t, s);
    const empty = (await t.api.get(s.url('/cart/estimate')).set(bearer(by.token)).expect(200)).body;
    expect(empty).toEqual({
      itemsTotalFen: 0,
      discounts: [],
      discountFen: 0,
      itemsPayableFen: 0,
      couponId: null,
      coupons: [],
    });
    const fr = await promotion(s, 'full_reduction', {
      basis: 'amount',
      tiers: [{ threshold: 10_000, amountOffFen: 1_000 }],
    });
    const { couponIds } = await coupon(
      s,
      { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 300, combinesWith: ['full_reduction'] },
      by,
    );
    await t.api.post(s.url('/cart/items')).set(bearer(by.token)).send({ skuId: item.skuId, quantity: 2 }).expect(200);
    const other = await t.api
      .post(s.url('/cart/items'))
      .set(bearer(by.token))
      .send({ skuId: skipped.skuId, quantity: 1 });
    await t.api
      .put(s.url(`/cart/items/${other.body.lines.find((l: { skuId: number }) => l.skuId === skipped.skuId).id}`))
      .set(bearer(by.token))
      .send({ selected: false })
      .expect(200);
    const estimate = (await t.api.get(s.url('/cart/estimate')).set(bearer(by.token)).expect(200)).body;
    expect(estimate).toMatchObject({
      itemsTotalFen: 12_000,
      discountFen: 1_300,
      itemsPayableFen: 10_700,
      couponId: couponIds[0],
      discounts: [
        { source: 'full_reduction', sourceId: fr.id, fen: 1_000 },
        { source: 'coupon', sourceId: couponIds[0], fen: 300 },
      ],
    });
    // Another shop's shopper is refused at this shop's path.
    const stranger = await buyer(t, b);
    expect((await t.api.get(s.url('/cart/estimate')).set(bearer(stranger.token))).status).toBe(403);
  });
});

describe('promotions: what the merchant writes', () => {
  const bad = (kind: string, body: Record<string, unknown>) => {
    const now = t.clock.now().getTime();
    const key = kind === 'full_reduction' ? 'fullReduction' : 'timedDiscount';
    return t.api
      .post(`${M}/promotions`)
      .set(bearer(a.merchant))
      .send({
        kind,
        [key]: {
          name: '坏的',
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 86_400_000).toISOString(),
          ...body,
        },
      });
  };

  it.each<[string, string, Record<string, unknown>, string, string]>([
    [
      'overlapping tiers',
      'full_reduction',
      {
        basis: 'amount',
        tiers: [
          { threshold: 20_000, amountOffFen: 2_000 },
          { threshold: 20_000, amountOffFen: 3_000 },
        ],
      },
      'body.fullReduction.tiers.1.threshold',
      'TIERS_OVERLAP',
    ],
    [
      'a higher tier that gives less',
      'full_reduction',
      {
        basis: 'amount',
        tiers: [
          { threshold: 10_000, amountOffFen: 2_000 },
          { threshold: 20_000, amountOffFen: 1_000 },
        ],
      },
      'body.fullReduction.tiers.1',
      'TIERS_OVERLAP',
    ],
    [
      'a threshold below the amount off',
      'full_reduction',
      { basis: 'amount', tiers: [{ threshold: 500, amountOffFen: 1_000 }] },
      'body.fullReduction.tiers.0.threshold',
      'TIER_THRESHOLD_NOT_ABOVE_AMOUNT',
    ],
    [
      'a percent over 99',
      'full_reduction',
      { basis: 'amount', tiers: [{ threshold: 500, discountPercent: 120 }] },
      'body.fullReduction.tiers.0.discountPercent',
      'too_big',
    ],
    [
      'dates reversed',
      'full_reduction',
      { basis: 'amount', tiers: [{ threshold: 500, amountOffFen: 100 }], endsAt: '2020-01-01T00:00:00Z' },
      'body.fullReduction.endsAt',
      'PROMOTION_DATES_REVERSED',
    ],
    [
      'a negative price',
      'timed_discount',
      { items: [{ productId: 1, priceFen: -1 }] },
      'body.timedDiscount.items.0.priceFen',
      'too_small',
    ],
  ])('refuses %s (400, with the reason)', async (_name, kind, body, path, why) => {
    const res = await bad(kind, body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining(why === why.toUpperCase() ? { path, reason: why } : { path, code: why }),
      ]),
    );
  });

  it('a 限时价 not below the price, or a product another 限时折扣 has then, is refused; a later period is free', async () => {
    const item = await product(t, a, 10, 5_000);
    const notBelow = await bad('timed_discount', { items: [{ productId: item.productId, priceFen: 5_000 }] }).expect(
      400,
    );
    expect(notBelow.body.error.details.issues[0]).toMatchObject({
      path: 'body.timedDiscount.items.0.priceFen',
      reason: 'PROMOTION_PRICE_NOT_BELOW',
      params: { productId: item.productId },
    });
    const first = await promotion(a, 'timed_discount', { items: [{ productId: item.productId, discountPercent: 20 }] });
    const busy = await bad('timed_discount', { items: [{ productId: item.productId, discountPercent: 10 }] }).expect(
      409,
    );
    expect(busy.body.error).toMatchObject({ reason: 'PROMOTION_PRODUCT_BUSY', params: { productId: item.productId } });
    const now = t.clock.now().getTime();
    const copy = await t.api
      .post(`${M}/promotions/${first.id}/copy`)
      .set(bearer(a.merchant))
      .send({
        name: '下周再来',
        startsAt: new Date(now + 8 * 86_400_000).toISOString(),
        endsAt: new Date(now + 9 * 86_400_000).toISOString(),
      })
      .expect(201);
    expect(copy.body).toMatchObject({
      name: '下周再来',
      displayStatus: 'not_started',
      items: [{ discountPercent: 20 }],
    });
  });

  it('lists by kind and status, renames, stops once', async () => {
    const s = await sellingShop(t);
    const fr = await promotion(s, 'full_reduction', {
      basis: 'amount',
      tiers: [{ threshold: 1_000, amountOffFen: 100 }],
    });
    const list = (
      await t.api.get(`${M}/promotions`).query({ kind: 'full_reduction', status: 'running' }).set(bearer(s.merchant))
    ).body;
    expect(list.items.map((p: { id: number }) => p.id)).toEqual([fr.id]);
    const none = (await t.api.get(`${M}/promotions`).query({ kind: 'timed_discount' }).set(bearer(s.merchant))).body;
    expect(none.total).toBe(0);
    await t.api.patch(`${M}/promotions/${fr.id}`).set(bearer(s.merchant)).send({ name: '新名字' }).expect(200);
    const stopped = (await t.api.post(`${M}/promotions/${fr.id}/stop`).set(bearer(s.merchant)).expect(200)).body;
    expect(stopped).toMatchObject({ name: '新名字', status: 'stopped', displayStatus: 'stopped' });
    await t.api.post(`${M}/promotions/${fr.id}/stop`).set(bearer(s.merchant)).expect(200);
    const audits = await t.platform
      .knex('audit_log')
      .where({ tenant_id: s.shop.id, target_type: 'promotion', target_id: fr.id })
      .pluck('action');
    expect(audits.sort()).toEqual(['promotion.create', 'promotion.stop', 'promotion.update']);
  });
});

describe('isolation', () => {
  it("another shop's merchant can neither read nor change a promotion", async () => {
    const fr = await promotion(a, 'full_reduction', {
      basis: 'amount',
      tiers: [{ threshold: 1_000, amountOffFen: 100 }],
    });
    await t.api.get(`${M}/promotions/${fr.id}`).set(bearer(b.merchant)).expect(404);
    await t.api.patch(`${M}/promotions/${fr.id}`).set(bearer(b.merchant)).send({ name: 'x' }).expect(404);
    await t.api.post(`${M}/promotions/${fr.id}/stop`).set(bearer(b.merchant)).expect(404);
    const copy = { startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() };
    await t.api.post(`${M}/promotions/${fr.id}/copy`).set(bearer(b.merchant)).send(copy).expect(404);
    const list = (await t.api.get(`${M}/promotions`).query({ kind: 'full_reduction' }).set(bearer(b.merchant))).body;
    expect(list.items.map((p: { id: number }) => p.id)).not.toContain(fr.id);
    expect((await t.api.get(`${M}/promotions/${fr.id}`).set(bearer(a.merchant)).expect(200)).body.status).toBe(
      'running',
    );
  });

  it("another shop's merchant cannot refund an order's lines", async () => {
    const item = await product(t, a, 10, 5_000);
    const by = await buyer(t, a);
    const order = (await place(a, by, [{ skuId: item.skuId, quantity: 2 }]).expect(201)).body;
    await paySandbox(t, a, by.token, order.id);
    const lines = [{ skuId: item.skuId, quantity: 1 }];
    await t.api
      .post(`${M}/orders/${order.id}/refunds`)
      .set(bearer(b.merchant))
      .send({ lines, reason: 'x' })
      .expect(404);
    const row = await t.platform.knex('order_items').where({ order_id: order.id }).first();
    expect(Number(row.refunded_quantity)).toBe(0);
    expect(await t.platform.knex('refunds').where({ order_id: order.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it("a shopper can use neither another shopper's coupon nor another shop's", async () => {
    const item = await product(t, a, 10, 5_000);
    const [one, two] = [await buyer(t, a), await buyer(t, a)];
    const { couponIds } = await coupon(a, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 100 }, one);
    const items = [{ skuId: item.skuId, quantity: 1 }];
    const notMine = await place(a, two, items, { couponId: couponIds[0] }).expect(404);
    expect(notMine.body.error.reason).toBe('COUPON_NOT_FOUND');
    expect((await preview(a, two, items)).coupons).toEqual([]);

    const otherShop = await product(t, b, 10, 5_000);
    const there = await buyer(t, b);
    const foreign = await place(b, there, [{ skuId: otherShop.skuId, quantity: 1 }], { couponId: couponIds[0] }).expect(
      404,
    );
    expect(foreign.body.error.reason).toBe('COUPON_NOT_FOUND');
    expect(await couponRow(couponIds[0]!)).toMatchObject({ state: 'unused' });
  });
});
