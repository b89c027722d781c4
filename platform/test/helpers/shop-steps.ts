/**
 * What a shopper does in the demo shop's h5 build on a phone, step by step, as the browser tests drive it: each step
 * waits for what the page shows when it is done.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { yuan, type LiveSite } from './browser';
import type { DemoSuite } from './demo-suite';

/** Waits for `check` to hold, asking every 100 ms, for `ms` at most. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The visible input (or textarea) of a uni-app field by its test id: uni-app wraps its inputs, some pages twice. */
export const field = (page: Page, id: string) =>
  page
    .locator(
      `[data-testid="${id}"] input:visible, [data-testid="${id}"] textarea:visible, input[data-testid="${id}"]:visible, textarea[data-testid="${id}"]:visible`,
    )
    .first();

/** The first visible element of a test id: uni-app keeps the pages under the current one in the document. */
export const visible = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

/** A phone (390×844, touch, mobile) in its own browser context, Chinese unless told. */
export async function phone(
  demo: Pick<DemoSuite, 'browser'>,
  locale = 'zh-CN',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await demo.browser.newContext({
    locale,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** The demo shop's h5 home; its pages are `#/pages/…` after it. */
export const shopHome = (site: LiveSite) => `${site.baseUrl}/s/${DEMO.tenant.slug}/`;

/** Signs in by phone and the one-time code the SMS fake caught; lands on the 我的 tab. Returns the shopper's id. */
export async function signInByPhone(demo: DemoSuite, page: Page, number: string): Promise<number> {
  const { site, tenantId } = demo;
  await page.goto(`${shopHome(site)}#/pages/user/login`);
  await field(page, 'phone-input').fill(number);
  await visible(page, 'send-code').click();
  await eventually(() => site.sms.sent.some((s) => s.phone === number));
  await field(page, 'code-input').fill(site.sms.lastCodeFor(number));
  await visible(page, 'sign-in').click();
  await visible(page, 'phone-masked').waitFor();
  return Number((await site.platform.knex('shoppers').where({ tenant_id: tenantId, phone: number }).first()).id);
}

/** A template's card in the coupon centre. */
export const centreCoupon = (page: Page, templateId: number) =>
  page.locator(`[data-testid="centre-coupon"][data-template-id="${templateId}"]:visible`);

/** 我的 → 领券中心. */
export async function openCouponCentre(page: Page): Promise<void> {
  await visible(page, 'user-coupon-centre').click();
}

/** Claims a template's coupon from its card in the coupon centre: 立即领取, then the card says 已领取 and claims no more. */
export async function claimInCouponCentre(page: Page, templateId: number): Promise<void> {
  const claim = centreCoupon(page, templateId).locator('[data-testid="coupon-claim"]');
  await claim.filter({ hasText: '立即领取' }).click();
  await page
    .locator(`[data-testid="centre-coupon"][data-template-id="${templateId}"][data-can-claim="false"]:visible`)
    .waitFor();
  await claim.filter({ hasText: '已领取' }).waitFor();
}

/** Opens a product's page. */
export async function openProduct(site: LiveSite, page: Page, productId: number): Promise<void> {
  await page.goto(`${shopHome(site)}#/pages/product/detail?id=${productId}`);
}

/**
 * 立即购买 on the product's page: its spec values chosen in the sheet, the quantity raised to `quantity`, confirmed;
 * lands on checkout.
 */
export async function buyNow(page: Page, choice: { specValues: string[]; quantity: number }): Promise<void> {
  await visible(page, 'buy-now').click();
  for (const value of choice.specValues)
    await page.locator(`[data-testid="sku-option"][data-value="${value}"]:visible`).click();
  for (let n = 1; n < choice.quantity; n++) await visible(page, 'quantity-plus').click();
  await visible(page, 'quantity-value')
    .filter({ hasText: String(choice.quantity) })
    .waitFor();
  await visible(page, 'sku-confirm').click();
}

/** Adds an address in 福州市鼓楼区 (region 350102) from checkout, which then uses it. */
export async function addAddressAtCheckout(
  page: Page,
  to: { name: string; phone: string; detail: string },
): Promise<void> {
  await visible(page, 'checkout-address-add').click();
  await field(page, 'address-name').fill(to.name);
  await field(page, 'address-phone').fill(to.phone);
  await field(page, 'address-region').fill('350102');
  await page.locator('[data-testid="address-region-text"][data-code="350102"]:visible').waitFor();
  await field(page, 'address-detail').fill(to.detail);
  await visible(page, 'address-save').click();
}

/** A discount row of checkout by its source (`full_reduction`, `coupon`). */
export const checkoutDiscount = (page: Page, source: string) =>
  page.locator(`[data-testid="checkout-discount"][data-source="${source}"]:visible`);

/**
 * Waits for checkout to show these figures: what the items come to, the 满减 and the coupon (each row labelled by its
 * kind), and the total the shopper pays.
 */
export async function checkoutShows(
  page: Page,
  figures: { itemsFen: number; fullReductionFen: number; couponFen: number; totalFen: number },
): Promise<void> {
  await visible(page, 'checkout-total')
    .filter({ hasText: yuan(figures.totalFen) })
    .waitFor();
  await page.locator(`[data-testid="checkout-total"][data-total-fen="${figures.totalFen}"]:visible`).waitFor();
  await visible(page, 'checkout-items-total')
    .filter({ hasText: yuan(figures.itemsFen) })
    .waitFor();
  await checkoutDiscount(page, 'full_reduction')
    .filter({ hasText: '满减' })
    .filter({ hasText: `-${yuan(figures.fullReductionFen)}` })
    .waitFor();
  await checkoutDiscount(page, 'coupon')
    .filter({ hasText: '优惠券' })
    .filter({ hasText: `-${yuan(figures.couponFen)}` })
    .waitFor();
}

/** 提交订单 at checkout, then pays in the sandbox (the demo shop is in test mode); lands on the paid order's page. */
export async function placeAndPayInSandbox(page: Page): Promise<void> {
  await visible(page, 'checkout-submit').click();
  await visible(page, 'pay-method-sandbox').click();
  await visible(page, 'pay-submit').click();
  await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
}

/** The shopper's latest order, as the database has it. */
export async function latestOrderOf(demo: DemoSuite, shopperId: number) {
  return demo.site.platform
    .knex('orders')
    .where({ tenant_id: demo.tenantId, shopper_id: shopperId })
    .orderBy('id', 'desc')
    .first();
}

/** A line of the order's page by (part of) its product's title. */
export const orderLine = (page: Page, title: string): Locator =>
  page.locator('[data-testid="order-line"]:visible').filter({ hasText: title });
