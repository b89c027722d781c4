import type { Browser, Locator, Page, Response } from 'playwright-core';
import type { AfterSalesCase, ArbitrationDetail, Complaint, MerchantOrder } from '@shopfleet/contracts';
import { launchChromium, startLiveSite, yuan, type LiveSite } from '../helpers/browser';
import { pngBytes } from '../helpers/catalog';
import { confirm, fromMenu, input } from '../helpers/console-steps';
import { bearer, createPlatformUser, merchantLogin, platformLogin } from '../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, type SellingShop } from '../helpers/orders';
import { uid } from '../helpers/test-platform';

const M = '/merchant-api/v1';
const P = '/platform-api/v1';

let site: LiveSite;
let browser: Browser;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Buyer = Awaited<ReturnType<typeof buyer>>;

/** Chinese text: Han ideographs, CJK punctuation, full-width punctuation. */
const CJK_RUN = /[\p{Script=Han}\u3000-\u303f\uff01-\uff0a\uff0c\uff0e-\uff5e]+/gu;

/** An Element Plus textarea by its test id (el-input puts it on the textarea itself). */
const textarea = (scope: Page | Locator, testid: string) =>
  scope.locator(`textarea[data-testid="${testid}"], [data-testid="${testid}"] textarea`).first();

/** The answer to the page's next POST to this API path. */
const postedTo = (page: Page, path: string): Promise<Response> =>
  page.waitForResponse((r) => r.url().endsWith(path) && r.request().method() === 'POST');

/** A paid order of `quantity` units of the shop's product, by a new shopper (the sandbox pays it). */
async function paidOrder(s: SellingShop, skuId: number, quantity: number) {
  const by = await buyer(site, s);
  const order = (
    await site.api
      .post(s.url('/orders'))
      .set(bearer(by.token))
      .set('Idempotency-Key', `arb-${uid()}`)
      .send({ items: [{ skuId, quantity }], addressId: by.addressId })
      .expect(201)
  ).body as { id: number; orderNo: string };
  await paySandbox(site, s, by.token, order.id);
  return { order, by };
}

/** A refund-only case on `quantity` units, refused by the merchant with a note. */
async function refusedCase(s: SellingShop, by: Buyer, orderId: number, skuId: number, quantity: number) {
  const opened = (
    await site.api
      .post(s.url('/after-sales'))
      .set(bearer(by.token))
      .send({ orderId, skuId, quantity, kind: 'refund_only', reason: 'quality', description: '杯身有裂纹' })
      .expect(201)
  ).body as AfterSalesCase;
  await site.api
    .post(`${M}/after-sales/${opened.id}/refuse`)
    .set(bearer(s.merchant))
    .send({ note: '发货前已检查，商品完好' })
    .expect(200);
  return opened;
}

