import type { CouponTemplate } from '@shopfleet/contracts';
import {
  confirm,
  createCouponInConsole,
  createFullReductionInConsole,
  fromMenu,
  hundredLessTen,
  input,
  posted,
  saveCreating,
  signInToConsole,
} from '../helpers/console-steps';
import { demoSuite } from '../helpers/demo-suite';

/** The campaigns it makes are stopped at the end, so the demo shop's coupon centre is as other tests found it. */
const demo = demoSuite();

describe('marketing in the console', () => {
  it('a merchant creates a 满减券 and a 满减 through the forms, sees both running, stops the 满减 and copies the coupon', async () => {
    const { site } = demo;
    const page = await signInToConsole(demo);
    const tag = Date.now().toString(36);

    // 营销 → 优惠券 → 新建, from the menu: 满100减10, whole shop, claimable from now for 7 days (the form's default),
    // valid 7 days, 100 of them, with 满减.
    const coupon = await createCouponInConsole(page, demo, hundredLessTen(`满100减10 ${tag}`));
    expect(coupon).toMatchObject({
      kind: 'amount_off',
      thresholdFen: 10_000,
      amountOffFen: 1_000,
      discountPercent: null,
      scope: 'shop',
      scopeIds: [],
      validDays: 7,
      validFrom: null,
      totalQuantity: 100,
      perShopperLimit: 1,
      audience: 'everyone',
      issueMode: 'claim',
      combinesWith: ['full_reduction'],
      displayStatus: 'running',
    });
    expect(Date.parse(coupon.claimTo) - Date.parse(coupon.claimFrom)).toBe(7 * 86_400_000);
    expect(Date.parse(coupon.claimFrom)).toBeLessThanOrEqual(site.clock.now().getTime());

    const couponRow = page.locator(`[data-testid="coupon-row-${coupon.id}"]`);
    await couponRow.locator('[data-testid="coupon-status"]', { hasText: '进行中' }).waitFor();
    expect(await couponRow.locator('[data-testid="coupon-rule"]').innerText()).toBe('满¥100.00减¥10.00');
    expect(await couponRow.locator('[data-testid="coupon-issued"]').innerText()).toBe('0 / 100');

    // 满减/满折: two tiers, 满200减20 and 满300减40, over the whole shop.
    const promotion = await createFullReductionInConsole(page, demo, {
      name: `满200减20 ${tag}`,
      tiers: [
        { threshold: 200, amountOff: 20 },
        { threshold: 300, amountOff: 40 },
      ],
    });
    expect(promotion).toMatchObject({
      kind: 'full_reduction',
      basis: 'amount',
      scope: 'shop',
      displayStatus: 'running',
      tiers: [
        { threshold: 20_000, amountOffFen: 2_000, discountPercent: null },
        { threshold: 30_000, amountOffFen: 4_000, discountPercent: null },
      ],
    });

    const promotionRow = page.locator(`[data-testid="promotion-row-${promotion.id}"]`);
    await promotionRow.locator('[data-testid="promotion-status"]', { hasText: '进行中' }).waitFor();
    const rule = await promotionRow.locator('[data-testid="promotion-rule"]').innerText();
    expect(rule).toContain('满¥200.00减¥20.00');
    expect(rule).toContain('满¥300.00减¥40.00');

    // Stopped (after the confirm), it shows as 已停止 and stops applying to the shop's orders.
    await promotionRow.locator('[data-testid="promotion-stop"]').click();
    await confirm(page);
    await promotionRow.locator('[data-testid="promotion-status"]', { hasText: '已停止' }).waitFor();
    expect(await site.platform.knex('promotions').where({ id: promotion.id }).first('status')).toEqual({
      status: 'stopped',
    });

    // A copy of the coupon under a new name, claimable from now as long as the original, valid as long.
    await fromMenu(page, 'merchant-marketing', 'merchant-marketing-coupons');
    await page.waitForURL(/\/console\/marketing\/coupons$/);
    await couponRow.locator('[data-testid="coupon-copy"]').click();
    const dialog = page.locator('[data-testid="coupon-copy-dialog"]');
    expect(await input(dialog, 'coupon-copy-name').inputValue()).toBe(`满100减10 ${tag} 副本`);
    await input(dialog, 'coupon-copy-name').fill(`再来一张 ${tag}`);
    expect(await input(dialog, 'coupon-copy-validity-days').inputValue()).toBe('7');
    const copy = await saveCreating<CouponTemplate>(
      page,
      site,
      `/coupon-templates/${coupon.id}/copy`,
      'coupon-copy-save',
    );
    demo.started.templates.push(copy.id);
    expect(copy).toMatchObject({
      name: `再来一张 ${tag}`,
      thresholdFen: 10_000,
      amountOffFen: 1_000,
      validDays: 7,
      combinesWith: ['full_reduction'],
      issued: 0,
    });
    const copyRow = page.locator(`[data-testid="coupon-row-${copy.id}"]`);
    expect(await copyRow.locator('[data-testid="coupon-name"]').innerText()).toBe(`再来一张 ${tag}`);
    expect(await copyRow.locator('[data-testid="coupon-rule"]').innerText()).toBe('满¥100.00减¥10.00');
    await copyRow.locator('[data-testid="coupon-status"]', { hasText: '进行中' }).waitFor();
  });

  it('a 满减 whose second tier does not start above the first is refused in Chinese at that tier, and nothing is created', async () => {
    const { site, tenantId } = demo;
    const page = await signInToConsole(demo);
    const name = `坏档位 ${Date.now().toString(36)}`;
    await page.goto(`${site.baseUrl}/console/marketing/full-reductions/new`);
    await input(page, 'full-reduction-name').fill(name);
    await input(page, 'tier-threshold-0').fill('300');
    await input(page, 'tier-amount-0').fill('30');
    await page.locator('[data-testid="tier-add"]').click();
    await input(page, 'tier-threshold-1').fill('200');
    await input(page, 'tier-amount-1').fill('40');
    const refused = posted(page, '/promotions');
    await page.locator('[data-testid="full-reduction-save"]').click();
    expect((await refused).status()).toBe(400);

    // TIERS_OVERLAP, said from its reason: next to the second tier's threshold, and in the message.
    const overlap = '每一档的门槛和优惠都须高于上一档';
    expect(await page.locator('[data-testid="tier-threshold-error-1"]').innerText()).toBe(overlap);
    await page.locator('.el-message--error', { hasText: overlap }).waitFor();
    expect(await page.locator('[data-testid="tier-threshold-error-0"]').count()).toBe(0);
    expect(page.url()).toMatch(/\/console\/marketing\/full-reductions\/new$/);
    expect(await site.platform.knex('promotions').where({ tenant_id: tenantId, name })).toEqual([]);
  });

  it('in English the marketing menu and its pages read in English', async () => {
    const page = await signInToConsole(demo);
    await page.locator('[data-testid="locale-switch"]').click();
    await page.locator('[data-testid="locale-en"]').click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });

    const group = page.locator('[data-testid="menu-merchant-marketing"]');
    expect((await group.locator('.el-sub-menu__title').innerText()).trim()).toBe('Marketing');
    await group.locator('.el-sub-menu__title').click();
    expect(await page.locator('[data-testid="menu-merchant-marketing-coupons"]').innerText()).toBe('Coupons');
    expect(await page.locator('[data-testid="menu-merchant-marketing-full-reductions"]').innerText()).toBe(
      'Full reductions',
    );
    expect(await page.locator('[data-testid="menu-merchant-marketing-timed-discounts"]').innerText()).toBe(
      'Timed discounts',
    );
    await page.locator('[data-testid="menu-merchant-marketing-timed-discounts"]').click();
    await page.waitForURL(/\/console\/marketing\/timed-discounts$/);
    expect(await page.locator('[data-testid="promotion-tab-running"]').innerText()).toBe('Running');
    expect(await page.locator('[data-testid="promotion-new"]').innerText()).toBe('New timed discount');
  });
});
