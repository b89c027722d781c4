/**
 * What a merchant does in the console at desktop size (1440×900), step by step, as the browser tests drive it: the
 * real forms and dialogs, each step waiting for the server's answer or for what the page shows when it is done.
 */
import type { Browser, Locator, Page, Response } from 'playwright-core';
import type { CouponTemplate, MerchantOrder, Promotion } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import type { LiveSite } from './browser';
import type { DemoSuite } from './demo-suite';

const M = '/merchant-api/v1';

/** An Element Plus field's input by its test id (the id sits on the wrapper, or on the input itself). */
export const input = (page: Page | Locator, testid: string) =>
  page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

/**
 * The demo owner (or another of the demo shop's people) signed in to the console in a desktop window (Chinese unless
 * told); lands on the dashboard.
 */
export async function signInToConsole(
  demo: { site: LiveSite; browser: Browser },
  locale = 'zh-CN',
  who: { email: string; password: string } = DEMO.owner,
): Promise<Page> {
  const context = await demo.browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${demo.site.baseUrl}/console/login`);
  await input(page, 'login-email').fill(who.email);
  await input(page, 'login-password').fill(who.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.locator('[data-testid="shop-name"]').waitFor();
  return page;
}

/**
 * The test platform's clock stands still where the site started; the forms start a campaign at the browser's now.
 * Set the server's clock to now before saving, so a campaign that starts now is running.
 */
export function serverClockToNow(site: LiveSite): void {
  site.clock.set(new Date().toISOString());
}

/** The answer to the page's next POST to this merchant API path. */
export function posted(page: Page, path: string): Promise<Response> {
  return page.waitForResponse((r) => r.url().endsWith(`${M}${path}`) && r.request().method() === 'POST');
}

/** Says yes in the open confirm box. */
export async function confirm(page: Page): Promise<void> {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

/** A page of a menu group (营销, 订单) from the side menu, the group opened first when it is closed. */
export async function fromMenu(page: Page, group: string, item: string): Promise<void> {
  const entry = page.locator(`[data-testid="menu-${item}"]`);
  if (!(await entry.isVisible())) await page.locator(`[data-testid="menu-${group}"] .el-sub-menu__title`).click();
  await entry.click();
}

/** A 满减券 as the merchant types it: money in yuan, claimable from now for the form's default 7 days. */
export interface CouponInput {
  name: string;
  threshold: number;
  amountOff: number;
  /** Whether it may be used on an order that also gets a 满减. */
  withFullReduction: boolean;
  validDays: number;
  total: number;
}

/** Saves a form that creates a campaign at the server's now, expects it created, and returns what the server saved. */
export async function saveCreating<T>(page: Page, site: LiveSite, path: string, saveTestid: string): Promise<T> {
  serverClockToNow(site);
  const saved = posted(page, path);
  await page.locator(`[data-testid="${saveTestid}"]`).click();
  const response = await saved;
  expect(response.status()).toBe(201);
  return (await response.json()) as T;
}

/** 满100减10 that goes with 满减, valid 7 days from its claim, 100 of them. */
export const hundredLessTen = (name: string): CouponInput => ({
  name,
  threshold: 100,
  amountOff: 10,
  withFullReduction: true,
  validDays: 7,
  total: 100,
});

/**
 * Creates a 满减券 for the whole shop through 营销 → 优惠券 → 新建 (claimed by shoppers: the form's default), saved at
 * the server's now; expects it created, to be stopped after the file's tests, and returns it as the server saved it,
 * back on the coupon list.
 */
export async function createCouponInConsole(page: Page, demo: DemoSuite, coupon: CouponInput): Promise<CouponTemplate> {
  await fromMenu(page, 'merchant-marketing', 'merchant-marketing-coupons');
  await page.waitForURL(/\/console\/marketing\/coupons$/);
  await page.locator('[data-testid="coupon-new"]').click();
  await page.waitForURL(/\/console\/marketing\/coupons\/new$/);
  await input(page, 'coupon-name').fill(coupon.name);
  await page.locator('[data-testid="coupon-kind-amount_off"]').click();
  await input(page, 'coupon-threshold').fill(String(coupon.threshold));
  await input(page, 'coupon-amount-off').fill(String(coupon.amountOff));
  await page.locator('[data-testid="scope-shop"]').click();
  if (coupon.withFullReduction) await page.locator('[data-testid="coupon-combines-full_reduction"]').click();
  await page.locator('[data-testid="coupon-validity-mode-days"]').click();
  await input(page, 'coupon-validity-days').fill(String(coupon.validDays));
  await input(page, 'coupon-total').fill(String(coupon.total));
  const template = await saveCreating<CouponTemplate>(page, demo.site, '/coupon-templates', 'coupon-save');
  demo.started.templates.push(template.id);
  await page.waitForURL(/\/console\/marketing\/coupons$/);
  return template;
}

/** A 满减 as the merchant types it: tiers in yuan; over the whole shop, or over the products named. */
export interface FullReductionInput {
  name: string;
  tiers: Array<{ threshold: number; amountOff: number }>;
  products?: Array<{ id: number; title: string }>;
}

/**
 * Creates a 满减 (by amount, money off) through 营销 → 满减/满折 → 新建 over the form's default period (from now),
 * its products picked by searching the catalog, saved at the server's now; expects it created, to be stopped after the
 * file's tests, and returns it as the server saved it, back on the list.
 */
export async function createFullReductionInConsole(
  page: Page,
  demo: DemoSuite,
  form: FullReductionInput,
): Promise<Promotion> {
  await fromMenu(page, 'merchant-marketing', 'merchant-marketing-full-reductions');
  await page.waitForURL(/\/console\/marketing\/full-reductions$/);
  await page.locator('[data-testid="promotion-new"]').click();
  await page.waitForURL(/\/console\/marketing\/full-reductions\/new$/);
  await input(page, 'full-reduction-name').fill(form.name);
  for (const [i, tier] of form.tiers.entries()) {
    if (i > 0) await page.locator('[data-testid="tier-add"]').click();
    await input(page, `tier-threshold-${i}`).fill(String(tier.threshold));
    await input(page, `tier-amount-${i}`).fill(String(tier.amountOff));
  }
  if (form.products) await pickProducts(page, form.products);
  const promotion = await saveCreating<Promotion>(page, demo.site, '/promotions', 'full-reduction-save');
  demo.started.promotions.push(promotion.id);
  await page.waitForURL(/\/console\/marketing\/full-reductions$/);
  return promotion;
}

/**
 * 指定商品 in a campaign form's scope, each product found by typing its title and chosen from the options. The radio and
 * the product select share the test id `scope-products`: the class tells them apart.
 */
async function pickProducts(page: Page, products: Array<{ id: number; title: string }>): Promise<void> {
  await page.locator('.el-radio[data-testid="scope-products"]').click();
  const select = page.locator('.product-select[data-testid="scope-products"]');
  await select.click();
  for (const product of products) {
    await select.locator('input').first().fill(product.title);
    await page.locator(`[data-testid="scope-products-option-${product.id}"]:visible`).click();
    await select.locator('.el-tag', { hasText: product.title }).waitFor();
  }
  await page.keyboard.press('Escape');
}

/** An order of the console's order list, by its number: 订单 → search → its page, where it waits for the status. */
export async function openOrderInConsole(page: Page, order: { id: number; orderNo: string }): Promise<void> {
  await fromMenu(page, 'merchant-order-center', 'merchant-orders');
  await page.waitForURL(/\/console\/orders(\?.*)?$/);
  await input(page, 'orders-search').fill(order.orderNo);
  await page.locator('[data-testid="orders-search-submit"]').click();
  await page.locator('[data-testid="order-no"]', { hasText: order.orderNo }).click();
  await page.waitForURL(new RegExp(`/console/orders/${order.id}$`));
  await page.locator('[data-testid="order-status"]').waitFor();
}

/** A line's element in the order page and its refund dialog, by the line's SKU. */
export const bySku = (testid: string, skuId: number) => `[data-testid="${testid}"][data-sku="${skuId}"]`;

/** 退款 on the order's page: the dialog, open by line (its default while units are left). */
export async function openRefundDialog(page: Page): Promise<Locator> {
  await page.locator('[data-testid="order-refund"]').click();
  const dialog = page.locator('[data-testid="refund-dialog"]');
  await dialog.waitFor();
  await dialog.locator('[data-testid="refund-mode-lines"].is-active').waitFor();
  return dialog;
}

/** Sets a line's units in the refund dialog as the merchant types them. */
export async function typeRefundUnits(dialog: Locator, skuId: number, units: number): Promise<void> {
  await dialog.locator(`${bySku('refund-line-units', skuId)} input`).fill(String(units));
}

/** Gives the reason, sends the dialog's refund, says yes to the amount, and returns the order the server answers with. */
export async function sendRefund(page: Page, dialog: Locator, orderId: number, reason: string): Promise<MerchantOrder> {
  await input(dialog, 'refund-reason').fill(reason);
  const answered = posted(page, `/orders/${orderId}/refunds`);
  await dialog.locator('[data-testid="refund-confirm"]').click();
  await confirm(page);
  const response = await answered;
  expect(response.status()).toBe(201);
  await dialog.waitFor({ state: 'hidden' });
  return (await response.json()) as MerchantOrder;
}

/**
 * Refunds units of lines by line from the order's page (open in the console): types each pick's units, runs `check` on
 * the dialog (what it shows before sending), then sends with the reason. Returns the order the server answers with.
 */
export async function refundLinesInConsole(
  page: Page,
  orderId: number,
  picks: Array<{ skuId: number; units: number }>,
  reason: string,
  check: (dialog: Locator) => Promise<void> = async () => {},
): Promise<MerchantOrder> {
  const dialog = await openRefundDialog(page);
  for (const pick of picks) await typeRefundUnits(dialog, pick.skuId, pick.units);
  await check(dialog);
  return sendRefund(page, dialog, orderId, reason);
}
