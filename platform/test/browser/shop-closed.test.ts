import type { Browser, Page } from 'playwright-core';
import { DEMO, systemContext } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { uid } from '../helpers/test-platform';

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

async function phone(locale = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({
    locale,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** The closed page the shop shows, with its code and title; the shop itself (its name, the tab bar) is not shown. */
async function expectClosedPage(page: Page, code: string, title: string): Promise<void> {
  await page.locator(`[data-testid=shop-closed][data-code=${code}]`).waitFor();
  expect(await page.locator('[data-testid=shop-closed-title]').innerText()).toBe(title);
  expect(await page.locator('[data-testid=shop-name]').count()).toBe(0);
  expect(await page.locator('.uni-tabbar').isVisible()).toBe(false);
}

describe('a shop shoppers cannot use, on h5', () => {
  it('a shop pending review shows that it is not open yet, on whatever page it is opened', async () => {
    const page = await phone();
    await page.goto(`${site.baseUrl}/s/${DEMO.pending.tenant.slug}/`);
    await expectClosedPage(page, 'SHOP_NOT_OPEN', '店铺尚未开业');
    expect(await page.locator('[data-testid=shop-closed-text]').innerText()).toContain('审核');

    const deep = await phone();
    await deep.goto(`${site.baseUrl}/s/${DEMO.pending.tenant.slug}/#/pages/category/index`);
    await expectClosedPage(deep, 'SHOP_NOT_OPEN', '店铺尚未开业');
  });

  it('a suspended shop shows its suspension page, in English on an English phone', async () => {
    const slug = `closed-${uid()}`;
    const ctx = systemContext(site.platform.log, 'test');
    const id = await site.platform.services.tenants.create(ctx, { slug, name: '暂停测试店', status: 'active' });
    await site.platform.services.qualificationReview.suspend(ctx, id, '投诉处理中');

    const zh = await phone();
    await zh.goto(`${site.baseUrl}/s/${slug}/`);
    await expectClosedPage(zh, 'SHOP_SUSPENDED', '店铺暂停营业');
    const en = await phone('en-US');
    await en.goto(`${site.baseUrl}/s/${slug}/`);
    await expectClosedPage(en, 'SHOP_SUSPENDED', 'Shop suspended');
  });

  it('an unknown shop says so, not a bare error', async () => {
    const page = await phone();
    await page.goto(`${site.baseUrl}/s/no-such-shop/`);
    await expectClosedPage(page, 'SHOP_NOT_FOUND', '店铺不存在');
  });

  it('the merchant of a shop pending review sees it in the appearance editor’s preview', async () => {
    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/miniapp/appearance`);
    await page.waitForURL(/\/console\/login/);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(DEMO.pending.owner.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(DEMO.pending.owner.password);
    await page.locator('[data-testid=login-submit]').click();

    const preview = page.frameLocator('[data-testid=appearance-preview]');
    await preview
      .locator('[data-preview="true"] [data-testid=shop-name]')
      .filter({ hasText: DEMO.pending.tenant.name })
      .waitFor();
    await preview.locator('[data-testid=shop-status]').filter({ hasText: '审核' }).waitFor();
    // A draft still reaches it live.
    await page
      .locator('[data-testid=appearance-notice] input, [data-testid=appearance-notice] textarea')
      .first()
      .fill('即将开业');
    await preview.locator('[data-testid=home-notice]').filter({ hasText: '即将开业' }).waitFor();
  });
});
