import supertest from 'supertest';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';
import { manyBuyers } from '../../helpers/marketing';

let t: TestPlatform;
let s: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
});
afterAll(async () => {
  await t?.close();
});

type Buyer = { token: string; addressId: number; shopperId: number };

/** A running campaign for a new product of one SKU at ¥100 (group price ¥60 unless said). */
async function campaign(over: Record<string, unknown> = {}) {
  t.clock.set(new Date().toISOString());
  const p = await product(t, s, 1_000, 10_000);
  const at = t.clock.now().getTime();
  const res = await t.api
    .post('/merchant-api/v1/group-campaigns')
    .set(bearer(s.merchant))
    .send({
      name: `三人团 ${uid()}`,
      productId: p.productId,
      startsAt: new Date(at - 60_000).toISOString(),
      endsAt: new Date(at + 7 * 86_400_000).toISOString(),
      groupSize: 3,
      durationMinutes: 60,
      items: [{ skuId: p.skuId, groupPriceFen: 6_000 }],
      ...over,
    })
    .expect(201);
  return { ...p, campaign: res.body as { id: number; name: string } };
}

const join = (b: Buyer, campaignId: number, skuId: number, groupId?: number, key = `g-${uid()}`) =>
  supertest(t.app)
    .post(s.url(`/group-campaigns/${campaignId}/orders`))
    .set(bearer(b.token))
    .set('Idempotency-Key', key)
    .send({ skuId, quantity: 1, addressId: b.addressId, ...(groupId ? { groupId } : {}) });

const group = async (b: Buyer, id: number) =>
  (
    await t.api
      .get(s.url(`/groups/${id}`))
      .set(bearer(b.token))
      .expect(200)
  ).body;

const refundsOf = async (orderId: number) =>
  t.platform.knex('refunds').where({ tenant_id: s.shop.id, order_id: orderId });

const ship = (orderId: number) =>
  t.api
    .post(`/merchant-api/v1/orders/${orderId}/ship`)
    .set(bearer(s.merchant))
    .send({ carrier: 'SF', trackingNo: `SF${Date.now()}${Math.floor(Math.random() * 1e4)}` });

