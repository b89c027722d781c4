import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite } from '../helpers/browser';
import { input, signInToConsole } from '../helpers/console-steps';
import type { DemoSuite } from '../helpers/demo-suite';
import { bearer, merchantLogin } from '../helpers/fixtures';
import { FakeUnionPay } from '../fakes/unionpay-gateway';

const M = '/merchant-api/v1';
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
});
