import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/** An iPhone 14-sized phone as Chromium emulates one: a mobile viewport that honours (or lacks) a viewport meta tag. */
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true } as const;

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/**
 * Every Content-Security-Policy violation a context's pages report, from two sides: the
 * `securitypolicyviolation` events of every frame (an init script runs in frames too), and what the
 * browser logs to the console about a policy.
 */
async function watchCsp(
  context: BrowserContext,
): Promise<{ reported: (page: Page) => Promise<string[]>; logged: string[] }> {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations!.push(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  const logged: string[] = [];
  context.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) logged.push(message.text());
  });
  const reported = async (page: Page) => {
    const all: string[] = [];
    for (const frame of page.frames()) all.push(...(await frame.evaluate(() => window.__cspViolations ?? [])));
    return all;
  };
  return { reported, logged };
}

describe('the h5 shop on a phone', () => {
  it.each([
    ['the shop', ''],
    ['the preview page', '?preview=1'],
  ])(
    'lays %s out at the device width, and the page breaks no rule of its Content-Security-Policy',
    async (_what, search) => {
      const context = await browser.newContext({ locale: 'zh-CN', ...PHONE });
      const csp = await watchCsp(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${site.baseUrl}/s/${DEMO.tenant.slug}/${search}`);
      await page.locator('[data-testid=shop-name]').filter({ hasText: DEMO.tenant.name }).waitFor();

      expect(await page.evaluate(() => window.innerWidth)).toBe(390);
      expect(await page.evaluate(() => document.documentElement.clientWidth)).toBe(390);
      expect(await csp.reported(page)).toEqual([]);
      expect(csp.logged).toEqual([]);
      await context.close();
    },
  );

  it('the console’s appearance preview frames the shop at the frame’s width, breaking no rule of the policy', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } });
    const csp = await watchCsp(context);
    const page = await context.newPage();
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
    await preview.locator('[data-preview="true"] [data-testid=shop-name]').waitFor();
    const frame = (await page.locator('[data-testid=appearance-preview]').elementHandle())!;
    const framed = (await frame.contentFrame())!;
    expect(await csp.reported(page)).toEqual([]);
    expect(csp.logged).toEqual([]);
    expect(await framed.evaluate(() => window.innerWidth)).toBe(375);
    expect(
      await framed.evaluate(() => document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? null),
    ).toMatch(/width=device-width/);
    await context.close();
  });
});
