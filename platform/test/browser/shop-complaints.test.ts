import sharp from 'sharp';
import type { AfterSalesCase, ArbitrationDetail, Complaint } from '@shopfleet/contracts';
import { yuan } from '../helpers/browser';
import {
  addressByApi,
  demoProduct,
  demoShopApi,
  demoSuite,
  merchantOrder,
  shopperBearer,
  type Bearer,
} from '../helpers/demo-suite';
import { bearer, createPlatformUser, platformLogin } from '../helpers/fixtures';
import { eventually, field, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';
const P = '/platform-api/v1';
const SHOPPER_PHONE = '13600000091';
const BLANKET = '法兰绒午睡毛毯'; // ¥69.00 100×150; bought by no other browser test

/**
 * Two blankets ordered and paid (sandbox) through the shop API as the shopper; a refund-only request for one of them,
 * refused by the merchant through the merchant API.
 */
async function refusedCase(shopper: Bearer): Promise<{ orderId: number; orderNo: string; theCase: AfterSalesCase }> {
  const { site, merchant } = demo;
  const id = await demoProduct(demo, BLANKET);
  const detail = await site.api.get(demoShopApi(`/products/${id}`)).expect(200);
  const skuId = (detail.body.skus as Array<{ id: number; specValues: string[] }>).find(
    (s) => s.specValues[0] === '100×150',
  )!.id;
  const addressId = await addressByApi(demo, shopper, { name: '吴九', phone: '13700000091', detail: '投诉路 9 号' });
  const placed = await site.api
    .post(demoShopApi('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `complaints-${uid()}`)
    .send({ items: [{ skuId, quantity: 2 }], addressId })
    .expect(201);
  const orderId = placed.body.id as number;
  const pay = await site.api
    .post(demoShopApi(`/orders/${orderId}/pay`))
    .set(shopper)
    .send({ method: 'sandbox' })
    .expect(200);
  await site.api
    .post(demoShopApi(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
    .set(shopper)
    .expect(200);
  const opened = await site.api
    .post(demoShopApi('/after-sales'))
    .set(shopper)
    .send({ orderId, skuId, quantity: 1, kind: 'refund_only', reason: 'quality', description: '起球严重' })
    .expect(201);
  const refused = await site.api
    .post(`${M}/after-sales/${opened.body.id}/refuse`)
    .set(merchant)
    .send({ note: '商品无质量问题' })
    .expect(200);
  return { orderId, orderNo: placed.body.orderNo as string, theCase: refused.body as AfterSalesCase };
}

describe('complaints in the h5 shop', () => {
  it('takes a refused request to the platform with a reason, words and a photo; the platform refunds, and the shopper reads it under 我的投诉 once; a complaint about the order is withdrawn', async () => {
    const { site, merchant } = demo;
    const staff = bearer((await platformLogin(site, await createPlatformUser(site, 'reviewer'))).accessToken);
    const { page } = await phone(demo);
    const shopper = await shopperBearer(demo, await signInByPhone(demo, page, SHOPPER_PHONE));
    const { orderId, orderNo, theCase } = await refusedCase(shopper);
    expect(theCase.status).toBe('refused');

    // The paid order offers 投诉 (about the order itself): its form names the order and no case.
    await page.goto(`${shopHome(site)}#/pages/order/detail?id=${orderId}`);
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
    await visible(page, 'order-complain').filter({ hasText: '投诉' }).click();
    await visible(page, 'cp-apply-order-no').filter({ hasText: orderNo }).waitFor();
    expect(await page.locator('[data-testid="cp-apply-case"]:visible').count()).toBe(0);
    await page.locator('.uni-page-head__title:visible', { hasText: '投诉订单' }).waitFor();

    // The refused case: 申请平台介入 opens the form about it.
    await page.goto(`${shopHome(site)}#/pages/after-sales/detail?id=${theCase.id}`);
    await page.locator('[data-testid="as-status"][data-status="refused"]:visible', { hasText: '商家已拒绝' }).waitFor();
    await visible(page, 'as-complain').filter({ hasText: '申请平台介入' }).click();
    await visible(page, 'cp-apply-case-no').filter({ hasText: theCase.caseNo }).waitFor();
    expect(await visible(page, 'cp-apply-order-no').innerText()).toBe(orderNo);
    await page.locator('.uni-page-head__title:visible', { hasText: '申请平台介入' }).waitFor();
    await visible(page, 'cp-apply-case').filter({ hasText: BLANKET }).filter({ hasText: '商家已拒绝' }).waitFor();

    // Nothing chosen yet: said, nothing sent.
    await visible(page, 'cp-submit').filter({ hasText: '提交投诉' }).click();
    await page.locator('.uni-simple-toast__text', { hasText: '请选择投诉原因' }).waitFor();
    await visible(page, 'cp-reason').click();
    await page
      .locator('[data-testid="option-sheet-option"][data-value="refund_refused"]:visible', { hasText: '商家拒绝退款' })
      .click();
    await page
      .locator('[data-testid="cp-reason"][data-reason="refund_refused"]:visible', { hasText: '商家拒绝退款' })
      .waitFor();
    const statement = '毛毯洗一次就严重起球，商家拒绝退款';
    await field(page, 'cp-statement').fill(statement);
    await visible(page, 'cp-statement-count')
      .filter({ hasText: `${statement.length}/500` })
      .waitFor();
    await field(page, 'cp-amount').fill('69');
    const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
    const chooser = page.waitForEvent('filechooser');
    await visible(page, 'add-photo').click();
    await (await chooser).setFiles({ name: 'pilling.png', mimeType: 'image/png', buffer: png });
    await page.locator('[data-testid="photo"][data-state="done"]:visible').waitFor();

    const filing = page.waitForResponse(
      (r) => r.url().endsWith(demoShopApi('/complaints')) && r.request().method() === 'POST',
    );
    await visible(page, 'cp-submit').click();
    const response = await filing;
    expect(response.status()).toBe(201);
    const filed = (await response.json()) as Complaint;
    expect(filed).toMatchObject({
      status: 'open',
      source: 'shop',
      reason: 'refund_refused',
      orderId,
      caseId: theCase.id,
      caseNo: theCase.caseNo,
      requestedFen: 6_900,
      decision: null,
    });
    expect(filed.statements).toEqual([expect.objectContaining({ side: 'shopper', body: statement })]);
    expect(filed.statements[0]!.photoUrls).toHaveLength(1);

    // The complaint, open: what it is about, the statement with its photo, a form to say more, 撤销投诉.
    await page.locator('[data-testid="cp-status"][data-status="open"]:visible', { hasText: '平台处理中' }).waitFor();
    expect(await visible(page, 'cp-no').innerText()).toBe(filed.complaintNo);
    expect(await visible(page, 'cp-reason-text').innerText()).toBe('商家拒绝退款');
    expect(await visible(page, 'cp-case-no').innerText()).toContain(theCase.caseNo);
    expect(await visible(page, 'cp-order-no').innerText()).toContain(orderNo);
    expect(await visible(page, 'cp-requested').innerText()).toBe(yuan(6_900));
    const mine = page.locator('[data-testid="cp-statement"][data-side="shopper"]:visible');
    await mine.filter({ hasText: '买家' }).filter({ hasText: statement }).waitFor();
    expect(await mine.locator('[data-testid="cp-statement-photo"]').count()).toBe(1);
    await visible(page, 'cp-withdraw').filter({ hasText: '撤销投诉' }).waitFor();
    expect(await page.locator('[data-testid="cp-decision"]:visible').count()).toBe(0);

    // The merchant states the shop's side (API); the shopper says more.
    await site.api
      .post(`${M}/complaints/${filed.id}/statements`)
      .set(merchant)
      .send({ statement: '发货前已检查，无起球' })
      .expect(201);
    await field(page, 'cp-more-text').fill('补充：第一次水洗后即起球');
    await visible(page, 'cp-more-send').click();
    await page
      .locator('[data-testid="cp-statement"][data-side="merchant"]:visible', { hasText: '发货前已检查，无起球' })
      .filter({ hasText: '商家' })
      .waitFor();
    await mine.filter({ hasText: '补充：第一次水洗后即起球' }).waitFor();
    expect(await page.locator('[data-testid="cp-statement"]:visible').count()).toBe(3);
    // Sent: the form is empty again (uni-app's textarea takes a new value after a short debounce).
    await eventually(async () => (await field(page, 'cp-more-text').inputValue()) === '');

    // A second complaint about the same case: the server says one is open, and the form says so in words.
    await visible(page, 'cp-case-no').click();
    await page.locator('[data-testid="as-status"][data-status="refused"]:visible').waitFor();
    await visible(page, 'as-complain').click();
    await visible(page, 'cp-reason').click();
    await page.locator('[data-testid="option-sheet-option"][data-value="quality"]:visible').click();
    await field(page, 'cp-statement').fill('再投诉一次');
    await visible(page, 'cp-submit').click();
    await visible(page, 'cp-apply-error').filter({ hasText: '这笔订单（或售后单）已有进行中的投诉' }).waitFor();

    // 我的: one open, nothing new to read.
    await page.goto(`${shopHome(site)}#/pages/user/index`);
    await visible(page, 'user-complaints').filter({ hasText: '我的投诉' }).waitFor();
    await visible(page, 'user-complaints-open').filter({ hasText: '1 条处理中' }).waitFor();
    expect(await page.locator('[data-testid="user-complaints-dot"]:visible').count()).toBe(0);

    // The platform refunds what the refused unit paid (its staff, through the API).
    const before = (await site.api.get(`${P}/arbitration/${filed.id}`).set(staff).expect(200))
      .body as ArbitrationDetail;
    const amountFen = before.order!.caseUnitsFen!;
    expect(amountFen).toBe(6_900);
    const note = '商品确有起球，支持退款';
    await site.api
      .post(`${P}/arbitration/${filed.id}/decide`)
      .set(staff)
      .send({ decision: 'refund', amountFen, note })
      .expect(200);

    // 我的: the red dot, the open count gone.
    await page.reload();
    await visible(page, 'user-complaints-dot').waitFor();
    expect(await page.locator('[data-testid="user-complaints-open"]:visible').count()).toBe(0);

    // 我的投诉 → the complaint, unread in the list, then its decision.
    await visible(page, 'user-complaints').click();
    const card = page.locator(`[data-testid="cp-card"][data-complaint-id="${filed.id}"]:visible`);
    await card.and(page.locator('[data-unread="true"]')).waitFor();
    await card
      .filter({ hasText: '已处理' })
      .filter({ hasText: `退款 ${yuan(amountFen)}` })
      .waitFor();
    expect(await card.locator('[data-testid="cp-card-unread"]').count()).toBe(1);
    await card.click();
    await page.locator('[data-testid="cp-status"][data-status="resolved"]:visible', { hasText: '已处理' }).waitFor();
    await page.locator('[data-testid="cp-decision"][data-decision="refund"]:visible').waitFor();
    expect(await visible(page, 'cp-decision-text').innerText()).toBe(`退款 ${yuan(amountFen)}`);
    expect(await visible(page, 'cp-decision-note').innerText()).toBe(note);
    expect(await visible(page, 'cp-hint').innerText()).toBe('平台已判定退款，款项将按原支付方式退回');
    // Decided: nothing more to say, nothing to withdraw.
    expect(await page.locator('[data-testid="cp-more"]:visible').count()).toBe(0);
    expect(await page.locator('[data-testid="cp-withdraw"]:visible').count()).toBe(0);

    // Read once: the list and 我的 have nothing new.
    await page.goBack();
    await card.and(page.locator('[data-unread="false"]')).waitFor();
    await page.goBack();
    await visible(page, 'user-complaints').waitFor();
    await page.locator('[data-testid="user-complaints-dot"]').first().waitFor({ state: 'hidden' });
    const counts = await site.api.get(demoShopApi('/complaints/counts')).set(shopper).expect(200);
    expect(counts.body).toEqual({ open: 0, unread: 0 });

    // The refund is real: on the order (one refund of the unit), and the case ended refunded by the platform.
    const order = await merchantOrder(demo, orderId);
    expect(order.refundedFen).toBe(amountFen);
    expect(order.refunds).toHaveLength(1);
    const decided = (
      await site.api
        .get(demoShopApi(`/complaints/${filed.id}`))
        .set(shopper)
        .expect(200)
    ).body as Complaint;
    expect(decided.decision).toMatchObject({ decision: 'refund', amountFen, refundId: order.refunds[0]!.id });
    await page.goto(`${shopHome(site)}#/pages/after-sales/detail?id=${theCase.id}`);
    await page.locator('[data-testid="as-status"][data-status="refunded"]:visible', { hasText: '已退款' }).waitFor();
    await page
      .locator('[data-testid="as-event"][data-type="arbitrateRefund"]:visible', { hasText: '平台判定退款' })
      .filter({ hasText: '平台' })
      .waitFor();
    expect(await page.locator('[data-testid="as-complain"]:visible').count()).toBe(0);

    // A complaint about the order itself, from its page, then withdrawn (confirmed first): withdrawn, no longer open.
    await page.goto(`${shopHome(site)}#/pages/order/detail?id=${orderId}`);
    await visible(page, 'order-complain').click();
    await visible(page, 'cp-reason').click();
    await page.locator('[data-testid="option-sheet-option"][data-value="not_shipped"]:visible').click();
    await field(page, 'cp-statement').fill('付款多日仍未发货');
    await visible(page, 'cp-submit').click();
    await page.locator('[data-testid="cp-status"][data-status="open"]:visible').waitFor();
    expect(await visible(page, 'cp-reason-text').innerText()).toBe('商家未发货');
    expect(await page.locator('[data-testid="cp-case-no"]:visible').count()).toBe(0);
    await visible(page, 'cp-withdraw').click();
    await visible(page, 'dialog').filter({ hasText: '撤销后平台将不再处理本次投诉' }).waitFor();
    await visible(page, 'dialog-confirm').filter({ hasText: '确认撤销' }).click();
    await page.locator('[data-testid="cp-status"][data-status="withdrawn"]:visible', { hasText: '已撤销' }).waitFor();
    expect(await page.locator('[data-testid="cp-withdraw"]:visible').count()).toBe(0);
    expect(await page.locator('[data-testid="cp-more"]:visible').count()).toBe(0);
    const mineNow = (await site.api.get(demoShopApi('/complaints')).set(shopper).expect(200)).body as {
      items: Complaint[];
    };
    expect(mineNow.items.map((c) => [c.caseId, c.status])).toEqual([
      [null, 'withdrawn'],
      [theCase.id, 'resolved'],
    ]);
  });
});
