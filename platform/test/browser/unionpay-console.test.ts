import type { Browser } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { input, signInToConsole } from '../helpers/console-steps';
import { bearer, merchantLogin } from '../helpers/fixtures';
import { FakeUnionPay } from '../fakes/unionpay-gateway';

const M = '/merchant-api/v1';
let gateway: FakeUnionPay;
let site: LiveSite;
let browser: Browser;
beforeAll(async () => {
  gateway = new FakeUnionPay();
  await gateway.start();
  site = await startLiveSite(gateway.env);
  browser = await launchChromium();
});
afterAll(async () => {
  // The demo shop is shared with the other browser tests of this worker: it takes no UnionPay after this file.
  const owner = bearer(
    (await merchantLogin(site, { email: DEMO.owner.email, password: DEMO.owner.password })).accessToken,
  );
  await site.api.delete(`${M}/payment-settings/unionpay`).set(owner).expect(200);
  await browser?.close();
  await site?.close();
  await gateway.close();
});

describe('银联支付 in the console’s payment settings', () => {
  it('a merchant uploads the signing .pfx: a wrong password is refused in Chinese, the right one stores the certificate', async () => {
    const merchant = FakeUnionPay.merchant();
    const page = await signInToConsole({ site, browser });
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
  });
});
