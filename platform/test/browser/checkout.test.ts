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

const field = (page: Page, id: string) =>
  page
    .locator(
      `[data-testid="${id}"] input:visible, [data-testid="${id}"] textarea:visible, input[data-testid="${id}"]:visible, textarea[data-testid="${id}"]:visible`,
    )
    .first();
const visible = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

describe('the money path in a browser: h5 shop and merchant console', () => {
  it('browse → cart → checkout → pay (sandbox) → shipped in the console → received → reviewed → shown on the product', async () => {
    const shopper: BrowserContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await shopper.newPage();
    page.setDefaultTimeout(20_000);
    const shop = `${site.baseUrl}/s/${DEMO.tenant.slug}/`;
    const productId = Number(
      (await site.platform.knex('products').where({ tenant_id: tenantId, title: '无线蓝牙耳机 降噪版' }).first()).id,
    );

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
    const merchant = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })
    ).newPage();
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
    await eventually(async () =>
      Boolean(await site.platform.knex('reviews').where({ tenant_id: tenantId, order_id: order.id }).first()),
    );

    // The review shows on the product page.
    await page.goto(`${shop}#/pages/product/detail?id=${productId}`);
    await page.reload();
    await page.locator('[data-testid="product-rating"][data-count="1"]:visible').waitFor();
    await visible(page, 'product-review').filter({ hasText: '音质很好，降噪明显' }).waitFor();
    await shopper.close();
  });

  it('the console refuses a refund above what is left, shows the amount and asks before sending; a full refund closes the order', async () => {
    // The shopper signs in in the shop; a paid order of theirs is placed and paid through the shop API.
    const shopper: BrowserContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await shopper.newPage();
    page.setDefaultTimeout(20_000);
    const shop = `${site.baseUrl}/s/${DEMO.tenant.slug}/`;
    const phone = '13600000029';
    await page.goto(`${shop}#/pages/user/login`);
    await field(page, 'phone-input').fill(phone);
    await visible(page, 'send-code').click();
    await eventually(() => site.sms.sent.some((s) => s.phone === phone));
    await field(page, 'code-input').fill(site.sms.lastCodeFor(phone));
    await visible(page, 'sign-in').click();
    await visible(page, 'phone-masked').waitFor();
    const shopperId = Number((await site.platform.knex('shoppers').where({ tenant_id: tenantId, phone }).first()).id);
    const session = await site.platform.services.sessions.start(
      { requestId: 'test', tenantId, actor: { type: 'system', job: 'test' }, log: site.platform.log },
      { audience: 'shopper', subjectId: shopperId, tenantId },
    );
    const shopApi = (path: string) => `/shop-api/v1/shops/${DEMO.tenant.slug}${path}`;
    const auth = { Authorization: `Bearer ${session.accessToken}` };
    const address = (
      await site.api
        .post(shopApi('/addresses'))
        .set(auth)
        .send({
          name: '李四',
          phone: '13912345679',
          regionCode: '350102',
          province: '福建省',
          city: '福州市',
          district: '鼓楼区',
          detail: '五四路 1 号',
        })
        .expect(201)
    ).body;
    const sku = await site.platform
      .knex('skus')
      .where({ tenant_id: tenantId })
      .where('stock', '>', 2)
      .orderBy('id')
      .first();
    const placed = (
      await site.api
        .post(shopApi('/orders'))
        .set(auth)
        .set('Idempotency-Key', `refund-${Date.now()}`)
        .send({ items: [{ skuId: sku.id, quantity: 1 }], addressId: address.id })
        .expect(201)
    ).body;
    const pay = (
      await site.api
        .post(shopApi(`/orders/${placed.id}/pay`))
        .set(auth)
        .send({ method: 'sandbox' })
        .expect(200)
    ).body;
    await site.api
      .post(shopApi(`/payments/${pay.paymentNo}/sandbox-confirm`))
      .set(auth)
      .expect(200);
    const total = placed.totalFen as number;
    const yuan = (fen: number) => (fen / 100).toFixed(2);

    const merchant = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })
    ).newPage();
    merchant.setDefaultTimeout(20_000);
    await merchant.goto(`${site.baseUrl}/console/orders/${placed.id}`);
    await merchant.waitForURL(/\/console\/login/);
    await field(merchant, 'login-email').fill(DEMO.owner.email);
    await field(merchant, 'login-password').fill(DEMO.owner.password);
    await visible(merchant, 'login-submit').click();
    await merchant.locator('[data-testid="order-status"][data-status="paid"]').waitFor();

    // By amount (the dialog opens on refunds by item). One fen more than was paid: the field says so, it is not cut
    // down, and nothing is sent.
    await visible(merchant, 'order-refund').click();
    await visible(merchant, 'refund-mode-amount').click();
    await field(merchant, 'refund-amount').fill(yuan(total + 1));
    await field(merchant, 'refund-reason').fill('顾客不要了');
    await visible(merchant, 'refund-confirm').click();
    await visible(merchant, 'refund-dialog')
      .locator('.el-form-item__error')
      .filter({ hasText: `退款金额不能超过 ¥${yuan(total)}` })
      .waitFor();
    expect(await field(merchant, 'refund-amount').inputValue()).toBe(yuan(total + 1));
    expect(await site.platform.knex('refunds').where({ tenant_id: tenantId, order_id: placed.id })).toEqual([]);

    // All of it: the amount is shown with what it does, and going back sends nothing.
    await field(merchant, 'refund-amount').fill(yuan(total));
    await visible(merchant, 'refund-confirm').click();
    const box = merchant.locator('.el-message-box:visible');
    await box
      .filter({ hasText: `将向顾客全额退款 ¥${yuan(total)}` })
      .filter({ hasText: '订单将关闭' })
      .waitFor();
    await box.getByRole('button', { name: '返回修改' }).click();
    await box.waitFor({ state: 'hidden' });
    expect(await site.platform.knex('refunds').where({ tenant_id: tenantId, order_id: placed.id })).toEqual([]);
    await visible(merchant, 'refund-confirm').click();
    await box.getByRole('button', { name: `退款 ¥${yuan(total)}` }).click();

    await merchant
      .locator('[data-testid="order-status"][data-status="refunded"]')
      .filter({ hasText: '已退款' })
      .waitFor();
    await visible(merchant, 'order-refunded-notice').waitFor();
    expect(await merchant.locator('[data-testid="order-ship"]:visible').count()).toBe(0);
    const refunds = await site.platform.knex('refunds').where({ tenant_id: tenantId, order_id: placed.id });
    expect(refunds.map((r) => Number(r.amount_fen))).toEqual([total]);
    await merchant.context().close();

    // The shopper reads that it was refunded and is closed, not that it waits to be shipped.
    await page.goto(`${shop}#/pages/order/detail?id=${placed.id}`);
    await page
      .locator('[data-testid="order-status"][data-status="refunded"]:visible')
      .filter({ hasText: '已退款' })
      .waitFor();
    await page.getByText('款项已全额退回，交易关闭').first().waitFor();
    expect(await page.getByText('等待商家发货').count()).toBe(0);
    await shopper.close();
  });
});
