import type { Locator, Page } from 'playwright-core';
import type { AfterSalesCase, AfterSalesStatus, ReturnAddress } from '@shopfleet/contracts';
import { AFTER_SALES_STATUSES } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { pngBytes } from '../helpers/catalog';
import { confirm, fromMenu, input, posted, signInToConsole } from '../helpers/console-steps';
import { addressByApi, demoShopApi, demoSuite, merchantOrder, type Bearer } from '../helpers/demo-suite';
import { bearer, shopperLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';

type Counts = Record<AfterSalesStatus, number>;

/** An Element Plus textarea by its test id (el-input puts it on the textarea itself). */
const textarea = (scope: Locator, testid: string) =>
  scope.locator(`textarea[data-testid="${testid}"], [data-testid="${testid}"] textarea`).first();

/** The demo mug's two colours, read as the shop shows them. */
async function mugSkus(): Promise<{ white: number; blue: number }> {
  const found = await demo.site.api.get(demoShopApi(`/search?q=${encodeURIComponent('马克杯')}`)).expect(200);
  const mug = (found.body.items as Array<{ id: number; title: string }>).find((p) => p.title === '北欧陶瓷马克杯')!;
  const detail = await demo.site.api.get(demoShopApi(`/products/${mug.id}`)).expect(200);
  const skus = detail.body.skus as Array<{ id: number; specValues: string[] }>;
  return {
    white: skus.find((s) => s.specValues[0] === '奶白')!.id,
    blue: skus.find((s) => s.specValues[0] === '雾蓝')!.id,
  };
}

/** An order of the demo shop placed and paid in the sandbox by the shopper; shipped by the merchant when asked. */
async function paidOrder(
  shopper: Bearer,
  addressId: number,
  skuId: number,
  quantity: number,
  opts: { ship?: boolean } = {},
): Promise<{ id: number; orderNo: string }> {
  const { site } = demo;
  const placed = await site.api
    .post(demoShopApi('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `as-console-${uid()}`)
    .send({ items: [{ skuId, quantity }], addressId })
    .expect(201);
  const pay = await site.api
    .post(demoShopApi(`/orders/${placed.body.id}/pay`))
    .set(shopper)
    .send({ method: 'sandbox' })
    .expect(200);
  await site.api
    .post(demoShopApi(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
    .set(shopper)
    .expect(200);
  if (opts.ship)
    await site.api
      .post(`${M}/orders/${placed.body.id}/ship`)
      .set(demo.merchant)
      .send({ carrier: 'SF', trackingNo: `SF${uid()}`.slice(0, 20) })
      .expect(200);
  return { id: placed.body.id as number, orderNo: placed.body.orderNo as string };
}

async function countsByApi(): Promise<Counts> {
  return (await demo.site.api.get(`${M}/after-sales/counts`).set(demo.merchant).expect(200)).body.counts as Counts;
}

async function caseByApi(id: number): Promise<AfterSalesCase> {
  return (await demo.site.api.get(`${M}/after-sales/${id}`).set(demo.merchant).expect(200)).body as AfterSalesCase;
}

async function returnAddressesByApi(): Promise<ReturnAddress[]> {
  return (await demo.site.api.get(`${M}/return-addresses`).set(demo.merchant).expect(200)).body as ReturnAddress[];
}

/**
 * The 售后 menu's badge and the list's tabs say what the API counts: the badge the cases waiting for the merchant
 * (requested, returned, received) and the open complaints, each tab its state's cases, 全部 all of them.
 */
async function expectCountsAsApi(page: Page): Promise<void> {
  const counts = await countsByApi();
  const complaints = (await demo.site.api.get(`${M}/complaints/counts`).set(demo.merchant).expect(200)).body.open;
  const waiting = counts.requested + counts.returned + counts.received + (complaints as number);
  const badge = page.locator('[data-testid="menu-badge-merchant-after-sales"]');
  if (waiting > 0) await badge.filter({ hasText: String(waiting) }).waitFor();
  else await badge.waitFor({ state: 'detached' });
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  await page.locator(`[data-testid="after-sales-tab-all"][data-count="${all}"]`).waitFor();
  for (const status of AFTER_SALES_STATUSES)
    expect(await page.locator(`[data-testid="after-sales-tab-${status}"]`).getAttribute('data-count')).toBe(
      String(counts[status]),
    );
}

/** 售后 → 售后列表, on the tab of a state (or 全部). */
async function openList(page: Page, tab: AfterSalesStatus | 'all' = 'all'): Promise<void> {
  await fromMenu(page, 'merchant-after-sales', 'merchant-after-sales-list');
  await page.waitForURL(/\/console\/after-sales(\?.*)?$/);
  if (tab !== 'all') {
    await page.locator(`[data-testid="after-sales-tab-${tab}"]`).click();
    await page.waitForURL(new RegExp(`/console/after-sales\\?status=${tab}$`));
  }
}

/** A case's row in the list, then its page, where it waits for the status. */
async function openCase(page: Page, id: number, status: AfterSalesStatus): Promise<void> {
  await page.locator(`[data-testid="after-sales-row-${id}"] [data-testid="after-sales-case-no"]`).click();
  await page.waitForURL(new RegExp(`/console/after-sales/${id}$`));
  await page.locator(`[data-testid="after-sales-status"][data-status="${status}"]`).waitFor();
}

describe('the 售后 menu of the console', () => {
  const opened: Array<{ id: number; shopper: Bearer }> = [];
  let addedAddress: number | null = null;

  // Leave the demo shop as the other tests of this worker expect it: no case left open, no return address added.
  afterAll(async () => {
    const { site, merchant } = demo;
    if (!site || !merchant) return;
    for (const { id, shopper } of opened) {
      const c = await caseByApi(id);
      if (c.status === 'requested' || c.status === 'approved')
        await site.api
          .post(demoShopApi(`/after-sales/${id}/cancel`))
          .set(shopper)
          .expect(200);
      else if (c.status === 'returned')
        await site.api
          .post(`${M}/after-sales/${id}/refuse-receipt`)
          .set(merchant)
          .send({ note: '测试结束' })
          .expect(200);
    }
    if (addedAddress !== null && (await returnAddressesByApi()).some((a) => a.id === addedAddress))
      await site.api.delete(`${M}/return-addresses/${addedAddress}`).set(merchant).expect(200);
  });

  it('a return is approved to a new return address, received and refunded; a withdrawn request cannot be agreed; a refund-only request is refused with a note; the counts follow', async () => {
    const { site } = demo;
    const addressesBefore = await returnAddressesByApi();

    // A shopper with a shipped order (2 white mugs) and a paid one (1 blue mug).
    const login = await shopperLogin(site, DEMO.tenant.slug);
    const shopper = bearer(login.accessToken);
    const addressId = await addressByApi(demo, shopper, { name: '赵六', phone: '13700000002', detail: '售后路 3 号' });
    const { white, blue } = await mugSkus();
    const shipped = await paidOrder(shopper, addressId, white, 2, { ship: true });
    const paid = await paidOrder(shopper, addressId, blue, 1);

    // 退货退款 of one mug, with a photo of the crack; 仅退款 of the other order's mug.
    const photo = await site.api
      .post(demoShopApi('/after-sales-photos'))
      .set(shopper)
      .attach('file', await pngBytes('#aa3322', 800, 600), 'crack.png')
      .expect(201);
    const returning = (
      await site.api
        .post(demoShopApi('/after-sales'))
        .set(shopper)
        .send({
          orderId: shipped.id,
          skuId: white,
          quantity: 1,
          kind: 'return_refund',
          reason: 'quality',
          description: '杯口有裂纹',
          photoIds: [photo.body.id],
        })
        .expect(201)
    ).body as AfterSalesCase;
    opened.push({ id: returning.id, shopper });
    const refundOnly = (
      await site.api
        .post(demoShopApi('/after-sales'))
        .set(shopper)
        .send({ orderId: paid.id, skuId: blue, quantity: 1, kind: 'refund_only', reason: 'not_received' })
        .expect(201)
    ).body as AfterSalesCase;
    opened.push({ id: refundOnly.id, shopper });
    expect(returning).toMatchObject({ status: 'requested', photoUrls: [expect.any(String)] });
    expect(refundOnly.deadlineAt).not.toBeNull();

    const page = await signInToConsole(demo);

    // 售后 → 退货地址: the merchant adds one in 福州市鼓楼区.
    await fromMenu(page, 'merchant-after-sales', 'merchant-return-addresses');
    await page.waitForURL(/\/console\/after-sales\/return-addresses$/);
    await page.locator('[data-testid="return-address-new"]').click();
    const dialog = page.locator('[data-testid="return-address-dialog"]');
    await dialog.waitFor();
    // Nothing typed: each field says what it needs, and nothing is sent.
    await dialog.locator('[data-testid="return-address-save"]').click();
    await dialog.locator('.el-form-item__error', { hasText: '请选择所在地区' }).waitFor();
    const detail = `退货仓 ${uid()} 号`;
    await input(dialog, 'return-address-name').fill('售后仓');
    await input(dialog, 'return-address-phone').fill('0591-88886666');
    await dialog.locator('[data-testid="return-address-region"] .el-cascader').click();
    for (const name of ['福建省', '福州市', '鼓楼区'])
      await page.locator('.el-cascader-node:visible', { hasText: name }).last().click();
    await textarea(dialog, 'return-address-detail').fill(detail);
    const created = posted(page, '/return-addresses');
    await dialog.locator('[data-testid="return-address-save"]').click();
    const createdResponse = await created;
    expect(createdResponse.status()).toBe(201);
    const address = (await createdResponse.json()) as ReturnAddress;
    addedAddress = address.id;
    expect(address).toMatchObject({
      name: '售后仓',
      regionCode: '350102',
      province: '福建省',
      city: '福州市',
      district: '鼓楼区',
      detail,
      // The shop's first return address is its default.
      isDefault: addressesBefore.length === 0,
    });
    await page
      .locator(`[data-testid="return-address-row-${address.id}"]`)
      .filter({ hasText: `福建省 福州市 鼓楼区 ${detail}` })
      .waitFor();

    // The list: the badge and every tab's count as the API counts them; the refund-only request's deadline.
    await openList(page);
    await expectCountsAsApi(page);
    const refundOnlyRow = page.locator(`[data-testid="after-sales-row-${refundOnly.id}"]`);
    await refundOnlyRow.locator('[data-testid="after-sales-kind"]', { hasText: '仅退款' }).waitFor();
    expect(await refundOnlyRow.locator('[data-testid="after-sales-deadline"]').innerText()).toMatch(
      /剩余 1 天 23 小时\s*超时自动同意退款/,
    );
    const returnRow = page.locator(`[data-testid="after-sales-row-${returning.id}"]`);
    await returnRow.locator('[data-testid="after-sales-kind"]', { hasText: '退货退款' }).waitFor();
    expect(await returnRow.locator('[data-testid="after-sales-order-no"]').innerText()).toBe(shipped.orderNo);
    expect(await returnRow.locator('[data-testid="after-sales-amount"]').innerText()).toBe(yuan(returning.amountFen));
    await returnRow.locator('[data-testid="after-sales-row-status"]', { hasText: '待处理' }).waitFor();

    // The return: its request with the shopper's photo, approved to the new address chosen from the shop's list.
    await openCase(page, returning.id, 'requested');
    expect(await page.locator('[data-testid="after-sales-reason"]').innerText()).toBe('质量问题');
    expect(await page.locator('[data-testid="after-sales-description"]').innerText()).toBe('杯口有裂纹');
    expect(await page.locator('[data-testid="after-sales-photo"]').count()).toBe(1);
    await page.locator('[data-testid="after-sales-photo"]').click();
    await page.locator('.el-image-viewer__wrapper').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });

    await page.locator('[data-testid="after-sales-approve"]').click();
    const approve = page.locator('[data-testid="approve-dialog"]');
    await approve.locator(`[data-testid="approve-address-${address.id}"]`).click();
    await approve.locator(`[data-testid="approve-address-${address.id}"].is-checked`).waitFor();
    const approved = posted(page, `/after-sales/${returning.id}/approve`);
    await approve.locator('[data-testid="approve-confirm"]').click();
    await confirm(page);
    expect((await approved).status()).toBe(200);
    await page.locator('[data-testid="after-sales-status"][data-status="approved"]').waitFor();
    await page
      .locator('[data-testid="after-sales-return-address"]')
      .filter({ hasText: detail })
      .filter({ hasText: '0591-88886666' })
      .waitFor();
    await page
      .locator('[data-testid="after-sales-deadline"][data-outcome="autoClose"]', { hasText: '超时自动关闭' })
      .waitFor();
    expect((await caseByApi(returning.id)).returnAddress).toMatchObject({ detail, regionCode: '350102' });

    // The shopper sends the mug back.
    const trackingNo = `ZT${uid()}`.slice(0, 20);
    await site.api
      .post(demoShopApi(`/after-sales/${returning.id}/ship-back`))
      .set(shopper)
      .send({ carrier: 'ZTO', trackingNo })
      .expect(200);

    // The merchant sees the parcel, confirms receipt, and the return is refunded.
    await page.reload();
    await page.locator('[data-testid="after-sales-status"][data-status="returned"]').waitFor();
    await page.locator('[data-testid="after-sales-return-shipment"]', { hasText: '中通快递' }).waitFor();
    expect(await page.locator('[data-testid="after-sales-return-tracking-no"]').innerText()).toBe(trackingNo);
    await page
      .locator('[data-testid="after-sales-deadline"][data-outcome="autoRefund"]', { hasText: '超时自动退款' })
      .waitFor();
    const received = posted(page, `/after-sales/${returning.id}/receive`);
    await page.locator('[data-testid="after-sales-receive"]').click();
    await page.locator('.el-message-box', { hasText: `将退款 ${yuan(returning.amountFen)}` }).waitFor();
    await confirm(page);
    expect((await received).status()).toBe(200);
    await page.locator('[data-testid="after-sales-status"][data-status="refunded"]', { hasText: '已退款' }).waitFor();
    expect(await page.locator('[data-testid="after-sales-amount"]').innerText()).toBe(yuan(returning.amountFen));
    const refundStatus = page.locator('[data-testid="after-sales-refund-status"][data-status="succeeded"]');
    await refundStatus.filter({ hasText: '已退款' }).waitFor();
    const order = await merchantOrder(demo, shipped.id);
    expect(order.refundedFen).toBe(returning.amountFen);
    expect(await page.locator('[data-testid="after-sales-refund-no"]').innerText()).toBe(order.refunds[0]!.refundNo);
    const events = page.locator('[data-testid="after-sales-event"]');
    expect(await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual([
      'receiveRefund',
      'shipBack',
      'approveReturn',
      'request',
    ]);

    // The order shows its case, refunded, and leads back to it.
    await page.goto(`${site.baseUrl}/console/orders/${shipped.id}`);
    const caseLink = page.locator('[data-testid="order-after-sales"] [data-testid="order-after-sales-case"]', {
      hasText: returning.caseNo,
    });
    await caseLink.waitFor();
    await page.locator('[data-testid="order-after-sales"]', { hasText: '已退款' }).waitFor();
    await caseLink.click();
    await page.waitForURL(new RegExp(`/console/after-sales/${returning.id}$`));
    await page.locator('[data-testid="after-sales-status"][data-status="refunded"]').waitFor();

    // A request withdrawn while its page is open: agreeing to it is refused (409), said in Chinese, and the page
    // shows the case as it now is.
    const withdrawn = (
      await site.api
        .post(demoShopApi('/after-sales'))
        .set(shopper)
        .send({ orderId: shipped.id, skuId: white, quantity: 1, kind: 'refund_only', reason: 'changed_mind' })
        .expect(201)
    ).body as AfterSalesCase;
    opened.push({ id: withdrawn.id, shopper });
    await page.goto(`${site.baseUrl}/console/after-sales/${withdrawn.id}`);
    await page.locator('[data-testid="after-sales-status"][data-status="requested"]').waitFor();
    await site.api
      .post(demoShopApi(`/after-sales/${withdrawn.id}/cancel`))
      .set(shopper)
      .expect(200);
    const late = posted(page, `/after-sales/${withdrawn.id}/approve`);
    await page.locator('[data-testid="after-sales-approve"]').click();
    await page.locator('.el-message-box', { hasText: `将立即退款 ${yuan(withdrawn.amountFen)}` }).waitFor();
    await confirm(page);
    const lateResponse = await late;
    expect(lateResponse.status()).toBe(409);
    expect(((await lateResponse.json()) as { error: { reason: string } }).error.reason).toBe(
      'AFTER_SALES_STEP_NOT_ALLOWED',
    );
    await page.locator('.el-message--error', { hasText: '售后单状态已变化，请刷新后再操作' }).waitFor();
    await page.locator('[data-testid="after-sales-status"][data-status="cancelled"]', { hasText: '已取消' }).waitFor();
    expect(await page.locator('[data-testid="after-sales-approve"]').count()).toBe(0);

    // The refund-only request: refused with a note and a photo, from the 待处理 tab.
    await openList(page, 'requested');
    await openCase(page, refundOnly.id, 'requested');
    await page
      .locator('[data-testid="after-sales-deadline"][data-outcome="autoApprove"]', { hasText: '超时自动同意退款' })
      .waitFor();
    await page.locator('[data-testid="after-sales-refuse"]').click();
    const refuse = page.locator('[data-testid="refuse-dialog"]');
    await refuse.waitFor();
    // No note: said in the dialog, nothing sent.
    await refuse.locator('[data-testid="refuse-confirm"]').click();
    await refuse.locator('.el-form-item__error', { hasText: '请填写拒绝原因' }).waitFor();
    const note = '物流显示已签收，请先联系快递核实';
    await textarea(refuse, 'refuse-note').fill(note);
    const uploaded = page.waitForResponse((r) => r.url().endsWith(`${M}/catalog/images`) && r.status() === 201);
    await refuse
      .locator('[data-testid="refuse-photos-upload"] input[type=file]')
      .setInputFiles({ name: 'sign.png', mimeType: 'image/png', buffer: await pngBytes('#3355aa', 600, 600) });
    await uploaded;
    await refuse.locator('[data-testid="refuse-photos-item"][data-image-id]').waitFor();
    const refused = posted(page, `/after-sales/${refundOnly.id}/refuse`);
    await refuse.locator('[data-testid="refuse-confirm"]').click();
    await confirm(page);
    const refusedResponse = await refused;
    expect(refusedResponse.status()).toBe(200);
    expect(((await refusedResponse.json()) as AfterSalesCase).status).toBe('refused');
    await page.locator('[data-testid="after-sales-status"][data-status="refused"]', { hasText: '已拒绝' }).waitFor();
    const latest = page.locator('[data-testid="after-sales-event"]').first();
    expect(await latest.getAttribute('data-type')).toBe('refuse');
    expect(await latest.locator('[data-testid="after-sales-event-note"]').innerText()).toBe(note);
    expect(await latest.locator('[data-testid="after-sales-event-photo"]').count()).toBe(1);
    await latest.locator('[data-actor="merchant"]', { hasText: '商家员工' }).waitFor();
    expect((await merchantOrder(demo, paid.id)).refundedFen).toBe(0);

    // Both cases are settled: the list's tabs and the badge follow.
    await openList(page, 'refused');
    await page.locator(`[data-testid="after-sales-row-${refundOnly.id}"]`).waitFor();
    await expectCountsAsApi(page);

    // The return address goes again (the demo shop had none before), from its page.
    if (addressesBefore.length === 0) {
      await fromMenu(page, 'merchant-after-sales', 'merchant-return-addresses');
      await page.locator(`[data-testid="return-address-delete-${address.id}"]`).click();
      await page.locator('.el-message-box', { hasText: '售后仓' }).waitFor();
      const deleted = page.waitForResponse(
        (r) => r.url().endsWith(`${M}/return-addresses/${address.id}`) && r.request().method() === 'DELETE',
      );
      await confirm(page);
      expect((await deleted).status()).toBe(200);
      await page.locator(`[data-testid="return-address-row-${address.id}"]`).waitFor({ state: 'detached' });
      expect(await returnAddressesByApi()).toEqual([]);
    }
  });
});
