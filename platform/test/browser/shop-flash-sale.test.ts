import type { Page } from 'playwright-core';
import type { FlashSession } from '@shopfleet/contracts';
import { demoProduct, demoShopApi, demoSuite, merchantOrder } from '../helpers/demo-suite';
import { serverClockToNow } from '../helpers/console-steps';
import { addAddressAtCheckout, latestOrderOf, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥109.00 粉, 30 in stock, bought by no other browser test; 5 of them go into the session. */
const FLASK = '316不锈钢保温杯 500ml';

describe('秒杀 in the h5 shop on a phone', () => {
  /** Sessions the tests set up, stopped at the end: their stock goes back to the demo shop's SKUs. */
  const started: number[] = [];
  afterAll(async () => {
    for (const id of started) await demo.site.api.post(`${M}/flash-sessions/${id}/stop`).set(demo.merchant);
  });

  it('a shopper opens the running 秒杀 from the home page, grabs one at the 秒杀价 on the product in flash mode, pays in the sandbox and sees the order tagged 秒杀; a second one beyond the limit is refused in Chinese', async () => {
    const { site, merchant } = demo;
    const flask = await demoProduct(demo, FLASK);
    const skus = (await site.api.get(demoShopApi(`/products/${flask}`)).expect(200)).body.skus as Array<{
      id: number;
      specValues: string[];
    }>;
    const pink = skus.find((s) => s.specValues[0] === '粉')!.id;

    // Running from a minute ago for two hours: the pink flask at ¥59.90, 5 of them, 1 per shopper.
    serverClockToNow(site);
    const now = site.clock.now().getTime();
    const session = (
      await site.api
        .post(`${M}/flash-sessions`)
        .set(merchant)
        .send({
          name: `保温杯秒杀 ${Date.now().toString(36)}`,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 2 * 3_600_000).toISOString(),
          paymentWindowMinutes: 5,
          items: [{ skuId: pink, flashPriceFen: 5_990, stock: 5, perShopperLimit: 1 }],
        })
        .expect(201)
    ).body as FlashSession;
    started.push(session.id);
    const itemId = session.items[0]!.id;

    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000101');

    // 首页 → 限时秒杀: the running session's tab, its countdown to the end, the flask at ¥59.90 (¥109.00 struck).
    await page.goto(shopHome(site));
    await visible(page, 'block-flash-sale')
      .filter({ hasText: '限时秒杀' })
      .locator('[data-testid="block-flash-more"]')
      .click();
    await page
      .locator(`[data-testid="flash-tab"][data-session-id="${session.id}"][data-active="true"]:visible`)
      .waitFor();
    await page
      .locator('[data-testid="flash-countdown"][data-to="end"]:visible')
      .filter({ hasText: '距结束' })
      .waitFor();
    const card = page.locator(`[data-testid="flash-item"][data-item-id="${itemId}"]:visible`);
    await card.locator('[data-testid="flash-item-price"]').filter({ hasText: '¥59.90' }).waitFor();
    await card.locator('[data-testid="flash-item-struck"]').filter({ hasText: '¥109.00' }).waitFor();
    await card.locator('[data-testid="flash-item-left"]').filter({ hasText: '仅剩 5 件' }).waitFor();
    await fitsThePhone(page);

    // 马上抢 → the product in flash mode: the 秒杀价, the countdown, the stock left and the limit.
    await card.locator('[data-testid="flash-item-action"]').filter({ hasText: '马上抢' }).click();
    const band = visible(page, 'flash-band');
    await band.locator('[data-testid="flash-band-price"]').filter({ hasText: '¥59.90' }).waitFor();
    await band.locator('[data-testid="flash-band-struck"]').filter({ hasText: '¥109.00' }).waitFor();
    await band.locator('[data-testid="flash-band-countdown"][data-to="end"]').waitFor();
    await band.locator('[data-testid="flash-band-limit"]').filter({ hasText: '每人限购 1 件' }).waitFor();
    await fitsThePhone(page);

    // 立即抢购: the pink flask is the session's only SKU, chosen up front; one unit, no more.
    await grab(page);
    await visible(page, 'sku-price').filter({ hasText: '¥59.90' }).waitFor();
    await visible(page, 'flash-sheet-left').filter({ hasText: '仅剩 5 件 · 每人限购 1 件' }).waitFor();
    await visible(page, 'quantity-plus').click();
    await visible(page, 'quantity-value').filter({ hasText: '1' }).waitFor();
    await visible(page, 'sku-confirm').click();

    // The flash checkout: an address added as checkout adds one, then bought and paid in the sandbox.
    await visible(page, 'flash-checkout').waitFor();
    await addAddressAtCheckout(page, { name: '秒杀客', phone: '13912345681', detail: '秒杀路 1 号' });
    await visible(page, 'checkout-address').filter({ hasText: '秒杀客' }).waitFor();
    await visible(page, 'flash-checkout-total').filter({ hasText: '¥59.90' }).waitFor();
    await fitsThePhone(page);
    await visible(page, 'flash-checkout-submit').click();
    await visible(page, 'pay-method-sandbox').click();
    await visible(page, 'pay-submit').click();
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();

    const order = await latestOrderOf(demo, shopperId);
    expect(order).toMatchObject({ status: 'paid' });
    const shown = await merchantOrder(demo, Number(order.id));
    expect(shown.activity).toEqual({ kind: 'flash_sale', id: itemId, waiting: false });
    expect(shown.lines).toMatchObject([{ skuId: pink, quantity: 1 }]);
    expect(shown.lines[0]!.subtotalFen - shown.lines[0]!.discountFen).toBe(5_990);
    expect(shown.totalFen).toBe(5_990 + shown.shippingFen);

    // The order's page and the order list say 秒杀, and the line its 秒杀价.
    await visible(page, 'order-activity').filter({ hasText: '秒杀' }).waitFor();
    await visible(page, 'order-line-flash-price').filter({ hasText: '秒杀价 ¥59.90' }).waitFor();
    await page.goto(`${shopHome(site)}#/pages/order/list`);
    await page
      .locator(`[data-testid="order-card"][data-order-id="${order.id}"]:visible [data-testid="order-activity"]`)
      .filter({ hasText: '秒杀' })
      .waitFor();

    // Another one: one per shopper, and this shopper has had theirs — said in Chinese; nothing is placed.
    await page.goto(`${shopHome(site)}#/pages/product/detail?id=${flask}&flash=1`);
    await visible(page, 'flash-band').waitFor();
    await grab(page);
    await visible(page, 'sku-confirm').click();
    await visible(page, 'checkout-address').filter({ hasText: '秒杀客' }).waitFor();
    await visible(page, 'flash-checkout-submit').click();
    await visible(page, 'flash-checkout-error').filter({ hasText: '每人限购 1 件，你已抢过了' }).waitFor();
    expect((await latestOrderOf(demo, shopperId)).id).toBe(order.id);
    await context.close();
  });
});

/** 立即抢购 in flash mode: the sheet opens on the session's SKUs. */
async function grab(page: Page): Promise<void> {
  await visible(page, 'flash-buy').filter({ hasText: '立即抢购' }).click();
  await visible(page, 'sku-sheet').waitFor();
}

/** Nothing is wider than the phone. */
async function fitsThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}
