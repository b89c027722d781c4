import type { Page } from 'playwright-core';
import type { Group, GroupCampaign } from '@shopfleet/contracts';
import { systemContext } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { serverClockToNow } from '../helpers/console-steps';
import { demoProduct, demoShopApi, demoSuite, merchantOrder, shopperBearer } from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  latestOrderOf,
  openProduct,
  phone,
  shopHome,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥259.00, one SKU; in no other group buy while this file runs. */
const HEADSET = '头戴式游戏耳机';
/** ¥129.00, one SKU; likewise. */
const CHARGER = '氮化镓快充充电器 65W';

describe('拼团 in the h5 shop on a phone', () => {
  /** Campaigns the tests set up, stopped at the end: the products' pages are shared with the other browser tests. */
  const started: number[] = [];
  afterAll(async () => {
    serverClockToNow(demo.site);
    for (const id of started) await demo.site.api.post(`${M}/group-campaigns/${id}/stop`).set(demo.merchant);
  });

  /** A campaign of the product's only SKU at a group price, running from a minute ago for a week, through the merchant API. */
  async function campaignOf(
    title: string,
    groupPriceFen: number,
    rules: Record<string, unknown>,
  ): Promise<GroupCampaign> {
    const { site, merchant } = demo;
    const productId = await demoProduct(demo, title);
    const [sku] = (await site.api.get(demoShopApi(`/products/${productId}`)).expect(200)).body.skus as Array<{
      id: number;
    }>;
    serverClockToNow(site);
    const now = site.clock.now().getTime();
    const campaign = (
      await site.api
        .post(`${M}/group-campaigns`)
        .set(merchant)
        .send({
          name: `${title} 拼团 ${Date.now().toString(36)}`,
          productId,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 7 * 86_400_000).toISOString(),
          items: [{ skuId: sku!.id, groupPriceFen }],
          ...rules,
        })
        .expect(201)
    ).body as GroupCampaign;
    started.push(campaign.id);
    return campaign;
  }

  it('a group that fills: shopper A starts it from the product page and pays in the sandbox; shopper B opens its link, joins and pays; both see 拼团成功', async () => {
    const { site } = demo;
    const campaign = await campaignOf(HEADSET, 19_900, { groupSize: 2, durationMinutes: 60, leaderDiscountFen: 1_000 });

    // A: the product's 拼团 band (¥199.00 for groups of 2, the leader ¥10.00 less), the two buttons.
    const a = await phone(demo);
    const aId = await signInByPhone(demo, a.page, '13600000211');
    await openProduct(site, a.page, campaign.productId);
    const band = visible(a.page, 'group-band');
    await band.locator('[data-testid="group-band-price"]').filter({ hasText: '¥199.00' }).waitFor();
    await band.locator('[data-testid="group-band-struck"]').filter({ hasText: '¥259.00' }).waitFor();
    await band.locator('[data-testid="group-band-size"]').filter({ hasText: '2人团' }).waitFor();
    await band.locator('[data-testid="group-band-leader"]').filter({ hasText: '团长再减 ¥10.00' }).waitFor();
    await visible(a.page, 'group-buy-alone').filter({ hasText: '单独购买' }).filter({ hasText: '¥259.00' }).waitFor();
    await fitsThePhone(a.page);

    // 发起拼团: the sheet at the leader's price, the only SKU chosen; the group checkout; paid in the sandbox.
    await visible(a.page, 'group-start').filter({ hasText: '发起拼团' }).filter({ hasText: '¥189.00' }).click();
    await visible(a.page, 'sku-sheet').waitFor();
    await visible(a.page, 'sku-price').filter({ hasText: '¥189.00' }).waitFor();
    await visible(a.page, 'group-sheet-text').filter({ hasText: '2人成团 · 每人限购 1 件' }).waitFor();
    await visible(a.page, 'sku-confirm').filter({ hasText: '发起拼团' }).click();
    await visible(a.page, 'group-checkout').waitFor();
    await addAddressAtCheckout(a.page, { name: '团长甲', phone: '13912345692', detail: '拼团路 2 号' });
    await visible(a.page, 'checkout-address').filter({ hasText: '团长甲' }).waitFor();
    await visible(a.page, 'group-checkout-role').filter({ hasText: '你将作为团长发起 2 人团' }).waitFor();
    await visible(a.page, 'group-checkout-total').filter({ hasText: '¥189.00' }).waitFor();
    await fitsThePhone(a.page);
    await payInSandbox(a.page, 'group-checkout-submit');

    // The group's page: forming, 1 of 2 (the leader marked, one empty seat), its countdown, the link to invite with.
    await groupStatus(a.page, 'forming', '拼团中');
    await visible(a.page, 'group-joined').filter({ hasText: '1 / 2 人已参团' }).waitFor();
    expect(await a.page.locator('[data-testid="group-member"][data-leader="true"]:visible').count()).toBe(1);
    expect(await a.page.locator('[data-testid="group-seat-empty"]:visible').count()).toBe(1);
    await visible(a.page, 'group-countdown').filter({ hasText: '距结束' }).waitFor();
    await visible(a.page, 'group-hint').filter({ hasText: '还差 1 人成团' }).waitFor();
    await fitsThePhone(a.page);
    const placed = await latestOrderOf(demo, aId);
    const leaderOrder = await merchantOrder(demo, Number(placed.id));
    const groupId = leaderOrder.activity!.id;
    expect(leaderOrder).toMatchObject({
      status: 'paid',
      totalFen: 18_900 + leaderOrder.shippingFen,
      activity: { kind: 'group_buy', id: groupId, waiting: true },
    });
    const link = await visible(a.page, 'group-invite').filter({ hasText: '邀请好友' }).getAttribute('data-link');
    expect(link).toBe(`${shopHome(site)}#/pages/group/detail?id=${groupId}`);
    await visible(a.page, 'group-invite').click();

    // Back on the product page, the open group is A's own: 我的团, not 去参团.
    await openProduct(site, a.page, campaign.productId);
    await a.page.locator(`[data-testid="group-open"][data-group-id="${groupId}"]:visible`).waitFor();
    await a.page
      .locator(`[data-testid="group-open"][data-group-id="${groupId}"] [data-testid="group-open-mine"]:visible`)
      .filter({ hasText: '我的团' })
      .waitFor();
    expect(
      await a.page
        .locator(`[data-testid="group-open"][data-group-id="${groupId}"] [data-testid="group-open-join"]:visible`)
        .count(),
    ).toBe(0);

    // Its order says 拼团 and 待成团, with the way back to the group.
    await a.page.goto(`${shopHome(site)}#/pages/order/detail?id=${placed.id}`);
    await visible(a.page, 'order-activity').filter({ hasText: '拼团' }).waitFor();
    await visible(a.page, 'order-activity-waiting').filter({ hasText: '待成团' }).waitFor();
    await visible(a.page, 'order-group-link').waitFor();

    // B, on another phone: the link opens the group, 参与拼团 opens the sheet at the group price; paid, the group forms.
    const b = await phone(demo);
    const bId = await signInByPhone(demo, b.page, '13600000212');
    await b.page.goto(link!);
    await groupStatus(b.page, 'forming', '拼团中');
    await visible(b.page, 'group-joined').filter({ hasText: '1 / 2 人已参团' }).waitFor();
    await visible(b.page, 'group-join').filter({ hasText: '参与拼团' }).click();
    await visible(b.page, 'sku-sheet').waitFor();
    await visible(b.page, 'sku-price').filter({ hasText: '¥199.00' }).waitFor();
    await visible(b.page, 'sku-confirm').filter({ hasText: '确认参团' }).click();
    await visible(b.page, 'group-checkout').waitFor();
    await visible(b.page, 'group-checkout-role').filter({ hasText: '还差 1 人' }).waitFor();
    await addAddressAtCheckout(b.page, { name: '团员乙', phone: '13912345693', detail: '拼团路 3 号' });
    await visible(b.page, 'checkout-address').filter({ hasText: '团员乙' }).waitFor();
    await visible(b.page, 'group-checkout-total').filter({ hasText: '¥199.00' }).waitFor();
    await payInSandbox(b.page, 'group-checkout-submit');
    await groupStatus(b.page, 'succeeded', '拼团成功');
    await visible(b.page, 'group-joined').filter({ hasText: '2 / 2 人已参团' }).waitFor();
    expect(await b.page.locator('[data-testid="group-member"]:visible').count()).toBe(2);
    expect(await b.page.locator('[data-testid="group-seat-empty"]:visible').count()).toBe(0);
    expect(await b.page.locator('[data-testid="group-join"]:visible').count()).toBe(0);
    const joined = await merchantOrder(demo, Number((await latestOrderOf(demo, bId)).id));
    expect(joined).toMatchObject({ status: 'paid', activity: { kind: 'group_buy', id: groupId, waiting: false } });

    // A sees it formed too; the leader's order no longer waits.
    await a.page.goto(`${shopHome(site)}#/pages/group/detail?id=${groupId}`);
    await groupStatus(a.page, 'succeeded', '拼团成功');
    expect((await merchantOrder(demo, leaderOrder.id)).activity).toEqual({
      kind: 'group_buy',
      id: groupId,
      waiting: false,
    });
    // 我的 → 我的拼团 lists it, formed.
    await a.page.goto(`${shopHome(site)}#/pages/user/index`);
    await visible(a.page, 'user-groups').filter({ hasText: '我的拼团' }).click();
    await a.page
      .locator(`[data-testid="my-group"][data-group-id="${groupId}"][data-status="succeeded"]:visible`)
      .filter({ hasText: '拼团成功' })
      .waitFor();
    await a.context.close();
    await b.context.close();
  });

  it('a group that does not fill fails at its end: its leader sees 拼团失败，已退款, and the refund on the order', async () => {
    const { site, tenantId } = demo;
    const campaign = await campaignOf(CHARGER, 9_900, { groupSize: 3, durationMinutes: 15 });

    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000213');
    await openProduct(site, page, campaign.productId);
    await visible(page, 'group-band').filter({ hasText: '3人团' }).waitFor();
    await visible(page, 'group-start').click();
    await visible(page, 'sku-confirm').filter({ hasText: '发起拼团' }).click();
    await visible(page, 'group-checkout').waitFor();
    await addAddressAtCheckout(page, { name: '团长丙', phone: '13912345694', detail: '拼团路 4 号' });
    await visible(page, 'checkout-address').filter({ hasText: '团长丙' }).waitFor();
    await visible(page, 'group-checkout-total').filter({ hasText: '¥99.00' }).waitFor();
    await payInSandbox(page, 'group-checkout-submit');
    await groupStatus(page, 'forming', '拼团中');
    await visible(page, 'group-hint').filter({ hasText: '还差 2 人成团' }).waitFor();

    // Its 15 minutes pass with nobody else: the group's end (its job, run here) finds it short and fails it.
    const orderId = Number((await latestOrderOf(demo, shopperId)).id);
    const groupId = (await merchantOrder(demo, orderId)).activity!.id;
    const shopper = await shopperBearer(demo, shopperId);
    const group = (
      await site.api
        .get(demoShopApi(`/groups/${groupId}`))
        .set(shopper)
        .expect(200)
    ).body as Group;
    site.clock.set(new Date(Date.parse(group.expiresAt!) + 1_000).toISOString());
    const ended = await site.platform.services.groupBuy.end(
      { ...systemContext(site.platform.log, 'test'), tenantId },
      groupId,
    );
    expect(ended).toMatchObject({ outcome: 'failed', closed: 1 });

    // The group's page says so; the order is closed and its payment refunded in full.
    await page.reload();
    await groupStatus(page, 'failed', '拼团失败，已退款');
    await visible(page, 'group-hint').filter({ hasText: '未在时限内成团，款项已原路退回' }).waitFor();
    expect(await page.locator('[data-testid="group-invite"]:visible').count()).toBe(0);
    const order = await merchantOrder(demo, orderId);
    expect(order).toMatchObject({ status: 'cancelled', refundedFen: order.totalFen });
    // Straight to the shopper's own order in the group.
    await visible(page, 'group-orders').click();
    await page.locator('[data-testid="order-status"][data-status="cancelled"]:visible').waitFor();
    await visible(page, 'order-activity').filter({ hasText: '拼团' }).waitFor();
    expect(await page.locator('[data-testid="order-activity-waiting"]:visible').count()).toBe(0);
    await visible(page, 'order-refunded')
      .filter({ hasText: yuan(order.totalFen) })
      .waitFor();
    await page
      .locator('[data-testid="order-refund"][data-status="succeeded"]:visible')
      .filter({ hasText: yuan(order.totalFen) })
      .filter({ hasText: '已退款' })
      .waitFor();
    await fitsThePhone(page);
    await context.close();
  });
});

/** 提交订单 on a checkout page, then pays in the sandbox (the demo shop is in test mode). */
async function payInSandbox(page: Page, submit: string): Promise<void> {
  await visible(page, submit).click();
  await visible(page, 'pay-method-sandbox').click();
  await visible(page, 'pay-submit').click();
}

/** The group's page showing this status. */
async function groupStatus(page: Page, status: string, text: string): Promise<void> {
  await page
    .locator(`[data-testid="group-status"][data-status="${status}"]:visible`)
    .filter({ hasText: text })
    .waitFor();
}

/** Nothing is wider than the phone. */
async function fitsThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}
