import type { OrderCounts } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { input, posted, signInToConsole } from '../helpers/console-steps';
import { addressByApi, demoShopApi, demoSuite, merchantOrder } from '../helpers/demo-suite';
import { bearer, shopperLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';

/** A demo shopper's order of one of the demo shop's products, paid in the sandbox or not. */
async function order(shopper: { Authorization: string }, addressId: number, skuId: number, pay: boolean) {
  const { site } = demo;
  const placed = await site.api
    .post(demoShopApi('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `ops-${uid()}`)
    .send({ items: [{ skuId, quantity: 1 }], addressId })
    .expect(201);
  if (pay) {
    const p = await site.api
      .post(demoShopApi(`/orders/${placed.body.id}/pay`))
      .set(shopper)
      .send({ method: 'sandbox' })
      .expect(200);
    await site.api
      .post(demoShopApi(`/payments/${p.body.paymentNo}/sandbox-confirm`))
      .set(shopper)
      .expect(200);
  }
  return placed.body as { id: number; orderNo: string; totalFen: number };
}

const counts = async () =>
  (await demo.site.api.get(`${M}/orders/counts`).set(demo.merchant).expect(200)).body as OrderCounts;

describe("the merchant's order operations in the console", () => {
  it('counts on the tabs, ships two chosen orders at once and a file with a report, changes an unpaid order’s price', async () => {
    const { site } = demo;
    const shopper = bearer((await shopperLogin(site, DEMO.tenant.slug)).accessToken);
    const addressId = await addressByApi(demo, shopper, { name: '批量', phone: '13700000002', detail: '发货路 3 号' });
    const found = await site.api.get(demoShopApi(`/search?q=${encodeURIComponent('马克杯')}`)).expect(200);
    const productId = (found.body.items as Array<{ id: number }>)[0]!.id;
    const skuId = (await site.api.get(demoShopApi(`/products/${productId}`)).expect(200)).body.skus[0].id as number;
    const first = await order(shopper, addressId, skuId, true);
    const second = await order(shopper, addressId, skuId, true);
    const unpaid = await order(shopper, addressId, skuId, false);
    const before = await counts();

    // The paid tab: each tab shows its count; the two new orders are the newest there.
    const page = await signInToConsole(demo);
    await page.goto(`${site.baseUrl}/console/orders?status=paid`);
    const paidCount = page.locator('[data-testid="orders-tab-count-paid"]');
    await paidCount.filter({ hasText: String(before.byStatus.paid) }).waitFor();
    expect(await page.locator('[data-testid="orders-tab-count-all"]').innerText()).toBe(String(before.all));
    for (const o of [first, second])
      await page.locator('.el-table__row', { hasText: o.orderNo }).locator('.el-checkbox').click();

    const dialog = page.locator('[data-testid="bulk-ship-dialog"]');
    await page.locator('[data-testid="orders-bulk-ship"]').click();
    const tracking = dialog.locator('input[data-testid="bulk-ship-tracking"]');
    await tracking.nth(1).waitFor();
    expect(await tracking.count()).toBe(2);
    await tracking.nth(0).fill(`SF${uid()}`.slice(0, 16));
    await tracking.nth(1).fill(`SF${uid()}`.slice(0, 16));
    const shipped = posted(page, '/orders/bulk-ship');
    await dialog.locator('[data-testid="bulk-ship-confirm"]').click();
    expect((await shipped).status()).toBe(200);

    // The report: both shipped; the tab's count follows.
    const report = page.locator('[data-testid="ship-report-dialog"]');
    await report.locator('[data-testid="ship-report-summary"]', { hasText: '已发货 2 个' }).waitFor();
    expect(await report.locator('[data-testid="ship-report-outcome"][data-outcome="shipped"]').count()).toBe(2);
    await paidCount.filter({ hasText: String(before.byStatus.paid - 2) }).waitFor();
    for (const o of [first, second]) expect((await merchantOrder(demo, o.id)).status).toBe('shipped');
    await report.locator('.el-dialog__footer .el-button--primary').click();
    await report.waitFor({ state: 'hidden' });

    // A shipment file: the first order again with its parcel changes nothing; the unpaid one is not shipped, and why.
    const firstParcel = (await merchantOrder(demo, first.id)).shipment!;
    const csv = `订单号,快递公司,运单号\n${first.orderNo},顺丰速运,${firstParcel.trackingNo}\n${unpaid.orderNo},SF,SF99999999\n`;
    const imported = posted(page, '/orders/ship-imports');
    await page
      .locator('[data-testid="orders-ship-import-file"]')
      .setInputFiles({ name: '发货.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    expect((await imported).status()).toBe(200);
    await report.locator('[data-testid="ship-report-summary"]', { hasText: '未发货 1 个' }).waitFor();
    expect(
      await report
        .locator('[data-testid="ship-report-outcome"]')
        .evaluateAll((tags) => tags.map((t) => t.textContent?.trim())),
    ).toEqual(['已按此单号发货，无需重复', '订单未付款']);

    // The unpaid order's price: ¥0.01 less, with a reason; the page shows the new total and the timeline says so.
    await page.goto(`${site.baseUrl}/console/orders/${unpaid.id}`);
    await page.locator('[data-testid="order-status"][data-status="pending_payment"]').waitFor();
    await page.locator('[data-testid="order-change-price"]').click();
    const priceDialog = page.locator('[data-testid="price-dialog"]');
    await input(priceDialog, 'price-total').fill(yuan(unpaid.totalFen - 1).replace('¥', ''));
    await input(priceDialog, 'price-reason').fill('老顾客少一分');
    const changed = page.waitForResponse((r) => r.url().endsWith(`${M}/orders/${unpaid.id}/price`));
    await priceDialog.locator('[data-testid="price-confirm"]').click();
    expect((await changed).status()).toBe(200);
    await page.locator('[data-testid="order-total"]', { hasText: yuan(unpaid.totalFen - 1) }).waitFor();
    await page.getByText('商家改价').first().waitFor();
    expect((await merchantOrder(demo, unpaid.id)).totalFen).toBe(unpaid.totalFen - 1);
  });
});
