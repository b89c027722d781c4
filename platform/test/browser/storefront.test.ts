import type { Browser, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

const productId = async (title: string) =>
  Number((await site.platform.knex('products').where({ tenant_id: tenantId, title }).first()).id);
const categoryId = async (name: string) =>
  Number((await site.platform.knex('categories').where({ tenant_id: tenantId, name }).first()).id);

describe('the demo shop on h5', () => {
  it('a shopper browses the home page and opens a product with its SKU picker', async () => {
    const page = await phone();
    const earphones = await productId('无线蓝牙耳机 降噪版');
    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/`);
    // The demo's home page, made in the shop designer: its newest products among its blocks.
    await page.locator('[data-testid="page-block-new"] [data-testid="block-product-list"]').waitFor();
    await page.locator(`[data-testid="product-card-${earphones}"]`).first().click();
    await page.locator('[data-testid="detail-title"]').filter({ hasText: '无线蓝牙耳机 降噪版' }).waitFor();
    await page.locator('[data-testid="detail-price"]').filter({ hasText: '199.00' }).waitFor();
    await page.locator('[data-testid="sku-open"]').click();
    await page.locator('[data-testid="sku-value-0-白"]').click();
    await page.locator('[data-testid="sku-value-1-Pro"]').click();
    await page
      .locator('[data-testid="sku-stock-state"]')
      .filter({ hasText: /有货|库存紧张/ })
      .waitFor();
    await page.locator('[data-testid="sku-price"]').filter({ hasText: '229.00' }).waitFor();
  });

  it('browses by category and filters by a facet', async () => {
    const page = await phone();
    const home = await categoryId('家居生活');
    const cups = await categoryId('杯具');
    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/#/pages/category/index`);
    await page.locator(`[data-testid="category-top-${home}"]`).click();
    await page.locator(`[data-testid="category-node-${cups}"]`).click();
    const mug = await productId('北欧陶瓷马克杯');
    const blanket = await productId('法兰绒午睡毛毯');
    await page.locator(`[data-testid="product-list"] [data-testid="product-card-${mug}"]`).waitFor();
    expect(await page.locator(`[data-testid="product-card-${blanket}"]`).count()).toBe(0);

    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/#/pages/product/list?categoryId=${home}`);
    await page.reload();
    await page.locator(`[data-testid="product-card-${blanket}"]`).waitFor();
    await page.locator('[data-testid="filter-open"]').click();
    await page.locator('[data-testid="facet-品类-杯具"]').click();
    await page.locator('[data-testid="filter-apply"]').click();
    await page.locator(`[data-testid="product-list"] [data-testid="product-card-${mug}"]`).waitFor();
    await page.locator(`[data-testid="product-card-${blanket}"]`).waitFor({ state: 'detached' });
  });

  it('searches in Chinese and finds the product', async () => {
    const page = await phone();
    const earphones = await productId('无线蓝牙耳机 降噪版');
    const charger = await productId('氮化镓快充充电器 65W');
    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/#/pages/search/index`);
    await page.locator('[data-testid="search-input"] input').fill('耳机');
    await page.locator('[data-testid="search-submit"]').click();
    await page.locator(`[data-testid="product-card-${earphones}"]`).first().waitFor();
    expect(await page.locator(`[data-testid="product-card-${charger}"]`).count()).toBe(0);
  });
});
