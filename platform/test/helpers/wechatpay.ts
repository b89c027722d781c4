import type { TestPlatform } from './test-platform';
import { uid } from './test-platform';
import { bearer } from './fixtures';
import { buyer, placeOrder, product, sellingShop, type SellingShop } from './orders';

const M = '/merchant-api/v1';

/** A shop paying out as a sub-merchant of the platform's service-provider account. */
export async function subMerchantShop(t: TestPlatform): Promise<SellingShop & { subMchId: string }> {
  const s = await sellingShop(t);
  const subMchId = `19${uid().replace(/\D/g, '').padEnd(8, '7').slice(0, 8)}`;
  t.wechatpay.registerSubMerchant(t.serviceProvider!.mchid, subMchId);
  await t.api
    .put(`${M}/payment-settings/wechat`)
    .set(bearer(s.merchant))
    .send({ mode: 'partner', appId: 'wxabcdef1234567890', subMchId })
    .expect(200);
  await t.api.put(`${M}/payment-settings/mode`).set(bearer(s.merchant)).send({ testMode: false }).expect(200);
  return { ...s, subMchId };
}

/** An order of the shop paid with WeChat Pay (the payment notification delivered). */
export async function paidWithWechat(t: TestPlatform, s: SellingShop, priceFen: number) {
  const { skuId } = await product(t, s, 10, priceFen);
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
  ).body as { paymentNo: string };
  t.wechatpay.pay(pay.paymentNo);
  await deliverTo(t, t.wechatpay.transactionNotification(pay.paymentNo));
  return { order, paymentNo: pay.paymentNo, b };
}

/** POSTs a notification the fake built to the platform, as WeChat Pay would. */
export const deliverTo = (t: TestPlatform, n: { url: string; headers: Record<string, string>; body: string }) =>
  t.api.post(new URL(n.url).pathname).set(n.headers).set('content-type', 'application/json').send(n.body);
