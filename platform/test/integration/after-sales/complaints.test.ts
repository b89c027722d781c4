import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
let staff: string;
beforeAll(async () => {
  t = await startTestPlatform();
  staff = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(async () => {
  await t?.close();
});

const M = '/merchant-api/v1';
const P = '/platform-api/v1';
type Buyer = Awaited<ReturnType<typeof buyer>>;

/** A paid order of `quantity` units of a new ¥`priceFen` product at shop `s`. */
async function paidOrder(s: SellingShop, quantity: number, priceFen: number) {
  const item = await product(t, s, 50, priceFen);
  const by = await buyer(t, s);
  const order = (
    await t.api
      .post(s.url('/orders'))
      .set(bearer(by.token))
      .set('Idempotency-Key', `cp-${uid()}`)
      .send({ items: [{ skuId: item.skuId, quantity }], addressId: by.addressId })
      .expect(201)
  ).body as { id: number; orderNo: string; totalFen: number };
  await paySandbox(t, s, by.token, order.id);
  return { order, skuId: item.skuId, by };
}

/** A refund-only case on `quantity` units, refused by the merchant. */
async function refusedCase(s: SellingShop, by: Buyer, orderId: number, skuId: number, quantity: number) {
  const opened = (
    await t.api
      .post(s.url('/after-sales'))
      .set(bearer(by.token))
      .send({ orderId, skuId, quantity, kind: 'refund_only', reason: 'quality', description: '坏了' })
      .expect(201)
  ).body;
  await t.api
    .post(`${M}/after-sales/${opened.id}/refuse`)
    .set(bearer(s.merchant))
    .send({ note: '商品完好' })
    .expect(200);
  return opened as { id: number; caseNo: string };
}

const complain = (s: SellingShop, by: Buyer, body: Record<string, unknown>) =>
  t.api
    .post(s.url('/complaints'))
    .set(bearer(by.token))
    .send({ reason: 'refund_refused', statement: '商家拒绝退款，但商品确实有问题', ...body });

const decide = (id: number, body: Record<string, unknown>) =>
  t.api.post(`${P}/arbitration/${id}/decide`).set(bearer(staff)).send(body);

const merchantOrder = async (s: SellingShop, id: number) =>
  (await t.api.get(`${M}/orders/${id}`).set(bearer(s.merchant)).expect(200)).body;

describe('a complaint about a refused case, arbitrated', () => {
  it('both sides state their case; a refund of what the units paid refunds them and ends the case refunded', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 3, 1_000);
    const c = await refusedCase(s, by, order.id, skuId, 2);

    const filed = (await complain(s, by, { orderId: order.id, caseId: c.id, requestedFen: 2_000 }).expect(201)).body;
    expect(filed).toMatchObject({
      status: 'open',
      source: 'shop',
      caseId: c.id,
      caseNo: c.caseNo,
      orderNo: order.orderNo,
      requestedFen: 2_000,
      decision: null,
    });
    expect(filed.statements).toEqual([expect.objectContaining({ side: 'shopper' })]);
    // One open complaint per case.
    const twice = await complain(s, by, { orderId: order.id, caseId: c.id }).expect(409);
    expect(twice.body.error.reason).toBe('COMPLAINT_ALREADY_OPEN');

    // The merchant is told, and states the shop's side.
    const bell = (await t.api.get(`${M}/notifications`).set(bearer(s.merchant)).expect(200)).body;
    expect(bell.items.map((n: { textCode: string }) => n.textCode)).toContain('COMPLAINT_FILED');
    expect((await t.api.get(`${M}/complaints/counts`).set(bearer(s.merchant)).expect(200)).body.open).toBe(1);
    await t.api
      .post(`${M}/complaints/${filed.id}/statements`)
      .set(bearer(s.merchant))
      .send({ statement: '发货前已检查，附照片' })
      .expect(201);

    // The platform's queue shows it with both sides; the detail has the case history and the money.
    const queue = (await t.api.get(`${P}/arbitration`).set(bearer(staff)).expect(200)).body;
    const item = queue.items.find((i: { complaint: { id: number } }) => i.complaint.id === filed.id);
    expect(item).toMatchObject({ tenantId: s.shop.id, shopName: expect.any(String) });
    expect(item.complaint.statements.map((x: { side: string }) => x.side)).toEqual(['shopper', 'merchant']);
    const detail = (await t.api.get(`${P}/arbitration/${filed.id}`).set(bearer(staff)).expect(200)).body;
    expect(detail.case).toMatchObject({ id: c.id, status: 'refused' });
    expect(detail.case.history.map((h: { type: string }) => h.type)).toEqual(['request', 'refuse']);
    expect(detail.order).toMatchObject({ refundableFen: 3_000, refundedFen: 0, caseUnitsFen: 2_000 });

    // Decided twice at once: one refund.
    const results = await Promise.all(
      [0, 1, 2].map(() => decide(filed.id, { decision: 'refund', amountFen: 2_000, note: '商品有质量问题' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error.reason).toBe('COMPLAINT_NOT_OPEN');
    const after = await merchantOrder(s, order.id);
    expect(after).toMatchObject({ status: 'paid', refundedFen: 2_000 });
    expect(after.refunds).toHaveLength(1);
    expect(after.lines[0]).toMatchObject({ refundedQuantity: 2, refundedFen: 2_000 });
    const theCase = (await t.api.get(`${M}/after-sales/${c.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(theCase).toMatchObject({ status: 'refunded', amountFen: 2_000, refundId: after.refunds[0].id });
    expect(theCase.history.at(-1)).toMatchObject({ type: 'arbitrateRefund', actorType: 'platform' });

    // Both sides are told: the merchant's bell, the shopper's unread decision (read once opened).
    const told = (await t.api.get(`${M}/notifications`).set(bearer(s.merchant)).expect(200)).body;
    expect(told.items.map((n: { textCode: string }) => n.textCode)).toContain('COMPLAINT_DECIDED_REFUND');
    expect((await t.api.get(s.url('/complaints/counts')).set(bearer(by.token)).expect(200)).body).toEqual({
      open: 0,
      unread: 1,
    });
    const seen = (
      await t.api
        .get(s.url(`/complaints/${filed.id}`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(seen).toMatchObject({
      status: 'resolved',
      unread: false,
      decision: { decision: 'refund', amountFen: 2_000, note: '商品有质量问题', refundId: after.refunds[0].id },
    });
    expect((await t.api.get(s.url('/complaints/counts')).set(bearer(by.token)).expect(200)).body.unread).toBe(0);
    // Decided: no more statements.
    const late = await t.api
      .post(s.url(`/complaints/${filed.id}/statements`))
      .set(bearer(by.token))
      .send({ statement: '谢谢' })
      .expect(409);
    expect(late.body.error.reason).toBe('COMPLAINT_NOT_OPEN');
  });

  it('another amount is a refund of that amount; the case keeps its state; more than is left is refused', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_000);
    const c = await refusedCase(s, by, order.id, skuId, 1);
    const filed = (await complain(s, by, { orderId: order.id, caseId: c.id }).expect(201)).body;
    const tooMuch = await decide(filed.id, { decision: 'refund', amountFen: 2_001, note: '补偿' }).expect(409);
    expect(tooMuch.body.error).toMatchObject({ reason: 'REFUND_TOO_LARGE', params: { refundableYuan: '20.00' } });
    // Nothing was half-written: still open, nothing refunded.
    expect((await t.api.get(`${P}/arbitration/${filed.id}`).set(bearer(staff)).expect(200)).body.complaint.status).toBe(
      'open',
    );
    const decided = (await decide(filed.id, { decision: 'refund', amountFen: 300, note: '部分补偿' }).expect(200)).body;
    expect(decided.complaint.decision).toMatchObject({ decision: 'refund', amountFen: 300 });
    expect(decided.case.status).toBe('refused');
    expect(await merchantOrder(s, order.id)).toMatchObject({ status: 'paid', refundedFen: 300 });
  });

  it('refused: nothing moves; the shopper can file again once it is decided', async () => {
    const s = await sellingShop(t);
    const { order, by } = await paidOrder(s, 1, 1_000);
    const filed = (await complain(s, by, { orderId: order.id, reason: 'not_shipped' }).expect(201)).body;
    const decided = (await decide(filed.id, { decision: 'refuse', note: '商家已在时限内发货' }).expect(200)).body;
    expect(decided.complaint).toMatchObject({ status: 'resolved', decision: { decision: 'refuse', amountFen: 0 } });
    expect((await merchantOrder(s, order.id)).refundedFen).toBe(0);
    await complain(s, by, { orderId: order.id, reason: 'not_received' }).expect(201);
  });

  it('the shopper may withdraw an open complaint; a case still in progress or an unpaid order takes none', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_000);
    const open = (
      await t.api
        .post(s.url('/after-sales'))
        .set(bearer(by.token))
        .send({ orderId: order.id, skuId, quantity: 1, kind: 'refund_only', reason: 'quality' })
        .expect(201)
    ).body;
    const early = await complain(s, by, { orderId: order.id, caseId: open.id }).expect(409);
    expect(early.body.error.reason).toBe('COMPLAINT_CASE_IN_PROGRESS');
    const tooMuch = await complain(s, by, { orderId: order.id, requestedFen: 2_001 }).expect(409);
    expect(tooMuch.body.error.reason).toBe('REFUND_TOO_LARGE');

    const filed = (await complain(s, by, { orderId: order.id }).expect(201)).body;
    const withdrawn = (
      await t.api
        .post(s.url(`/complaints/${filed.id}/withdraw`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(withdrawn.status).toBe('withdrawn');
    await decide(filed.id, { decision: 'refuse', note: '已撤销' }).expect(409);

    const item = await product(t, s, 5, 100);
    const unpaid = (
      await t.api
        .post(s.url('/orders'))
        .set(bearer(by.token))
        .set('Idempotency-Key', `cp-${uid()}`)
        .send({ items: [{ skuId: item.skuId, quantity: 1 }], addressId: by.addressId })
        .expect(201)
    ).body;
    const nothing = await complain(s, by, { orderId: unpaid.id }).expect(409);
    expect(nothing.body.error.reason).toBe('COMPLAINT_ORDER_UNPAID');
  });
});

describe('isolation', () => {
  it('another shopper, another shop, and a merchant without the right see and change nothing', async () => {
    const [s, other] = await Promise.all([sellingShop(t), sellingShop(t)]);
    const { order, by } = await paidOrder(s, 1, 1_000);
    const filed = (await complain(s, by, { orderId: order.id }).expect(201)).body;

    const stranger = await buyer(t, s);
    await t.api
      .get(s.url(`/complaints/${filed.id}`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .post(s.url(`/complaints/${filed.id}/withdraw`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .post(s.url(`/complaints/${filed.id}/statements`))
      .set(bearer(stranger.token))
      .send({ statement: '我来捣乱' })
      .expect(404);
    expect((await t.api.get(s.url('/complaints')).set(bearer(stranger.token)).expect(200)).body.total).toBe(0);
    // A stranger cannot complain about someone else's order.
    await complain(s, stranger, { orderId: order.id }).expect(404);

    await t.api.get(`${M}/complaints/${filed.id}`).set(bearer(other.merchant)).expect(404);
    await t.api
      .post(`${M}/complaints/${filed.id}/statements`)
      .set(bearer(other.merchant))
      .send({ statement: '不是我们' })
      .expect(404);
    expect((await t.api.get(`${M}/complaints`).set(bearer(other.merchant)).expect(200)).body.total).toBe(0);
    // Merchants cannot reach the platform's queue.
    await t.api.get(`${P}/arbitration`).set(bearer(s.merchant)).expect(401);
    await decide(filed.id, { decision: 'refuse', note: 'x' }).set(bearer(s.merchant)).expect(401);
    expect((await t.api.get(`${M}/complaints/${filed.id}`).set(bearer(s.merchant)).expect(200)).body.status).toBe(
      'open',
    );
  });

  it('bad input gets a 400 in the one error shape', async () => {
    const s = await sellingShop(t);
    const { order, by } = await paidOrder(s, 1, 1_000);
    const bad = await complain(s, by, { orderId: order.id, statement: '', reason: 'nope' }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await decide(1, { decision: 'refund', note: 'x' }).expect(400);
  });
});
