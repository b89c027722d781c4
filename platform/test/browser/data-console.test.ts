import ExcelJS from 'exceljs';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { AnalyticsOverview, PendingWork, TopProduct } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { serverClockToNow, signInToConsole } from '../helpers/console-steps';
import { demoProduct, demoSuite } from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  buyNow,
  eventually,
  latestOrderOf,
  openProduct,
  phone,
  placeAndPayInSandbox,
  signInByPhone,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥199.00 in 黑 / 标准. */
const EARBUDS = '无线蓝牙耳机 降噪版';

/** The China-time day of an instant, as the figures are kept. */
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** What a chart holds, as the console reads it back from its ECharts instance into `data-chart`. */
interface DrawnChart {
  categories: string[];
  series: Array<{ id: string; name: string; data: unknown[] }>;
}

/** The chart inside `selector` once it has drawn what `ready` waits for (the chart of the range asked for, not the last). */
async function drawn(page: Page, selector: string, ready: (chart: DrawnChart) => boolean): Promise<DrawnChart> {
  const read = async () => {
    const text = await page.locator(`${selector} [data-chart]`).first().getAttribute('data-chart');
    return text ? (JSON.parse(text) as DrawnChart) : null;
  };
  await eventually(async () => {
    const chart = await read();
    return chart !== null && ready(chart);
  });
  return (await read())!;
}

const points = (n: number) => (chart: DrawnChart) => chart.categories.length === n;

/** A series of yuan as the fen it was drawn from, added up. */
const fenOf = (data: unknown[]) => data.reduce<number>((sum, v) => sum + Math.round(Number(v) * 100), 0);

