import { createVerify } from 'node:crypto';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';
import { FakeWechatPay, type WechatPayMerchantCredentials } from '../../fakes/wechatpay-server';

let t: TestPlatform;
let s: SellingShop;
let creds: WechatPayMerchantCredentials;
const appId = 'wx1234567890abcdef';
beforeAll(async () => {
  t = await startTestPlatform({}, { serviceProvider: true });
  s = await sellingShop(t);
  creds = FakeWechatPay.merchantCredentials();
  t.wechatpay.registerMerchant(creds);
  const m = (path: string) => `/merchant-api/v1${path}`;
  await t.api
    .put(m('/payment-settings/wechat'))
    .set(bearer(s.merchant))
    .send({
      mode: 'merchant',
      appId,
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
afterAll(() => t.close());

const webhook = (url: string) => new URL(url).pathname;

/** A shopper who signed in through WeChat in this shop's mini-program (has an openid). */
async function wechatBuyer(shop = s) {
  const b = await buyer(t, shop);
  const openid = `o${uid()}${uid()}`;
  await t.platform.knex('shoppers').where({ id: b.shopperId }).update({ openid });
  return { ...b, openid };
}

async function unpaid(shop = s, priceFen = 1999) {
  const { skuId } = await product(t, shop, 10, priceFen);
  const b = await wechatBuyer(shop);
  const order = await placeOrder(t, shop, b, [{ skuId, quantity: 1 }]);
  const pay = (
    await t.api
      .post(shop.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'wechat_jsapi' })
      .expect(200)
  ).body;
  return { order, pay, b, skuId };
}

async function deliver(n: { url: string; headers: Record<string, string>; body: string }) {
  return t.api.post(webhook(n.url)).set(n.headers).set('content-type', 'application/json').send(n.body);
}

const statusOf = async (orderId: number) =>
  String((await t.platform.knex('orders').where({ id: orderId }).first()).status);

describe('WeChat Pay (merchant mode) against a local WeChat Pay that signs and encrypts as the real one', () => {
  it('offers JSAPI in the mini-program and H5 / Native on the web; secrets never come back', async () => {
    expect((await t.api.get(s.url('/payment-methods?client=mp-weixin')).expect(200)).body).toEqual({
      testMode: false,
      methods: ['wechat_jsapi'],
    });
    expect((await t.api.get(s.url('/payment-methods?client=h5')).expect(200)).body.methods).toEqual([
      'wechat_h5',
      'wechat_native',
    ]);
    const settings = (await t.api.get('/merchant-api/v1/payment-settings').set(bearer(s.merchant)).expect(200)).body;
    expect(settings.wechat).toMatchObject({
      mode: 'merchant',
      mchId: creds.mchid,
      hasPrivateKey: true,
      hasApiV3Key: true,
      hasPublicKey: true,
    });
    expect(JSON.stringify(settings)).not.toContain('PRIVATE KEY');
    const row = await t.platform.knex('payment_settings').where({ tenant_id: s.shop.id }).first();
    expect(String(row.wechat_secret)).not.toContain('PRIVATE');
  });

  it('JSAPI prepay returns wx.requestPayment parameters signed with the merchant key; the notification pays the order once', async () => {
    const { order, pay } = await unpaid();
    expect(pay.method).toBe('wechat_jsapi');
    const p = pay.requestPayment;
    expect(p).toMatchObject({ appId, signType: 'RSA' });
    expect(p.package).toMatch(/^prepay_id=/);
    expect(
      createVerify('RSA-SHA256')
        .update(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`)
        .verify(creds.publicKeyPem, p.paySign, 'base64'),
    ).toBe(true);
    const prepay = t.wechatpay.calls.find(
      (c) =>
        c.path === '/v3/pay/transactions/jsapi' && (c.body as { out_trade_no: string }).out_trade_no === pay.paymentNo,
    )!;
    expect(prepay.body).toMatchObject({
      appid: appId,
      mchid: creds.mchid,
      amount: { total: 1999, currency: 'CNY' },
      notify_url: expect.stringContaining(`/webhooks/pay/wechat/${s.shop.id}`),
    });

    t.wechatpay.pay(pay.paymentNo);
    const n = t.wechatpay.transactionNotification(pay.paymentNo);
    // Delivered twice and out of order with a second notification of the same payment: paid exactly once.
    const second = t.wechatpay.transactionNotification(pay.paymentNo);
    expect((await deliver(second)).status).toBe(204);
    expect((await deliver(n)).status).toBe(204);
    expect((await deliver(second)).status).toBe(204);
    expect(await statusOf(order.id)).toBe('paid');
    const events = (await t.platform.knex('order_events').where({ order_id: order.id, type: 'paid' })).length;
    expect(events).toBe(1);
    const merchantView = (await t.api.get(`/merchant-api/v1/orders/${order.id}`).set(bearer(s.merchant)).expect(200))
      .body;
    expect(merchantView).toMatchObject({
      wechatShipping: 'pending',
      payment: { provider: 'wechatpay', method: 'wechat_jsapi', amountFen: 1999 },
    });
  });

  it('refuses forged, replayed, tampered, mismatched and foreign notifications, changing nothing', async () => {
    const { order, pay } = await unpaid();
    t.wechatpay.pay(pay.paymentNo);
    const attacker = FakeWechatPay.merchantCredentials();
    const attempts = [
      t.wechatpay.transactionNotification(pay.paymentNo, { signWithKeyPem: attacker.privateKeyPem }),
      t.wechatpay.transactionNotification(pay.paymentNo, {
        timestamp: Math.floor(t.clock.now().getTime() / 1000) - 3600,
      }),
      t.wechatpay.transactionNotification(pay.paymentNo, { tamperCiphertext: true }),
      t.wechatpay.transactionNotification(pay.paymentNo, { amountTotal: 1 }),
      t.wechatpay.transactionNotification(pay.paymentNo, { apiV3Key: attacker.apiV3Key }),
    ];
    for (const n of attempts) {
      const res = await deliver(n);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'FAIL' });
    }
    // The genuine notification sent to another shop's URL: that shop cannot decrypt or match it.
    const other = await sellingShop(t);
    const genuine = t.wechatpay.transactionNotification(pay.paymentNo);
    expect(
      (await deliver({ ...genuine, url: genuine.url.replace(`/wechat/${s.shop.id}`, `/wechat/${other.shop.id}`) }))
        .status,
    ).toBe(400);
    expect(
      (await deliver({ ...genuine, url: genuine.url.replace(`/wechat/${s.shop.id}`, '/wechat/999999999') })).status,
    ).toBe(400);
    expect(await statusOf(order.id)).toBe('pending_payment');
    expect(
      (await t.platform.knex('payment_notifications').where({ tenant_id: s.shop.id, reference: pay.paymentNo })).length,
    ).toBe(0);
    // The genuine one, to the right shop, pays; replaying it changes nothing.
    expect((await deliver(genuine)).status).toBe(204);
    expect((await deliver(genuine)).status).toBe(204);
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('refunds through WeChat Pay: PROCESSING first, then the refund notification settles it', async () => {
    const { order, pay } = await unpaid(s, 5000);
    await deliver((t.wechatpay.pay(pay.paymentNo), t.wechatpay.transactionNotification(pay.paymentNo)));
    const refunded = (
      await t.api
        .post(`/merchant-api/v1/orders/${order.id}/refunds`)
        .set(bearer(s.merchant))
        .send({ amountFen: 1200, reason: '少发一件' })
        .expect(201)
    ).body;
    expect(refunded).toMatchObject({ refundedFen: 1200, refunds: [{ amountFen: 1200, status: 'processing' }] });
    const refundNo = refunded.refunds[0].refundNo as string;
    const call = t.wechatpay.calls.find(
      (c) =>
        c.path === '/v3/refund/domestic/refunds' && (c.body as { out_refund_no: string }).out_refund_no === refundNo,
    )!;
    expect(call.body).toMatchObject({
      out_trade_no: pay.paymentNo,
      amount: { refund: 1200, total: 5000, currency: 'CNY' },
    });
    t.wechatpay.completeRefund(refundNo);
    const forgedRefund = t.wechatpay.refundNotification(refundNo, { amountRefund: 5000 });
    expect((await deliver(forgedRefund)).status).toBe(400);
    expect((await deliver(t.wechatpay.refundNotification(refundNo))).status).toBe(204);
    const after = (await t.api.get(`/merchant-api/v1/orders/${order.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(after.refunds[0]).toMatchObject({ status: 'succeeded' });
    expect(after.events.map((e: { type: string }) => e.type)).toContain('refunded');
    // More than what is left is refused before it reaches WeChat Pay.
    await t.api
      .post(`/merchant-api/v1/orders/${order.id}/refunds`)
      .set(bearer(s.merchant))
      .send({ amountFen: 3801, reason: 'x' })
      .expect(409);
  });

  it('closes the WeChat Pay trade when the payment window ends, and refunds a payment that still arrives', async () => {
    const { order, pay } = await unpaid(s, 800);
    const later = new Date(Date.parse(order.paymentDeadline) + 1000);
    expect(await t.platform.services.cancelOrder.closeIfExpired(systemCtx(t, s.shop.id), order.id, later)).toBe(true);
    expect(t.wechatpay.calls.some((c) => c.path === `/v3/pay/transactions/out-trade-no/${pay.paymentNo}/close`)).toBe(
      true,
    );
    // The shopper paid in the instant before the close reached WeChat Pay.
    t.wechatpay.trade(pay.paymentNo).state = 'NOTPAY';
    t.wechatpay.pay(pay.paymentNo);
    expect((await deliver(t.wechatpay.transactionNotification(pay.paymentNo))).status).toBe(204);
    const after = (await t.api.get(`/merchant-api/v1/orders/${order.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(after).toMatchObject({
      status: 'cancelled',
      refunds: [{ kind: 'late_payment', amountFen: 800, status: 'processing' }],
    });
  });

  it('H5 and Native prepay for the web build', async () => {
    const { skuId } = await product(t, s, 5, 1000);
    const b = await wechatBuyer();
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    const h5 = (
      await t.api
        .post(s.url(`/orders/${order.id}/pay`))
        .set(bearer(b.token))
        .send({ method: 'wechat_h5', returnPath: `/s/${s.shop.slug}/#/pages/order/detail?id=${order.id}` })
        .expect(200)
    ).body;
    expect(h5.h5Url).toContain('redirect_url=');
    const native = (
      await t.api
        .post(s.url(`/orders/${order.id}/pay`))
        .set(bearer(b.token))
        .send({ method: 'wechat_native' })
        .expect(200)
    ).body;
    expect(native.codeUrl).toMatch(/^weixin:\/\//);
  });

  it('JSAPI needs a shopper signed in with WeChat: one who is not is told so by reason, and no trade is opened', async () => {
    const { skuId } = await product(t, s, 5, 1000);
    const b = await buyer(t, s);
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    const res = await t.api
      .post(s.url(`/orders/${order.id}/pay`))
      .set(bearer(b.token))
      .send({ method: 'wechat_jsapi' })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'PAYMENT_NEEDS_WECHAT_SIGN_IN',
      details: { providerCode: 'NO_OPENID' },
    });
    expect(t.wechatpay.calls.filter((c) => JSON.stringify(c.body ?? {}).includes(order.orderNo))).toEqual([]);
  });

  it('daily reconciliation flags a payment WeChat Pay has that no notification applied', async () => {
    const { pay } = await unpaid(s, 700);
    t.wechatpay.pay(pay.paymentNo);
    const day = new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await t.platform.services.payments.reconcile(systemCtx(t, s.shop.id), day)).toBeGreaterThanOrEqual(1);
    const found = (await t.api.get('/merchant-api/v1/payments/discrepancies').set(bearer(s.merchant)).expect(200)).body;
    expect(found.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ paymentNo: pay.paymentNo, kind: 'paid_not_recorded', day })]),
    );
  });
});

describe("reporting shipping to WeChat's order-shipping API", () => {
  it('a shipped JSAPI order is reported with its transaction, parcel and payer, through the authorized mini-program', async () => {
    const ticket = `ticket-${uid()}`;
    t.wechat.registerComponent(t.config.WECHAT_COMPONENT_APPID!, t.config.WECHAT_COMPONENT_APPSECRET!, ticket);
    await t.platform.componentTokens.saveTicket(ticket);
    const ctx = systemCtx(t, s.shop.id);
    const { order, pay, b } = await unpaid(s, 2500);
    await deliver(
      (t.wechatpay.pay(pay.paymentNo, { openid: b.openid }), t.wechatpay.transactionNotification(pay.paymentNo)),
    );

    // Not authorized yet: the report fails for good and the merchant sees it.
    await t.api
      .post(`/merchant-api/v1/orders/${order.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: 'SF7777777777' })
      .expect(200);
    const jobs = await t.platform.queues.get('payments').getJobs(['delayed', 'waiting', 'prioritized']);
    expect(jobs.some((j) => j.name === 'upload-shipping' && j.data.orderId === order.id)).toBe(true);
    expect(await t.platform.services.shipmentReports.upload(ctx, order.id)).toBe('failed');
    expect((await t.api.get(`/merchant-api/v1/orders/${order.id}`).set(bearer(s.merchant))).body.wechatShipping).toBe(
      'failed',
    );

    // Authorized (as the authorization callback records it): the retry goes through.
    t.wechat.registerAuthorizer(appId, 'refresh-token-1');
    await t.platform.services.authorizations.save(ctx, {
      authorizerAppid: appId,
      refreshToken: 'refresh-token-1',
      funcInfo: [18],
    });
    expect(await t.platform.services.shipmentReports.upload(ctx, order.id)).toBe('uploaded');
    const sent = t.wechat.shippingUploads.at(-1)!;
    const trade = t.wechatpay.trade(pay.paymentNo);
    expect(sent).toMatchObject({
      appid: appId,
      body: {
        order_key: { order_number_type: 2, transaction_id: trade.transactionId },
        shipping_list: [
          { tracking_no: 'SF7777777777', express_company: 'SF', contact: { receiver_contact: '137****0000' } },
        ],
        payer: { openid: b.openid },
      },
    });
    const merchantView = (await t.api.get(`/merchant-api/v1/orders/${order.id}`).set(bearer(s.merchant))).body;
    expect(merchantView.wechatShipping).toBe('uploaded');
    expect(merchantView.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['wechat_shipping_failed', 'wechat_shipping_uploaded']),
    );
    // Reported once: a second run has nothing to do.
    expect(await t.platform.services.shipmentReports.upload(ctx, order.id)).toBe('skipped');

    // A token WeChat no longer takes is renewed once, transparently.
    const next = await unpaid(s, 2600);
    await deliver(
      (t.wechatpay.pay(next.pay.paymentNo, { openid: next.b.openid }),
      t.wechatpay.transactionNotification(next.pay.paymentNo)),
    );
    await t.api
      .post(`/merchant-api/v1/orders/${next.order.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: 'YD', trackingNo: 'YD123456789' })
      .expect(200);
    t.wechat.expireAuthorizerTokens();
    expect(await t.platform.services.shipmentReports.upload(ctx, next.order.id)).toBe('uploaded');
  });
});

describe('WeChat Pay as a sub-merchant of the platform', () => {
  it('prepays through the partner API and verifies notifications with the service provider keys and sub_mchid', async () => {
    const shop = await sellingShop(t);
    const subMchId = `19${String(Date.now()).slice(-8)}`;
    t.wechatpay.registerSubMerchant(t.serviceProvider!.mchid, subMchId);
    await t.api
      .put('/merchant-api/v1/payment-settings/wechat')
      .set(bearer(shop.merchant))
      .send({ mode: 'partner', appId: 'wxabcdef1234567890', subMchId })
      .expect(200);
    await t.api
      .put('/merchant-api/v1/payment-settings/mode')
      .set(bearer(shop.merchant))
      .send({ testMode: false })
      .expect(200);
    const { order, pay } = await unpaid(shop, 4200);
    const prepay = t.wechatpay.calls.find(
      (c) =>
        c.path === '/v3/pay/partner/transactions/jsapi' &&
        (c.body as { out_trade_no: string }).out_trade_no === pay.paymentNo,
    )!;
    expect(prepay.body).toMatchObject({
      sp_mchid: t.serviceProvider!.mchid,
      sub_mchid: subMchId,
      sub_appid: 'wxabcdef1234567890',
      sp_appid: t.serviceProvider!.appid,
    });
    t.wechatpay.pay(pay.paymentNo);
    expect((await deliver(t.wechatpay.transactionNotification(pay.paymentNo))).status).toBe(204);
    expect(await statusOf(order.id)).toBe('paid');
  });
});
