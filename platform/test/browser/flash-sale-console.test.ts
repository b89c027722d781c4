import type { FlashSession, Order } from '@shopfleet/contracts';
import {
  fromMenu,
  input,
  openOrderInConsole,
  posted,
  saveCreating,
  serverClockToNow,
  signInToConsole,
} from '../helpers/console-steps';
import { addressByApi, demoProduct, demoShopApi, demoSuite } from '../helpers/demo-suite';
import { bearer } from '../helpers/fixtures';
import { manyShoppers } from '../helpers/marketing';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥99.00 白 and ¥89.00 黑: the sessions set some of their stock aside until they are stopped. */
const FLASK = '316不锈钢保温杯 500ml';

/** The flask's SKU of a colour, as the shop shows it. */
async function flaskSku(colour: string): Promise<{ productId: number; skuId: number }> {
  const productId = await demoProduct(demo, FLASK);
  const skus = (await demo.site.api.get(demoShopApi(`/products/${productId}`)).expect(200)).body.skus as Array<{
    id: number;
    specValues: string[];
  }>;
  return { productId, skuId: skus.find((s) => s.specValues[0] === colour)!.id };
}

describe('秒杀 in the console', () => {
  /** Sessions the tests set up, stopped at the end: their stock goes back to the demo shop's SKUs. */
  const started: number[] = [];
  afterAll(async () => {
    for (const id of started) await demo.site.api.post(`${M}/flash-sessions/${id}/stop`).set(demo.merchant);
  });

  it('a merchant sets up a session in the form — a 秒杀价 not below the SKU’s price refused in Chinese at its item first — sees it 未开始 in the list and opens its page', async () => {
    const { site } = demo;
    const { productId: flask, skuId: white } = await flaskSku('白');
    // The demo shop's stock is shared with the other browser tests of this worker (orders take from it): read it now.
    const stockBefore = Number((await site.platform.knex('skus').where({ id: white }).first('stock')).stock);
    const name = `周五秒杀 ${Date.now().toString(36)}`;
    const page = await signInToConsole(demo);

    // 营销 → 秒杀 → 新建秒杀: the period from the next whole hour for an hour, paid within 5 minutes (the defaults).
    await fromMenu(page, 'merchant-marketing', 'merchant-marketing-flash-sales');
    await page.waitForURL(/\/console\/marketing\/flash-sales$/);
    await page.locator('[data-testid="flash-new"]').click();
    await page.waitForURL(/\/console\/marketing\/flash-sales\/new$/);
    await input(page, 'flash-name').fill(name);
    expect(await input(page, 'flash-window').inputValue()).toBe('5');

    // The flask, found by its title; its 白 SKU, at ¥120 — above its ¥99.00.
    const picker = page.locator('[data-testid="flash-add-product"]');
    await picker.click();
    await picker.locator('input').first().fill('保温杯');
    await page.locator(`[data-testid="flash-add-product-option-${flask}"]:visible`).click();
    await page.locator('[data-testid="flash-item-sku-0"]').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^白$/ }).click();
    await page
      .locator('[data-testid="flash-item-sku-info-0"]', { hasText: `售价 ¥99.00 · 库存 ${stockBefore}` })
      .waitFor();
    await input(page, 'flash-item-price-0').fill('120');
    await input(page, 'flash-item-stock-0').fill('10');
    await input(page, 'flash-item-limit-0').fill('2');

    // Refused by the server, said from its reason next to the item's 秒杀价 (and in the message); nothing set up.
    // The form's default period starts at the next whole hour of the browser's clock, which may be seconds away: the
    // server's clock is put ten minutes back, so the session is still to come when it is saved and listed.
    site.clock.set(new Date(Date.now() - 600_000).toISOString());
    const refused = posted(page, '/flash-sessions');
    await page.locator('[data-testid="flash-save"]').click();
    expect((await refused).status()).toBeGreaterThanOrEqual(400);
    const notBelow = '秒杀价须低于规格的售价';
    expect(await page.locator('[data-testid="flash-item-error-0-price"]').innerText()).toBe(`秒杀价：${notBelow}`);
    await page.locator('.el-message--error', { hasText: notBelow }).waitFor();
    expect(page.url()).toMatch(/\/console\/marketing\/flash-sales\/new$/);
    const none = await site.api.get(`${M}/flash-sessions`).query({ pageSize: 100 }).set(demo.merchant).expect(200);
    expect((none.body.items as FlashSession[]).filter((s) => s.name === name)).toEqual([]);

    // ¥59: set up, its 10 units taken from the SKU at once.
    await input(page, 'flash-item-price-0').fill('59');
    const session = await saveCreating<FlashSession>(page, site, '/flash-sessions', 'flash-save');
    started.push(session.id);
    expect(session).toMatchObject({
      name,
      paymentWindowMinutes: 5,
      status: 'scheduled',
      displayStatus: 'not_started',
      items: [{ skuId: white, productId: flask, priceFen: 9_900, flashPriceFen: 5_900, stock: 10, perShopperLimit: 2 }],
    });
    expect(Date.parse(session.endsAt) - Date.parse(session.startsAt)).toBe(3_600_000);
    expect(new Date(session.startsAt).getMinutes()).toBe(0);
    expect(await site.platform.knex('skus').where({ id: white }).first('stock')).toEqual({ stock: stockBefore - 10 });

    // Back on the list, under 未开始: its period, its item and what it counts.
    await page.waitForURL(/\/console\/marketing\/flash-sales$/);
    await page.locator('[data-testid="flash-tab-not_started"]').click();
    const row = page.locator(`[data-testid="flash-row-${session.id}"]`);
    await row.locator('[data-testid="flash-status"]', { hasText: '未开始' }).waitFor();
    expect(await row.locator('[data-testid="flash-name"]').innerText()).toBe(name);
    const items = await row.locator('[data-testid="flash-items"]').innerText();
    expect(items).toContain(FLASK);
    expect(items).toContain('¥59.00');
    expect(items).toContain('共 1 个规格');
    expect(await row.locator('[data-testid="flash-period"]').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:00 至 /);
    await row.locator('[data-testid="figures-visitors"]', { hasText: '访客 0' }).waitFor();

    // Its page: the period and window, the item at ¥59.00 (¥99.00 struck), all 10 left, 2 per shopper.
    await row.locator('[data-testid="flash-detail"]').click();
    await page.waitForURL(new RegExp(`/console/marketing/flash-sales/${session.id}$`));
    await page.locator('[data-testid="flash-detail-name"]', { hasText: name }).waitFor();
    await page.locator('[data-testid="flash-detail-status"]', { hasText: '未开始' }).waitFor();
    expect(await page.locator('[data-testid="flash-detail-window"]').innerText()).toBe('下单后 5 分钟内付款');
    const item = page.locator(`[data-testid="flash-detail-item-${session.items[0]!.id}"]`);
    expect(await item.locator('[data-testid="flash-detail-item-price"]').innerText()).toBe('¥59.00');
    await item.locator('[data-testid="flash-detail-item-left"][data-left="10"][data-stock="10"]').waitFor();
    expect(await item.innerText()).toContain('每人 2 件');
    // Before its start it can still be edited, and stopped.
    await page.locator('[data-testid="flash-detail-edit"]').waitFor();
    await page.locator('[data-testid="flash-detail-stop"]').waitFor();
  });

  it('a running session’s page follows it live: a unit bought in the shop shows as taken and unpaid without a reload; the order is tagged 秒杀 in the console', async () => {
    const { site, merchant, tenantId } = demo;
    const { skuId: black } = await flaskSku('黑');
    serverClockToNow(site);
    const now = site.clock.now().getTime();
    const session = (
      await site.api
        .post(`${M}/flash-sessions`)
        .set(merchant)
        .send({
          name: `黑色保温杯秒杀 ${uid()}`,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
          items: [{ skuId: black, flashPriceFen: 4_900, stock: 3, perShopperLimit: 1 }],
        })
        .expect(201)
    ).body as FlashSession;
    started.push(session.id);
    const itemId = session.items[0]!.id;

    const page = await signInToConsole(demo);
    await page.goto(`${site.baseUrl}/console/marketing/flash-sales/${session.id}`);
    await page.locator('[data-testid="flash-detail-status"]', { hasText: '进行中' }).waitFor();
    await page.locator('[data-testid="flash-live-state"][data-following="true"]', { hasText: '每 3 秒刷新' }).waitFor();
    const item = page.locator(`[data-testid="flash-detail-item-${itemId}"]`);
    await item.locator('[data-testid="flash-detail-item-left"][data-left="3"][data-stock="3"]').waitFor();
    expect(await item.locator('[data-testid="flash-detail-item-orders"]').innerText()).toBe('0');

    // A shopper buys one through the shop API (the pass, then the purchase); the page, left open, shows it.
    const [shopper] = await manyShoppers(site, tenantId, 1);
    const asShopper = bearer(shopper!.token);
    const addressId = await addressByApi(demo, asShopper, {
      name: '直播客',
      phone: '13912345682',
      detail: '秒杀路 2 号',
    });
    const { pass } = (
      await site.api
        .post(demoShopApi(`/flash-sales/${session.id}/pass`))
        .set(asShopper)
        .expect(200)
    ).body as { pass: string };
    const order = (
      await site.api
        .post(demoShopApi(`/flash-items/${itemId}/orders`))
        .set(asShopper)
        .set('Idempotency-Key', `flash-live-${uid()}`)
        .send({ pass, quantity: 1, addressId })
        .expect(201)
    ).body as Order;
    await item.locator('[data-testid="flash-detail-item-left"][data-left="2"]').waitFor();
    expect(await item.locator('[data-testid="flash-detail-item-unpaid"]').innerText()).toBe('1');
    expect(await item.locator('[data-testid="flash-detail-item-paid"]').innerText()).toBe('0');
    expect(await item.locator('[data-testid="flash-detail-item-orders"]').innerText()).toBe('1');
    await page.locator('[data-testid="flash-figure-orders"]', { hasText: '1' }).waitFor();

    // 订单: the order says 秒杀 by its number, and names its discount 秒杀价.
    await openOrderInConsole(page, order);
    await page.locator('[data-testid="order-activity"][data-kind="flash_sale"]', { hasText: '秒杀' }).waitFor();
    expect(await page.locator('[data-testid="order-discount-label"][data-source="flash_sale"]').innerText()).toMatch(
      /^秒杀价/,
    );
  });
});
