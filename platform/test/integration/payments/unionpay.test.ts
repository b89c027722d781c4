import type { Job } from 'bullmq';
import { PAYMENT_JOBS, QUEUES } from '@shopfleet/contracts';
import { chinaDay, systemContext } from '@shopfleet/platform';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { FakeUnionPay, issue, UNIONPAY_SIGN_CN, type UnionPayMerchant } from '../../fakes/unionpay-gateway';
import { paymentsProcessor } from '../../../../workers/src/processors/payments.processor';

let t: TestPlatform;
let gateway: FakeUnionPay;
let s: SellingShop;
let merchant: UnionPayMerchant;

const settingsUrl = '/merchant-api/v1/payment-settings/unionpay';
const setUp = (shop: SellingShop, m: UnionPayMerchant) =>
  t.api
    .put(settingsUrl)
    .set(bearer(shop.merchant))
    .send({ merId: m.merId, pfxBase64: m.pfx.toString('base64'), pfxPassword: m.password });

async function live(shop: SellingShop, m: UnionPayMerchant) {
  gateway.registerMerchant(m);
  await setUp(shop, m).expect(200);
  await t.api
    .put('/merchant-api/v1/payment-settings/mode')
    .set(bearer(shop.merchant))
    .send({ testMode: false })
    .expect(200);
}

beforeAll(async () => {
  gateway = new FakeUnionPay();
  await gateway.start();
  t = await startTestPlatform(gateway.env);
  s = await sellingShop(t);
  merchant = FakeUnionPay.merchant();
  await live(s, merchant);
});
afterAll(async () => {
  await t.close();
  await gateway.close();
});

/** An unpaid order of `priceFen` × 2, its UnionPay form posted to the gateway (the trade exists there). */
async function unpaid(priceFen: number, shop = s) {
  const { skuId, productId } = await product(t, shop, 10, priceFen);
  const b = await buyer(t, shop);
  const order = await placeOrder(t, shop, b, [{ skuId, quantity: 2 }]);
  const pay = (
    await t.api
      .post(shop.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'unionpay_wap', returnPath: `/s/${shop.shop.slug}/` })
      .expect(200)
  ).body as { paymentNo: string; action: string; fields: Record<string, string> };
  const page = await gateway.openFront(pay.action, pay.fields);
  expect(page.body).toContain('unionpay-confirm');
  return { order, pay, b, productId };
}

const deliver = (n: { url: string; form: Record<string, string> }, url = n.url) =>
  t.api.post(new URL(url).pathname).type('form').send(n.form);
const statusOf = async (orderId: number) =>
  String((await t.platform.knex('orders').where({ id: orderId }).first()).status);
const paidEvents = async (orderId: number) =>
  (await t.platform.knex('order_events').where({ order_id: orderId, type: 'paid' })).length;