describe('a group buy', () => {
  it('opens when its leader pays, forms when its seats are paid, and only then its orders ship', async () => {
    const c = await campaign({ leaderDiscountFen: 500, groupSize: 2 });
    const [leader, friend, stranger] = [await buyer(t, s), await buyer(t, s), await buyer(t, s)];
    const first = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    expect(first).toMatchObject({
      activity: { kind: 'group_buy', waiting: true },
      itemsTotalFen: 10_000,
      discountFen: 4_500,
      discounts: [{ source: 'group_buy', sourceId: c.campaign.id, name: c.campaign.name, fen: 4_500 }],
    });
    const groupId = first.activity.id as number;
    // Not opened yet: only its leader sees it, and nobody can join.
    await t.api
      .get(s.url(`/groups/${groupId}`))
      .set(bearer(stranger.token))
      .expect(404);
    expect((await join(friend, c.campaign.id, c.skuId, groupId).expect(409)).body.error.reason).toBe('GROUP_CLOSED');
    await paySandbox(t, s, leader.token, first.id);
    const opened = await group(friend, groupId);
    expect(opened).toMatchObject({
      status: 'forming',
      size: 2,
      joined: 1,
      canJoin: true,
      mine: false,
      myOrderId: null,
      campaignName: c.campaign.name,
    });
    expect(await group(leader, groupId)).toMatchObject({ mine: true, myOrderId: first.id, canJoin: false });
    expect(opened.members).toEqual([expect.objectContaining({ leader: true, virtual: false })]);
    const shown = (await t.api.get(s.url(`/group-buys?productId=${c.productId}`)).expect(200)).body;
    expect(shown.campaign).toMatchObject({ id: c.campaign.id, groupSize: 2, leaderDiscountFen: 500 });
    expect(shown.openGroups.map((g: { id: number }) => g.id)).toContain(groupId);
    expect((await ship(first.id).expect(409)).body.error.reason).toBe('GROUP_NOT_FORMED');

    const second = (await join(friend, c.campaign.id, c.skuId, groupId).expect(201)).body;
    expect(second).toMatchObject({ totalFen: 6_000, activity: { kind: 'group_buy', id: groupId, waiting: true } });
    await paySandbox(t, s, friend.token, second.id);
    expect(await group(friend, groupId)).toMatchObject({ status: 'succeeded', joined: 2, mine: true, canJoin: false });
    const after = (
      await t.api
        .get(s.url(`/orders/${first.id}`))
        .set(bearer(leader.token))
        .expect(200)
    ).body;
    expect(after.activity).toEqual({ kind: 'group_buy', id: groupId, waiting: false });
    await ship(first.id).expect(200);
    // A formed group takes no one else.
    expect((await join(stranger, c.campaign.id, c.skuId, groupId).expect(409)).body.error.reason).toBe('GROUP_CLOSED');
  });

  it('100 shoppers race for the last seat: exactly one gets it, the group is never over-full', async () => {
    const c = await campaign({ groupSize: 3 });
    const [leader, friend] = [await buyer(t, s), await buyer(t, s)];
    const first = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    await paySandbox(t, s, leader.token, first.id);
    const groupId = first.activity.id as number;
    const second = (await join(friend, c.campaign.id, c.skuId, groupId).expect(201)).body;
    await paySandbox(t, s, friend.token, second.id);
    const racers = await manyBuyers(t, s.shop.id, 100);
    const results = await Promise.all(racers.map((r) => join(r, c.campaign.id, c.skuId, groupId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.reason).toBe('GROUP_FULL');
    const row = await t.platform.knex('group_buy_groups').where({ id: groupId }).first();
    expect({ seats: Number(row.seats), size: Number(row.size) }).toEqual({ seats: 3, size: 3 });
  });

  it('an unpaid seat is freed when its window closes; a shopper holds one seat per group and stays in the limit', async () => {
    const c = await campaign({ groupSize: 3, perShopperLimit: 1 });
    const [leader, slow, other] = [await buyer(t, s), await buyer(t, s), await buyer(t, s)];
    const first = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    await paySandbox(t, s, leader.token, first.id);
    const groupId = first.activity.id as number;
    const held = (await join(slow, c.campaign.id, c.skuId, groupId).expect(201)).body;
    expect(await group(other, groupId)).toMatchObject({ joined: 1, pending: 1 });
    expect((await join(slow, c.campaign.id, c.skuId, groupId).expect(409)).body.error.reason).toBe(
      'GROUP_ALREADY_JOINED',
    );
    expect((await join(slow, c.campaign.id, c.skuId).expect(409)).body.error).toMatchObject({
      reason: 'GROUP_LIMIT_REACHED',
      params: { limit: 1 },
    });
    t.clock.set(new Date(Date.parse(held.paymentDeadline) + 1).toISOString());
    expect(await t.platform.services.cancelOrder.closeIfExpired(systemCtx(t, s.shop.id), held.id)).toBe(true);
    expect(await group(other, groupId)).toMatchObject({ joined: 1, pending: 0, canJoin: true });
    // Its seat and its limit are free again.
    await join(slow, c.campaign.id, c.skuId, groupId).expect(201);
  });

  it('a group short at its end fails: every paid member refunded once, whatever the retries; an unpaid one cancelled', async () => {
    const c = await campaign({ groupSize: 4 });
    const [leader, friend, late] = [await buyer(t, s), await buyer(t, s), await buyer(t, s)];
    const first = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    await paySandbox(t, s, leader.token, first.id);
    const groupId = first.activity.id as number;
    const second = (await join(friend, c.campaign.id, c.skuId, groupId).expect(201)).body;
    await paySandbox(t, s, friend.token, second.id);
    const unpaid = (await join(late, c.campaign.id, c.skuId, groupId).expect(201)).body;
    const expiresAt = Date.parse((await group(friend, groupId)).expiresAt);
    t.clock.set(new Date(expiresAt - 1).toISOString());
    expect((await t.platform.services.groupBuy.end(systemCtx(t, s.shop.id), groupId)).outcome).toBe('nothing');
    t.clock.set(new Date(expiresAt + 1).toISOString());
    const ends = await Promise.all([
      t.platform.services.groupBuy.end(systemCtx(t, s.shop.id), groupId),
      t.platform.services.groupBuy.end(systemCtx(t, s.shop.id), groupId),
    ]);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'failed']);
    await t.platform.services.groupBuy.sweep(systemCtx(t, s.shop.id));
    for (const o of [first, second]) {
      const refunds = await refundsOf(o.id);
      expect(refunds).toHaveLength(1);
      expect(Number(refunds[0].amount_fen)).toBe(o.totalFen);
      const seen = (await t.api.get(`/merchant-api/v1/orders/${o.id}`).set(bearer(s.merchant)).expect(200)).body;
      expect(seen.status).toBe('cancelled');
    }
    const closed = (
      await t.api
        .get(s.url(`/orders/${unpaid.id}`))
        .set(bearer(late.token))
        .expect(200)
    ).body;
    expect(closed.status).toBe('cancelled');
    expect(await refundsOf(unpaid.id)).toHaveLength(0);
    expect(await group(friend, groupId)).toMatchObject({ status: 'failed', canJoin: false });
    // Nothing left to settle: the sweep finds the group done.
    expect(await t.platform.services.groupBuy.sweep(systemCtx(t, s.shop.id))).toMatchObject({ closed: 0 });
  });

  it('a group allowed a virtual fill forms at its end with virtual members, and its orders ship', async () => {
    const c = await campaign({ groupSize: 3, virtualFill: true });
    const leader = await buyer(t, s);
    const first = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    await paySandbox(t, s, leader.token, first.id);
    const groupId = first.activity.id as number;
    t.clock.set(new Date(Date.parse((await group(leader, groupId)).expiresAt) + 1).toISOString());
    expect((await t.platform.services.groupBuy.end(systemCtx(t, s.shop.id), groupId)).outcome).toBe('succeeded');
    const formed = await group(leader, groupId);
    expect(formed).toMatchObject({ status: 'succeeded', joined: 3 });
    expect(formed.members.filter((m: { virtual: boolean }) => m.virtual)).toHaveLength(2);
    await ship(first.id).expect(200);
    expect(await refundsOf(first.id)).toHaveLength(0);
  });
});

