import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, stockOf, systemCtx, type SellingShop } from '../../helpers/orders';

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

const ADDRESS = {
  name: '售后仓',
  phone: '0591-88888888',
  regionCode: '350102',
  province: '福建省',
  city: '福州市',
  district: '鼓楼区',
  detail: '退货路 8 号',
};

/** A paid order of `quantity` units of a new ¥`priceFen` product at shop `s`; shipped when asked. */
async function paidOrder(s: SellingShop, quantity: number, priceFen: number, opts: { ship?: boolean } = {}) {
  const item = await product(t, s, 50, priceFen);
  const by = await buyer(t, s);
  const order = (
    await t.api
      .post(s.url('/orders'))
      .set(bearer(by.token))
      .set('Idempotency-Key', `as-${uid()}`)
      .send({ items: [{ skuId: item.skuId, quantity }], addressId: by.addressId })
      .expect(201)
  ).body as { id: number; totalFen: number };
  await paySandbox(t, s, by.token, order.id);
  if (opts.ship)
    await t.api
      .post(`${M}/orders/${order.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: `SF${uid()}`.slice(0, 20) })
      .expect(200);
  return { order, skuId: item.skuId, by };
}

const ask = (s: SellingShop, by: Buyer, body: Record<string, unknown>) =>
  t.api
    .post(s.url('/after-sales'))
    .set(bearer(by.token))
    .send({ reason: 'quality', description: '有划痕', ...body });

const merchant = (s: SellingShop, method: 'get' | 'post', path: string, body?: Record<string, unknown>) => {
  const req = method === 'get' ? t.api.get(`${M}${path}`) : t.api.post(`${M}${path}`);
  return body ? req.set(bearer(s.merchant)).send(body) : req.set(bearer(s.merchant));
};

const orderOf = async (s: SellingShop, id: number) =>
  (await t.api.get(`${M}/orders/${id}`).set(bearer(s.merchant)).expect(200)).body;

describe('仅退款', () => {
  it('the system proposes what the units paid; agreed, they are refunded by line once, and the order stays open', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 3, 333);
    const quote = (
      await t.api
        .get(s.url('/after-sales/quote'))
        .query({ orderId: order.id, skuId, quantity: 2 })
        .set(bearer(by.token))
        .expect(200)
    ).body;
    // Not shipped yet: a refund only.
    expect(quote).toEqual({ amountFen: 666, unitsLeft: 3, kinds: ['refund_only'] });
    const returning = await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'return_refund' }).expect(409);
    expect(returning.body.error.reason).toBe('AFTER_SALES_KIND_NOT_ALLOWED');

    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201)).body;
    expect(opened).toMatchObject({ status: 'requested', amountFen: 666, quantity: 2, kind: 'refund_only' });
    expect(opened.deadlineAt).not.toBeNull();
    expect(opened.history).toEqual([expect.objectContaining({ type: 'request', toStatus: 'requested' })]);
    // Two are spoken for: one is left to ask for.
    const tooMany = await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(409);
    expect(tooMany.body.error).toMatchObject({ reason: 'AFTER_SALES_UNITS_LEFT', params: { left: 1 } });
    const counts = (await merchant(s, 'get', '/after-sales/counts').expect(200)).body.counts;
    expect(counts).toMatchObject({ requested: 1, refunded: 0 });

    const approved = (await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200)).body;
    expect(approved).toMatchObject({ status: 'refunded', amountFen: 666 });
    expect(approved.refundId).not.toBeNull();
    const again = await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(409);
    expect(again.body.error.reason).toBe('AFTER_SALES_STEP_NOT_ALLOWED');
    const after = await orderOf(s, order.id);
    expect(after).toMatchObject({ status: 'paid', refundedFen: 666 });
    expect(after.lines[0]).toMatchObject({ refundedQuantity: 2, refundedFen: 666 });
    expect(after.refunds).toHaveLength(1);
    // The order shows its case; its shopper sees it too.
    expect(after.afterSales).toEqual([
      { id: opened.id, caseNo: opened.caseNo, skuId, quantity: 2, kind: 'refund_only', status: 'refunded' },
    ]);
    const seen = (
      await t.api
        .get(s.url(`/orders/${order.id}`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(seen.afterSales).toEqual(after.afterSales);
  });

  it('two requests at once for more than the line has: one opens', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 3, 1_000);
    const results = await Promise.all(
      [0, 1, 2].map(() => ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.reason).toBe('AFTER_SALES_UNITS_LEFT');
  });

  it('retried with the same Idempotency-Key, at once or later: one case', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 3, 1_000);
    const key = `as-key-${uid()}`;
    const send = () =>
      ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' }).set('Idempotency-Key', key);
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await send().expect(201)).body.id).toBe(results[0]!.body.id);
    const counts = (await merchant(s, 'get', '/after-sales/counts').expect(200)).body.counts;
    expect(counts.requested).toBe(1);
    const bad = await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' })
      .set('Idempotency-Key', 'bad key!')
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('agreed twice at once: one refund', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_500);
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201)).body;
    const results = await Promise.all(
      [0, 1, 2].map(() => merchant(s, 'post', `/after-sales/${opened.id}/approve`, {})),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const after = await orderOf(s, order.id);
    expect(after.refunds).toHaveLength(1);
    // The last units of the order take what is left of it, and close it.
    expect(after).toMatchObject({ status: 'refunded', refundedFen: 3_000 });
  });

  it('refused with a reason, or cancelled by the shopper: nothing is refunded, the units are free again', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_000);
    const first = (await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201)).body;
    await merchant(s, 'post', `/after-sales/${first.id}/refuse`, { note: '' }).expect(400);
    const refused = (
      await merchant(s, 'post', `/after-sales/${first.id}/refuse`, { note: '已发货，请走退货' }).expect(200)
    ).body;
    expect(refused.status).toBe('refused');
    expect(refused.history.at(-1)).toMatchObject({ type: 'refuse', actorType: 'merchant', note: '已发货，请走退货' });
    const second = (await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201)).body;
    const cancelled = (
      await t.api
        .post(s.url(`/after-sales/${second.id}/cancel`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(cancelled.status).toBe('cancelled');
    await t.api
      .post(s.url(`/after-sales/${second.id}/cancel`))
      .set(bearer(by.token))
      .expect(409);
    expect((await orderOf(s, order.id)).refundedFen).toBe(0);
    await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201);
  });
});

describe('退货退款 and 换货', () => {
  it('a return: agreed with the shop’s return address, shipped back, received and refunded; the history shows each step', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 2_000, { ship: true });
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'return_refund' }).expect(201))
      .body;
    const noAddress = await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(409);
    expect(noAddress.body.error.reason).toBe('RETURN_ADDRESS_REQUIRED');
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    const approved = (await merchant(s, 'post', `/after-sales/${opened.id}/approve`, { note: '请寄回' }).expect(200))
      .body;
    expect(approved).toMatchObject({ status: 'approved', returnAddress: { detail: '退货路 8 号' } });
    // The merchant cannot receive what was not sent.
    await merchant(s, 'post', `/after-sales/${opened.id}/receive`).expect(409);
    const shipped = (
      await t.api
        .post(s.url(`/after-sales/${opened.id}/ship-back`))
        .set(bearer(by.token))
        .send({ carrier: 'ZTO', trackingNo: 'ZT123456789' })
        .expect(200)
    ).body;
    expect(shipped).toMatchObject({
      status: 'returned',
      returnShipment: { carrier: 'ZTO', trackingNo: 'ZT123456789' },
    });
    const received = (await merchant(s, 'post', `/after-sales/${opened.id}/receive`).expect(200)).body;
    expect(received).toMatchObject({ status: 'refunded', amountFen: 2_000 });
    expect(received.history.map((h: { type: string }) => h.type)).toEqual([
      'request',
      'approveReturn',
      'shipBack',
      'receiveRefund',
    ]);
    expect(await orderOf(s, order.id)).toMatchObject({ status: 'shipped', refundedFen: 2_000 });
  });

  it('returned goods received by the merchant and refunded by the timer at once: one refund, one outcome', async () => {
    const s = await sellingShop(t);
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    const { order, skuId, by } = await paidOrder(s, 1, 2_500, { ship: true });
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'return_refund' }).expect(201))
      .body;
    await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200);
    await t.api
      .post(s.url(`/after-sales/${opened.id}/ship-back`))
      .set(bearer(by.token))
      .send({ carrier: 'SF', trackingNo: 'SF987654321' })
      .expect(200);
    const due = new Date(t.clock.now().getTime() + 11 * 86_400_000);
    const ctx = systemCtx(t, s.shop.id);
    const [byMerchant, byTimer] = await Promise.all([
      merchant(s, 'post', `/after-sales/${opened.id}/receive`),
      t.platform.services.afterSalesCase.timeUp(ctx, opened.id, due),
    ]);
    // Exactly one of them took the step.
    expect(Number(byMerchant.status === 200) + Number(byTimer)).toBe(1);
    const after = await orderOf(s, order.id);
    expect(after.refunds).toHaveLength(1);
    expect(after).toMatchObject({ refundedFen: 2_500, status: 'refunded' });
    const done = (await merchant(s, 'get', `/after-sales/${opened.id}`)).body;
    expect(done.history.filter((h: { type: string }) => h.type === 'receiveRefund')).toHaveLength(1);
  });

  it('an exchange: returned, received, the replacement shipped and confirmed; no money moves', async () => {
    const s = await sellingShop(t);
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    const { order, skuId, by } = await paidOrder(s, 1, 5_000, { ship: true });
    const opened = (
      await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'exchange', reason: 'size_or_colour' }).expect(
        201,
      )
    ).body;
    expect(opened.amountFen).toBe(0);
    await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200);
    await t.api
      .post(s.url(`/after-sales/${opened.id}/ship-back`))
      .set(bearer(by.token))
      .send({ carrier: 'YTO', trackingNo: 'YT987654321' })
      .expect(200);
    expect((await merchant(s, 'post', `/after-sales/${opened.id}/receive`).expect(200)).body.status).toBe('received');
    const reshipped = (
      await merchant(s, 'post', `/after-sales/${opened.id}/reship`, {
        carrier: 'SF',
        trackingNo: 'SF1122334455',
      }).expect(200)
    ).body;
    expect(reshipped).toMatchObject({ status: 'reshipped', replacementShipment: { trackingNo: 'SF1122334455' } });
    const done = (
      await t.api
        .post(s.url(`/after-sales/${opened.id}/confirm-replacement`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(done.status).toBe('completed');
    expect(await orderOf(s, order.id)).toMatchObject({ refundedFen: 0, refunds: [] });
  });

  it('returned goods refused at receipt, with the merchant’s photo', async () => {
    const s = await sellingShop(t);
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    const { order, skuId, by } = await paidOrder(s, 1, 5_000, { ship: true });
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'return_refund' }).expect(201))
      .body;
    await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200);
    await t.api
      .post(s.url(`/after-sales/${opened.id}/ship-back`))
      .set(bearer(by.token))
      .send({ carrier: 'STO', trackingNo: 'ST55556666' })
      .expect(200);
    const unknownPhoto = await merchant(s, 'post', `/after-sales/${opened.id}/refuse-receipt`, {
      note: '包装破损',
      photoIds: [999_999],
    }).expect(400);
    expect(unknownPhoto.body.error.details.issues[0].reason).toBe('AFTER_SALES_PHOTO_UNKNOWN');
    const refused = (
      await merchant(s, 'post', `/after-sales/${opened.id}/refuse-receipt`, { note: '退回的不是原商品' }).expect(200)
    ).body;
    expect(refused.status).toBe('receipt_refused');
    expect((await orderOf(s, order.id)).refundedFen).toBe(0);
  });
});

describe('return addresses', () => {
  it('the first is the default; another can become it; removing the default hands it on', async () => {
    const s = await sellingShop(t);
    const first = (await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201)).body;
    expect(first.isDefault).toBe(true);
    const second = (await merchant(s, 'post', '/return-addresses', { ...ADDRESS, detail: '二号仓' }).expect(201)).body;
    expect(second.isDefault).toBe(false);
    await t.api
      .put(`${M}/return-addresses/${second.id}`)
      .set(bearer(s.merchant))
      .send({ ...ADDRESS, detail: '二号仓', isDefault: true })
      .expect(200);
    let list = (await merchant(s, 'get', '/return-addresses').expect(200)).body;
    expect(list.map((x: { id: number; isDefault: boolean }) => [x.id, x.isDefault])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    await t.api.delete(`${M}/return-addresses/${second.id}`).set(bearer(s.merchant)).expect(200);
    list = (await merchant(s, 'get', '/return-addresses').expect(200)).body;
    expect(list).toEqual([expect.objectContaining({ id: first.id, isDefault: true })]);
  });
});

describe('isolation', () => {
  it('another shopper can neither see nor act on a case; another shop’s merchant neither', async () => {
    const { order, skuId, by } = await paidOrder(a, 2, 1_000);
    const opened = (await ask(a, by, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' }).expect(201)).body;
    const other = await buyer(t, a);
    await t.api
      .get(a.url(`/after-sales/${opened.id}`))
      .set(bearer(other.token))
      .expect(404);
    await t.api
      .post(a.url(`/after-sales/${opened.id}/cancel`))
      .set(bearer(other.token))
      .expect(404);
    expect((await t.api.get(a.url('/after-sales')).set(bearer(other.token)).expect(200)).body.total).toBe(0);
    expect(
      (await t.api.get(a.url('/after-sales/counts')).set(bearer(other.token)).expect(200)).body.counts.requested,
    ).toBe(0);
    expect(
      (await t.api.get(a.url('/after-sales/counts')).set(bearer(by.token)).expect(200)).body.counts.requested,
    ).toBe(1);
    // Nor ask on someone else's order.
    const notMine = await ask(a, other, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' }).expect(404);
    expect(notMine.body.error.reason).toBe('ORDER_NOT_FOUND');

    await merchant(b, 'get', `/after-sales/${opened.id}`).expect(404);
    await merchant(b, 'post', `/after-sales/${opened.id}/approve`, {}).expect(404);
    await merchant(b, 'post', `/after-sales/${opened.id}/refuse`, { note: '不行' }).expect(404);
    expect((await merchant(b, 'get', '/after-sales').expect(200)).body.items).toEqual([]);
    const address = (await merchant(a, 'post', '/return-addresses', ADDRESS).expect(201)).body;
    await t.api.put(`${M}/return-addresses/${address.id}`).set(bearer(b.merchant)).send(ADDRESS).expect(404);
    await t.api.delete(`${M}/return-addresses/${address.id}`).set(bearer(b.merchant)).expect(404);
    expect((await merchant(a, 'get', `/after-sales/${opened.id}`).expect(200)).body.status).toBe('requested');
  });
});

describe('timers', () => {
  const DAY = 86_400_000;
  const later = (days: number) => new Date(t.clock.now().getTime() + days * DAY + 1_000);

  it('the shop sets its timers; deadlines follow them', async () => {
    const s = await sellingShop(t);
    expect((await merchant(s, 'get', '/after-sales/settings').expect(200)).body).toEqual({
      autoApproveDays: 2,
      returnShipDays: 7,
      receiveConfirmDays: 10,
      afterCompletionDays: 15,
    });
    const timers = { autoApproveDays: 3, returnShipDays: 5, receiveConfirmDays: 6, afterCompletionDays: 30 };
    await t.api.put(`${M}/after-sales/settings`).set(bearer(s.merchant)).send(timers).expect(200);
    await t.api
      .put(`${M}/after-sales/settings`)
      .set(bearer(s.merchant))
      .send({ ...timers, autoApproveDays: 0 })
      .expect(400);
    expect((await merchant(s, 'get', '/after-sales/settings').expect(200)).body).toEqual(timers);
    const { order, skuId, by } = await paidOrder(s, 1, 1_000);
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' }).expect(201)).body;
    expect(Date.parse(opened.deadlineAt) - Date.parse(opened.createdAt)).toBe(3 * DAY);
    // Another shop's merchant neither reads nor changes them.
    await t.api.put(`${M}/after-sales/settings`).set(bearer(b.merchant)).send(timers).expect(200);
    expect((await merchant(s, 'get', '/after-sales/settings').expect(200)).body).toEqual(timers);
  });

  it('a refund-only request left unanswered is approved and refunded at its deadline, once', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_000);
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'refund_only' }).expect(201)).body;
    const ctx = systemCtx(t, s.shop.id);
    const flows = t.platform.services.afterSalesCase;
    expect(await flows.timeUp(ctx, opened.id, later(1))).toBe(false);
    const runs = await Promise.all([flows.timeUp(ctx, opened.id, later(2)), flows.timeUp(ctx, opened.id, later(2))]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    const done = (await merchant(s, 'get', `/after-sales/${opened.id}`).expect(200)).body;
    expect(done).toMatchObject({ status: 'refunded', deadlineAt: null });
    expect(done.history.at(-1)).toMatchObject({ type: 'approveRefund', actorType: 'system' });
    expect((await orderOf(s, order.id)).refunds).toHaveLength(1);
  });

  it('a return left unanswered is approved to the default return address; with none, it waits for the merchant', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 2, 1_000, { ship: true });
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'exchange' }).expect(201)).body;
    expect(opened.deadlineAt).not.toBeNull();
    const ctx = systemCtx(t, s.shop.id);
    const flows = t.platform.services.afterSalesCase;
    // No return address yet: nothing moves.
    expect(await flows.timeUp(ctx, opened.id, later(3))).toBe(false);
    expect((await merchant(s, 'get', `/after-sales/${opened.id}`)).body.status).toBe('requested');
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    expect(await flows.timeUp(ctx, opened.id, later(3))).toBe(true);
    const approved = (await merchant(s, 'get', `/after-sales/${opened.id}`)).body;
    expect(approved).toMatchObject({ status: 'approved', returnAddress: { detail: ADDRESS.detail } });
    expect(approved.history.at(-1)).toMatchObject({ type: 'approveReturn', actorType: 'system' });
    // Its next step has its own deadline: the goods to be sent back.
    expect(Date.parse(approved.deadlineAt)).toBeGreaterThan(Date.parse(opened.deadlineAt));
  });

  it('the sweeper closes an approved return not shipped back, and refunds returned goods not confirmed', async () => {
    const s = await sellingShop(t);
    await merchant(s, 'post', '/return-addresses', ADDRESS).expect(201);
    const first = await paidOrder(s, 1, 3_000, { ship: true });
    const idle = (
      await ask(s, first.by, {
        orderId: first.order.id,
        skuId: first.skuId,
        quantity: 1,
        kind: 'return_refund',
      }).expect(201)
    ).body;
    await merchant(s, 'post', `/after-sales/${idle.id}/approve`, {}).expect(200);
    const second = await paidOrder(s, 1, 4_000, { ship: true });
    const sent = (
      await ask(s, second.by, {
        orderId: second.order.id,
        skuId: second.skuId,
        quantity: 1,
        kind: 'return_refund',
      }).expect(201)
    ).body;
    await merchant(s, 'post', `/after-sales/${sent.id}/approve`, {}).expect(200);
    await t.api
      .post(s.url(`/after-sales/${sent.id}/ship-back`))
      .set(bearer(second.by.token))
      .send({ carrier: 'SF', trackingNo: 'SF20261206' })
      .expect(200);
    const ctx = { ...systemCtx(t, s.shop.id) };
    // Eight days on: the unshipped return is past its 7 days; the returned goods are within their 10.
    await t.platform.services.afterSalesCase.sweep(ctx, later(8));
    expect((await merchant(s, 'get', `/after-sales/${idle.id}`)).body.status).toBe('closed');
    expect((await merchant(s, 'get', `/after-sales/${sent.id}`)).body.status).toBe('returned');
    await t.platform.services.afterSalesCase.sweep(ctx, later(11));
    expect((await merchant(s, 'get', `/after-sales/${sent.id}`)).body).toMatchObject({
      status: 'refunded',
      amountFen: 4_000,
    });
    expect((await orderOf(s, second.order.id)).refundedFen).toBe(4_000);
    expect((await orderOf(s, first.order.id)).refundedFen).toBe(0);
  });

  it('a completed order takes requests only within the shop’s window after completion', async () => {
    const s = await sellingShop(t);
    await t.api
      .put(`${M}/after-sales/settings`)
      .set(bearer(s.merchant))
      .send({ autoApproveDays: 2, returnShipDays: 7, receiveConfirmDays: 10, afterCompletionDays: 0 })
      .expect(200);
    const { order, skuId, by } = await paidOrder(s, 1, 1_000, { ship: true });
    await t.api
      .post(s.url(`/orders/${order.id}/confirm-receipt`))
      .set(bearer(by.token))
      .expect(200);
    const was = t.clock.now();
    t.clock.set(new Date(was.getTime() + 60_000).toISOString());
    try {
      const late = await ask(s, by, { orderId: order.id, skuId, quantity: 1, kind: 'return_refund' }).expect(409);
      expect(late.body.error.reason).toBe('AFTER_SALES_NOT_ALLOWED');
    } finally {
      t.clock.set(was.toISOString());
    }
  });
});

describe('stock, permissions and stuck deadlines', () => {
  it('units of an unshipped order refunded by line go back to stock once; closing the order returns only the rest', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 1_000);
    const by = await buyer(t, s);
    const order = (
      await t.api
        .post(s.url('/orders'))
        .set(bearer(by.token))
        .set('Idempotency-Key', `st-${uid()}`)
        .send({ items: [{ skuId: item.skuId, quantity: 3 }], addressId: by.addressId })
        .expect(201)
    ).body;
    await paySandbox(t, s, by.token, order.id);
    expect(await stockOf(t, item.skuId)).toBe(7);
    const opened = (
      await ask(s, by, { orderId: order.id, skuId: item.skuId, quantity: 1, kind: 'refund_only' }).expect(201)
    ).body;
    await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200);
    expect(await stockOf(t, item.skuId)).toBe(8);
    await t.api.post(`${M}/orders/${order.id}/cancel`).set(bearer(s.merchant)).send({ reason: '缺货' }).expect(200);
    expect(await stockOf(t, item.skuId)).toBe(10);
  });

  it('a refund by line from the order page leaves the units of an open case to the case', async () => {
    const s = await sellingShop(t);
    const { order, skuId, by } = await paidOrder(s, 3, 1_000);
    const opened = (await ask(s, by, { orderId: order.id, skuId, quantity: 2, kind: 'refund_only' }).expect(201)).body;
    const refundLines = (quantity: number) =>
      t.api
        .post(`${M}/orders/${order.id}/refunds`)
        .set(bearer(s.merchant))
        .send({ lines: [{ skuId, quantity }], reason: '按件退' });
    const blocked = await refundLines(2).expect(409);
    expect(blocked.body.error).toMatchObject({ reason: 'LINE_IN_AFTER_SALES', params: { skuId, left: 1 } });
    expect((await orderOf(s, order.id)).refundedFen).toBe(0);
    await refundLines(1).expect(201);
    // The case settles its own units: the last ones, so the order closes.
    await merchant(s, 'post', `/after-sales/${opened.id}/approve`, {}).expect(200);
    expect(await orderOf(s, order.id)).toMatchObject({ status: 'refunded', refundedFen: 3_000 });
  });

  it('agreeing and receiving move money: staff without the refund permission may refuse, not agree', async () => {
    const shop = await createShop(t);
    const staff = (await merchantLogin(t, shop.staff)).accessToken;
    await t.api.post(`${M}/after-sales/1/approve`).set(bearer(staff)).send({}).expect(403);
    await t.api.post(`${M}/after-sales/1/receive`).set(bearer(staff)).expect(403);
    await t.api.get(`${M}/after-sales`).set(bearer(staff)).expect(200);
  });

  it('an order refunded in full from the order page closes its open cases; the sweeper acts on the others', async () => {
    const s = await sellingShop(t);
    const stuck = await paidOrder(s, 1, 1_000);
    const fine = await paidOrder(s, 1, 2_000);
    const first = (
      await ask(s, stuck.by, { orderId: stuck.order.id, skuId: stuck.skuId, quantity: 1, kind: 'refund_only' }).expect(
        201,
      )
    ).body;
    const second = (
      await ask(s, fine.by, { orderId: fine.order.id, skuId: fine.skuId, quantity: 1, kind: 'refund_only' }).expect(201)
    ).body;
    // The merchant refunds the first order in full from the order page: its case has nothing left to settle.
    await t.api
      .post(`${M}/orders/${stuck.order.id}/refunds`)
      .set(bearer(s.merchant))
      .send({ amountFen: 1_000, reason: '全退' })
      .expect(201);
    const closed = (await merchant(s, 'get', `/after-sales/${first.id}`)).body;
    expect(closed).toMatchObject({ status: 'closed', deadlineAt: null });
    expect(closed.history.at(-1)).toMatchObject({ type: 'orderRefunded', actorType: 'system' });
    const acted = await t.platform.services.afterSalesCase.sweep(
      systemCtx(t, s.shop.id),
      new Date(t.clock.now().getTime() + 3 * 86_400_000),
    );
    expect(acted).toBeGreaterThanOrEqual(1);
    expect((await merchant(s, 'get', `/after-sales/${first.id}`)).body.status).toBe('closed');
    expect((await merchant(s, 'get', `/after-sales/${second.id}`)).body.status).toBe('refunded');
    expect((await orderOf(s, stuck.order.id)).refunds).toHaveLength(1);
  });
});
