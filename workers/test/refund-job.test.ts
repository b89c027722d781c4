import { startTestPlatform, uid, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer } from '../../platform/test/helpers/fixtures';
import { buyer, placeOrder, product, sellingShop, type SellingShop } from '../../platform/test/helpers/orders';
import { until } from '../../platform/test/helpers/releases';
import { FakeWechatPay } from '../../platform/test/fakes/wechatpay-server';
import { startWorkers, type RunningWorkers } from '../src/worker';
import { FAST_STALLS } from './worker-process';

const REFUNDS = '/v3/refund/domestic/refunds';
let t: TestPlatform;
let s: SellingShop;
let workers: RunningWorkers | undefined;
const m = (path: string) => `/merchant-api/v1${path}`;

beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
  const creds = FakeWechatPay.merchantCredentials();
  t.wechatpay.registerMerchant(creds);
  await t.api
    .put(m('/payment-settings/wechat'))
    .set(bearer(s.merchant))
    .send({
      mode: 'merchant',
      appId: 'wx1234567890abcdef',
      mchId: creds.mchid,
      serialNo: creds.serialNo,
      privateKey: creds.privateKeyPem,
      apiV3Key: creds.apiV3Key,
      publicKeyId: t.wechatpay.publicKeyId,
      publicKey: t.wechatpay.publicKeyPem,
    })
    .expect(200);
  await t.api.put(m('/payment-settings/mode')).set(bearer(s.merchant)).send({ testMode: false }).expect(200);
});
afterAll(async () => {
  await workers?.close();
  await t.close();
});

/** An order of 30.00 paid through WeChat Pay's notification. */
async function paidOrder(): Promise<number> {
  const { skuId } = await product(t, s, 10, 3000);
  const b = await buyer(t, s);
  await t.platform
    .knex('shoppers')
    .where({ id: b.shopperId })
    .update({ openid: `o${uid()}${uid()}` });
  const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
  const pay = (
    await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'wechat_jsapi' })
      .expect(200)
  ).body;
  t.wechatpay.pay(pay.paymentNo);
  const n = t.wechatpay.transactionNotification(pay.paymentNo);
  await t.api
    .post(new URL(n.url).pathname)
    .set(n.headers)
    .set('content-type', 'application/json')
    .send(n.body)
    .expect(204);
  return order.id;
}

const order = async (id: number) =>
  (
    await t.api
      .get(m(`/orders/${id}`))
      .set(bearer(s.merchant))
      .expect(200)
  ).body;

describe('a refund whose job dies', () => {
  it('ends failed with the reason and its amount back on the order; a retry sends it under the same number', async () => {
    const orderId = await paidOrder();
    // WeChat Pay is down when the merchant refunds: the refund is recorded and its job retries in the background.
    t.wechatpay.outage(REFUNDS, 'error');
    const refunded = (
      await t.api
        .post(m(`/orders/${orderId}/refunds`))
        .set(bearer(s.merchant))
        .send({ amountFen: 1000, reason: '少发一件' })
        .expect(201)
    ).body;
    expect(refunded).toMatchObject({ refundedFen: 1000, refunds: [{ status: 'processing', failure: null }] });
    const refund = refunded.refunds[0];

    // Then it stops answering, and the workers that take the job die in the middle of the call, twice.
    t.wechatpay.outage(REFUNDS, 'hang');
    const calls = () => t.wechatpay.calls.filter((c) => c.path === REFUNDS).length;
    for (const before of [1, 2]) {
      const dying = startWorkers(t.platform, undefined, FAST_STALLS);
      await until(
        async () => calls(),
        (n) => n > before,
        `worker to call WeChat Pay (${before})`,
        30_000,
      );
      await dying.kill();
    }
    expect((await order(orderId)).refunds[0].status).toBe('processing');

    // The next worker finds the job stalled once too often; the refund hears of it.
    workers = startWorkers(t.platform, undefined, FAST_STALLS);
    await until(
      () => order(orderId),
      (o) => o.refunds[0].status !== 'processing',
      'the refund to end',
      30_000,
    );
    const failed = await order(orderId);
    expect(failed).toMatchObject({
      refundedFen: 0,
      refunds: [{ id: refund.id, status: 'failed', failure: { code: 'JOB_STALLED', params: {} } }],
    });
    expect(failed.events.map((e: { type: string }) => e.type)).toContain('refund_failed');

    // WeChat Pay is back: the merchant retries; the amount is reserved again and the same refund number is sent.
    t.wechatpay.outage(REFUNDS, null);
    const retried = (
      await t.api
        .post(m(`/refunds/${refund.id}/retry`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(retried).toMatchObject({ id: refund.id, refundNo: refund.refundNo, status: 'processing', failure: null });
    expect((await order(orderId)).refundedFen).toBe(1000);
    await t.api
      .post(m(`/refunds/${refund.id}/retry`))
      .set(bearer(s.merchant))
      .expect(409);
    expect(t.wechatpay.refund(refund.refundNo)).toMatchObject({ refund: 1000 });
    t.wechatpay.completeRefund(refund.refundNo);
    const n = t.wechatpay.refundNotification(refund.refundNo);
    await t.api
      .post(new URL(n.url).pathname)
      .set(n.headers)
      .set('content-type', 'application/json')
      .send(n.body)
      .expect(204);
    const done = await order(orderId);
    expect(done).toMatchObject({ refundedFen: 1000, refunds: [{ id: refund.id, status: 'succeeded' }] });
    expect(await t.platform.knex('refunds').where({ order_id: orderId }).count({ n: '*' })).toEqual([{ n: 1 }]);
  }, 120_000);

  it('a retry never refunds more than is left, and another shop cannot retry it', async () => {
    const orderId = await paidOrder();
    // A refund of 25.00 that failed earlier (its job gave up), its amount already given back to the order.
    const { payment_id: paymentId } = await t.platform.knex('orders').where({ id: orderId }).first('payment_id');
    const [refundId] = (await t.platform.knex('refunds').insert({
      tenant_id: s.shop.id,
      order_id: orderId,
      payment_id: paymentId,
      refund_no: `R${uid()}${uid()}`,
      amount_fen: 2500,
      reason: '测试',
      kind: 'merchant',
      status: 'failed',
      failure_code: 'JOB_RETRIES_EXHAUSTED',
      failure_params: JSON.stringify({ attempts: 10, error: 'WeChat Pay 500' }),
    })) as [number];
    // Meanwhile the merchant refunded most of the order another way.
    await t.api
      .post(m(`/orders/${orderId}/refunds`))
      .set(bearer(s.merchant))
      .send({ amountFen: 1000, reason: '差价' })
      .expect(201);
    const res = await t.api
      .post(m(`/refunds/${refundId}/retry`))
      .set(bearer(s.merchant))
      .expect(409);
    expect(res.body.error.details).toEqual({ refundableFen: 2000 });
    expect((await order(orderId)).refunds.find((r: { id: number }) => r.id === refundId)).toMatchObject({
      status: 'failed',
      failure: { code: 'JOB_RETRIES_EXHAUSTED', params: { attempts: 10 } },
    });
    const other = await sellingShop(t);
    await t.api
      .post(m(`/refunds/${refundId}/retry`))
      .set(bearer(other.merchant))
      .expect(404);
  });
});
