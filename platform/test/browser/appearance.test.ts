import type { Browser, Frame } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { eventually } from '../helpers/shop-steps';

let site: LiveSite;
let browser: Browser;
let original: { id: number; name: string; theme_color: string };
/** The demo's home page as published in the shop designer, set aside while this file runs. */
let designedHome: { id: number; published_version: number | null } | undefined;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  original = await site.platform.knex('tenants').where({ slug: DEMO.tenant.slug }).first('id', 'name', 'theme_color');
  // The sections the appearance orders are the home of a shop that has not published one in the shop designer (the
  // demo has): the demo's home goes back to them here, before this platform has cached any page.
  designedHome = await site.platform
    .knex('storefront_pages')
    .where({ tenant_id: original.id, page_key: 'home' })
    .first('id', 'published_version');
  if (designedHome)
    await site.platform.knex('storefront_pages').where({ id: designedHome.id }).update({ published_version: null });
});
afterAll(async () => {
  // The demo shop is shared by the browser tests of this worker: give it back as it was.
  const { id: _id, ...was } = original;
  await site?.platform
    .knex('tenants')
    .where({ slug: DEMO.tenant.slug })
    .update({ ...was, appearance: null });
  if (designedHome)
    await site?.platform
      .knex('storefront_pages')
      .where({ id: designedHome.id })
      .update({ published_version: designedHome.published_version });
  await browser?.close();
  await site?.close();
});

/** The order of the home sections the page shows. */
const sectionOrder = (frame: Frame | import('playwright-core').Page) =>
  frame
    .locator('[data-testid^="home-section-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('home-section-', '')));

describe('the appearance editor', () => {
  it('shows the unsaved draft live in the framed shop, and the saved appearance reaches shoppers', async () => {
    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/miniapp/appearance`);
    await page.waitForURL(/\/console\/login/);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(DEMO.owner.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(DEMO.owner.password);
    await page.locator('[data-testid=login-submit]').click();

    const preview = page.frameLocator('[data-testid=appearance-preview]');
    await preview.locator('[data-preview="true"]').waitFor();
    await preview.locator('[data-testid=home-section-banner], [data-testid=home-section-categories]').first().waitFor();

    // Edit: a tab label, the notice, and the hot list moved to the top.
    await page.locator('[data-testid=appearance-tab-label-cart] input').fill('购物袋');
    await page
      .locator('[data-testid=appearance-notice] input, [data-testid=appearance-notice] textarea')
      .first()
      .fill('全场满99包邮');
    for (let i = 0; i < 3; i++)
      await page.locator('[data-testid=appearance-section-hot] [data-testid=appearance-section-up]').click();
    await page.locator('[data-testid=appearance-unsaved]').waitFor();

    // The framed shop shows the draft before anything is saved.
    await preview.locator('[data-testid=home-notice]').filter({ hasText: '全场满99包邮' }).waitFor();
    await preview.locator('.uni-tabbar__label').filter({ hasText: '购物袋' }).waitFor();
    const frame = page.frames().find((f) => f.url().includes('preview=1'))!;
    // Each move is posted to the frame as it is made: the last one may arrive after the texts.
    await eventually(async () => (await sectionOrder(frame))[0] === 'hot');
    const shopper = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })
    ).newPage();
    await shopper.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/`);
    await shopper.locator('[data-testid=shop-name]').waitFor();
    expect(await shopper.locator('[data-testid=home-notice]').count()).toBe(0);

    // A name WeChat would refuse is stopped in the editor.
    await page.locator('[data-testid=appearance-name] input').fill('店');
    await page.locator('[data-testid=appearance-save]').click();
    expect(await site.platform.services.tenants.findBySlug(DEMO.tenant.slug).then((t) => t!.appearance)).toBeNull();
    await page.locator('[data-testid=appearance-name] input').fill('青禾小馆');

    await page.locator('[data-testid=appearance-save]').click();
    await page.locator('[data-testid=appearance-unsaved]').waitFor({ state: 'detached' });
    const saved = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.appearance!;
    expect(saved).toMatchObject({
      name: '青禾小馆',
      home: { notice: '全场满99包邮' },
      tabBar: { labels: { cart: '购物袋' } },
    });
    expect(saved.home.sections[0]!.type).toBe('hot');

    // A shopper who opens the shop now sees it (a browser that has the shop already may keep it up to 30 s: the shop API's max-age).
    const next = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })).newPage();
    await next.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/`);
    await next.locator('[data-testid=home-notice]').filter({ hasText: '全场满99包邮' }).waitFor();
    await next.locator('.uni-tabbar__label').filter({ hasText: '购物袋' }).waitFor();
    expect((await sectionOrder(next))[0]).toBe('hot');
  });
});
