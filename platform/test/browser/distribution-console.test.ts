import type { DistributionSettings } from '@shopfleet/contracts';
import { systemContext } from '@shopfleet/platform';
import { confirm, fromMenu, input, serverClockToNow, signInToConsole } from '../helpers/console-steps';
import { addressByApi, demoProduct, demoShopApi, demoSuite, type Bearer } from '../helpers/demo-suite';
import { bearer } from '../helpers/fixtures';
import { manyShoppers } from '../helpers/marketing';

const demo = demoSuite();
const M = '/merchant-api/v1';
const DAY = 86_400_000;
/** ¥129.00, one SKU. */
const CHARGER = '氮化镓快充充电器 65W';
/** One SKU; its own rates are set in the console. */
const HEADSET = '头戴式游戏耳机';
const OFF: DistributionSettings = {
  enabled: false,
  applyMode: 'approval',
  bindMode: 'first',
  protectDays: 15,
  level1Bp: 1000,
  level2Bp: 500,
  withdrawMinFen: 100,
};

describe('分销 in the console', () => {
  afterAll(async () => {
    // The demo shop is shared with the other browser tests of this worker: its distribution goes off again.
    serverClockToNow(demo.site);
    await demo.site.api.put(`${M}/distribution/settings`).set(demo.merchant).send(OFF).expect(200);
    await demo.site.api.delete(`${M}/distribution/rules/${await demoProduct(demo, HEADSET)}`).set(demo.merchant);
  });

  it('a merchant turns distribution on with its rates, approves an application, gives a product its own rates and pays a withdrawal by hand', async () => {
    const { site, merchant, tenantId } = demo;
    serverClockToNow(site);
    await site.api.put(`${M}/distribution/settings`).set(merchant).send(OFF).expect(200);
    const page = await signInToConsole(demo);

    // 佣金规则: on, after approval, 12.34 % and 2.50 %, at least ¥1 a withdrawal.
    await fromMenu(page, 'merchant-distribution', 'merchant-distribution-rules');
    await page.locator('[data-testid="distribution-settings"] form').waitFor();
    await page.locator('[data-testid="distribution-settings-enabled"]').click();
    await page.locator('[data-testid="distribution-settings-apply-approval"]').click();
    await input(page, 'distribution-settings-level1').fill('12.34');
    await input(page, 'distribution-settings-level1').press('Tab');
    await input(page, 'distribution-settings-level2').fill('2.5');
    await input(page, 'distribution-settings-level2').press('Tab');
    await input(page, 'distribution-settings-withdraw-min').fill('1');
    await input(page, 'distribution-settings-withdraw-min').press('Tab');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/distribution/settings`) && r.request().method() === 'PUT',
    );
    await page.locator('[data-testid="distribution-settings-save"]').click();
    expect((await saved).status()).toBe(200);
    await page.locator('.el-message--success').filter({ hasText: '佣金规则已保存' }).waitFor();
    expect((await site.api.get(`${M}/distribution/settings`).set(merchant).expect(200)).body).toEqual({
      enabled: true,
      applyMode: 'approval',
      bindMode: 'first',
      protectDays: 15,
      level1Bp: 1234,
      level2Bp: 250,
      withdrawMinFen: 100,
    });

    // 商品佣金: the headset found by searching the catalog, at 20 % and 5 %.
    const headset = await demoProduct(demo, HEADSET);
    await page.locator('[data-testid="commission-rules-add"]').click();
    const dialog = page.locator('[data-testid="rule-dialog"]');
    await dialog.locator('[data-testid="rule-product"] .el-select').click();
    await page.keyboard.type('游戏耳机');
    await page.locator(`[data-testid="rule-product-option-${headset}"]`).click();
    await input(dialog, 'rule-level1').fill('20');
    await input(dialog, 'rule-level1').press('Tab');
    await input(dialog, 'rule-level2').fill('5');
    await input(dialog, 'rule-level2').press('Tab');
    await dialog.locator('[data-testid="rule-save"]').click();
    const rule = page.locator('[data-testid="commission-rules-table"] tr').filter({
      has: page.locator(`[data-testid="commission-rule-title"][data-product-id="${headset}"]`),
    });
    await rule.locator('[data-testid="commission-rule-level1"]').filter({ hasText: '20.00%' }).waitFor();
    await rule.locator('[data-testid="commission-rule-level2"]').filter({ hasText: '5.00%' }).waitFor();
    expect((await site.api.get(`${M}/distribution/rules`).set(merchant).expect(200)).body).toContainEqual({
      productId: headset,
      title: HEADSET,
      level1Bp: 2000,
      level2Bp: 500,
    });

    // A shopper applies; the application waits under 待审核 and is approved there.
    const [applicant, friend] = await manyShoppers(site, tenantId, 2);
    const d: Bearer = bearer(applicant!.token);
    const b: Bearer = bearer(friend!.token);
    await site.api.post(demoShopApi('/distribution/apply')).set(d).expect(200);
    await fromMenu(page, 'merchant-distribution', 'merchant-distributors');
    await page.locator('[data-testid="distributors-tab-pending"]').click();
    const row = page.locator(`[data-testid="distributors-row-${applicant!.shopperId}"]`);
    await row.locator('[data-testid="distributors-status"][data-status="pending"]').waitFor();
    await row.locator('[data-testid="distributors-approve"]').click();
    await confirm(page);
    await page.locator('.el-message--success').filter({ hasText: '已通过申请' }).waitFor();
    const centre = (await site.api.get(demoShopApi('/distribution')).set(d).expect(200)).body;
    expect(centre.me).toMatchObject({ status: 'approved' });

    // The friend arrives through the distributor's share and buys the charger; once its window has passed, the
    // commission (12.34 % of ¥129.00) is available and the distributor withdraws it.
    const charger = await demoProduct(demo, CHARGER);
    const share = (await site.api.post(demoShopApi('/shares')).set(d).send({ productId: charger }).expect(200)).body;
    await site.api.post(demoShopApi('/distribution/arrivals')).set(b).send({ code: share.code }).expect(200);
    const [sku] = (await site.api.get(demoShopApi(`/products/${charger}`)).expect(200)).body.skus as Array<{
      id: number;
    }>;
    const addressId = await addressByApi(demo, b, { name: '赵六', phone: '13912345680', detail: '五四路 412 号' });
    const order = (
      await site.api
        .post(demoShopApi('/orders'))
        .set(b)
        .set('Idempotency-Key', `distribution-${Date.now()}`)
        .send({ items: [{ skuId: sku!.id, quantity: 1 }], addressId })
        .expect(201)
    ).body;
    const pay = (
      await site.api
        .post(demoShopApi(`/orders/${order.id}/pay`))
        .set(b)
        .send({ method: 'sandbox' })
        .expect(200)
    ).body;
    await site.api
      .post(demoShopApi(`/payments/${pay.paymentNo}/sandbox-confirm`))
      .set(b)
      .expect(200);
    await site.api
      .post(`${M}/orders/${order.id}/ship`)
      .set(merchant)
      .send({ carrier: 'SF', trackingNo: `SF${order.id}412` })
      .expect(200);
    await site.api
      .post(demoShopApi(`/orders/${order.id}/confirm-receipt`))
      .set(b)
      .expect(200);
    site.clock.set(new Date(site.clock.now().getTime() + 16 * DAY).toISOString());
    await site.platform.services.distributionSweeps.releaseDue(systemContext(site.platform.log, 'test'));
    serverClockToNow(site);
    const commissionFen = Math.floor(((order.totalFen as number) * 1234) / 10_000);
    const withdrawal = (
      await site.api
        .post(demoShopApi('/distribution/withdrawals'))
        .set(d)
        .send({ amountFen: commissionFen })
        .expect(201)
    ).body;

    // 提现: the waiting withdrawal is paid by hand (线下已打款).
    await fromMenu(page, 'merchant-distribution', 'merchant-withdrawals');
    await page.locator('[data-testid="withdrawals-tab-requested"]').click();
    const line = page.locator(`[data-testid="withdrawals-row-${withdrawal.id}"]`);
    await line.locator(`[data-testid="withdrawals-amount"][data-fen="${commissionFen}"]`).waitFor();
    await line.locator('[data-testid="withdrawals-pay"]').click();
    const payDialog = page.locator('[data-testid="pay-dialog"]');
    await payDialog.filter({ hasText: '微信转账到零钱' }).waitFor();
    await payDialog.locator('[data-testid="pay-method-manual"]').click();
    await payDialog.locator('[data-testid="pay-confirm"]').click();
    await page.locator('.el-message--success').filter({ hasText: '已标记为已打款' }).waitFor();
    await line.locator('[data-testid="withdrawals-status"][data-status="paid"]').waitFor();
    const after = (await site.api.get(demoShopApi('/distribution')).set(d).expect(200)).body;
    expect(after.me.balance).toMatchObject({ availableFen: 0, withdrawingFen: 0, withdrawnFen: commissionFen });

    // 概览 counts them.
    await fromMenu(page, 'merchant-distribution', 'merchant-distribution-overview');
    await page.locator('[data-testid="distribution-figure-withdrawnFen"]').filter({ hasText: '¥' }).waitFor();
    const overview = (await site.api.get(`${M}/distribution/overview`).set(merchant).expect(200)).body;
    await page
      .locator(`[data-testid="distribution-figure-distributors"][data-value="${overview.distributors}"]`)
      .waitFor();
    expect(overview.withdrawnFen).toBeGreaterThanOrEqual(commissionFen);

    await page.context().close();
  });
});