describe('数据 in the console', () => {
  it('a purchase in the shop shows on the owner’s 概览 in the figures and the hourly chart, and on 数据 among the top products, exported as a file', async () => {
    const { site, merchant } = demo;
    serverClockToNow(site);
    const today = chinaDay(site.clock.now());
    const range = { from: today, to: today };
    const overview = async () =>
      (await site.api.get(`${M}/analytics/overview`).query(range).set(merchant).expect(200)).body as AnalyticsOverview;
    // The demo shop is shared with the other browser tests of this worker: what it had sold today before this one.
    const before = (await overview()).figures;

    // A shopper buys the earbuds in the h5 shop and pays in the sandbox.
    const earbuds = await demoProduct(demo, EARBUDS);
    const shopper = await phone(demo);
    const shopperId = await signInByPhone(demo, shopper.page, '13600000181');
    await openProduct(site, shopper.page, earbuds);
    await buyNow(shopper.page, { specValues: ['黑', '标准'], quantity: 1 });
    await addAddressAtCheckout(shopper.page, { name: '林一', phone: '13912345681', detail: '五四路 181 号' });
    await shopper.page.locator('[data-testid="checkout-total"][data-total-fen="19900"]:visible').waitFor();
    await placeAndPayInSandbox(shopper.page);
    const order = await latestOrderOf(demo, shopperId);
    expect(order).toMatchObject({ status: 'paid', total_fen: 19_900 });
    // The shop's batch of the visit's page views, product view and cart add arrives within seconds.
    await eventually(async () => (await overview()).figures.visitors > before.visitors, 15_000);
    await shopper.context.close();
    const gmv = before.gmvFen + 19_900;

    // 概览: today's GMV is what was paid, beside yesterday's, with its definition; the chart holds it in its hours.
    const page = await signInToConsole(demo);
    const figures = page.locator('[data-testid="dashboard-figures"]');
    const gmvFigure = figures.locator(`[data-testid="figure-gmvFen"][data-value="${gmv}"]`);
    await gmvFigure.waitFor();
    expect(await gmvFigure.locator('[data-testid="figure-value"]').innerText()).toBe(yuan(gmv));
    const now = await overview();
    expect(now.figures.gmvFen).toBe(gmv);
    expect(await gmvFigure.locator('[data-testid="figure-previous"]').innerText()).toBe(
      `昨日 ${yuan(now.previous.figures.gmvFen)}`,
    );
    for (const key of ['ordersPaid', 'payers', 'visitors', 'conversionRate', 'aovFen', 'refundFen'] as const)
      await figures.locator(`[data-testid="figure-${key}"][data-value="${now.figures[key]}"]`).waitFor();
    await gmvFigure.locator('[data-testid="figure-help-gmvFen"]').hover();
    await page.locator('.el-popper', { hasText: '按支付时间计' }).waitFor();

    const chart = await drawn(page, '[data-testid="dashboard-trend"]', points(24));
    expect(chart.categories).toHaveLength(24);
    expect(chart.categories[0]).toBe('00:00');
    expect(chart.series.map((s) => [s.id, s.name])).toEqual([
      ['gmvFen', '支付金额'],
      ['ordersPaid', '支付订单数'],
      ['visitors', '访客数'],
    ]);
    const gmvSeries = chart.series.find((s) => s.id === 'gmvFen')!;
    expect(fenOf(gmvSeries.data)).toBe(gmv);
    const paidHour = new Date(site.clock.now().getTime() + 8 * 3_600_000).getUTCHours();
    expect(Math.round(Number(gmvSeries.data[paidHour]) * 100)).toBeGreaterThanOrEqual(19_900);

    // The work waiting: the paid order is to ship, on its card and as the 订单 menu's badge (with the reviews to answer).
    const work = (await site.api.get(`${M}/pending-work`).set(merchant).expect(200)).body as PendingWork;
    expect(work.toShip).toBeGreaterThanOrEqual(1);
    await page.locator(`[data-testid="work-toShip"][data-count="${work.toShip}"]`).waitFor();
    for (const key of ['afterSales', 'reviewsToAnswer', 'unreadChats'] as const)
      await page.locator(`[data-testid="work-${key}"][data-count="${work[key]}"]`).waitFor();
    const orderBadge = work.toShip! + work.reviewsToAnswer!;
    await page
      .locator('[data-testid="menu-badge-merchant-order-center"]', {
        hasText: orderBadge > 99 ? '99+' : String(orderBadge),
      })
      .waitFor();

    // 数据 → 今天: the same figures, the earbuds among the top products by sales, the table exported.
    await page.locator('[data-testid="dashboard-more-data"]').click();
    await page.waitForURL(/\/console\/data$/);
    await page.locator('[data-testid="range-last7"].is-active').waitFor();
    await page.locator('[data-testid="range-today"]').click();
    await page.waitForURL(/\/console\/data\?range=today$/);
    await page.locator(`[data-testid="data-figures"] [data-testid="figure-gmvFen"][data-value="${gmv}"]`).waitFor();
    const top = (
      await site.api
        .get(`${M}/analytics/products`)
        .query({ ...range, by: 'sales', limit: 20 })
        .set(merchant)
        .expect(200)
    ).body as TopProduct[];
    const sold = top.find((p) => p.productId === earbuds)!;
    expect(sold.paidFen).toBeGreaterThanOrEqual(19_900);
    const row = page.locator(`[data-testid="top-product-${earbuds}"]`);
    expect(await row.locator('[data-testid="top-product-title"]').innerText()).toBe(EARBUDS);
    expect(await row.locator('[data-testid="top-product-paid"]').getAttribute('data-fen')).toBe(String(sold.paidFen));
    expect(await row.locator('[data-testid="top-product-paid"]').innerText()).toBe(yuan(sold.paidFen));
    const trend = await drawn(page, '[data-testid="data-trend"]', points(24));
    expect(fenOf(trend.series.find((s) => s.id === 'gmvFen')!.data)).toBe(gmv);
    await page.locator('[data-testid="funnel-step-payers"]').waitFor();

    const download = page.waitForEvent('download');
    await page.locator('[data-testid="export-products-xlsx"]').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`products-${today}-${today}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(fs.readFileSync((await file.path())!)).buffer);
    const rows = book.worksheets[0]!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r.slice(1, 3))).toContainEqual([earbuds, EARBUDS]);

    // A week of one's own, from the address: a point a day, today's GMV on the last one.
    const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${site.baseUrl}/console/data?from=${weekAgo}&to=${today}`);
    await page.locator('[data-testid="range-days"]', { hasText: '共 7 天' }).waitFor();
    expect(await page.locator('[data-testid="range-presets"] .is-active').count()).toBe(0);
    await page.locator('[data-testid="data-trend"] [data-unit="day"]').waitFor();
    const week = await drawn(page, '[data-testid="data-trend"]', points(7));
    expect(week.categories[6]).toBe(today.slice(5));
    expect(Math.round(Number(week.series.find((s) => s.id === 'gmvFen')!.data[6]) * 100)).toBe(gmv);

    // More than a year is refused beside the picker, in the API's words, and not asked for.
    const longAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 400 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${site.baseUrl}/console/data?from=${longAgo}&to=${today}`);
    await page
      .locator('[data-testid="range-problem"][data-reason="RANGE_TOO_LONG"]', { hasText: '时间范围最长一年' })
      .waitFor();
    await page.locator('[data-testid="range-today"]').click();
    await page.waitForURL(/\/console\/data\?range=today$/);
    await page.locator('[data-testid="range-problem"]').waitFor({ state: 'detached' });

    // In English the chart says its series in English, and money stays ¥ with 2 decimals.
    await page.locator('[data-testid="locale-switch"]').click();
    await page.locator('[data-testid="locale-en"]').click();
    const english = await drawn(page, '[data-testid="data-trend"]', (c) => c.series[0]?.name === 'GMV');
    expect(english.series.map((s) => s.name)).toEqual(['GMV', 'Orders paid', 'Visitors']);
    expect(english.categories).toHaveLength(24);
    expect(
      await page
        .locator('[data-testid="data-figures"] [data-testid="figure-gmvFen"] [data-testid="figure-value"]')
        .innerText(),
    ).toBe(yuan(gmv));

    await page.context().close();
  });

  it('a staff member without the data permission sees the work waiting on 概览 but no figures, and no 数据 menu', async () => {
    const { site } = demo;
    const page = await signInToConsole(demo, 'zh-CN', DEMO.staff);
    await page.locator('[data-testid="dashboard-work"] [data-testid="work-toShip"]').waitFor();
    await page.locator('[data-testid="work-afterSales"]').waitFor();
    await page.locator('[data-testid="dashboard-shop-name"]').waitFor();
    expect(await page.locator('[data-testid="dashboard-figures"]').count()).toBe(0);
    expect(await page.locator('[data-testid="menu-merchant-data"]').count()).toBe(0);
    await page.goto(`${site.baseUrl}/console/data`);
    await page.waitForURL(/\/console\/403/);
    await page.context().close();
  });
});
