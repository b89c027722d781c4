import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { manyShoppers } from '../../helpers/marketing';
import { buyer, paySandbox, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
let s: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
});
afterAll(async () => {
  await t?.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;
const DAY = 86_400_000;

const centre = async (token: string, shop = s) =>
  (await t.api.get(shop.url('/member')).set(bearer(token)).expect(200)).body;

/** Pays, ships and receives an order: its after-sales window starts. */
async function payAndReceive(shop: SellingShop, token: string, orderId: number) {
  await paySandbox(t, shop, token, orderId);
  await t.api
    .post(m(`/orders/${orderId}/ship`))
    .set(bearer(shop.merchant))
    .send({ carrier: 'SF', trackingNo: `SF${Date.now()}${orderId}` })
    .expect(200);
  await t.api
    .post(shop.url(`/orders/${orderId}/confirm-receipt`))
    .set(bearer(token))
    .expect(200);
}

/** Moves the platform's clock on and runs the release of frozen points (of every shop in this worker's database). */
async function later(ms: number) {
  t.clock.set(new Date(t.clock.now().getTime() + ms).toISOString());
  return t.platform.services.memberSweeps.releaseDue(systemCtx(t, s.shop.id));
}

/** Every shopper of the shop: each part's ledger sum is its balance, and the batches hold exactly the balance. */
async function invariants(tenantId: number) {
  const k = t.platform.knex;
  const members = (await k('members').where({ tenant_id: tenantId })) as Array<Record<string, number>>;
  for (const row of members) {
    const shopper = { tenant_id: tenantId, shopper_id: row.shopper_id };
    const [sum] = await k('points_ledger')
      .where(shopper)
      .select(k.raw('coalesce(sum(available),0) a, coalesce(sum(frozen),0) f, coalesce(sum(debt),0) d'));
    const [lots] = await k('points_lots')
      .where(shopper)
      .select(
        k.raw(
          'coalesce(sum(case when frozen then remaining else 0 end),0) f, coalesce(sum(case when frozen then 0 else remaining end),0) a',
        ),
      );
    expect({ a: Number(sum.a), f: Number(sum.f), d: Number(sum.d) }).toEqual({
      a: Number(row.points),
      f: Number(row.points_frozen),
      d: Number(row.points_debt),
    });
    expect({ a: Number(lots.a), f: Number(lots.f) }).toEqual({
      a: Number(row.points),
      f: Number(row.points_frozen),
    });
    expect(Number(row.points) > 0 && Number(row.points_debt) > 0).toBe(false);
  }
}

describe('points through an order’s life', () => {
  it('earned frozen on payment, released after the after-sales window, spent at checkout, returned on cancel', async () => {
    const { skuId } = await product(t, s, 50, 10_000);
    const b = await buyer(t, s);
    const first = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await payAndReceive(s, b.token, first.id);
    // ¥200 of goods at 1 point per ¥1: 200 points, frozen.
    expect((await centre(b.token)).points).toEqual({ available: 0, frozen: 200, debt: 0 });
    await later(14 * DAY);
    expect((await centre(b.token)).points.frozen).toBe(200);
    expect((await later(2 * DAY)).released).toBeGreaterThanOrEqual(1);
    expect((await centre(b.token)).points).toEqual({ available: 200, frozen: 0, debt: 0 });

    // 100 points = ¥1, at most half of the goods: a ¥100 order may take ¥2 (all 200 points).
    const preview = await t.api
      .post(s.url('/checkout/preview'))
      .set(bearer(b.token))
      .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId, usePoints: true })
      .expect(200);
    expect(preview.body.points).toEqual({ available: 200, usable: 200, usableFen: 200, used: 200 });
    expect(preview.body.discounts).toContainEqual(expect.objectContaining({ source: 'points', name: '200', fen: 200 }));
    const order = await t.api
      .post(s.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `points-order-${first.id}`)
      .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId, usePoints: true })
      .expect(201);
    expect(order.body.totalFen).toBe(preview.body.totalFen);
    expect((await centre(b.token)).points.available).toBe(0);

    await t.api
      .post(s.url(`/orders/${order.body.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(200);
    expect((await centre(b.token)).points.available).toBe(200);
    const ledger = (await t.api.get(s.url('/member/points')).set(bearer(b.token)).expect(200)).body.items;
    expect(ledger.map((e: { kind: string }) => e.kind)).toEqual([
      'order_returned',
      'order_spent',
      'order_released',
      'order_earned',
    ]);
    await invariants(s.shop.id);
  });

  it('a refund takes back its share; points already spent become a debt that new points settle first', async () => {
    const { skuId } = await product(t, s, 50, 10_000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 3 }]);
    await payAndReceive(s, b.token, order.id);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 10_000, reason: '退一件' })
      .expect(201);
    // A third refunded: 100 of the 300 frozen points go back.
    expect((await centre(b.token)).points).toEqual({ available: 0, frozen: 200, debt: 0 });
    await later(16 * DAY);
    expect((await centre(b.token)).points.available).toBe(200);

    // Spend them all (the merchant takes them), then refund the rest: 200 points are owed.
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(s.merchant))
      .send({ delta: -200, reason: '兑换礼品' })
      .expect(200);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 20_000, reason: '全部退货' })
      .expect(201);
    expect((await centre(b.token)).points).toEqual({ available: 0, frozen: 0, debt: 200 });

    // The next points settle the debt before the shopper sees any.
    const signed = await t.api.post(s.url('/member/sign-ins')).set(bearer(b.token)).expect(201);
    expect(signed.body.points).toBe(5);
    expect(signed.body.centre.points).toEqual({ available: 0, frozen: 0, debt: 195 });
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(s.merchant))
      .send({ delta: 500, reason: '补偿' })
      .expect(200);
    expect((await centre(b.token)).points).toEqual({ available: 305, frozen: 0, debt: 0 });
    await invariants(s.shop.id);
  });

  it('two checkouts racing for the same points: one spends them, the other is refused and places nothing', async () => {
    const { skuId } = await product(t, s, 50, 10_000);
    const b = await buyer(t, s);
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(s.merchant))
      .send({ delta: 1000, reason: '活动赠送' })
      .expect(200);
    const place = (key: string) =>
      t.api
        .post(s.url('/orders'))
        .set(bearer(b.token))
        .set('Idempotency-Key', key)
        .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId, usePoints: true });
    // No more racers than a shopper may hold unpaid orders (5): a racer priced after the winner wrote its order places
    // one without points, and a sixth would be refused for the unpaid count instead.
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => place(`race-${b.shopperId}-${i}`)));
    const placed = results.filter((r) => r.status === 201);
    // Each order may take ¥50 (half of ¥100) = 5,000 points; 1,000 points pay ¥10 once.
    const withPoints = placed.filter((r) => r.body.discounts.some((d: { source: string }) => d.source === 'points'));
    expect(withPoints).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.error.reason).toMatch(/POINTS_CHANGED|PRICE_CHANGED/);
    expect((await centre(b.token)).points.available).toBe(0);
    await invariants(s.shop.id);
  });

  it('levels: growth from paid orders places the member, and the member price is taken at checkout', async () => {
    const shop = await sellingShop(t);
    await t.api
      .post(m('/member-levels'))
      .set(bearer(shop.merchant))
      .send({ name: '普通会员', growthThreshold: 0, discountPercent: 100 })
      .expect(201);
    const gold = await t.api
      .post(m('/member-levels'))
      .set(bearer(shop.merchant))
      .send({ name: '黄金会员', growthThreshold: 150, discountPercent: 90 })
      .expect(201);
    await t.api
      .post(m('/member-levels'))
      .set(bearer(shop.merchant))
      .send({ name: '重复', growthThreshold: 150, discountPercent: 80 })
      .expect(409)
      .expect((r) => expect(r.body.error.reason).toBe('MEMBER_LEVEL_THRESHOLD_TAKEN'));
    const { skuId } = await product(t, shop, 50, 10_000);
    const b = await buyer(t, shop);
    expect((await centre(b.token, shop)).level).toMatchObject({ name: '普通会员' });
    const order = await placeOrder(t, shop, b, [{ skuId, quantity: 2 }]);
    expect(order.totalFen).toBe(20_000);
    await paySandbox(t, shop, b.token, order.id);
    const c = await centre(b.token, shop);
    expect(c).toMatchObject({ growth: 200, level: { name: '黄金会员', discountPercent: 90 }, nextLevel: null });
    const second = await placeOrder(t, shop, b, [{ skuId, quantity: 1 }]);
    expect(second.totalFen).toBe(9_000);
    const detail = await t.api
      .get(shop.url(`/orders/${second.id}`))
      .set(bearer(b.token))
      .expect(200);
    expect(detail.body.discounts).toEqual([
      { source: 'member_price', sourceId: gold.body.id, name: '黄金会员', fen: 1_000 },
    ]);
    const levels = (await t.api.get(m('/member-levels')).set(bearer(shop.merchant)).expect(200)).body;
    expect(levels.map((l: { name: string; members: number }) => [l.name, l.members])).toEqual([
      ['普通会员', 0],
      ['黄金会员', 1],
    ]);
    // Raising the threshold above the member's growth places them back down.
    await t.api
      .put(m(`/member-levels/${gold.body.id}`))
      .set(bearer(shop.merchant))
      .send({ name: '黄金会员', growthThreshold: 500, discountPercent: 90 })
      .expect(200);
    expect((await centre(b.token, shop)).level).toMatchObject({ name: '普通会员' });
    // A full refund takes the growth back.
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(shop.merchant))
      .send({ amountFen: 20_000, reason: '退款' })
      .expect(201);
    expect((await centre(b.token, shop)).growth).toBe(0);
  });

  it('points of a batch expire at the end of their validity', async () => {
    const shop = await sellingShop(t);
    const b = await buyer(t, shop);
    await t.api
      .put(m('/member-settings'))
      .set(bearer(shop.merchant))
      .send({
        pointsEnabled: true,
        earnPointsPerYuan: 1,
        pointsPerYuan: 100,
        maxDeductPercent: 50,
        pointsValidMonths: 1,
        signInRewards: [7],
        growthPerYuan: 1,
      })
      .expect(200);
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(shop.merchant))
      .send({ delta: 40, reason: '赠送' })
      .expect(200);
    expect((await centre(b.token, shop)).expiring).toBeNull();
    t.clock.set(new Date(t.clock.now().getTime() + 5 * DAY).toISOString());
    expect((await centre(b.token, shop)).expiring).toMatchObject({ points: 40 });
    t.clock.set(new Date(t.clock.now().getTime() + 27 * DAY).toISOString());
    expect((await centre(b.token, shop)).points.available).toBe(0);
    const done = await t.platform.services.memberSweeps.expireDue(systemCtx(t, shop.shop.id));
    expect(done.points).toBeGreaterThanOrEqual(40);
    const ledger = (await t.api.get(shop.url('/member/points')).set(bearer(b.token)).expect(200)).body.items;
    expect(ledger[0]).toMatchObject({ kind: 'expired', available: -40 });
    await invariants(shop.shop.id);
  });
});

describe('sign-in', () => {
  it('50 concurrent sign-ins on one day give one reward; the streak grows day by day', async () => {
    const shop = await sellingShop(t);
    const [one] = await manyShoppers(t, shop.shop.id, 1);
    const taps = await Promise.all(
      Array.from({ length: 50 }, () => t.api.post(shop.url('/member/sign-ins')).set(bearer(one!.token))),
    );
    expect(taps.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = taps.filter((r) => r.status === 409);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.body.error.reason).toBe('SIGNED_IN_TODAY');
    const rows = await t.platform.knex('sign_ins').where({ tenant_id: shop.shop.id, shopper_id: one!.shopperId });
    expect(rows).toHaveLength(1);
    const ledger = await t.platform
      .knex('points_ledger')
      .where({ tenant_id: shop.shop.id, shopper_id: one!.shopperId });
    expect(ledger.map((e) => [e.kind, Number(e.available)])).toEqual([['sign_in', 5]]);

    t.clock.set(new Date(t.clock.now().getTime() + DAY).toISOString());
    const second = await t.api.post(shop.url('/member/sign-ins')).set(bearer(one!.token)).expect(201);
    expect(second.body).toMatchObject({ streak: 2, points: 5 });
    t.clock.set(new Date(t.clock.now().getTime() + DAY).toISOString());
    const third = await t.api.post(shop.url('/member/sign-ins')).set(bearer(one!.token)).expect(201);
    expect(third.body).toMatchObject({ streak: 3, points: 10, centre: { signIn: { signedToday: true, streak: 3 } } });
    // A day missed starts the streak again.
    t.clock.set(new Date(t.clock.now().getTime() + 2 * DAY).toISOString());
    expect((await centre(one!.token, shop)).signIn).toMatchObject({ signedToday: false, streak: 0, todayReward: 5 });
    await invariants(shop.shop.id);
  });
});

describe('favourites and history', () => {
  it('a favourite once per product, listed newest first; the history keeps the latest products seen', async () => {
    const a = await product(t, s, 5);
    const c = await product(t, s, 5);
    const b = await buyer(t, s);
    await t.api
      .put(s.url(`/favourites/${a.productId}`))
      .set(bearer(b.token))
      .expect(200, { favourite: true });
    await t.api
      .put(s.url(`/favourites/${a.productId}`))
      .set(bearer(b.token))
      .expect(200, { favourite: true });
    await t.api
      .put(s.url(`/favourites/${c.productId}`))
      .set(bearer(b.token))
      .expect(200);
    await t.api.put(s.url('/favourites/999999999')).set(bearer(b.token)).expect(404);
    const list = (await t.api.get(s.url('/favourites')).set(bearer(b.token)).expect(200)).body;
    expect(list.total).toBe(2);
    expect(list.items.map((i: { productId: number }) => i.productId).sort()).toEqual([a.productId, c.productId].sort());
    expect(list.items[0].card).toMatchObject({ id: expect.any(Number), priceFen: 1000 });
    await t.api
      .delete(s.url(`/favourites/${a.productId}`))
      .set(bearer(b.token))
      .expect(200, { favourite: false });
    await t.api
      .get(s.url(`/favourites/${a.productId}`))
      .set(bearer(b.token))
      .expect(200, { favourite: false });
    expect((await centre(b.token)).favourites).toBe(1);

    await t.api.post(s.url('/history')).set(bearer(b.token)).send({ productId: a.productId }).expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 1000).toISOString());
    await t.api.post(s.url('/history')).set(bearer(b.token)).send({ productId: c.productId }).expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 1000).toISOString());
    await t.api.post(s.url('/history')).set(bearer(b.token)).send({ productId: a.productId }).expect(200);
    const seen = (await t.api.get(s.url('/history')).set(bearer(b.token)).expect(200)).body;
    expect(seen.items.map((i: { productId: number }) => i.productId)).toEqual([a.productId, c.productId]);
    await t.api.delete(s.url('/history')).set(bearer(b.token)).expect(200);
    expect((await t.api.get(s.url('/history')).set(bearer(b.token)).expect(200)).body.total).toBe(0);
  });
});

describe('the merchant’s members', () => {
  it('lists members with their figures, searches by phone, adjusts points with a reason (audited)', async () => {
    const shop = await sellingShop(t);
    const { skuId } = await product(t, shop, 10, 5_000);
    const b = await buyer(t, shop);
    const order = await placeOrder(t, shop, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, shop, b.token, order.id);
    const list = (await t.api.get(m('/members?sort=spend')).set(bearer(shop.merchant)).expect(200)).body;
    expect(list.items[0]).toMatchObject({
      shopperId: b.shopperId,
      orders: 1,
      spendFen: 5_000,
      growth: 50,
      points: { available: 0, frozen: 50, debt: 0 },
      phoneMasked: expect.stringMatching(/\*{4}/),
    });
    const phone = (await t.platform.knex('shoppers').where({ id: b.shopperId }).first()).phone as string;
    const found = (
      await t.api
        .get(m(`/members?q=${phone.slice(-4)}`))
        .set(bearer(shop.merchant))
        .expect(200)
    ).body;
    expect(found.items.map((i: { shopperId: number }) => i.shopperId)).toContain(b.shopperId);

    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(shop.merchant))
      .send({ delta: -1, reason: '扣减' })
      .expect(409)
      .expect((r) => expect(r.body.error).toMatchObject({ reason: 'POINTS_NOT_ENOUGH', params: { available: 0 } }));
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(shop.merchant))
      .send({ delta: 0, reason: '零' })
      .expect(400);
    const adjusted = await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(shop.merchant))
      .send({ delta: 88, reason: '客诉补偿' })
      .expect(200);
    expect(adjusted.body.points.available).toBe(88);
    const entries = (
      await t.api
        .get(m(`/members/${b.shopperId}/points`))
        .set(bearer(shop.merchant))
        .expect(200)
    ).body;
    expect(entries.items[0]).toMatchObject({ kind: 'adjusted', available: 88, reason: '客诉补偿' });
    const audit = (await t.api.get(m('/audit-log')).set(bearer(shop.merchant)).expect(200)).body.items;
    expect(audit[0]).toMatchObject({
      action: 'member.points.adjust',
      targetType: 'member',
      targetId: String(b.shopperId),
    });
  });

  it('another shop can neither read nor change a member, a level, or use a product of this shop', async () => {
    const other = await sellingShop(t);
    const b = await buyer(t, s);
    const level = await t.api
      .post(m('/member-levels'))
      .set(bearer(s.merchant))
      .send({ name: `仅本店${b.shopperId}`, growthThreshold: 100_000 + b.shopperId, discountPercent: 95 })
      .expect(201);
    await t.api
      .get(m(`/members/${b.shopperId}`))
      .set(bearer(other.merchant))
      .expect(404);
    await t.api
      .get(m(`/members/${b.shopperId}/points`))
      .set(bearer(other.merchant))
      .expect(404);
    await t.api
      .post(m(`/members/${b.shopperId}/points`))
      .set(bearer(other.merchant))
      .send({ delta: 100, reason: '越权' })
      .expect(404);
    await t.api
      .put(m(`/member-levels/${level.body.id}`))
      .set(bearer(other.merchant))
      .send({ name: '改', growthThreshold: 1, discountPercent: 50 })
      .expect(404);
    await t.api
      .delete(m(`/member-levels/${level.body.id}`))
      .set(bearer(other.merchant))
      .expect(404);
    const theirs = (await t.api.get(m('/members')).set(bearer(other.merchant)).expect(200)).body.items;
    expect(theirs.map((i: { shopperId: number }) => i.shopperId)).not.toContain(b.shopperId);
    expect((await t.api.get(m('/member-levels')).set(bearer(other.merchant)).expect(200)).body).toEqual([]);
    expect(await t.platform.knex('points_ledger').where({ shopper_id: b.shopperId })).toEqual([]);

    // A shopper of the other shop: this shop's product is not theirs to keep, and this shop's centre not theirs.
    const { productId } = await product(t, s, 5);
    const stranger = await buyer(t, other);
    await t.api
      .put(other.url(`/favourites/${productId}`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api.post(other.url('/history')).set(bearer(stranger.token)).send({ productId }).expect(404);
    await t.api.get(s.url('/member')).set(bearer(stranger.token)).expect(403);
    await t.api
      .delete(m(`/member-levels/${level.body.id}`))
      .set(bearer(s.merchant))
      .expect(200);
  });
});
