import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite } from '../helpers/browser';
import { input, signInToConsole } from '../helpers/console-steps';
import { demoProduct, type DemoSuite } from '../helpers/demo-suite';
import { bearer, merchantLogin } from '../helpers/fixtures';
import {
  addAddressAtCheckout,
  buyNow,
  latestOrderOf,
  openProduct,
  phone,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';
import { FakeUnionPay } from '../fakes/unionpay-gateway';

const M = '/merchant-api/v1';
const EARBUDS = '无线蓝牙耳机 降噪版';
let gateway: FakeUnionPay;
/** The demo shop on a live site whose UnionPay gateway is the fake. */
const demo = { started: { templates: [], promotions: [] } } as unknown as DemoSuite;
const merchant = FakeUnionPay.merchant();

beforeAll(async () => {
  gateway = new FakeUnionPay();
  await gateway.start();
  gateway.registerMerchant(merchant);
  demo.site = await startLiveSite(gateway.env);
  demo.browser = await launchChromium();
  demo.tenantId = (await demo.site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
  demo.merchant = bearer(
    (await merchantLogin(demo.site, { email: DEMO.owner.email, password: DEMO.owner.password })).accessToken,
  );
});
afterAll(async () => {
  // The demo shop is shared with the other browser tests of this worker: back in test mode, without UnionPay.
  if (demo.merchant) {
    await demo.site.api.put(`${M}/payment-settings/mode`).set(demo.merchant).send({ testMode: true }).expect(200);
    await demo.site.api.delete(`${M}/payment-settings/unionpay`).set(demo.merchant).expect(200);
  }
  await demo.browser?.close();
  await demo.site?.close();
  await gateway.close();
});

describe('银联支付', () => {
  it('a merchant uploads the signing .pfx in the console: a wrong password is refused in Chinese, the right one stores the certificate', async () => {
    const { site } = demo;
    const page = await signInToConsole(demo);
    await page.goto(`${site.baseUrl}/console/payment-settings`);
    const card = page.locator('[data-testid="unionpay-card"]');
    await card.locator('[data-testid="unionpay-form"]').waitFor();
    await input(card, 'unionpay-mer-id').fill(merchant.merId);
    await card
      .locator('[data-testid="unionpay-pfx"]')
      .setInputFiles({ name: 'acp_sign.pfx', mimeType: 'application/x-pkcs12', buffer: merchant.pfx });
    await card.getByText('acp_sign.pfx').waitFor();
    await input(card, 'unionpay-pfx-password').fill('not-the-password');
    await card.locator('[data-testid="unionpay-save"]').click();
    await page.locator('.el-message--error', { hasText: '证书密码无法打开该 .pfx 文件' }).waitFor();

    await input(card, 'unionpay-pfx-password').fill(merchant.password);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/payment-settings/unionpay`) && r.request().method() === 'PUT' && r.ok(),
    );
    await card.locator('[data-testid="unionpay-save"]').click();
    await saved;
    await card.locator('[data-testid="unionpay-configured"]').waitFor();
    expect(await card.locator('[data-testid="unionpay-cert"]').innerText()).toContain(merchant.certId);
    expect(await input(page, 'notify-url-unionpay').inputValue()).toMatch(/\/webhooks\/pay\/unionpay\/\d+$/);
    await page.context().close();
  });

  it('a shopper pays with UnionPay in the h5 shop: the signed form goes to UnionPay’s page, and its back notification pays the order', async () => {
    const { site } = demo;
    await site.api.put(`${M}/payment-settings/mode`).set(demo.merchant).send({ testMode: false }).expect(200);
    const shopper = await phone(demo);
    const shopperId = await signInByPhone(demo, shopper.page, '13600000271');
    await openProduct(site, shopper.page, await demoProduct(demo, EARBUDS));
    await buyNow(shopper.page, { specValues: ['黑', '标准'], quantity: 1 });
    await addAddressAtCheckout(shopper.page, { name: '林一', phone: '13912345671', detail: '五四路 271 号' });
    await visible(shopper.page, 'checkout-submit').click();
    await visible(shopper.page, 'pay-method-unionpay_wap').click();
    await visible(shopper.page, 'pay-submit').click();
    // The browser posted the form to UnionPay's front gateway, which checked the merchant's signature.
    await shopper.page.locator('[data-testid="unionpay-confirm"]').waitFor();
    const order = await latestOrderOf(demo, shopperId);
    const payment = await site.platform.knex('payments').where({ order_id: order.id }).first();
    expect(await shopper.page.locator('[data-testid="unionpay-amount"]').innerText()).toBe(
      `￥${(Number(order.total_fen) / 100).toFixed(2)}`,
    );
    gateway.pay(String(payment.payment_no));
    const n = gateway.notification(String(payment.payment_no));
    const answer = await site.api.post(new URL(n.url).pathname).type('form').send(n.form);
    expect(answer.status).toBe(200);
    expect((await latestOrderOf(demo, shopperId)).status).toBe('paid');
    await shopper.context.close();
  });
});
