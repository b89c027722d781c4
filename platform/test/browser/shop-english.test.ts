import type { Browser, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';

let site: LiveSite;
let browser: Browser;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** An iPhone 14-sized phone, as phone-layout.test.ts emulates it, set to English. */
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true } as const;
/** Chinese text: Han ideographs, CJK punctuation, full-width punctuation (the steppers' ＋ and － are symbols). */
const CJK_RUN = /[\p{Script=Han}\u3000-\u303f\uff01-\uff0a\uff0c\uff0e-\uff5e]+/gu;
const HAS_CJK = new RegExp(CJK_RUN.source, 'u');

declare global {
  interface Window {
    __uniConfig: { tabBar: { list: Array<{ text: string }> } };
  }
}

/**
 * Every string the shop API sent the page (shop, home, products, categories, reviews), and every key (a product's
 * attributes are named by the merchant): the merchant's content, which stays in the merchant's language.
 */
function watchMerchantContent(page: Page): Set<string> {
  const strings = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        strings.add(key);
        collect(item);
      }
    }
  };
  page.on('response', (response) => {
    if (!response.url().includes('/shop-api/v1/')) return;
    void response.json().then(collect, () => undefined);
  });
  return strings;
}

/**
 * The Chinese on screen that is not the merchant's: each visible line less the merchant's strings in it, and
 * then any Chinese left that is no part of one of them (a category's first character on its icon is).
 */
async function chineseOfTheShop(page: Page, merchant: Set<string>): Promise<string[]> {
  const own = [...merchant].filter((s) => HAS_CJK.test(s)).sort((a, b) => b.length - a.length);
  const lines = (await page.locator('body').innerText()).split('\n');
  return lines.flatMap((line) => {
    const rest = own.reduce((text, s) => text.split(s).join(' '), line);
    const runs = rest.match(CJK_RUN) ?? [];
    return runs.some((run) => !own.some((s) => s.includes(run))) ? [line.trim()] : [];
  });
}

describe('the demo shop on an English phone (h5)', () => {
  it('shows the tab bar, page titles and buttons in English, and no Chinese but the merchant’s content', async () => {
    const context = await browser.newContext({ locale: 'en-US', ...PHONE });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const merchant = watchMerchantContent(page);
    const tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
    const earphones = Number(
      (await site.platform.knex('products').where({ tenant_id: tenantId, title: '无线蓝牙耳机 降噪版' }).first()).id,
    );

    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/`);
    await page.locator('[data-testid=shop-name]').filter({ hasText: DEMO.tenant.name }).waitFor();
    await page.locator('[data-testid="page-block-new"] [data-testid="block-product-list"]').waitFor();
    // pages.json's tab bar through uni-app's i18n (%tabBar.home% …), and the tab bar the shopper sees.
    expect(await page.evaluate(() => window.__uniConfig.tabBar.list.map((item) => item.text))).toEqual([
      'Home',
      'Category',
      'Cart',
      'Me',
    ]);
    await page.locator('.uni-tabbar__label').filter({ hasText: 'Cart' }).waitFor();
    expect(await page.locator('.uni-tabbar__label').allInnerTexts()).toEqual(['Home', 'Category', 'Cart', 'Me']);
    await page.locator('[data-testid=block-search]').filter({ hasText: 'Search this shop' }).waitFor();
    expect(await page.locator('[data-testid=page-block-new] .product-card-sales').first().innerText()).toMatch(
      /^\d+ sold$/,
    );
    expect(await chineseOfTheShop(page, merchant)).toEqual([]);

    await page.locator(`[data-testid="product-card-${earphones}"]`).first().click();
    await page.locator('[data-testid="detail-title"]').filter({ hasText: '无线蓝牙耳机 降噪版' }).waitFor();
    await page.locator('.uni-page-head__title').filter({ hasText: 'Product details' }).first().waitFor();
    expect(await page.title()).toBe('Product details');
    await page.locator('[data-testid=add-to-cart]').filter({ hasText: 'Add to cart' }).waitFor();
    await page.locator('[data-testid=buy-now]').filter({ hasText: 'Buy now' }).waitFor();
    await page.locator('[data-testid=detail-price]').filter({ hasText: '¥199.00' }).waitFor();
    expect(await chineseOfTheShop(page, merchant)).toEqual([]);

    // The SKU sheet: its choices are the merchant's, its words the shop's.
    await page.locator('[data-testid="sku-open"]').click();
    await page.locator('[data-testid="sku-sheet"]').getByText('Quantity', { exact: true }).waitFor();
    await page.locator('[data-testid="sku-value-0-白"]').click();
    await page.locator('[data-testid="sku-value-1-Pro"]').click();
    await page
      .locator('[data-testid="sku-stock-state"]')
      .filter({ hasText: /^(In stock|Few left)$/ })
      .waitFor();
    await page.locator('[data-testid="sku-price"]').filter({ hasText: '¥229.00' }).waitFor();
    expect(await chineseOfTheShop(page, merchant)).toEqual([]);
    await context.close();
  });
});
