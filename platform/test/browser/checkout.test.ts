import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const field = (page: Page, id: string) => page.locator(`[data-testid="${id}"] input:visible, [data-testid="${id}"] textarea:visible, input[data-testid="${id}"]:visible, textarea[data-testid="${id}"]:visible`).first();
const visible = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

describe('the money path in a browser: h5 shop and merchant console', () => {
  it('browse → cart → checkout → pay (sandbox) → shipped in the console → received → reviewed → shown on the product', async () => {
    const shopper: BrowserContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await shopper.newPage();
    page.setDefaultTimeout(20_000);
    const shop = `${site.baseUrl}/s/${DEMO.tenant.slug}/`;
    const productId = Number((await site.platform.knex('products').where({ tenant_id: tenantId, title: '无线蓝牙耳机 降噪版' }).first()).id);

    // Sign in by phone and one-time code.
    const phone = '13600000017';
    await page.goto(`${shop}#/pages/user/login`);
    await field(page, 'phone-input').fill(phone);
    await visible(page, 'send-code').click();
    await eventually(() => site.sms.sent.some((s) => s.phone === phone));
    await field(page, 'code-input').fill(site.sms.lastCodeFor(phone));
    await visible(page, 'sign-in').click();
    await visible(page, 'phone-masked').waitFor();

    // Browse to the product, choose a SKU, add it to the cart.
    await page.goto(`${shop}#/pages/product/detail?id=${productId}`);
    await visible(page, 'add-to-cart').click();
    await page.locator('[data-testid="sku-option"][data-value="黑"]:visible').click();
    await page.locator('[data-testid="sku-option"][data-value="标准"]:visible').click();
    await visible(page, 'sku-confirm').click();
    await visible(page, 'go-cart').click();
    await visible(page, 'cart-line').waitFor();
    await visible(page, 'cart-checkout').click();

    // Checkout with a new address; the total is the server's.
    await visible(page, 'checkout-address-add').click();
    await field(page, 'address-name').fill('张三');
    await field(page, 'address-phone').fill('13912345678');
    await field(page, 'address-region').fill('350102');
    await page.locator('[data-testid="address-region-text"][data-code="350102"]:visible').waitFor();
    await field(page, 'address-detail').fill('五四路 100 号');
    await visible(page, 'address-save').click();
    await visible(page, 'checkout-total').filter({ hasText: '199.00' }).waitFor();
    await visible(page, 'checkout-submit').click();

    // Pay in the sandbox (the demo shop is in test mode).
    await visible(page, 'pay-method-sandbox').click();
    await visible(page, 'pay-submit').click();
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
    const order = await site.platform.knex('orders').where({ tenant_id: tenantId }).orderBy('id', 'desc').first();
    expect(order).toMatchObject({ status: 'paid', total_fen: 19900 });

    // The merchant ships it in the console.
    const merchant = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })).newPage();
    merchant.setDefaultTimeout(20_000);
    await merchant.goto(`${site.baseUrl}/console/orders/${order.id}`);
    await merchant.waitForURL(/\/console\/login/);
    await field(merchant, 'login-email').fill(DEMO.owner.email);
    await field(merchant, 'login-password').fill(DEMO.owner.password);
    await visible(merchant, 'login-submit').click();
    await visible(merchant, 'order-ship').click();
    await visible(merchant, 'ship-carrier').click();
    await visible(merchant, 'ship-carrier-option-SF').click();
    await field(merchant, 'ship-tracking-no').fill('SF1234567890123');
    await visible(merchant, 'ship-confirm').click();
    await merchant.locator('[data-testid="order-status"][data-status="shipped"]').waitFor();
    await visible(merchant, 'order-tracking-no').filter({ hasText: 'SF1234567890123' }).waitFor();

    // The shopper confirms receipt and reviews it.
    await page.reload();
    await visible(page, 'order-confirm-receipt').click();
    await visible(page, 'dialog-confirm').click();
    await page.locator('[data-testid="order-status"][data-status="completed"]:visible').waitFor();
    await visible(page, 'order-review').click();
    const line = page.locator('[data-testid="review-line-0"]:visible');
    await line.locator('[data-testid="review-star-5"]').click();
    await line.locator('[data-testid="review-content"] textarea').fill('音质很好，降噪明显');
    await visible(page, 'review-submit').click();
    await eventually(async () => Boolean(await site.platform.knex('reviews').where({ tenant_id: tenantId, order_id: order.id }).first()));

    // The review shows on the product page.
    await page.goto(`${shop}#/pages/product/detail?id=${productId}`);
    await page.reload();
    await page.locator('[data-testid="product-rating"][data-count="1"]:visible').waitFor();
    await visible(page, 'product-review').filter({ hasText: '音质很好，降噪明显' }).waitFor();
    await shopper.close();
  });
});
