import type { GroupCampaign, Order } from '@shopfleet/contracts';
import {
  confirm,
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

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥69.00 100×150 and ¥79.00 150×200; in no other group buy while this file runs. */
const BLANKET = '法兰绒午睡毛毯';

describe('拼团 in the console', () => {
  /** Campaigns the test set up, stopped at the end: the blanket's page is shared with the other browser tests. */
  const started: number[] = [];
  afterAll(async () => {
    for (const id of started) await demo.site.api.post(`${M}/group-campaigns/${id}/stop`).set(demo.merchant);
  });

  it('a merchant sets up a group buy in the form — a 拼团价 not below the SKU’s price refused in Chinese at its SKU first — sees it 进行中 in the list with its rules, and a shopper’s group in the groups list; its order waits to ship', async () => {
    const { site, merchant, tenantId } = demo;
    const blanket = await demoProduct(demo, BLANKET);
    const skus = (await site.api.get(demoShopApi(`/products/${blanket}`)).expect(200)).body.skus as Array<{
      id: number;
      specValues: string[];
      priceFen: number;
    }>;
    const small = skus.find((s) => s.specValues[0] === '100×150')!;
    const large = skus.find((s) => s.specValues[0] === '150×200')!;
    const name = `毛毯两人团 ${Date.now().toString(36)}`;
    const page = await signInToConsole(demo);

    // 营销 → 拼团 → 新建拼团.
    await fromMenu(page, 'merchant-marketing', 'merchant-marketing-group-buys');
    await page.waitForURL(/\/console\/marketing\/group-buys$/);
    await page.locator('[data-testid="group-new"]').click();
    await page.waitForURL(/\/console\/marketing\/group-buys\/new$/);
    await input(page, 'group-name').fill(name);
    // The rules: groups of 2, filled within 1 h 30 min, 1 per shopper (the default), ¥5 off for the leader, virtual fill.
    await input(page, 'group-size').fill('2');
    await input(page, 'group-duration-hours').fill('1');
    await input(page, 'group-duration-minutes').fill('30');
    expect(await input(page, 'group-limit').inputValue()).toBe('1');
    await input(page, 'group-leader-discount').fill('5');
    await page.locator('[data-testid="group-virtual-fill"]').click();

    // The blanket, found by its title: both its SKUs take part; the small one at ¥80 — above its ¥69.00.
    const picker = page.locator('[data-testid="group-product-picker"]');
    await picker.click();
    await picker.locator('input').first().fill('毛毯');
    await page.locator(`[data-testid="group-product-option-${blanket}"]:visible`).click();
    const rows = page.locator('[data-testid="group-skus"]');
    await rows.locator('[data-testid="group-sku-0"]', { hasText: '100×150' }).waitFor();
    expect(await rows.innerText()).toContain('¥69.00');
    expect(await rows.innerText()).toContain('¥79.00');
    await input(page, 'group-sku-price-0').fill('80');
    await input(page, 'group-sku-price-1').fill('59');

    // Refused by the server, said from its reason next to the SKU's 拼团价 (and in the message); nothing set up.
    serverClockToNow(site);
    const refused = posted(page, '/group-campaigns');
    await page.locator('[data-testid="group-save"]').click();
    expect((await refused).status()).toBe(409);
    const notBelow = '拼团价须低于规格的售价';
    expect(await page.locator('[data-testid="group-sku-error-0"]').innerText()).toBe(`拼团价：${notBelow}`);
    await page.locator('.el-message--error', { hasText: notBelow }).waitFor();
    expect(page.url()).toMatch(/\/console\/marketing\/group-buys\/new$/);
    const none = await site.api.get(`${M}/group-campaigns`).query({ pageSize: 100 }).set(merchant).expect(200);
    expect((none.body.items as GroupCampaign[]).filter((c) => c.name === name)).toEqual([]);

    // ¥49: set up, running from now for the form's default 7 days.
    await input(page, 'group-sku-price-0').fill('49');
    const campaign = await saveCreating<GroupCampaign>(page, site, '/group-campaigns', 'group-save');
    started.push(campaign.id);
    expect(campaign).toMatchObject({
      name,
      productId: blanket,
      displayStatus: 'running',
      groupSize: 2,
      durationMinutes: 90,
      perShopperLimit: 1,
      virtualFill: true,
      leaderDiscountFen: 500,
      figures: { groups: 0, succeeded: 0, failed: 0, forming: 0, paidOrders: 0, paidFen: 0 },
    });
    expect(campaign.items.map((i) => ({ skuId: i.skuId, groupPriceFen: i.groupPriceFen }))).toEqual([
      { skuId: small.id, groupPriceFen: 4_900 },
      { skuId: large.id, groupPriceFen: 5_900 },
    ]);
    expect(Date.parse(campaign.endsAt) - Date.parse(campaign.startsAt)).toBe(7 * 86_400_000);

    // Back on the list, under 进行中: its rules, its product and prices, and its figures.
    await page.waitForURL(/\/console\/marketing\/group-buys$/);
    await page.locator('[data-testid="group-tab-running"]').click();
    const row = page.locator(`[data-testid="group-row-${campaign.id}"]`);
    await row.locator('[data-testid="group-status"]', { hasText: '进行中' }).waitFor();
    expect(await row.locator('[data-testid="group-name"]').innerText()).toBe(name);
    expect(await row.locator('[data-testid="group-rules"]').innerText()).toBe(
      '2 人团 · 1 小时 30 分钟内成团 · 每人限购 1 件 · 团长减 ¥5.00 · 模拟成团',
    );
    const product = await row.locator('[data-testid="group-product"]').innerText();
    expect(product).toContain(BLANKET);
    expect(product).toContain('¥49.00');
    await row.locator('[data-testid="figures-groups"]', { hasText: '开团 0' }).waitFor();

    // A shopper starts a group through the shop API and pays: it forms, 1 of 2, for 1 h 30 min.
    const [shopper] = await manyShoppers(site, tenantId, 1);
    const asShopper = bearer(shopper!.token);
    const addressId = await addressByApi(demo, asShopper, {
      name: '拼团客',
      phone: '13912345691',
      detail: '拼团路 1 号',
    });
    const order = (
      await site.api
        .post(demoShopApi(`/group-campaigns/${campaign.id}/orders`))
        .set(asShopper)
        .set('Idempotency-Key', `group-console-${Date.now().toString(36)}`)
        .send({ skuId: small.id, quantity: 1, addressId })
        .expect(201)
    ).body as Order;
    expect(order.totalFen - order.shippingFen).toBe(4_400);
    const pay = await site.api
      .post(demoShopApi(`/orders/${order.id}/pay`))
      .set(asShopper)
      .send({ method: 'sandbox' })
      .expect(200);
    await site.api
      .post(demoShopApi(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(asShopper)
      .expect(200);
    const groupId = order.activity!.id;

    // Its row counts the group; 团列表 shows it forming with 1 of 2 and its end.
    await page.reload();
    await row.locator('[data-testid="figures-groups"]', { hasText: '开团 1' }).waitFor();
    expect(await row.locator('[data-testid="figures-groups"]').innerText()).toContain('成功 0 · 进行中 1 · 失败 0');
    await row.locator('[data-testid="group-groups"]').click();
    await page.waitForURL(new RegExp(`/console/marketing/group-buys/groups\\?campaignId=${campaign.id}$`));
    const group = page.locator(`[data-testid="groups-row-${groupId}"]`);
    await group.locator('[data-testid="groups-status"][data-status="forming"]', { hasText: '拼团中' }).waitFor();
    await group
      .locator('[data-testid="groups-members"][data-joined="1"][data-size="2"]', { hasText: '1 / 2 人' })
      .waitFor();
    expect(await group.innerText()).toContain(BLANKET);
    expect(await group.locator('[data-testid="groups-expires"]').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    // Under 拼团成功 it is not.
    await page.locator('[data-testid="groups-tab-succeeded"]').click();
    await page.waitForURL(/status=succeeded/);
    await page.locator('[data-testid="groups-table"] .el-table__empty-text', { hasText: '还没有团' }).waitFor();

    // The order says 拼团 and 待成团; it cannot ship until the group forms.
    await openOrderInConsole(page, order);
    await page.locator('[data-testid="order-activity"][data-kind="group_buy"]', { hasText: '拼团' }).waitFor();
    await page.locator('[data-testid="order-activity-waiting"]', { hasText: '待成团' }).waitFor();
    await page.locator('[data-testid="order-group-waiting"]', { hasText: '拼团订单须等成团后才能发货' }).waitFor();
    expect(await page.locator('[data-testid="order-ship"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="order-discount-label"][data-source="group_buy"]').innerText()).toMatch(
      /^拼团价「/,
    );

    // Back on the list: renamed in the edit dialog, then stopped after the confirm; its open group keeps its end.
    await fromMenu(page, 'merchant-marketing', 'merchant-marketing-group-buys');
    await row.locator('[data-testid="group-edit"]').click();
    const renamed = `${name} 改`;
    await input(page, 'group-edit-name').fill(renamed);
    await page.locator('[data-testid="group-edit-save"]').click();
    await row.locator('[data-testid="group-name"]', { hasText: renamed }).waitFor();
    await row.locator('[data-testid="group-stop"]').click();
    await page.locator('.el-message-box', { hasText: `确定停止拼团活动“${renamed}”吗` }).waitFor();
    await confirm(page);
    await row.locator('[data-testid="group-status"]', { hasText: '已停止' }).waitFor();
    expect(await row.locator('[data-testid="group-edit"]').count()).toBe(0);
    const stopped = (await site.api.get(`${M}/group-campaigns/${campaign.id}`).set(merchant).expect(200))
      .body as GroupCampaign;
    expect(stopped).toMatchObject({ name: renamed, displayStatus: 'stopped', figures: { forming: 1 } });
  });
});
