import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
/** Coupon templates this file made, stopped at the end so the demo shop's coupon centre is as other tests found it. */
const templateIds: number[] = [];

beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
});
afterAll(async () => {
  if (templateIds.length)
    await site.platform.knex('coupon_templates').whereIn('id', templateIds).update({ status: 'stopped' });
  await browser?.close();
  await site?.close();
});

const input = (page: Page | Locator, testid: string) =>
  page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${site.baseUrl}/console/login`);
  await input(page, 'login-email').fill(DEMO.owner.email);
  await input(page, 'login-password').fill(DEMO.owner.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.locator('[data-testid="shop-name"]').waitFor();
  return page;
}

/**
 * The test platform's clock stands still where the site started; the forms start a campaign at the browser's now.
 * Set the server's clock to now before saving, so a campaign that starts now is running.
 */
function serverClockToNow(): void {
  site.clock.set(new Date().toISOString());
}

function posted(page: Page, path: string) {
  return page.waitForResponse((r) => r.url().endsWith(`/merchant-api/v1${path}`) && r.request().method() === 'POST');
}

async function confirm(page: Page): Promise<void> {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

describe('marketing in the console', () => {
  it('a merchant creates a 满减券 and a 满减 through the forms, sees both running, stops the 满减 and copies the coupon', async () => {
    const page = await signIn();
    const tag = Date.now().toString(36);

    // 营销 → 优惠券, from the menu.
    await page.locator('[data-testid="menu-merchant-marketing"] .el-sub-menu__title').click();
    await page.locator('[data-testid="menu-merchant-marketing-coupons"]').click();
    await page.waitForURL(/\/console\/marketing\/coupons$/);
    await page.locator('[data-testid="coupon-new"]').click();
    await page.waitForURL(/\/console\/marketing\/coupons\/new$/);

    // 满100减10, whole shop, claimable from now for 7 days (the form's default), valid 7 days, 100 of them, with 满减.
    await input(page, 'coupon-name').fill(`满100减10 ${tag}`);
    await page.locator('[data-testid="coupon-kind-amount_off"]').click();
    await input(page, 'coupon-threshold').fill('100');
    await input(page, 'coupon-amount-off').fill('10');
    await page.locator('[data-testid="scope-shop"]').click();
    await page.locator('[data-testid="coupon-combines-full_reduction"]').click();
    await page.locator('[data-testid="coupon-validity-mode-days"]').click();
    await input(page, 'coupon-validity-days').fill('7');
    await input(page, 'coupon-total').fill('100');
    serverClockToNow();
    const couponPosted = posted(page, '/coupon-templates');
    await page.locator('[data-testid="coupon-save"]').click();
    const couponResponse = await couponPosted;
    expect(couponResponse.status()).toBe(201);
    const coupon = await couponResponse.json();
    templateIds.push(coupon.id);
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

    await page.waitForURL(/\/console\/marketing\/coupons$/);
    const couponRow = page.locator(`[data-testid="coupon-row-${coupon.id}"]`);
    await couponRow.locator('[data-testid="coupon-status"]', { hasText: '进行中' }).waitFor();
    expect(await couponRow.locator('[data-testid="coupon-rule"]').innerText()).toBe('满¥100.00减¥10.00');
    expect(await couponRow.locator('[data-testid="coupon-issued"]').innerText()).toBe('0 / 100');

    // 满减/满折: two tiers, 满200减20 and 满300减40, over the whole shop.
    await page.locator('[data-testid="menu-merchant-marketing-full-reductions"]').click();
    await page.waitForURL(/\/console\/marketing\/full-reductions$/);
    await page.locator('[data-testid="promotion-new"]').click();
    await page.waitForURL(/\/console\/marketing\/full-reductions\/new$/);
    await input(page, 'full-reduction-name').fill(`满200减20 ${tag}`);
    await input(page, 'tier-threshold-0').fill('200');
    await input(page, 'tier-amount-0').fill('20');
    await page.locator('[data-testid="tier-add"]').click();
    await input(page, 'tier-threshold-1').fill('300');
    await input(page, 'tier-amount-1').fill('40');
    serverClockToNow();
    const promotionPosted = posted(page, '/promotions');
    await page.locator('[data-testid="full-reduction-save"]').click();
    const promotionResponse = await promotionPosted;
    expect(promotionResponse.status()).toBe(201);
    const promotion = await promotionResponse.json();
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

    await page.waitForURL(/\/console\/marketing\/full-reductions$/);
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
    await page.locator('[data-testid="menu-merchant-marketing-coupons"]').click();
    await page.waitForURL(/\/console\/marketing\/coupons$/);
    await couponRow.locator('[data-testid="coupon-copy"]').click();
    const dialog = page.locator('[data-testid="coupon-copy-dialog"]');
    expect(await input(dialog, 'coupon-copy-name').inputValue()).toBe(`满100减10 ${tag} 副本`);
    await input(dialog, 'coupon-copy-name').fill(`再来一张 ${tag}`);
    expect(await input(dialog, 'coupon-copy-validity-days').inputValue()).toBe('7');
    serverClockToNow();
    const copyPosted = posted(page, `/coupon-templates/${coupon.id}/copy`);
    await dialog.locator('[data-testid="coupon-copy-save"]').click();
    const copyResponse = await copyPosted;
    expect(copyResponse.status()).toBe(201);
    const copy = await copyResponse.json();
    templateIds.push(copy.id);
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
    const page = await signIn();
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
    const page = await signIn();
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
