import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO, systemContext } from '@shopfleet/platform';
import type { PlatformFigures } from '@shopfleet/contracts';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { pngBytes } from '../helpers/catalog';
import { input } from '../helpers/console-steps';
import { bearer, platformLogin } from '../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop } from '../helpers/orders';
import { chinaDay } from '../../src/kernel/china-time';

const P = '/platform-api/v1';

let site: LiveSite;
let browser: Browser;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The text a chart draws (ECharts renders SVG here: its legend and axis labels are text nodes). */
const chartText = async (chart: Locator) => {
  await chart.locator('svg text').first().waitFor();
  return (await chart.locator('svg').textContent()) ?? '';
};

async function switchLocale(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.locator('[data-testid="locale-switch"]').click();
  await page.locator(`[data-testid="locale-${locale}"]`).click();
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
}

describe('the staff console: 平台数据 and 用量', () => {
  it("staff read the platform figures with their charts, every shop's usage of the day sorted, and a shop's usage history, in Chinese and in English", async () => {
    // A shop of its own with some activity: an image, a product, two orders (one paid), a few API requests.
    const s = await sellingShop(site);
    await site.api
      .post('/merchant-api/v1/catalog/images')
      .set(bearer(s.merchant))
      .attach('file', await pngBytes('#aa3366'), 'p.png')
      .expect(201);
    const { skuId } = await product(site, s, 10, 2500);
    const who = await buyer(site, s);
    const paid = await placeOrder(site, s, who, [{ skuId, quantity: 1 }]);
    await placeOrder(site, s, who, [{ skuId, quantity: 1 }]);
    await paySandbox(site, s, who.token, paid.id);
    for (let i = 0; i < 3; i++) await site.api.get('/merchant-api/v1/shop').set(bearer(s.merchant)).expect(200);
    // The hourly usage job and the analytics roll-up, as the worker runs them.
    const ctx = systemContext(site.platform.log, 'test');
    await site.platform.services.usage.flushRequests(ctx);
    await site.platform.services.usage.snapshot(ctx);
    await site.platform.services.analyticsSweeps.rollUpAll(ctx);
    const today = chinaDay(site.clock.now());
    const staff = (await platformLogin(site, { email: DEMO.admin.email, password: DEMO.admin.password })).accessToken;
    const mine = (
      await site.api
        .get(`${P}/tenants/${s.shop.id}/usage`)
        .query({ from: today, to: today })
        .set(bearer(staff))
        .expect(200)
    ).body.days[0];
    expect(mine).toMatchObject({ orders: 2, products: 1, staff: 2 });
    expect(mine.storageBytes).toBeGreaterThan(0);
    expect(mine.apiRequests).toBeGreaterThanOrEqual(3);

    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/platform/figures`);
    await page.waitForURL(/\/console\/(platform\/)?login/);
    await input(page, 'login-email').fill(DEMO.admin.email);
    await input(page, 'login-password').fill(DEMO.admin.password);
    await page.locator('[data-testid=login-submit]').click();
    await page.waitForURL(/\/console\/platform\/figures/);

    // The figures as the server counts them for the page's range (the last 30 days).
    const figures = (
      await site.api
        .get(`${P}/figures`)
        .query({
          from: new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10),
          to: today,
        })
        .set(bearer(staff))
        .expect(200)
    ).body as PlatformFigures;
    const shops = Object.values(figures.tenantsByStatus).reduce((a, b) => a + b, 0);
    await page.locator(`[data-testid=figures-tenants][data-total="${shops}"]`).waitFor();
    expect(await page.locator('[data-testid=figures-tenants-active]').getAttribute('data-count')).toBe(
      String(figures.tenantsByStatus.active),
    );
    expect(await page.locator('[data-testid=figures-review-queue]').getAttribute('data-waiting')).toBe(
      String(figures.reviewQueue.waiting),
    );
    const signupsTotal = figures.signups.reduce((a, d) => a + d.count, 0);
    expect(await page.locator('[data-testid=figures-signups-total]').getAttribute('data-total')).toBe(
      String(signupsTotal),
    );
    const gmv = figures.sales.reduce((a, d) => a + d.gmvFen, 0);
    expect(gmv).toBeGreaterThanOrEqual(paid.totalFen);
    const salesTotal = page.locator('[data-testid=figures-sales-total]');
    expect(await salesTotal.getAttribute('data-gmv')).toBe(String(gmv));
    expect(await salesTotal.getAttribute('data-orders')).toBe(
      String(figures.sales.reduce((a, d) => a + d.ordersPaid, 0)),
    );
    // The charts, with their texts in Chinese.
    expect(await chartText(page.locator('[data-testid=figures-signups-chart]'))).toContain('新入驻商家');
    const sales = await chartText(page.locator('[data-testid=figures-sales-chart]'));
    expect(sales).toContain('成交额');
    expect(sales).toContain('支付订单');
    // The audit quota: WeChat's answer, or why it could not be asked.
    await page.locator('[data-testid=figures-quota-rest], [data-testid=figures-quota-unavailable]').first().waitFor();

    // 用量 from the side menu: the shop's row of today, then sorted by orders.
    await page.locator('[data-testid=menu-platform-usage]').click();
    await page.waitForURL(/\/console\/platform\/usage/);
    const ordersCell = page.locator(`[data-testid=usage-orders-${s.shop.id}]`);
    await ordersCell.waitFor();
    expect(await ordersCell.getAttribute('data-value')).toBe('2');
    expect(await page.locator(`[data-testid=usage-storageBytes-${s.shop.id}]`).getAttribute('data-value')).toBe(
      String(mine.storageBytes),
    );
    const sorted = page.waitForResponse((r) => r.url().includes(`${P}/usage?`) && r.url().includes('sort=orders'));
    await page.locator('[data-testid=usage-table] th', { hasText: '订单' }).click();
    expect((await sorted).status()).toBe(200);
    await page.locator('[data-testid=usage-table][data-sort=orders][data-order=desc]').waitFor();
    const values = await page
      .locator('[data-testid=usage-table] [data-testid^=usage-orders-]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    expect(values).toEqual([...values].sort((a, b) => b - a));

    // The shop's page: its usage history, a chart of the figure chosen.
    await page.locator(`[data-testid=usage-row-${s.shop.id}]`).click();
    await page.waitForURL(new RegExp(`/console/platform/tenants/${s.shop.id}`));
    const history = page.locator('[data-testid=tenant-usage]');
    await history.locator(`[data-testid=tenant-usage-orders-${today}][data-value="2"]`).waitFor();
    expect(await chartText(history.locator('[data-testid=tenant-usage-chart]'))).toContain('API 请求');
    await history.locator('[data-testid=tenant-usage-metric-storageBytes]').click();
    await history.locator('[data-testid=tenant-usage-chart] svg text', { hasText: '存储空间' }).first().waitFor();

    // In English the charts speak English too.
    await switchLocale(page, 'en');
    await history.locator('[data-testid=tenant-usage-chart] svg text', { hasText: 'Storage' }).first().waitFor();
    await page.locator('[data-testid=menu-platform-figures]').click();
    await page.waitForURL(/\/console\/platform\/figures/);
    expect(await chartText(page.locator('[data-testid=figures-signups-chart]'))).toContain('New shops');
    const english = await chartText(page.locator('[data-testid=figures-sales-chart]'));
    expect(english).toContain('GMV');
    expect(english).toContain('Orders paid');
  });
});
