import type { Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { fromMenu, signInToConsole } from '../helpers/console-steps';
import { addressByApi, demoProduct, demoShopApi, demoSuite } from '../helpers/demo-suite';
import { bearer, shopperLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();

/** The count before the page's name in the tab's title ("(2) 订单列表 · Shopfleet"), 0 without one. */
const titleCount = async (page: Page) => Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);

describe('live alerts in the console', () => {
  it('a shopper pays an order while the merchant is on the order list: a toast, the tab title count and the bell', async () => {
    const page = await signInToConsole(demo);
    await fromMenu(page, 'merchant-order-center', 'merchant-orders');
    await page.locator('[data-testid="orders-table"]').waitFor();
    await page.locator('[data-testid="alerts-sound"][data-live="ready"]').waitFor();
    // The sound is on by default; muting is remembered in this browser.
    await page.locator('[data-testid="alerts-sound"]').click();
    await page.locator('[data-testid="alerts-sound"][data-muted="true"]').waitFor();
    await page.reload();
    await page.locator('[data-testid="alerts-sound"][data-muted="true"][data-live="ready"]').waitFor();
    await page.locator('[data-testid="alerts-sound"]').click();
    await page.locator('[data-testid="alerts-sound"][data-muted="false"]').waitFor();
    const bell = page.locator('[data-testid="notifications-bell"]');
    const unreadBefore = Number(await bell.getAttribute('data-unread'));
    const titleBefore = await titleCount(page);

    // A shopper of the demo shop orders and pays (the demo shop is in test mode: the sandbox pays).
    const { site } = demo;
    const shopper = bearer((await shopperLogin(site, DEMO.tenant.slug)).accessToken);
    const addressId = await addressByApi(demo, shopper, {
      name: '提醒',
      phone: '13600000091',
      detail: `提醒路 ${uid()}`,
    });
    const productId = await demoProduct(demo, '北欧陶瓷马克杯');
    const sku = (await site.api.get(demoShopApi(`/products/${productId}`)).expect(200)).body.skus[0].id as number;
    const order = (
      await site.api
        .post(demoShopApi('/orders'))
        .set(shopper)
        .set('Idempotency-Key', `alert-${uid()}`)
        .send({ items: [{ skuId: sku, quantity: 1 }], addressId })
        .expect(201)
    ).body as { id: number; orderNo: string };
    const pay = await site.api
      .post(demoShopApi(`/orders/${order.id}/pay`))
      .set(shopper)
      .send({ method: 'sandbox' })
      .expect(200);
    await site.api
      .post(demoShopApi(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(shopper)
      .expect(200);

    // The merchant, still on the order list, sees it at once: a toast, the title's count, the bell's count.
    await page.locator('.sf-alert-toast', { hasText: order.orderNo }).waitFor();
    await page.locator('.sf-alert-toast', { hasText: '新订单' }).waitFor();
    await page.waitForFunction((n) => document.title.startsWith(`(${n}) 订单列表`), titleBefore + 1);
    await page.locator(`[data-testid="notifications-bell"][data-unread="${unreadBefore + 1}"]`).waitFor();
    expect(page.url()).toContain('/orders');

    // Opening the bell shows it, and the title's count of alerts goes back.
    await bell.click();
    await page.locator('[data-testid="notifications-dropdown"]', { hasText: order.orderNo }).waitFor();
    await page.waitForFunction((n) => !document.title.startsWith(`(${n + 1})`), titleBefore);
    expect(await titleCount(page)).toBe(titleBefore);
    await page.context().close();
  });
});