describe('UnionPay (全渠道 acp 5.1.0) against a local gateway signing with a test CA', () => {
  it('is offered on the web build; the signed form pays, and the back notification pays the order once', async () => {
    expect((await t.api.get(s.url('/payment-methods?client=h5')).expect(200)).body.methods).toEqual(['unionpay_wap']);
    expect((await t.api.get(s.url('/payment-methods?client=mp-weixin')).expect(200)).body.methods).toEqual([]);
    const { order, pay } = await unpaid(12345);
    expect(pay.action).toBe(`${gateway.url}/gateway/api/frontTransReq.do`);
    expect(pay.fields).toMatchObject({
      version: '5.1.0',
      signMethod: '01',
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType: '08',
      accessType: '0',
      currencyCode: '156',
      merId: merchant.merId,
      orderId: pay.paymentNo,
      txnAmt: '24690',
      certId: merchant.certId,
      backUrl: expect.stringContaining(`/webhooks/pay/unionpay/${s.shop.id}`),
    });
    expect(pay.fields.txnTime).toMatch(/^\d{14}$/);
    // The shop's h5 pages may post that form to UnionPay's gateway (CSP form-action).
    const h5 = await t.api.get(`/s/${s.shop.slug}/`);
    expect(h5.headers['content-security-policy']).toContain(`form-action 'self' ${gateway.url}`);
    gateway.pay(pay.paymentNo);
    const n = gateway.notification(pay.paymentNo);
    const res = await deliver(n);
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(await statusOf(order.id)).toBe('paid');
    // Replayed: acknowledged, applied once.
    expect((await deliver(n)).status).toBe(200);
    expect(await paidEvents(order.id)).toBe(1);
    const payment = await t.platform.knex('payments').where({ payment_no: pay.paymentNo }).first();
    expect(payment).toMatchObject({
      provider: 'unionpay',
      method: 'unionpay_wap',
      status: 'succeeded',
      amount_fen: 24690,
    });
    expect(payment.transaction_id).toBe(gateway.trade(pay.paymentNo).queryId);
  });

  it('applies none of: a forged signature, a tampered field, a wrong amount, a certificate off the chain or not UnionPay’s, another merchant’s or another shop’s', async () => {
    const { order, pay } = await unpaid(5000);
    gateway.pay(pay.paymentNo);
    const outsider = issue('OUTSIDE ROOT', null, true);
    const outsiderMiddle = issue('OUTSIDE MIDDLE', outsider, true);
    const forged = [
      // signed with a key whose certificate does not chain to UnionPay's root, though its CN names UnionPay
      gateway.notification(pay.paymentNo, { signAs: issue(UNIONPAY_SIGN_CN, outsiderMiddle) }),
      // chains to the root, but is not UnionPay's signing certificate
      gateway.notification(pay.paymentNo, { signAs: issue('041@Z12@某某科技有限公司@00000001', gateway.ca.middle) }),
      // UnionPay's certificate, but the signature is another key's
      (() => {
        const n = gateway.notification(pay.paymentNo, { signAs: issue(UNIONPAY_SIGN_CN, gateway.ca.middle) });
        return { ...n, form: { ...n.form, signPubKeyCert: gateway.ca.signer.certPem } };
      })(),
      // tampered after signing
      gateway.notification(pay.paymentNo, { tamper: { txnAmt: '1' } }),
      gateway.notification(pay.paymentNo, { tamper: { orderId: 'P0000000000000000000000000000' } }),
      // genuinely signed, but the wrong amount or another merchant number
      gateway.notification(pay.paymentNo, { fields: { txnAmt: '1' } }),
      gateway.notification(pay.paymentNo, { fields: { merId: '777000000000001' } }),
      // no signature at all
      (() => {
        const n = gateway.notification(pay.paymentNo);
        const { signature: _drop, ...form } = n.form;
        return { ...n, form };
      })(),
    ];
    for (const n of forged) expect((await deliver(n)).status).toBe(400);
    const other = await sellingShop(t);
    const genuine = gateway.notification(pay.paymentNo);
    // Another shop's URL: that shop has no UnionPay settings; with its own, the payment is not one of its.
    expect(
      (await deliver(genuine, genuine.url.replace(`/unionpay/${s.shop.id}`, `/unionpay/${other.shop.id}`))).status,
    ).toBe(400);
    await live(other, merchant);
    expect(
      (await deliver(genuine, genuine.url.replace(`/unionpay/${s.shop.id}`, `/unionpay/${other.shop.id}`))).status,
    ).toBe(400);
    expect(await statusOf(order.id)).toBe('pending_payment');
    expect(await t.platform.knex('payment_notifications').where({ reference: pay.paymentNo })).toHaveLength(0);
    expect((await deliver(genuine)).status).toBe(200);
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('asks UnionPay about a trade whose notification never came, and applies it once', async () => {
    const { order, pay } = await unpaid(700);
    const job = await t.platform.queues.get(QUEUES.payments).getJob(`query-${s.shop.id}-${pay.paymentNo}-0`);
    expect(job?.opts.delay).toBe(5 * 60_000);
    const run = () =>
      paymentsProcessor.build(t.platform)({
        name: PAYMENT_JOBS.queryPayment,
        data: { tenantId: s.shop.id, paymentNo: pay.paymentNo },
        queueName: QUEUES.payments,
      } as unknown as Job) as Promise<{ paid: boolean }>;
    expect(await run()).toEqual({ paid: false });
    expect(await statusOf(order.id)).toBe('pending_payment');
    gateway.pay(pay.paymentNo);
    expect(await run()).toEqual({ paid: true });
    expect(await statusOf(order.id)).toBe('paid');
    // The late notification and the next query change nothing.
    expect((await deliver(gateway.notification(pay.paymentNo))).status).toBe(200);
    expect(await run()).toEqual({ paid: false });
    expect(await paidEvents(order.id)).toBe(1);
  });

  it('a trade closed with its cancelled order but paid at UnionPay is found by the query and refunded as late', async () => {
    const { order, pay, b } = await unpaid(900);
    await t.api
      .post(s.url(`/orders/${order.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(200);
    expect((await t.platform.knex('payments').where({ payment_no: pay.paymentNo }).first()).status).toBe('closed');
    gateway.pay(pay.paymentNo);
    await paymentsProcessor.build(t.platform)({
      name: PAYMENT_JOBS.queryPayment,
      data: { tenantId: s.shop.id, paymentNo: pay.paymentNo },
      queueName: QUEUES.payments,
    } as unknown as Job);
    expect(await statusOf(order.id)).toBe('cancelled');
    const refund = await t.platform.knex('refunds').where({ order_id: order.id }).first();
    expect(refund).toMatchObject({ kind: 'late_payment', amount_fen: 1800, status: 'processing' });
    expect(gateway.refunds.get(refund.refund_no)).toMatchObject({ txnAmt: 1800 });
  });

  it('reconciles a day against UnionPay’s settlement file: settled but not recorded, settled at another amount', async () => {
    const unrecorded = await unpaid(1100);
    gateway.pay(unrecorded.pay.paymentNo);
    const recorded = await unpaid(1200);
    gateway.pay(recorded.pay.paymentNo);
    await deliver(gateway.notification(recorded.pay.paymentNo)).expect(200);
    gateway.settledAmounts.set(recorded.pay.paymentNo, 2300);
    const day = chinaDay(t.clock.now());
    const ctx = { ...systemContext(t.platform.log, 'test', s.shop.id), tenantId: s.shop.id };
    await t.platform.services.payments.reconcile(ctx, day);
    const file = gateway.calls.find((c) => c.path === '/gateway/api/fileTransfer.do')!;
    expect(file.fields).toMatchObject({
      txnType: '76',
      fileType: '00',
      settleDate: day.slice(5, 7) + day.slice(8, 10),
    });
    const found = await t.platform
      .knex('payment_discrepancies')
      .where({ tenant_id: s.shop.id })
      .whereIn('payment_no', [unrecorded.pay.paymentNo, recorded.pay.paymentNo])
      .orderBy('id');
    expect(found.map((d) => [d.payment_no, d.kind, d.detail])).toEqual([
      [unrecorded.pay.paymentNo, 'paid_not_recorded', expect.stringContaining('settlement file')],
      [recorded.pay.paymentNo, 'amount_mismatch', 'settlement file 2300 fen, ours 2400 fen'],
    ]);
  });

  it('refunds with txnType 04, settled by its own back notification', async () => {
    const { order, pay } = await unpaid(3000);
    gateway.pay(pay.paymentNo);
    await deliver(gateway.notification(pay.paymentNo)).expect(200);
    const after = (
      await t.api
        .post(`/merchant-api/v1/orders/${order.id}/refunds`)
        .set(bearer(s.merchant))
        .send({ amountFen: 1000, reason: '补偿' })
        .expect(201)
    ).body;
    expect(after).toMatchObject({ refundedFen: 1000, refunds: [{ amountFen: 1000, status: 'processing' }] });
    const refundNo = String(after.refunds[0].refundNo);
    const sent = gateway.calls.find((c) => c.path === '/gateway/api/backTransReq.do' && c.fields.orderId === refundNo)!;
    expect(sent.fields).toMatchObject({
      txnType: '04',
      txnAmt: '1000',
      origQryId: gateway.trade(pay.paymentNo).queryId,
      backUrl: expect.stringContaining(`/webhooks/pay/unionpay/${s.shop.id}`),
    });
    // A refund notification with another amount is refused; the genuine one settles it, once.
    expect((await deliver(gateway.refundNotification(refundNo, { fields: { txnAmt: '999' } }))).status).toBe(400);
    const n = gateway.refundNotification(refundNo);
    expect((await deliver(n)).status).toBe(200);
    expect((await deliver(n)).status).toBe(200);
    const refund = await t.platform.knex('refunds').where({ refund_no: refundNo }).first();
    expect(refund).toMatchObject({ status: 'succeeded', provider_refund_id: gateway.refunds.get(refundNo)!.queryId });
    expect((await t.platform.knex('order_events').where({ order_id: order.id, type: 'refunded' })).length).toBe(1);
  });

  it('checks the .pfx before storing it, keeps it encrypted, and keeps it to its own shop', async () => {
    const other = await sellingShop(t);
    const refused = async (body: Record<string, string>, reason: string) => {
      const res = await t.api.put(settingsUrl).set(bearer(other.merchant)).send(body).expect(400);
      expect(res.body.error.reason).toBe(reason);
    };
    const m = FakeUnionPay.merchant();
    await refused(
      { merId: m.merId, pfxBase64: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'), pfxPassword: 'x' },
      'UNIONPAY_PFX_INVALID',
    );
    await refused(
      { merId: m.merId, pfxBase64: m.pfx.toString('base64'), pfxPassword: 'wrong' },
      'UNIONPAY_PFX_WRONG_PASSWORD',
    );
    await refused({ merId: m.merId }, 'PAYMENT_KEYS_REQUIRED');
    await t.api
      .put(settingsUrl)
      .set(bearer(other.merchant))
      .send({ merId: '123', pfxBase64: 'AAAA', pfxPassword: 'x' })
      .expect(400);
    // The shop's own settings show the certificate, never the file or its password.
    const mine = (await t.api.get('/merchant-api/v1/payment-settings').set(bearer(s.merchant)).expect(200)).body;
    expect(mine.unionpay).toEqual({
      merId: merchant.merId,
      certId: merchant.certId,
      certExpiresAt: expect.any(String),
    });
    expect(mine.unionpayAvailable).toBe(true);
    expect(mine.notifyUrls.unionpay).toContain(`/webhooks/pay/unionpay/${s.shop.id}`);
    const row = await t.platform.knex('payment_settings').where({ tenant_id: s.shop.id }).first();
    expect(String(row.unionpay_secret)).not.toContain(merchant.password);
    expect(String(row.unionpay_secret)).not.toContain(merchant.pfx.toString('base64').slice(0, 40));
    // Another shop reads only its own (none), and its changes touch only its own.
    expect(
      (await t.api.get('/merchant-api/v1/payment-settings').set(bearer(other.merchant)).expect(200)).body.unionpay,
    ).toBeNull();
    await t.api.delete(settingsUrl).set(bearer(other.merchant)).expect(200);
    await t.api.put(settingsUrl).set(bearer(other.merchant)).send({ merId: '777999999999999' }).expect(400);
    expect(
      (await t.api.get('/merchant-api/v1/payment-settings').set(bearer(s.merchant)).expect(200)).body.unionpay,
    ).toEqual(mine.unionpay);
    // A new merchant number keeps the stored certificate.
    const renamed = (await t.api.put(settingsUrl).set(bearer(s.merchant)).send({ merId: merchant.merId }).expect(200))
      .body;
    expect(renamed.unionpay.certId).toBe(merchant.certId);
  });
});
