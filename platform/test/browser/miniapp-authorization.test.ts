import type { Browser } from 'playwright-core';
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

describe('the merchant authorizes the mini-program from the console', () => {
  it('shows the state, sends the merchant to WeChat with a link, and shows the outcome when WeChat sends them back', async () => {
    const ticket = 'ticket@@@browser';
    site.wechat.registerComponent(site.config.WECHAT_COMPONENT_APPID!, site.config.WECHAT_COMPONENT_APPSECRET!, ticket);
    await site.platform.componentTokens.saveTicket(ticket);
    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/miniapp/authorization`);
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
    // The demo shop is shared by this worker's browser tests: it may have been authorized already (then this is a re-authorization).
    await page.locator('[data-testid="wechat-auth-state"]').waitFor();

    // WeChat's page cannot be reached from here: catch the navigation to it and play WeChat's part.
    let wechatPage = '';
    await page.route('https://mp.weixin.qq.com/**', async (route) => {
      wechatPage = route.request().url();
      const url = new URL(wechatPage);
      const code = site.wechat.authorize(url.searchParams.get('pre_auth_code')!, {
        appid: 'wx0123456789abcdef',
        refreshToken: 'refreshtoken@@@b',
        funcInfo: [17],
      });
      // The live site listens on a free port, not on PUBLIC_URL's: send the browser to the same path there.
      const back = new URL(url.searchParams.get('redirect_uri')!);
      await route.fulfill({
        status: 302,
        headers: {
          location: `${site.baseUrl}${back.pathname}${back.search}&auth_code=${encodeURIComponent(code)}&expires_in=3600`,
        },
      });
    });
    // What the console told the merchant, whichever way it went (so a failure names its reason).
    const apiErrors: string[] = [];
    page.on('response', async (r) => {
      if (r.status() >= 400 && r.url().includes('/merchant-api/'))
        apiErrors.push(`${r.status()} ${new URL(r.url()).pathname} ${await r.text().catch(() => '')}`);
    });
    await page.locator('[data-testid="wechat-auth-link"]').click();
    const outcome = page.locator('[data-testid="wechat-auth-result"], .el-message--error').first();
    await outcome.waitFor();
    expect({ result: await outcome.getAttribute('data-result'), text: await outcome.innerText(), apiErrors }).toEqual({
      result: 'authorized',
      text: expect.any(String),
      apiErrors: [],
    });
    expect(new URL(wechatPage).searchParams.get('auth_type')).toBe('2');
    await page.locator('[data-testid="wechat-auth-state"][data-authorized="true"]').waitFor();
    await page.locator('[data-testid="wechat-auth-appid"]').filter({ hasText: 'wx0123456789abcdef' }).waitFor();
    // Code management (18) was not granted: the merchant is told to authorize again.
    await page.locator('[data-testid="wechat-auth-missing-18"]').waitFor();
  });
});
