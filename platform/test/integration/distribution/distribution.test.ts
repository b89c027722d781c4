import type { DistributionSettings } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';
import { FakeWechatPay } from '../../fakes/wechatpay-server';
import { FakeWechatPayTransfers } from '../../fakes/wechatpay-transfers';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;
const DAY = 86_400_000;

const SETTINGS: DistributionSettings = {
  enabled: true,
  applyMode: 'auto',
  bindMode: 'first',
  protectDays: 15,
  level1Bp: 1000,
  level2Bp: 500,
  withdrawMinFen: 100,
};

async function distributionShop(over: Partial<DistributionSettings> = {}) {
  const s = await sellingShop(t);
  await t.api
    .put(m('/distribution/settings'))
    .set(bearer(s.merchant))
    .send({ ...SETTINGS, ...over })
    .expect(200);
  return s;
}

type Buyer = Awaited<ReturnType<typeof buyer>>;

async function distributor(s: SellingShop): Promise<Buyer> {
  const d = await buyer(t, s);
  await t.api.post(s.url('/distribution/apply')).set(bearer(d.token)).expect(200);
  return d;
}

/** `who` opens `sharer`'s share of a product: the arrival the shop sends with the code it landed on. */
async function arrive(s: SellingShop, sharer: Buyer, who: Buyer, productId: number) {
  const share = await t.api.post(s.url('/shares')).set(bearer(sharer.token)).send({ productId }).expect(200);
  return (
    await t.api.post(s.url('/distribution/arrivals')).set(bearer(who.token)).send({ code: share.body.code }).expect(200)
  ).body;
}

const centre = async (s: SellingShop, who: Buyer) =>
  (await t.api.get(s.url('/distribution')).set(bearer(who.token)).expect(200)).body;

async function payAndReceive(s: SellingShop, b: Buyer, orderId: number) {
  await paySandbox(t, s, b.token, orderId);
  await t.api
    .post(m(`/orders/${orderId}/ship`))
    .set(bearer(s.merchant))
    .send({ carrier: 'SF', trackingNo: `SF${Date.now()}${orderId}` })
    .expect(200);
  await t.api
    .post(s.url(`/orders/${orderId}/confirm-receipt`))
    .set(bearer(b.token))
    .expect(200);
}

async function later(s: SellingShop, ms: number) {
  t.clock.set(new Date(t.clock.now().getTime() + ms).toISOString());
  return t.platform.services.distributionSweeps.releaseDue(systemCtx(t, s.shop.id));
}

/** Per distributor: each part's ledger sum is its balance; the money is what was earned less what was taken back. */
async function invariants(tenantId: number) {
  const k = t.platform.knex;
  for (const d of await k('distributors').where({ tenant_id: tenantId })) {
    const where = { tenant_id: tenantId, distributor_id: d.shopper_id };
    const [sum] = await k('commission_ledger')
      .where(where)
      .select(
        k.raw(
          'coalesce(sum(available_fen),0) a, coalesce(sum(frozen_fen),0) f, coalesce(sum(withdrawing_fen),0) w, coalesce(sum(debt_fen),0) d',
        ),
      );
    expect({ a: Number(sum.a), f: Number(sum.f), w: Number(sum.w), d: Number(sum.d) }).toEqual({
      a: Number(d.available_fen),
      f: Number(d.frozen_fen),
      w: Number(d.withdrawing_fen),
      d: Number(d.debt_fen),
    });
    const [earned] = await k('commissions')
      .where(where)
      .select(
        k.raw(
          "coalesce(sum(amount_fen - taken_back_fen),0) net, coalesce(sum(case when state = 'frozen' then amount_fen - taken_back_fen else 0 end),0) frozen",
        ),
      );
    expect(Number(earned.frozen)).toBe(Number(d.frozen_fen));
    expect(
      Number(d.frozen_fen) +
        Number(d.available_fen) +
        Number(d.withdrawing_fen) +
        Number(d.withdrawn_fen) -
        Number(d.debt_fen),
    ).toBe(Number(earned.net));
    expect(Number(d.available_fen) > 0 && Number(d.debt_fen) > 0).toBe(false);
  }
}

