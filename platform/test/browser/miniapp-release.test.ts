import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { createShop, merchantLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';
import { authorizeMiniProgram, deliverTicket, pushSecrets, readyTemplateVersion } from '../helpers/releases';
import { startWorkers, type RunningWorkers } from '../../../workers/src/worker';

let site: LiveSite;
let browser: Browser;
let workers: RunningWorkers;
beforeAll(async () => {
  site = await startLiveSite();
  workers = startWorkers(site.platform);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await site?.close();
});

describe("the merchant's release page", () => {
  it('starts a release and watches it advance through commit, trial QR code and audit to release', async () => {
    await deliverTicket(site);
    const version = await readyTemplateVersion(site);
    // A shop of its own: the demo shop is shared by this worker's browser tests.
    const shop = await createShop(site, { name: `发布测试${uid()}` });
    await site.platform.knex('tenants').where({ id: shop.id }).update({ contact_phone: '13800138000' });
    const appid = await authorizeMiniProgram(site, (await merchantLogin(site, shop.owner)).accessToken);

    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/miniapp/release`);
    await page.waitForURL(/\/console\/login/);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(shop.owner.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(shop.owner.password);
    await page.locator('[data-testid=login-submit]').click();

    await page.locator('[data-testid=release-start]').click();
    // The page follows the release on its own: domains, privacy, commit, QR code, submission.
    await page.locator('[data-testid=release-status][data-status=submitted]').waitFor();
    await page.locator('[data-testid=release-qrcode]').waitFor();
    expect(await page.locator('[data-testid=release-version]').innerText()).toBe(version.version);
    expect(await page.locator('[data-testid=release-event]').count()).toBeGreaterThanOrEqual(4);
    // The timeline says each step in Chinese, from its code; WeChat's audit id is its param.
    const submittedEvent = page.locator('[data-testid=release-event][data-code=AUDIT_SUBMITTED]');
    expect(await submittedEvent.innerText()).toContain(
      `已提交审核（审核单号 ${site.wechat.miniPrograms.get(appid)!.audit!.auditid}）`,
    );
    expect(await page.locator('[data-testid=release-event][data-code=DOMAINS_SET]').innerText()).toContain(
      '已配置服务器域名',
    );
    expect(await page.locator('[data-testid=release-events]').innerText()).not.toMatch(
      /Submitted for audit|Server domains set/,
    );

    // WeChat passes the audit and pushes the event; the page shows it without a reload.
    site.wechat.decideAudit(appid, { status: 0 });
    const push = site.wechat.auditEventPush(pushSecrets(site), appid, 'success', {}, site.clock.now());
    const answer = await fetch(
      `${site.baseUrl}/webhooks/wechat/events/${appid}?${new URLSearchParams(push.query).toString()}`,
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body: push.body },
    );
    expect(await answer.text()).toBe('success');
    await page.locator('[data-testid=release-status][data-status=audit_passed]').waitFor();

    await page.locator('[data-testid=release-publish]').click();
    await page.locator('[data-testid=release-status][data-status=released]').waitFor();
    expect(await page.locator('[data-testid=release-event][data-code=RELEASED]').innerText()).toContain(
      '已全量发布给所有用户',
    );
    expect(site.wechat.miniPrograms.get(appid)!.release).toMatchObject({ version: version.version });
    await page.locator('[data-testid=release-history] .el-table__row').first().waitFor();
    await page.locator('[data-testid=release-rollback]').waitFor();
  });

  it('a shop that keeps its mini-program to itself gives its AppID and code-upload key, uploads, and follows the upload to done', async () => {
    const version = await readyTemplateVersion(site);
    const shop = await createShop(site, { name: `自有上传${uid()}` });
    const appid = `wx${randomBytes(8).toString('hex')}`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    site.wechatCi.registerApp(appid, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    // The key file as mp.weixin.qq.com hands it out.
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-key-')), `private.${appid}.key`);
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));

    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } })
    ).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${site.baseUrl}/console/miniapp/release`);
    await page.waitForURL(/\/console\/login/);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(shop.owner.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(shop.owner.password);
    await page.locator('[data-testid=login-submit]').click();

    await page.locator('[data-testid=code-upload-edit]').click();
    // Choosing the key file fills the AppID from its name.
    await page.locator('[data-testid=code-upload-key-file]').setInputFiles(keyFile);
    await page.waitForFunction(
      (id) =>
        (
          document.querySelector(
            'input[data-testid=code-upload-appid-input], [data-testid=code-upload-appid-input] input',
          ) as HTMLInputElement | null
        )?.value === id,
      appid,
    );
    await page.locator('[data-testid=code-upload-save]').click();
    expect(await page.locator('[data-testid=code-upload-appid]').innerText()).toBe(appid);

    await page.locator('[data-testid=code-upload-start]').click();
    // The page follows the upload on its own until WeChat has it.
    await page.locator('[data-testid=code-upload-list] [data-status=uploaded]').waitFor({ timeout: 60_000 });
    expect(site.wechatCi.uploads.filter((u) => u.appid === appid).map((u) => u.version)).toEqual([version.version]);
    // The upload's timeline, opened from its row, says each step in Chinese.
    await page.locator('[data-testid=code-upload-list] .el-table__expand-icon').first().click();
    expect(await page.locator('[data-testid=code-upload-event][data-code=UPLOAD_REQUESTED]').innerText()).toContain(
      `已发起版本 ${version.version} 到 ${appid} 的上传`,
    );
    expect(await page.locator('[data-testid=code-upload-event][data-code=UPLOADED_VERSION]').innerText()).toContain(
      '微信已收到开发版本',
    );
  }, 120_000);
});
