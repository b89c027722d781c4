import type { MemberCentre, MemberSettings } from '@shopfleet/contracts';
import { yuan } from '../helpers/browser';
import { openOrderInConsole, signInToConsole } from '../helpers/console-steps';
import { demoProduct, demoShopApi, demoSuite, merchantOrder, shopperBearer } from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  buyNow,
  latestOrderOf,
  openProduct,
  phone,
  shopHome,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
/** ¥199.00 black / standard; bought by other tests too, which is fine: nothing here changes the product. */
const EARPHONES = '无线蓝牙耳机 降噪版';

describe('会员 in the h5 shop on a phone', () => {
  it('a shopper signs in daily (+5), favourites a product and finds it under 收藏 and 足迹, and pays part of an order with points', async () => {
    const { site, merchant } = demo;
    // The shop's sign-in rewards, as the test expects them (day 1: 5 points), and points on.
    const rules = (await site.api.get(`${M}/member-settings`).set(merchant).expect(200)).body as MemberSettings;
    expect(rules).toMatchObject({ pointsEnabled: true, pointsPerYuan: 100, maxDeductPercent: 50 });
    expect(rules.signInRewards[0]).toBe(5);

    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, `136000004${String(Date.now() % 100).padStart(2, '0')}`);

    // 我的: the member card — 普通会员, no points yet; its 签到 entry.
    const card = visible(page, 'member-card');
    await card.locator('[data-testid="member-card-level"]', { hasText: '普通会员' }).waitFor();
    expect(await card.locator('[data-testid="member-card-points"]').innerText()).toBe('0');
    await visible(page, 'member-entry-sign-in').click();

    // 签到: day 1 is today (+5), the week ahead with its rewards; the button signs in and shows +5.
    await page.locator('[data-testid="sign-in-page"][data-signed-today="false"]:visible').waitFor();
    const today = page.locator('[data-testid="sign-in-day"][data-state="today"]:visible');
    expect(await today.getAttribute('data-day')).toBe('1');
    expect(await today.innerText()).toContain('+5');
    expect(await page.locator('[data-testid="sign-in-day"]:visible').count()).toBe(7);
    // The same page open in another tab, from before the sign-in.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.locator('[data-testid="sign-in-page"][data-signed-today="false"]:visible').waitFor();
    await visible(page, 'sign-in-button').filter({ hasText: '签到领 5 积分' }).click();
    await visible(page, 'sign-in-gained').filter({ hasText: '+5 积分' }).waitFor();
    await page.locator('[data-testid="sign-in-page"][data-signed-today="true"]:visible').waitFor();
    await visible(page, 'sign-in-button').filter({ hasText: '今日已签到' }).waitFor();
    expect(await visible(page, 'sign-in-button').getAttribute('data-can-sign')).toBe('false');
    await page.locator('[data-testid="sign-in-day"][data-day="1"][data-state="signed"]:visible').waitFor();
    await visible(page, 'sign-in-streak').filter({ hasText: '已连续签到 1 天' }).waitFor();
    // The other tab's button is refused by the server, said from its reason; the page then shows today signed.
    await visible(other, 'sign-in-button').click();
    await visible(other, 'sign-in-refusal').filter({ hasText: '今天已签到，明天再来吧' }).waitFor();
    await other.locator('[data-testid="sign-in-page"][data-signed-today="true"]:visible').waitFor();
    await other.close();
    // Its points page: 签到 +5.
    await visible(page, 'sign-in-points').click();
    await visible(page, 'points-available').filter({ hasText: '5' }).waitFor();
    await page
      .locator('[data-testid="points-entry"][data-kind="sign_in"]:visible')
      .filter({ hasText: '签到' })
      .filter({ hasText: '+5' })
      .waitFor();

    // The product page: 收藏 (the heart fills); the view is recorded in 足迹.
    const productId = await demoProduct(demo, EARPHONES);
    await openProduct(site, page, productId);
    const heart = visible(page, 'favourite-toggle');
    await page.locator('[data-testid="favourite-toggle"][data-favourite="false"]:visible').waitFor();
    await heart.filter({ hasText: '收藏' }).click();
    await page.locator('[data-testid="favourite-toggle"][data-favourite="true"]:visible').waitFor();
    await heart.filter({ hasText: '已收藏' }).waitFor();

    // 我的 → 收藏 lists it; → 足迹 too.
    await page.goto(`${shopHome(site)}#/pages/user/index`);
    await visible(page, 'member-entry-favourites').click();
    await page
      .locator(`[data-testid="favourite"][data-product-id="${productId}"][data-on-sale="true"]:visible`)
      .filter({ hasText: EARPHONES })
      .waitFor();
    await page.goto(`${shopHome(site)}#/pages/user/index`);
    await visible(page, 'member-entry-history').click();
    await page
      .locator(`[data-testid="history"][data-product-id="${productId}"]:visible`)
      .filter({ hasText: EARPHONES })
      .waitFor();

    // The merchant gives 1,000 points: 1,005 in all, ¥10.05 at checkout (100 points = ¥1, at most half the order).
    await site.api
      .post(`${M}/members/${shopperId}/points`)
      .set(merchant)
      .send({ delta: 1_000, reason: '会员日赠送' })
      .expect(200);
    const centre = (
      await site.api
        .get(demoShopApi('/member'))
        .set(await shopperBearer(demo, shopperId))
        .expect(200)
    ).body as MemberCentre;
    expect(centre.points).toEqual({ available: 1_005, frozen: 0, debt: 0 });
    expect(centre.favourites).toBe(1);

    // Checkout: 积分抵扣 可用 1005 积分，抵 ¥10.05, off until switched on; on, a 积分抵扣 row and the total ¥10.05 less.
    await openProduct(site, page, productId);
    await buyNow(page, { specValues: ['黑', '标准'], quantity: 1 });
    await addAddressAtCheckout(page, { name: '积分客', phone: '13912345695', detail: '会员路 1 号' });
    await visible(page, 'checkout-address').filter({ hasText: '积分客' }).waitFor();
    const row = page.locator('[data-testid="checkout-points"][data-on="false"]:visible');
    await row.filter({ hasText: '积分抵扣' }).filter({ hasText: '可用 1005 积分，抵 ¥10.05' }).waitFor();
    const before = Number(await visible(page, 'checkout-total').getAttribute('data-total-fen'));
    expect(await page.locator('[data-testid="checkout-discount"][data-source="points"]:visible').count()).toBe(0);
    await visible(page, 'checkout-points-switch').click();
    await page.locator('[data-testid="checkout-points"][data-on="true"]:visible').waitFor();
    await page
      .locator('[data-testid="checkout-discount"][data-source="points"]:visible')
      .filter({ hasText: '积分抵扣' })
      .filter({ hasText: '使用 1005 积分' })
      .filter({ hasText: '-¥10.05' })
      .waitFor();
    await page.locator(`[data-testid="checkout-total"][data-total-fen="${before - 1_005}"]:visible`).waitFor();

    // Placed and paid: the order shows the points discount; the points are spent.
    await visible(page, 'checkout-submit').click();
    await visible(page, 'pay-method-sandbox').click();
    await visible(page, 'pay-submit').click();
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
    await page
      .locator('[data-testid="order-discount"][data-source="points"]:visible')
      .filter({ hasText: '积分抵扣' })
      .filter({ hasText: '使用 1005 积分' })
      .filter({ hasText: yuan(-1_005) })
      .waitFor();
    const order = await merchantOrder(demo, Number((await latestOrderOf(demo, shopperId)).id));
    expect(order.totalFen).toBe(before - 1_005);
    expect(order.discounts).toContainEqual({ source: 'points', sourceId: 0, name: '1005', fen: 1_005 });

    // 我的: no points left to spend; those the order earned wait (待发放) until its after-sales window passes.
    await page.goto(`${shopHome(site)}#/pages/user/index`);
    await card.locator('[data-testid="member-card-points"]', { hasText: /^0$/ }).waitFor();
    await card.locator('[data-testid="member-card-pending"]', { hasText: '待发放' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // 收藏: removed, the list is empty; 足迹: cleared after the confirm, empty too.
    await visible(page, 'member-entry-favourites').click();
    await page
      .locator(`[data-testid="favourite"][data-product-id="${productId}"]:visible [data-testid="saved-remove"]`)
      .click();
    await visible(page, 'favourites-empty').filter({ hasText: '还没有收藏商品' }).waitFor();
    await page.goto(`${shopHome(site)}#/pages/member/history`);
    await page.locator(`[data-testid="history"][data-product-id="${productId}"]:visible`).waitFor();
    await visible(page, 'history-clear').click();
    await visible(page, 'dialog').filter({ hasText: '确定清空全部浏览记录吗？' }).waitFor();
    await visible(page, 'dialog-confirm').click();
    await visible(page, 'history-empty').filter({ hasText: '还没有浏览记录' }).waitFor();
    await context.close();

    // The merchant's order page names the discount: 积分抵扣（1005 积分）.
    const desk = await signInToConsole(demo);
    await openOrderInConsole(desk, order);
    expect(await desk.locator('[data-testid="order-discount-label"][data-source="points"]').innerText()).toBe(
      '积分抵扣（1005 积分）',
    );
    await desk.context().close();
  });
});