describe('share → bind → buy → commission frozen → released → withdrawn', () => {
  it('pays two levels, never a third, releases after the window, and withdraws by hand', async () => {
    const s = await distributionShop();
    const { productId, skuId } = await product(t, s, 50, 10_000);
    const top = await distributor(s);
    const mid = await distributor(s);
    // mid is brought by top; the buyer by mid; a fourth shopper by the buyer (not a distributor).
    expect((await arrive(s, top, mid, productId)).bound).toBe(true);
    const b = await buyer(t, s);
    expect(await arrive(s, mid, b, productId)).toMatchObject({ bound: true, boundTo: { shopperId: mid.shopperId } });

    const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await payAndReceive(s, b, order.id);
    // ¥200 paid: 10 % to mid (level 1), 5 % to top (level 2).
    expect((await centre(s, mid)).me.balance).toMatchObject({ frozenFen: 2_000, availableFen: 0 });
    expect((await centre(s, top)).me.balance).toMatchObject({ frozenFen: 1_000, availableFen: 0 });
    const rows = await t.platform.knex('commissions').where({ tenant_id: s.shop.id, order_id: order.id });
    expect(rows.map((r) => [Number(r.level), Number(r.distributor_id)]).sort()).toEqual(
      [
        [1, mid.shopperId],
        [2, top.shopperId],
      ].sort(),
    );
    // The schema refuses a third level.
    await expect(
      t.platform.knex('commissions').insert({
        tenant_id: s.shop.id,
        order_id: order.id,
        distributor_id: b.shopperId,
        buyer_id: b.shopperId,
        level: 3,
        base_fen: 1,
        amount_fen: 1,
        state: 'frozen',
        created_at: new Date(),
      }),
    ).rejects.toThrow();

    await later(s, 14 * DAY);
    expect((await centre(s, mid)).me.balance.frozenFen).toBe(2_000);
    await later(s, 2 * DAY);
    expect((await centre(s, mid)).me.balance).toMatchObject({ frozenFen: 0, availableFen: 2_000 });

    const w = await t.api
      .post(s.url('/distribution/withdrawals'))
      .set(bearer(mid.token))
      .send({ amountFen: 2_000 })
      .expect(201);
    expect(w.body).toMatchObject({ status: 'requested', amountFen: 2_000 });
    expect((await centre(s, mid)).me.balance).toMatchObject({ availableFen: 0, withdrawingFen: 2_000 });
    const paid = await t.api
      .post(m(`/distribution/withdrawals/${w.body.id}/approve`))
      .set(bearer(s.merchant))
      .send({ method: 'manual' })
      .expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', method: 'manual' });
    expect((await centre(s, mid)).me.balance).toMatchObject({ withdrawingFen: 0, withdrawnFen: 2_000 });
    await t.api
      .post(m(`/distribution/withdrawals/${w.body.id}/approve`))
      .set(bearer(s.merchant))
      .send({ method: 'manual' })
      .expect(409)
      .expect((r) => expect(r.body.error.reason).toBe('WITHDRAWAL_NOT_WAITING'));

    const team = (await t.api.get(s.url('/distribution/team?level=2')).set(bearer(top.token)).expect(200)).body;
    expect(team.items.map((i: { shopperId: number }) => i.shopperId)).toEqual([b.shopperId]);
    const listed = (await t.api.get(m('/distributors')).set(bearer(s.merchant)).expect(200)).body.items;
    expect(listed.find((d: { shopperId: number }) => d.shopperId === top.shopperId).team).toEqual({
      level1: 1,
      level2: 1,
    });
    expect(listed.find((d: { shopperId: number }) => d.shopperId === mid.shopperId).team).toEqual({
      level1: 1,
      level2: 0,
    });
    const overview = (await t.api.get(m('/distribution/overview')).set(bearer(s.merchant)).expect(200)).body;
    expect(overview).toMatchObject({ distributors: 2, attributedOrders: 1, withdrawnFen: 2_000, frozenFen: 0 });
    await invariants(s.shop.id);
  });

  it('a refund takes back its share; after a withdrawal the rest is a debt the next commission settles', async () => {
    const s = await distributionShop({ level2Bp: 0 });
    const { productId, skuId } = await product(t, s, 50, 10_000);
    const d = await distributor(s);
    const b = await buyer(t, s);
    await arrive(s, d, b, productId);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
    await payAndReceive(s, b, order.id);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 5_000, reason: '差价' })
      .expect(201);
    expect((await centre(s, d)).me.balance.frozenFen).toBe(1_500);
    await later(s, 16 * DAY);
    await t.api.post(s.url('/distribution/withdrawals')).set(bearer(d.token)).send({ amountFen: 1_500 }).expect(201);
    const [w] = (await t.api.get(m('/distribution/withdrawals?status=requested')).set(bearer(s.merchant)).expect(200))
      .body.items;
    await t.api
      .post(m(`/distribution/withdrawals/${w.id}/approve`))
      .set(bearer(s.merchant))
      .send({ method: 'manual' })
      .expect(200);
    await t.api
      .post(m(`/orders/${order.id}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 15_000, reason: '全部退货' })
      .expect(201);
    expect((await centre(s, d)).me.balance).toMatchObject({ availableFen: 0, debtFen: 1_500, withdrawnFen: 1_500 });

    const next = await placeOrder(t, s, b, [{ skuId, quantity: 3 }]);
    await payAndReceive(s, b, next.id);
    await later(s, 16 * DAY);
    expect((await centre(s, d)).me.balance).toMatchObject({ availableFen: 1_500, debtFen: 0 });
    await invariants(s.shop.id);
  });

  it('two withdrawals of the whole balance at once: one is taken, the other refused', async () => {
    const s = await distributionShop({ level2Bp: 0 });
    const { productId, skuId } = await product(t, s, 50, 10_000);
    const d = await distributor(s);
    const b = await buyer(t, s);
    await arrive(s, d, b, productId);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await payAndReceive(s, b, order.id);
    await later(s, 16 * DAY);
    const tries = await Promise.all(
      [1, 2].map(() => t.api.post(s.url('/distribution/withdrawals')).set(bearer(d.token)).send({ amountFen: 1_000 })),
    );
    expect(tries.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(tries.find((r) => r.status === 409)!.body.error).toMatchObject({
      reason: 'COMMISSION_NOT_ENOUGH',
      params: { available: '0.00' },
    });
    expect((await centre(s, d)).me.balance).toMatchObject({ availableFen: 0, withdrawingFen: 1_000 });
    await invariants(s.shop.id);
  });
});

describe('withdrawals paid by WeChat Pay’s transfer to the distributor’s change', () => {
  it('pays once the distributor confirms receipt; a failed transfer gives the money back', async () => {
    const transfers = new FakeWechatPayTransfers(t.wechatpay, t.clock.now);
    const s = await distributionShop({ level2Bp: 0 });
    const { productId, skuId } = await product(t, s, 50, 10_000);
    const d = await distributor(s);
    const b = await buyer(t, s);
    await arrive(s, d, b, productId);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 3 }]);
    await payAndReceive(s, b, order.id);
    await later(s, 16 * DAY);
    const ask = async (amountFen: number) =>
      (await t.api.post(s.url('/distribution/withdrawals')).set(bearer(d.token)).send({ amountFen }).expect(201)).body;
    const first = await ask(1_000);

    // In test mode (no WeChat Pay merchant of its own) the shop can only pay by hand.
    const approve = (id: number) =>
      t.api
        .post(m(`/distribution/withdrawals/${id}/approve`))
        .set(bearer(s.merchant))
        .send({ method: 'wechat' });
    expect((await approve(first.id)).body.error.reason).toBe('WECHAT_TRANSFER_UNAVAILABLE');
    const creds = FakeWechatPay.merchantCredentials();
    t.wechatpay.registerMerchant(creds);
    await t.api
      .put(m('/payment-settings/wechat'))
      .set(bearer(s.merchant))
      .send({
        mode: 'merchant',
        appId: 'wxd1234567890abcde',
        mchId: creds.mchid,
        serialNo: creds.serialNo,
        privateKey: creds.privateKeyPem,
        apiV3Key: creds.apiV3Key,
        publicKeyId: t.wechatpay.publicKeyId,
        publicKey: t.wechatpay.publicKeyPem,
      })
      .expect(200);
    await t.api.put(m('/payment-settings/mode')).set(bearer(s.merchant)).send({ testMode: false }).expect(200);
    // A distributor who never signed in with WeChat has no change to pay into.
    expect((await approve(first.id)).body.error.reason).toBe('WITHDRAWAL_NO_WECHAT');
    await t.platform
      .knex('shoppers')
      .where({ id: d.shopperId })
      .update({ openid: `o_dist_${d.shopperId}` });

    const paying = (await approve(first.id).expect(200)).body;
    expect(paying).toMatchObject({
      status: 'paying',
      method: 'wechat',
      packageInfo: expect.any(String),
      mchId: creds.mchid,
    });
    // The distributor's list has what `wx.requestMerchantTransfer` takes to confirm receipt.
    const waiting = (await t.api.get(s.url('/distribution/withdrawals')).set(bearer(d.token)).expect(200)).body.items;
    expect(waiting[0]).toMatchObject({ id: first.id, packageInfo: paying.packageInfo, mchId: creds.mchid });
    expect(transfers.bills.size).toBe(1);
    await approve(first.id).expect(409);
    // Asked again before the distributor confirms: still on its way, and no second bill.
    await t.platform.services.distributionSweeps.syncTransfers(systemCtx(t, s.shop.id));
    expect(transfers.bills.size).toBe(1);
    transfers.confirm(first.billNo);
    await t.platform.services.distributionSweeps.syncTransfers(systemCtx(t, s.shop.id));
    const mine = (await t.api.get(s.url('/distribution/withdrawals')).set(bearer(d.token)).expect(200)).body.items;
    expect(mine[0]).toMatchObject({
      id: first.id,
      status: 'paid',
      transferBillNo: paying.transferBillNo,
      packageInfo: null,
      mchId: null,
    });
    expect((await centre(s, d)).me.balance).toMatchObject({ withdrawnFen: 1_000, availableFen: 2_000 });

    const second = await ask(2_000);
    await approve(second.id).expect(200);
    transfers.failBill(second.billNo, 'PAYEE_ACCOUNT_ABNORMAL');
    await t.platform.services.distributionSweeps.syncTransfers(systemCtx(t, s.shop.id));
    const failed = (await t.api.get(m('/distribution/withdrawals')).set(bearer(s.merchant)).expect(200)).body.items[0];
    expect(failed).toMatchObject({ id: second.id, status: 'failed', reason: 'PAYEE_ACCOUNT_ABNORMAL' });
    expect((await centre(s, d)).me.balance).toMatchObject({
      availableFen: 2_000,
      withdrawingFen: 0,
      withdrawnFen: 1_000,
    });
    await invariants(s.shop.id);
  });
});

describe('binding rules', () => {
  it('first sharer wins through the protection period; the latest rule moves the binding; no loops or self', async () => {
    const s = await distributionShop({ protectDays: 7 });
    const { productId } = await product(t, s, 5);
    const a = await distributor(s);
    const c = await distributor(s);
    const b = await buyer(t, s);
    expect(await arrive(s, a, b, productId)).toMatchObject({ bound: true, boundTo: { shopperId: a.shopperId } });
    expect(await arrive(s, c, b, productId)).toMatchObject({ bound: false, boundTo: { shopperId: a.shopperId } });
    t.clock.set(new Date(t.clock.now().getTime() + 8 * DAY).toISOString());
    expect(await arrive(s, c, b, productId)).toMatchObject({ bound: true, boundTo: { shopperId: c.shopperId } });
    // Self, and a loop (c is not bound to a, but a to nobody: a arriving through c is fine; c through a would loop? no)
    expect(await arrive(s, a, a, productId)).toMatchObject({ bound: false, boundTo: null });
    expect(await arrive(s, c, a, productId)).toMatchObject({ bound: true, boundTo: { shopperId: c.shopperId } });
    expect(await arrive(s, a, c, productId)).toMatchObject({ bound: false, boundTo: null });
    const log = await t.platform
      .knex('distribution_binding_log')
      .where({ tenant_id: s.shop.id })
      .orderBy('id')
      .select('decision');
    expect(log.map((r) => r.decision)).toEqual(['bound', 'kept', 'moved', 'self', 'bound', 'loop']);

    const latest = await distributionShop({ bindMode: 'latest' });
    const p2 = await product(t, latest, 5);
    const x = await distributor(latest);
    const y = await distributor(latest);
    const z = await buyer(t, latest);
    await arrive(latest, x, z, p2.productId);
    expect(await arrive(latest, y, z, p2.productId)).toMatchObject({
      bound: true,
      boundTo: { shopperId: y.shopperId },
    });
  });

  it('applications wait for the merchant in approval mode; a shopper who is not a distributor binds nobody', async () => {
    const s = await distributionShop({ applyMode: 'approval' });
    const { productId } = await product(t, s, 5);
    const d = await buyer(t, s);
    const applied = await t.api.post(s.url('/distribution/apply')).set(bearer(d.token)).expect(200);
    expect(applied.body.me.status).toBe('pending');
    const b = await buyer(t, s);
    expect((await arrive(s, d, b, productId)).bound).toBe(false);
    await t.api
      .post(m(`/distributors/${d.shopperId}/reject`))
      .set(bearer(s.merchant))
      .send({ reason: '资料不全' })
      .expect(200);
    await t.api.post(s.url('/distribution/apply')).set(bearer(d.token)).expect(200);
    const approved = await t.api
      .post(m(`/distributors/${d.shopperId}/approve`))
      .set(bearer(s.merchant))
      .expect(200);
    expect(approved.body.status).toBe('approved');
    await t.api
      .post(m(`/distributors/${d.shopperId}/approve`))
      .set(bearer(s.merchant))
      .expect(409)
      .expect((r) =>
        expect(r.body.error).toMatchObject({ reason: 'DISTRIBUTOR_NOT_PENDING', params: { status: 'approved' } }),
      );
    expect((await arrive(s, d, b, productId)).bound).toBe(true);
    const audit = (await t.api.get(m('/audit-log')).set(bearer(s.merchant)).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['distributor.reject', 'distributor.approve', 'distribution.settings.update']),
    );
  });
});

describe('isolation', () => {
  it('another shop can neither see nor change distributors, rules, commission or withdrawals', async () => {
    const s = await distributionShop();
    const other = await distributionShop();
    const { productId } = await product(t, s, 5);
    const d = await distributor(s);
    await t.api
      .put(m(`/distribution/rules/${productId}`))
      .set(bearer(s.merchant))
      .send({ level1Bp: 2000, level2Bp: 0 })
      .expect(200);
    await t.api
      .put(m(`/distribution/rules/${productId}`))
      .set(bearer(other.merchant))
      .send({ level1Bp: 1, level2Bp: 0 })
      .expect(404);
    await t.api
      .delete(m(`/distribution/rules/${productId}`))
      .set(bearer(other.merchant))
      .expect(404);
    expect((await t.api.get(m('/distribution/rules')).set(bearer(other.merchant)).expect(200)).body).toEqual([]);
    await t.api
      .post(m(`/distributors/${d.shopperId}/disable`))
      .set(bearer(other.merchant))
      .send({ reason: '越权' })
      .expect(404);
    await t.api
      .get(m(`/distributors/${d.shopperId}/ledger`))
      .set(bearer(other.merchant))
      .expect(404);
    expect((await t.api.get(m('/distributors')).set(bearer(other.merchant)).expect(200)).body.total).toBe(0);
    // A shopper of the other shop cannot use this shop's share code or centre.
    const share = await t.api.post(s.url('/shares')).set(bearer(d.token)).send({ productId }).expect(200);
    const stranger = await buyer(t, other);
    await t.api
      .post(other.url('/distribution/arrivals'))
      .set(bearer(stranger.token))
      .send({ code: share.body.code })
      .expect(404);
    await t.api.get(s.url('/distribution')).set(bearer(stranger.token)).expect(403);
    await t.api
      .post(s.url('/distribution/withdrawals'))
      .set(bearer(stranger.token))
      .send({ amountFen: 100 })
      .expect(403);
    const ws = await t.platform.knex('withdrawals').where({ tenant_id: other.shop.id });
    expect(ws).toEqual([]);
  });
});
