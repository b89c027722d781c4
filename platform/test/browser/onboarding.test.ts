import type { Browser, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { CREDIT_CODE, pdf } from '../helpers/onboarding';
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

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

const input = (page: Page, testid: string) =>
  page
    .locator(
      `[data-testid="${testid}"] input, input[data-testid="${testid}"], [data-testid="${testid}"] textarea, textarea[data-testid="${testid}"]`,
    )
    .first();

async function eventually<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in time (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function fillDate(page: Page, testid: string, value: string): Promise<void> {
  const field = input(page, testid);
  await field.click();
  await field.fill(value);
  await field.press('Enter');
}

async function uploadLicense(page: Page, scan: Buffer): Promise<void> {
  const item = page.locator('[data-testid="doc-item-business_license"]');
  await input(page, 'doc-field-business_license-creditCode').fill(CREDIT_CODE);
  await input(page, 'doc-field-business_license-companyName').fill('浏览器测试贸易有限公司');
  await input(page, 'doc-field-business_license-legalRepresentative').fill('赵六');
  await fillDate(page, 'doc-valid-from-business_license', '2024-01-01');
  await fillDate(page, 'doc-valid-to-business_license', '2036-12-31');
  const uploaded = page.waitForResponse(
    (r) => r.url().endsWith('/merchant-api/v1/qualifications/files') && r.status() === 201,
  );
  await item
    .locator('[data-testid="doc-upload-business_license-0"] input[type=file]')
    .setInputFiles({ name: 'license.pdf', mimeType: 'application/pdf', buffer: scan });
  await uploaded;
  const saved = page.waitForResponse(
    (r) => r.url().endsWith('/merchant-api/v1/qualifications') && r.request().method() === 'POST',
  );
  await page.locator('[data-testid="doc-save-business_license"]').click();
  expect((await saved).status()).toBe(201);
}

/** The status banner shows this state, in these words. */
async function banner(page: Page, state: string, text: string): Promise<void> {
  await page.locator(`[data-testid="onboarding-status"][data-state="${state}"]`).waitFor();
  expect(await page.locator('[data-testid="onboarding-status-text"]').innerText()).toBe(text);
}

/** A success toast with exactly this text appears. */
async function toast(page: Page, text: string): Promise<void> {
  await page.locator('.el-message--success').filter({ hasText: text }).first().waitFor();
}

/** Opens the bell, reads the body of the notification with this title, and closes it again. */
async function bellBody(page: Page, title: string): Promise<string> {
  await page.locator('[data-testid="notifications-bell"]').click();
  const dropdown = page.locator('[data-testid="notifications-dropdown"]');
  const titled = page.locator('[data-testid="notification-title"]', { hasText: title });
  const item = dropdown.locator('[data-testid^="notification-item-"]').filter({ has: titled }).first();
  await item.waitFor();
  const body = await item.locator('[data-testid="notification-body"]').innerText();
  await page.locator('[data-testid="notifications-bell"]').click();
  await dropdown.waitFor({ state: 'hidden' });
  return body;
}

async function switchLocale(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.locator('[data-testid="locale-switch"]').click();
  await page.locator(`[data-testid="locale-${locale}"]`).click();
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
}

async function reviewerDecides(
  page: Page,
  tenantId: number,
  documentId: number,
  decide: (page: Page) => Promise<void>,
): Promise<void> {
  // This test's shops are in a category of their own, so the queue filtered by it is short.
  await page.goto(`${site.baseUrl}/console/platform/qualification-reviews?categoryCode=travel&pageSize=100`);
  await page.locator(`[data-testid="review-open-${documentId}"]`).click();
  await page.waitForURL(new RegExp(`/console/platform/qualification-reviews/${tenantId}/${documentId}`));
  await page.locator('[data-testid^="review-file-"]').first().waitFor();
  await decide(page);
  await page.waitForURL(/\/console\/platform\/qualification-reviews(\?|$)/);
}

describe('onboarding in the console', () => {
  it('sign-up → upload → reviewer rejects with a reason → re-upload → approval → the shop is active', async () => {
    const slug = `web-${uid()}`;
    const phone = `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const merchant = await newPage();

    // 1. Sign up.
    await merchant.goto(`${site.baseUrl}/console/signup`);
    await input(merchant, 'signup-shop-name').fill('浏览器测试店');
    await input(merchant, 'signup-slug').fill(slug);
    await merchant.locator('[data-testid="signup-slug-status"][data-state="available"]').waitFor();
    await merchant.locator('[data-testid="signup-subject-enterprise"]').click();
    await merchant.locator('[data-testid="signup-category"]').click();
    await merchant.locator('[data-testid="signup-category-travel"]').click();
    await input(merchant, 'signup-contact-name').fill('测试经理');
    await input(merchant, 'signup-contact-phone').fill(phone);
    await merchant.locator('[data-testid="signup-send-code"]').click();
    await eventually(() => site.sms.sent.some((s) => s.phone === phone), Boolean);
    await input(merchant, 'signup-sms-code').fill(site.sms.lastCodeFor(phone));
    await input(merchant, 'signup-email').fill(`web-${uid()}@example.com`);
    await input(merchant, 'signup-password').fill('browser-password-1');
    await merchant.locator('[data-testid="signup-submit"]').click();
    await merchant.waitForURL(/\/console\/onboarding/);
    const tenant = await site.platform.services.tenants.findBySlug(slug);
    expect(tenant?.status).toBe('pending_review');
    // Nothing is submitted yet: the banner says what to do, not 审核中.
    await banner(merchant, 'not_started', '待上传资料');
    expect(await merchant.locator('[data-testid="onboarding-submit"]').isDisabled()).toBe(true);

    // 2. Upload the business license and submit.
    const scan = await pdf(1);
    await uploadLicense(merchant, scan);
    await toast(merchant, '营业执照已保存，提交审核后生效');
    await merchant.locator('[data-testid="doc-item-business_license"][data-status="draft"]').waitFor();
    await banner(merchant, 'ready_to_submit', '资料已齐全，待提交审核');
    await merchant.locator('[data-testid="onboarding-submit"]').click();
    await merchant.locator('[data-testid="doc-item-business_license"][data-status="pending"]').waitFor();
    await banner(merchant, 'in_review', '审核中');
    const first = await site.platform
      .knex('qualification_documents')
      .where({ tenant_id: tenant!.id })
      .orderBy('id', 'desc')
      .first();

    // 3. The reviewer rejects it with a reason.
    const reviewer = await newPage();
    await reviewer.goto(`${site.baseUrl}/console/platform/login`);
    await input(reviewer, 'login-email').fill(DEMO.reviewer.email);
    await input(reviewer, 'login-password').fill(DEMO.reviewer.password);
    await reviewer.locator('[data-testid="login-submit"]').click();
    await reviewer.waitForURL(
      (url) => url.pathname.startsWith('/console/platform/') && !url.pathname.endsWith('/login'),
    );
    await reviewerDecides(reviewer, tenant!.id, first.id, async (page) => {
      // The PDF is not framed (a browser would run what it carries): the reviewer downloads the original.
      const file = await site.platform
        .knex('qualification_files')
        .where({ tenant_id: tenant!.id, document_id: first.id })
        .first();
      await page.locator(`[data-testid="review-file-pdf-${file.id}"]`).waitFor();
      expect(await page.locator('iframe').count()).toBe(0);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`[data-testid="review-file-open-${file.id}"]`).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`qualification-${file.id}.pdf`);
      expect(Buffer.compare(await streamBytes(await download.createReadStream()), scan)).toBe(0);
      await page.locator('[data-testid="review-reason-unreadable"]').click();
      await input(page, 'review-reject-note').fill('公章模糊，请重新拍摄');
      await page.locator('[data-testid="review-reject-submit"]').click();
    });

    // 4. The merchant sees exactly what to fix and uploads again.
    await merchant.reload();
    await merchant.locator('[data-testid="doc-item-business_license"][data-status="rejected"]').waitFor();
    await merchant
      .locator('[data-testid="doc-reject-reason-business_license"]')
      .filter({ hasText: '公章模糊' })
      .waitFor();
    await banner(merchant, 'changes_requested', '资料需要修改');
    // The bell says it in the console's language, from the notification's code: the reason in the
    // console's words (图片不清晰, where the email said 图片不清晰，无法辨认), the reviewer's note as typed.
    expect(await bellBody(merchant, '营业执照未通过审核')).toBe(
      '原因：图片不清晰（公章模糊，请重新拍摄）。请修改后重新上传。',
    );
    await switchLocale(merchant, 'en');
    expect(await bellBody(merchant, 'Business license not approved')).toBe(
      'Reason: Unreadable image (公章模糊，请重新拍摄). Please correct it and upload it again.',
    );
    await switchLocale(merchant, 'zh-CN');
    await uploadLicense(merchant, await pdf(2));
    // The new version went straight to review, and every part of the page says so.
    await toast(merchant, '营业执照已上传，已直接进入审核');
    await merchant.locator('[data-testid="doc-item-business_license"][data-status="pending"]').waitFor();
    await banner(merchant, 'in_review', '审核中');
    expect(await merchant.locator('[data-testid="onboarding-submit"]').isDisabled()).toBe(true);
    expect(await merchant.locator('[data-testid="onboarding-submit-hint"]').innerText()).toBe(
      '资料已在审核中，无需再次提交。',
    );
    const second = await site.platform
      .knex('qualification_documents')
      .where({ tenant_id: tenant!.id })
      .orderBy('id', 'desc')
      .first();
    expect(second.id).not.toBe(first.id);

    // 5. The reviewer approves; the shop is active.
    await reviewerDecides(reviewer, tenant!.id, second.id, async (page) => {
      await page.locator('[data-testid="review-approve"]').click();
    });
    await merchant.reload();
    await merchant.locator('[data-testid="onboarding-status"][data-status="active"]').waitFor();
    await banner(merchant, 'approved', '已通过，店铺已开通');
    expect((await site.platform.services.tenants.findBySlug(slug))?.status).toBe('active');
    // The first steps follow the approval, none done yet.
    await merchant.locator('[data-testid="first-steps"][data-all-done="false"]').waitFor();
    expect(await merchant.locator('[data-testid="first-step-products"]').getAttribute('data-done')).toBe('false');
  });
});