/** A new desktop window of the console in Chinese. */
async function newWindow(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Signs in on a console login page (the merchant's or the platform's) and waits to be let in. */
async function signIn(page: Page, path: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${site.baseUrl}/console${path}`);
  await input(page, 'login-email').fill(who.email);
  await input(page, 'login-password').fill(who.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'));
}

async function switchLocale(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.locator('[data-testid="locale-switch"]').click();
  await page.locator(`[data-testid="locale-${locale}"]`).click();
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
}

/** The Chinese left in the page's content once what shoppers, the merchant and staff typed is taken out. */
async function chineseBesides(page: Page, typed: string[]): Promise<string[]> {
  let text = await page.locator('main').innerText();
  for (const s of [...typed].sort((a, b) => b.length - a.length)) text = text.split(s).join(' ');
  return text.match(CJK_RUN) ?? [];
}

describe('complaints in the console: the merchant answers, platform staff decide', () => {
  it("the shop states its side under 售后 → 投诉; staff see it oldest first with both sides and the case's history, and refund the case's units", async () => {
    // A shop, a paid order of 3 units at ¥10, a refund-only case on 2 of them refused by the merchant, and the
    // shopper's complaint about it with a photo, asking ¥20 back, filed two days and three hours ago (the server's clock
    // set back while it is filed; tokens are checked against the real time, so only the filing moves).
    const s = await sellingShop(site);
    const { skuId } = await product(site, s, 50, 1_000);
    const { order, by } = await paidOrder(s, skuId, 3);
    const refused = await refusedCase(s, by, order.id, skuId, 2);
    const photo = await site.api
      .post(s.url('/after-sales-photos'))
      .set(bearer(by.token))
      .attach('file', await pngBytes('#aa3322', 800, 600), 'crack.png')
      .expect(201);
    const shopperSays = '商家拒绝退款，但杯子确实有裂纹';
    const realNow = Date.now();
    site.clock.set(new Date(realNow - (2 * 24 + 3) * 3_600_000).toISOString());
    const older = (
      await site.api
        .post(s.url('/complaints'))
        .set(bearer(by.token))
        .send({
          orderId: order.id,
          caseId: refused.id,
          reason: 'refund_refused',
          statement: shopperSays,
          photoIds: [photo.body.id],
          requestedFen: 2_000,
        })
        .expect(201)
    ).body as Complaint;

    // Now: another shopper's complaint about another order (not shipped), newer.
    site.clock.set(new Date(realNow).toISOString());
    const second = await paidOrder(s, skuId, 1);
    const newerSays = '付款两天了还没发货';
    const newer = (
      await site.api
        .post(s.url('/complaints'))
        .set(bearer(second.by.token))
        .send({ orderId: second.order.id, reason: 'not_shipped', statement: newerSays })
        .expect(201)
    ).body as Complaint;

    // ---- The merchant: 售后 → 投诉, the badge on the menu and the open tab.
    const merchant = await newWindow();
    await signIn(merchant, '/login', s.shop.owner);
    await merchant.locator('[data-testid="menu-badge-merchant-after-sales"]', { hasText: '2' }).waitFor();
    await fromMenu(merchant, 'merchant-after-sales', 'merchant-complaints');
    await merchant.waitForURL(/\/console\/after-sales\/complaints$/);
    await merchant.locator('[data-testid="menu-badge-merchant-complaints"]', { hasText: '2' }).waitFor();
    await merchant.locator('[data-testid="complaint-tab-open"][data-count="2"]').waitFor();
    const row = merchant.locator(`[data-testid="complaint-row-${older.id}"]`);
    await row.locator('[data-testid="complaint-source"][data-source="shop"]', { hasText: '店铺投诉' }).waitFor();
    expect(await row.locator('[data-testid="complaint-reason"]').innerText()).toBe('商家拒绝退款');
    expect(await row.locator('[data-testid="complaint-order-no"]').innerText()).toBe(order.orderNo);
    expect(await row.locator('[data-testid="complaint-case-no"]').innerText()).toBe(refused.caseNo);
    expect(await row.locator('[data-testid="complaint-requested"]').innerText()).toBe(yuan(2_000));
    await row.locator('[data-testid="complaint-row-status"]', { hasText: '处理中' }).waitFor();
    expect(
      await merchant.locator(`[data-testid="complaint-row-${newer.id}"] [data-testid="complaint-case-no"]`).innerText(),
    ).toBe('—');

    // Its page: what the shopper said, with the photo that enlarges; the shop states its side with a photo.
    await row.locator('[data-testid="complaint-no"]').click();
    await merchant.waitForURL(new RegExp(`/console/after-sales/complaints/${older.id}$`));
    await merchant.locator('[data-testid="complaint-status"][data-status="open"]').waitFor();
    const statements = merchant.locator('[data-testid="complaint-statement"]');
    await statements.first().waitFor();
    expect(await statements.evaluateAll((els) => els.map((e) => e.getAttribute('data-side')))).toEqual(['shopper']);
    expect(await statements.first().locator('[data-testid="complaint-statement-body"]').innerText()).toBe(shopperSays);
    await statements.first().locator('[data-testid="complaint-statement-side"]', { hasText: '买家' }).waitFor();
    await statements.first().locator('[data-testid="complaint-statement-photo"]').click();
    await merchant.locator('.el-image-viewer__wrapper').waitFor();
    await merchant.keyboard.press('Escape');
    await merchant.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });
    await merchant.locator('[data-testid="complaint-no-decision"]', { hasText: '等待平台处理' }).waitFor();

    const answer = merchant.locator('[data-testid="complaint-answer"]');
    // Nothing written: said under the field, nothing sent.
    await answer.locator('[data-testid="complaint-answer-submit"]').click();
    await answer.locator('.el-form-item__error', { hasText: '请填写店铺陈述' }).waitFor();
    const merchantSays = '发货前已检查并拍照，杯子完好无裂纹';
    await textarea(answer, 'complaint-answer-text').fill(merchantSays);
    const uploaded = merchant.waitForResponse((r) => r.url().endsWith(`${M}/catalog/images`) && r.status() === 201);
    await answer
      .locator('[data-testid="complaint-answer-photos-upload"] input[type=file]')
      .setInputFiles({ name: 'packed.png', mimeType: 'image/png', buffer: await pngBytes('#3355aa', 600, 600) });
    await uploaded;
    await answer.locator('[data-testid="complaint-answer-photos-item"][data-image-id]').waitFor();
    const answered = postedTo(merchant, `${M}/complaints/${older.id}/statements`);
    await answer.locator('[data-testid="complaint-answer-submit"]').click();
    const answeredResponse = await answered;
    expect(answeredResponse.status()).toBe(201);
    await merchant.locator('.el-message--success', { hasText: '陈述已提交' }).waitFor();
    await merchant.locator('[data-testid="complaint-statement"][data-side="merchant"]').waitFor();
    expect(await statements.evaluateAll((els) => els.map((e) => e.getAttribute('data-side')))).toEqual([
      'shopper',
      'merchant',
    ]);
    const mine = merchant.locator('[data-testid="complaint-statement"][data-side="merchant"]');
    expect(await mine.locator('[data-testid="complaint-statement-body"]').innerText()).toBe(merchantSays);
    expect(await mine.locator('[data-testid="complaint-statement-photo"]').count()).toBe(1);
    expect(await textarea(answer, 'complaint-answer-text').inputValue()).toBe('');

    // ---- Platform staff: 投诉仲裁, shop complaints, open ones oldest first.
    const reviewer = await createPlatformUser(site, 'reviewer');
    const staff = await newWindow();
    await signIn(staff, '/platform/login', reviewer);
    await staff.locator('[data-testid="menu-platform-arbitration"]').click();
    await staff.waitForURL(/\/console\/platform\/arbitration$/);
    await staff.locator('[data-testid="arbitration-source"]').click();
    await staff.locator('[data-testid="arbitration-source-option-shop"]').click();
    await staff.waitForURL(/\/console\/platform\/arbitration\?source=shop$/);
    const olderRow = staff.locator(`[data-testid="arbitration-row-${older.id}"]`);
    await olderRow.waitFor();
    await staff.locator(`[data-testid="arbitration-row-${newer.id}"]`).waitFor();
    const rows = await staff
      .locator('[data-testid^="arbitration-row-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(rows.indexOf(`arbitration-row-${older.id}`)).toBeLessThan(rows.indexOf(`arbitration-row-${newer.id}`));
    expect(await olderRow.locator('[data-testid="arbitration-shop"]').innerText()).toBe(`Shop ${s.shop.slug}`);
    expect(await olderRow.locator('[data-testid="arbitration-order-no"]').innerText()).toBe(order.orderNo);
    expect(await olderRow.locator('[data-testid="arbitration-requested"]').innerText()).toBe(yuan(2_000));
    expect(await olderRow.locator('[data-testid="arbitration-waiting"]').innerText()).toBe('2 天 3 小时');
    expect(await olderRow.locator('[data-testid="arbitration-statements"]').innerText()).toBe('2');

    // The complaint: both sides with their photos, the case with its history, the order's money.
    await olderRow.locator('[data-testid="arbitration-complaint-no"]').click();
    await staff.waitForURL(new RegExp(`/console/platform/arbitration/${older.id}$`));
    const said = staff.locator('[data-testid="complaint-statement"]');
    await said.nth(1).waitFor();
    expect(await said.evaluateAll((els) => els.map((e) => e.getAttribute('data-side')))).toEqual([
      'shopper',
      'merchant',
    ]);
    expect(await said.locator('[data-testid="complaint-statement-body"]').allInnerTexts()).toEqual([
      shopperSays,
      merchantSays,
    ]);
    expect(await said.locator('[data-testid="complaint-statement-photo"]').count()).toBe(2);
    await staff
      .locator('[data-testid="arbitration-case-status"][data-status="refused"]', { hasText: '已拒绝' })
      .waitFor();
    const events = staff.locator('[data-testid="arbitration-case-event"]');
    expect(await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual([
      'request',
      'refuse',
    ]);
    expect(await events.nth(1).locator('[data-testid="arbitration-case-event-note"]').innerText()).toBe(
      '发货前已检查，商品完好',
    );
    await events.nth(1).locator('[data-actor="merchant"]').waitFor();
    expect(await staff.locator('[data-testid="arbitration-payable"]').innerText()).toBe(yuan(3_000));
    expect(await staff.locator('[data-testid="arbitration-refundable"]').innerText()).toBe(yuan(3_000));
    expect(await staff.locator('[data-testid="arbitration-case-units"]').innerText()).toBe(yuan(2_000));

    // The decision: a refund, prefilled with what the case's units paid, which the form says refunds them.
    const decide = staff.locator('[data-testid="arbitration-decide"]');
    await decide.locator('[data-testid="arbitration-decision-refund"].is-checked').waitFor();
    expect(await input(decide, 'arbitration-amount').inputValue()).toBe('20.00');
    await decide.locator('[data-testid="arbitration-amount-hint"]', { hasText: '按售后商品退款' }).waitFor();
    // More than the order has left is said in the form, and nothing is sent; no reason either.
    await input(decide, 'arbitration-amount').fill('30.01');
    await decide.locator('[data-testid="arbitration-decide-submit"]').click();
    await decide.locator('.el-form-item__error', { hasText: `最多可退 ${yuan(3_000)}` }).waitFor();
    await decide.locator('.el-form-item__error', { hasText: '请填写处理理由' }).waitFor();
    await input(decide, 'arbitration-amount').fill('20');
    const decisionNote = '照片显示杯身有裂纹，支持买家';
    await textarea(decide, 'arbitration-note').fill(decisionNote);
    const decided = postedTo(staff, `${P}/arbitration/${older.id}/decide`);
    await decide.locator('[data-testid="arbitration-decide-submit"]').click();
    await staff.locator('.el-message-box', { hasText: `将向买家退款 ${yuan(2_000)}` }).waitFor();
    await staff.locator('.el-message-box', { hasText: '售后单结束为“已退款”' }).waitFor();
    await confirm(staff);
    const decidedResponse = await decided;
    expect(decidedResponse.status()).toBe(200);
    expect(((await decidedResponse.json()) as ArbitrationDetail).complaint.decision).toMatchObject({
      decision: 'refund',
      amountFen: 2_000,
      note: decisionNote,
    });

    // The decision shows; the case ended refunded by the platform; the order has the refund.
    const decision = staff.locator('[data-testid="complaint-decision"][data-decision="refund"]');
    await decision.waitFor();
    expect(await decision.locator('[data-testid="complaint-decision-amount"]').innerText()).toBe(yuan(2_000));
    expect(await decision.locator('[data-testid="complaint-decision-note"]').innerText()).toBe(decisionNote);
    await staff.locator('[data-testid="complaint-status"][data-status="resolved"]', { hasText: '已处理' }).waitFor();
    expect(await staff.locator('[data-testid="arbitration-decide"]').count()).toBe(0);
    await staff.locator('[data-testid="arbitration-case-status"][data-status="refunded"]').waitFor();
    const last = events.last();
    expect(await last.getAttribute('data-type')).toBe('arbitrateRefund');
    await last.locator('strong', { hasText: '平台裁定退款' }).waitFor();
    await last.locator('[data-actor="platform"]').waitFor();
    expect(await staff.locator('[data-testid="arbitration-refunded"]').innerText()).toBe(yuan(2_000));

    const owner = bearer((await merchantLogin(site, s.shop.owner)).accessToken);
    const after = (await site.api.get(`${M}/orders/${order.id}`).set(owner).expect(200)).body as MerchantOrder;
    expect(after).toMatchObject({ refundedFen: 2_000 });
    expect(after.refunds).toHaveLength(1);
    expect(after.lines[0]).toMatchObject({ refundedQuantity: 2, refundedFen: 2_000 });
    const theCase = (await site.api.get(`${M}/after-sales/${refused.id}`).set(owner).expect(200))
      .body as AfterSalesCase;
    expect(theCase).toMatchObject({ status: 'refunded', amountFen: 2_000, refundId: after.refunds[0]!.id });

    // The newer complaint, decided meanwhile elsewhere: deciding it here again is refused (409), said from its reason,
    // and the page shows the decision that stands.
    await staff.goto(`${site.baseUrl}/console/platform/arbitration/${newer.id}`);
    await staff.locator('[data-testid="arbitration-no-case"]').waitFor();
    const elsewhere = bearer((await platformLogin(site, reviewer)).accessToken);
    await site.api
      .post(`${P}/arbitration/${newer.id}/decide`)
      .set(elsewhere)
      .send({ decision: 'refuse', note: '商家已在时限内发货' })
      .expect(200);
    await staff.locator('[data-testid="arbitration-decision-refuse"]').click();
    await textarea(staff, 'arbitration-note').fill('同意驳回');
    const late = postedTo(staff, `${P}/arbitration/${newer.id}/decide`);
    await staff.locator('[data-testid="arbitration-decide-submit"]').click();
    await staff.locator('.el-message-box', { hasText: '将驳回这条投诉' }).waitFor();
    await confirm(staff);
    const lateResponse = await late;
    expect(lateResponse.status()).toBe(409);
    expect(((await lateResponse.json()) as { error: { reason: string } }).error.reason).toBe('COMPLAINT_NOT_OPEN');
    await staff.locator('.el-message--error', { hasText: '投诉已处理或已撤销' }).waitFor();
    await staff
      .locator('[data-testid="complaint-decision"][data-decision="refuse"] [data-testid="complaint-decision-note"]', {
        hasText: '商家已在时限内发货',
      })
      .waitFor();

    // In English, the decided complaint reads without Chinese but what people typed.
    const typed = [shopperSays, merchantSays, decisionNote, refused.title, '杯身有裂纹', '发货前已检查，商品完好'];
    await staff.goto(`${site.baseUrl}/console/platform/arbitration/${older.id}`);
    await staff.locator('[data-testid="complaint-decision"]').waitFor();
    await switchLocale(staff, 'en');
    await staff.locator('[data-testid="complaint-decision-kind"]', { hasText: 'Refund' }).waitFor();
    await staff
      .locator('[data-testid="arbitration-case-event"]', { hasText: 'Refund decided by the platform' })
      .waitFor();
    expect(await chineseBesides(staff, typed)).toEqual([]);

    // The merchant's bell says the decision and leads to the complaint: the decision shows, the form is gone, and the
    // badge counts nothing open.
    await merchant.goto(`${site.baseUrl}/console/`);
    await merchant.locator('[data-testid="notifications-bell"]').click();
    const told = merchant
      .locator('[data-testid="notifications-dropdown"] [data-testid^="notification-item-"]')
      .filter({ has: merchant.locator('[data-testid="notification-title"]', { hasText: '投诉已处理：退款' }) });
    await told.locator('[data-testid="notification-body"]', { hasText: older.complaintNo }).click();
    await merchant.waitForURL(new RegExp(`/console/after-sales/complaints/${older.id}$`));
    await merchant.locator('[data-testid="complaint-decision"][data-decision="refund"]').waitFor();
    expect(await merchant.locator('[data-testid="complaint-answer"]').count()).toBe(0);
    await merchant.locator('[data-testid="menu-badge-merchant-complaints"]').waitFor({ state: 'detached' });
    await switchLocale(merchant, 'en');
    await merchant.locator('[data-testid="complaint-status"]', { hasText: 'Decided' }).waitFor();
    expect(await chineseBesides(merchant, typed)).toEqual([]);
  });
});
