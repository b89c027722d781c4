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

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

describe('tenant console', () => {
  it('the demo merchant signs in and sees the shop', async () => {
    const page = await newPage();
    await page.goto(`${site.baseUrl}/console/`);
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
    await page.locator('[data-testid=shop-name]').filter({ hasText: DEMO.tenant.name }).waitFor();
    await expectVisible(page, '[data-testid=side-menu]');
    await page.close();
  });

  it('a wrong password shows the server’s message and stays on the login page', async () => {
    const page = await newPage();
    await page.goto(`${site.baseUrl}/console/login`);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(DEMO.owner.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill('not-the-password');
    await page.locator('[data-testid=login-submit]').click();
    await page.locator('[data-testid=login-error]').waitFor();
    expect(page.url()).toContain('/console/login');
    await page.close();
  });

  it('platform staff sign in and see the demo tenant in the tenant list', async () => {
    const page = await newPage();
    await page.goto(`${site.baseUrl}/console/platform/login`);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(DEMO.admin.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(DEMO.admin.password);
    await page.locator('[data-testid=login-submit]').click();
    // The browser tests share one database: other tests' shops may fill the first page, so staff search.
    await page.locator('[data-testid=tenants-table]').waitFor();
    await page
      .locator('[data-testid=tenant-search] input, input[data-testid=tenant-search]')
      .first()
      .fill(DEMO.tenant.slug);
    await page.locator('[data-testid=tenant-search-submit]').click();
    await page.locator('[data-testid=tenants-table]').getByText(DEMO.tenant.slug, { exact: true }).first().waitFor();
    await page.close();
  });
});

describe('demo shop (h5)', () => {
  it('opens at /s/demo/ and shows the shop name and logo from the shop API', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/`);
    const name = page.locator('[data-testid=shop-name]');
    await name.filter({ hasText: DEMO.tenant.name }).waitFor();
    const logoLoaded = await page.waitForFunction(() =>
      [...document.querySelectorAll('img')].some(
        (img) => img.src.includes('/logo/') && img.complete && img.naturalWidth > 0,
      ),
    );
    expect(await logoLoaded.jsonValue()).toBe(true);
    await page.close();
  });

  it('signs a shopper in by phone and one-time code', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/#/pages/user/login`);
    await page.locator('[data-testid=phone-input] input').fill(DEMO.shopperPhone);
    await page.locator('[data-testid=send-code]').click();
    await eventually(() => site.sms.sent.some((s) => s.phone === DEMO.shopperPhone));
    await page.locator('[data-testid=code-input] input').fill(site.sms.lastCodeFor(DEMO.shopperPhone));
    await page.locator('[data-testid=sign-in]').click();
    await page.locator('[data-testid=phone-masked]').filter({ hasText: '138****8000' }).waitFor();
    await page.close();
  });

  it('an unknown shop is a 404', async () => {
    const res = await fetch(`${site.baseUrl}/s/no-such-shop/`);
    expect(res.status).toBe(404);
  });
});

describe('API docs', () => {
  it('/docs renders the generated OpenAPI documents, one per API surface', async () => {
    const page = await newPage();
    await page.goto(`${site.baseUrl}/docs/`);
    await page.getByText('/merchant-api/v1/auth/login', { exact: true }).first().waitFor();
    await page.locator('.topbar select').selectOption({ label: 'Shop API (mini-program and h5)' });
    await page.getByText('/shop-api/v1/shops/{shopKey}', { exact: true }).first().waitFor();
    await page.getByText('/shop-api/v1/shops/{shopKey}/orders/{id}/pay', { exact: true }).first().waitFor();
    await page.close();
  });
});

async function expectVisible(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'visible' });
}

/** Waits until `check` holds (an event in another part of the system), failing after the timeout. */
async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
