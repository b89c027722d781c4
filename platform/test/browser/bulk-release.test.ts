import type { Browser } from 'playwright-core';
import { DEMO, systemContext } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { createShop, merchantLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';
import { authorizeMiniProgram, deliverTicket, pushSecrets, readyTemplateVersion, until } from '../helpers/releases';
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

describe("platform staff's bulk release page", () => {
  it('shows the audit quota, starts a batch with a canary shop, follows it, and continues after the canary', async () => {
    await deliverTicket(site);
    const version = await readyTemplateVersion(site);
    // A shop of its own as the canary: the demo shop is shared by this worker's browser tests.
    const name = `灰度店${uid()}`;
    const canary = await createShop(site, { name });
    await site.platform.knex('tenants').where({ id: canary.id }).update({ contact_phone: '13800138000' });
    const appid = await authorizeMiniProgram(site, (await merchantLogin(site, canary.owner)).accessToken);

    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${site.baseUrl}/console/platform/bulk-rollouts`);
    await page.waitForURL(/\/console\/(platform\/)?login/);
    await page
      .locator('[data-testid=login-email] input, input[data-testid=login-email]')
      .first()
      .fill(DEMO.admin.email);
    await page
      .locator('[data-testid=login-password] input, input[data-testid=login-password]')
      .first()
      .fill(DEMO.admin.password);
    await page.locator('[data-testid=login-submit]').click();
    await page.waitForURL(/\/console\/platform\/bulk-rollouts/);

    const quota = page.locator('[data-testid=audit-quota][data-rest]');
    await quota.waitFor();
    expect(Number(await quota.getAttribute('data-rest'))).toBe(site.wechat.quota.rest);

    await page.locator('[data-testid=bulk-new]').click();
    await page.locator(`[data-testid=bulk-version-option-${version.id}]`).waitFor({ state: 'attached' });
    await page.locator('[data-testid=bulk-version]').click();
    await page.locator(`[data-testid=bulk-version-option-${version.id}]`).click();
    await page.locator('[data-testid=bulk-canary] input').fill(name);
    await page.locator(`[data-testid=bulk-canary-option-${canary.id}]`).click();
    // Close the multiple select's list (it stays open to pick more) by clicking outside it, on the dialog's title.
    const closeList = async () => {
      await page.locator('.el-dialog__header').first().click();
      await page.locator('.el-select-dropdown__list:visible').waitFor({ state: 'hidden' });
    };
    await closeList();
    // Only the canary: the rest are the chosen shops, here none besides it.
    await page.locator('[data-testid=bulk-target-chosen]').click();
    await page.locator('[data-testid=bulk-tenants] input').fill(name);
    await page.locator(`[data-testid=bulk-tenant-option-${canary.id}]`).click();
    await closeList();
    await page.locator('[data-testid=bulk-submit]').click();

    const bulk = (await until(
      async () =>
        (
          await site.platform.services.bulkReleases.list(systemContext(site.platform.log, 'test'), {
            page: 1,
            pageSize: 1,
          })
        ).items[0],
      (b) => b?.templateVersionId === version.id,
      'the bulk release to be created',
    ))!;
    expect(bulk).toMatchObject({ templateVersionId: version.id, canary: { total: 1 } });
    await page.locator(`[data-testid=bulk-status-${bulk.id}]`).waitFor();

    // The canary goes through WeChat; once its audit passes (and it is released), the batch waits for staff.
    // WeChat's push applies to a submission the platform has recorded: wait for that, not only for WeChat to hold it.
    await until(
      async () => site.wechat.miniPrograms.get(appid)?.audit?.status,
      (status) => status === 2,
      'the canary to be submitted',
    );
    await until(
      async () => (await site.platform.knex('mp_releases').where({ appid }).orderBy('id', 'desc').first())?.status,
      (status) => status === 'submitted',
      'the canary submission to be recorded',
    );
    site.wechat.decideAudit(appid, { status: 0 });
    const push = site.wechat.auditEventPush(pushSecrets(site), appid, 'success', {}, site.clock.now());
    await fetch(`${site.baseUrl}/webhooks/wechat/events/${appid}?${new URLSearchParams(push.query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: push.body,
    });
    await page.locator(`[data-testid=bulk-status-${bulk.id}][data-status=waiting]`).waitFor();

    await page.locator(`[data-testid=bulk-continue-${bulk.id}]`).click();
    await page.locator(`[data-testid=bulk-status-${bulk.id}][data-status=done]`).waitFor();
    await page.locator(`[data-testid=bulk-row-${bulk.id}]`).click();
    await page.locator('[data-testid=bulk-targets] .el-table__row').first().waitFor();
    expect(await page.locator('[data-testid=bulk-targets]').innerText()).toContain(name);

    // The template versions page tells which shops run the version now.
    await page.goto(`${site.baseUrl}/console/platform/templates`);
    const versionRow = page.locator('[data-testid=templates-table] .el-table__row', { hasText: version.version });
    // Its outputs: one build each for WeChat, the web and Alipay.
    expect((await versionRow.locator('[data-testid=template-outputs]').innerText()).split(/\s+/)).toEqual([
      'mp-weixin',
      'h5',
      'mp-alipay',
    ]);
    await versionRow.locator('[data-testid=template-live]').click();
    await page.locator('[data-testid=template-shops] .el-table__row', { hasText: name }).waitFor();
    expect(await page.locator('[data-testid=template-shops]').innerText()).toContain(appid);
  }, 240_000);
});