describe('campaigns', () => {
  it('refuse a group price not below the SKU’s, a product already in a campaign, and stay the shop’s own', async () => {
    const c = await campaign();
    const at = t.clock.now().getTime();
    const body = (over: Record<string, unknown>) => ({
      name: '两人团',
      productId: c.productId,
      startsAt: new Date(at).toISOString(),
      endsAt: new Date(at + 86_400_000).toISOString(),
      groupSize: 2,
      durationMinutes: 60,
      items: [{ skuId: c.skuId, groupPriceFen: 5_000 }],
      ...over,
    });
    const busy = await t.api
      .post('/merchant-api/v1/group-campaigns')
      .set(bearer(s.merchant))
      .send(body({}))
      .expect(409);
    expect(busy.body.error).toMatchObject({ reason: 'GROUP_PRODUCT_BUSY', params: { productId: c.productId } });
    const p = await product(t, s, 5, 2_000);
    const dear = await t.api
      .post('/merchant-api/v1/group-campaigns')
      .set(bearer(s.merchant))
      .send(body({ productId: p.productId, items: [{ skuId: p.skuId, groupPriceFen: 2_000 }] }))
      .expect(409);
    expect(dear.body.error).toMatchObject({ reason: 'GROUP_PRICE_NOT_BELOW', params: { skuId: p.skuId } });
    const leaderTakesAll = await t.api
      .post('/merchant-api/v1/group-campaigns')
      .set(bearer(s.merchant))
      .send(
        body({ productId: p.productId, leaderDiscountFen: 1_000, items: [{ skuId: p.skuId, groupPriceFen: 1_000 }] }),
      )
      .expect(409);
    expect(leaderTakesAll.body.error).toMatchObject({
      reason: 'GROUP_PRICE_NOT_ABOVE_LEADER_DISCOUNT',
      params: { skuId: p.skuId },
    });
    const bad = await t.api
      .post('/merchant-api/v1/group-campaigns')
      .set(bearer(s.merchant))
      .send(body({ productId: p.productId, groupSize: 11, items: [{ skuId: p.skuId, groupPriceFen: 1_000 }] }))
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');

    const other = await sellingShop(t);
    await t.api.get(`/merchant-api/v1/group-campaigns/${c.campaign.id}`).set(bearer(other.merchant)).expect(404);
    await t.api.post(`/merchant-api/v1/group-campaigns/${c.campaign.id}/stop`).set(bearer(other.merchant)).expect(404);
    await t.api
      .patch(`/merchant-api/v1/group-campaigns/${c.campaign.id}`)
      .set(bearer(other.merchant))
      .send({ name: '别人的' })
      .expect(404);
    const leader = await buyer(t, s);
    const started = (await join(leader, c.campaign.id, c.skuId).expect(201)).body;
    await paySandbox(t, s, leader.token, started.id);
    const theirs = await t.api.get('/merchant-api/v1/group-campaigns/groups').set(bearer(other.merchant)).expect(200);
    expect(theirs.body.total).toBe(0);
    const stranger = await buyer(t, other);
    // Through their own shop the campaign, its group and its SKU are not there; through this shop, their sign-in is not this shop's.
    await supertest(t.app)
      .post(other.url(`/group-campaigns/${c.campaign.id}/orders`))
      .set(bearer(stranger.token))
      .set('Idempotency-Key', `x-${uid()}`)
      .send({ skuId: c.skuId, quantity: 1, addressId: stranger.addressId, groupId: started.activity.id })
      .expect(409);
    await t.api
      .get(other.url(`/groups/${started.activity.id}`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .get(s.url(`/groups/${started.activity.id}`))
      .set(bearer(stranger.token))
      .expect(403);
    expect((await t.api.get(other.url('/groups')).set(bearer(stranger.token)).expect(200)).body.total).toBe(0);
    expect((await t.api.get(other.url(`/group-buys?productId=${c.productId}`)).expect(200)).body.campaign).toBeNull();
    expect((await t.platform.knex('group_buy_groups').where({ id: started.activity.id }).first()).seats).toBe(1);

    const stopped = await t.api
      .post(`/merchant-api/v1/group-campaigns/${c.campaign.id}/stop`)
      .set(bearer(s.merchant))
      .expect(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', displayStatus: 'stopped' });
    const me = await buyer(t, s);
    expect((await join(me, c.campaign.id, c.skuId).expect(409)).body.error.reason).toBe('GROUP_CAMPAIGN_NOT_RUNNING');
    const list = await t.api.get('/merchant-api/v1/group-campaigns?status=stopped').set(bearer(s.merchant)).expect(200);
    expect(list.body.items.map((x: { id: number }) => x.id)).toContain(c.campaign.id);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
  });
});
