import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { FakeAlipay } from '../../fakes/alipay-gateway';

let t: TestPlatform;
let s: SellingShop;
let app: ReturnType<typeof FakeAlipay.appCredentials>;
beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
  app = FakeAlipay.appCredentials();
  t.alipay.registerApp(app.appId, app.publicKeyPem);
  await t.api
    .put('/merchant-api/v1/payment-settings/alipay')
    .set(bearer(s.merchant))
    .send({ appId: app.appId, privateKey: app.privateKeyPem, alipayPublicKey: t.alipay.alipayPublicKeyPem })
    .expect(200);
  await t.api
    .put('/merchant-api/v1/payment-settings/mode')
    .set(bearer(s.merchant))
    .send({ testMode: false })
    .expect(200);
});
afterAll(() => t.close());

async function unpaid(priceFen: number) {
  const { skuId, productId } = await product(t, s, 10, priceFen);
  const b = await buyer(t, s);
  const order = await placeOrder(t, s, b, [{ skuId, quantity: 2 }]);
  const pay = (
    await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'alipay_wap', returnPath: `/s/${s.shop.slug}/` })
      .expect(200)
  ).body;
  expect((await t.alipay.openPayUrl(pay.redirectUrl)).status).toBe(200);
  return { order, pay, b, productId };
}

const deliver = (n: { url: string; form: Record<string, string> }) =>
  t.api.post(new URL(n.url).pathname).type('form').send(n.form);
const salesOf = async (productId: number) =>
  Number(
    (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(s.merchant)).expect(200)).body
      .salesCount,
  );
const statusOf = async (orderId: number) =>
  String((await t.platform.knex('orders').where({ id: orderId }).first()).status);

describe('Alipay (mobile site) against a local gateway that signs as Alipay does (RSA2)', () => {
  it('is offered on the web build only; a signed notification pays the order once', async () => {
    expect((await t.api.get(s.url('/payment-methods?client=h5')).expect(200)).body.methods).toEqual(['alipay_wap']);
    expect((await t.api.get(s.url('/payment-methods?client=mp-weixin')).expect(200)).body.methods).toEqual([]);
    const { order, pay, productId } = await unpaid(12345);
    const trade = t.alipay.trade(pay.paymentNo);
    expect(trade).toMatchObject({
      total: 24690,
      notifyUrl: expect.stringContaining(`/webhooks/pay/alipay/${s.shop.id}`),
    });
    t.alipay.pay(pay.paymentNo);
    const n = t.alipay.notification(pay.paymentNo);
    const res = await deliver(n);
    expect(res.text).toBe('success');
    expect((await deliver(n)).text).toBe('success');
    expect(await statusOf(order.id)).toBe('paid');
    expect((await t.platform.knex('order_events').where({ order_id: order.id, type: 'paid' })).length).toBe(1);
    // The notification delivered twice, and a second one for the same payment: the sale counts once.
    expect((await deliver(t.alipay.notification(pay.paymentNo))).text).toBe('success');
    expect(await salesOf(productId)).toBe(2);
  });

  it('refuses forged, mismatched and foreign notifications', async () => {
    const { order, pay } = await unpaid(5000);
    t.alipay.pay(pay.paymentNo);
    const attacker = FakeAlipay.appCredentials();
    for (const n of [
      t.alipay.notification(pay.paymentNo, { signWithKeyPem: attacker.privateKeyPem }),
      t.alipay.notification(pay.paymentNo, { totalAmount: '0.01' }),
      t.alipay.notification(pay.paymentNo, { appId: attacker.appId }),
    ]) {
      expect((await deliver(n)).text).toBe('fail');
    }
    const other = await sellingShop(t);
    const genuine = t.alipay.notification(pay.paymentNo);
    expect(
      (await deliver({ ...genuine, url: genuine.url.replace(`/alipay/${s.shop.id}`, `/alipay/${other.shop.id}`) }))
        .text,
    ).toBe('fail');
    expect(await statusOf(order.id)).toBe('pending_payment');
    expect((await deliver(genuine)).text).toBe('success');
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('refunds synchronously through alipay.trade.refund', async () => {
    const { order, pay } = await unpaid(3000);
    t.alipay.pay(pay.paymentNo);
    await deliver(t.alipay.notification(pay.paymentNo));
    const after = (
      await t.api
        .post(`/merchant-api/v1/orders/${order.id}/refunds`)
        .set(bearer(s.merchant))
        .send({ amountFen: 1000, reason: '补偿' })
        .expect(201)
    ).body;
    expect(after).toMatchObject({
      status: 'paid',
      refundedFen: 1000,
      refunds: [{ amountFen: 1000, status: 'succeeded' }],
    });
    expect(t.alipay.calls.some((c) => c.method === 'alipay.trade.refund')).toBe(true);
  });
});
