import sharp from 'sharp';
import type { AfterSalesCase, AfterSalesQuote, AfterSalesSettings } from '@shopfleet/contracts';
import { yuan } from '../helpers/browser';
import { addressByApi, demoProduct, demoShopApi, demoSuite, shopperBearer, type Bearer } from '../helpers/demo-suite';
import { field, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';
const SHOPPER_PHONE = '13600000071';
const FLASK = '316不锈钢保温杯 500ml'; // bought by no other browser test

/** The demo flask's black and white SKUs, as the shop shows them. */
async function flaskSkus(): Promise<{ black: number; white: number }> {
  const id = await demoProduct(demo, FLASK);
  const detail = await demo.site.api.get(demoShopApi(`/products/${id}`)).expect(200);
  const skus = detail.body.skus as Array<{ id: number; specValues: string[] }>;
  return {
    black: skus.find((s) => s.specValues[0] === '黑')!.id,
    white: skus.find((s) => s.specValues[0] === '白')!.id,
  };
}

/**
 * An order of two black flasks and a white one, placed and paid (sandbox) through the shop API as the shopper, and
 * shipped through the merchant API.
 */
async function shippedOrder(shopper: Bearer): Promise<{ orderId: number; black: number; white: number }> {
  const { site, merchant } = demo;
  const { black, white } = await flaskSkus();
  const addressId = await addressByApi(demo, shopper, { name: '周八', phone: '13700000071', detail: '售后路 7 号' });
  const placed = await site.api
    .post(demoShopApi('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `after-sales-${uid()}`)
    .send({
      items: [
        { skuId: black, quantity: 2 },
        { skuId: white, quantity: 1 },
      ],
      addressId,
    })
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
  await site.api
    .post(`${M}/orders/${orderId}/ship`)
    .set(merchant)
    .send({ carrier: 'YTO', trackingNo: `YT${Date.now()}` })
    .expect(200);
  return { orderId, black, white };
}

async function quote(shopper: Bearer, q: { orderId: number; skuId: number; quantity: number }) {
  const res = await demo.site.api.get(demoShopApi('/after-sales/quote')).query(q).set(shopper).expect(200);
  return res.body as AfterSalesQuote;
}

/**
 * The shopper's whole return, on a phone: 申请售后 on a line of a shipped order (退货退款, one of two units, a reason,
 * words and a photo), the case waiting for the shop, 我的 → 退款/售后; the shop agrees (API), the return address and
 * the time left to ship, 填写退货物流; the shop receives the goods (API), 已退款 with the amount; the order and the
 * list after it. Then the request form on an English phone.
 */
async function returnRefundJourney(returnTo: { id: number; name: string }): Promise<void> {
  const { site, merchant } = demo;
  const timers = (await site.api.get(`${M}/after-sales/settings`).set(merchant).expect(200)).body as AfterSalesSettings;

  const { context, page } = await phone(demo);
  const shopperId = await signInByPhone(demo, page, SHOPPER_PHONE);
  const shopper = await shopperBearer(demo, shopperId);
  const { orderId, black, white } = await shippedOrder(shopper);
  const [one, two] = [
    await quote(shopper, { orderId, skuId: black, quantity: 1 }),
    await quote(shopper, { orderId, skuId: black, quantity: 2 }),
  ];
  expect(one).toMatchObject({ unitsLeft: 2, kinds: ['refund_only', 'return_refund', 'exchange'] });

  // The shipped order: each line offers 申请售后.
  await page.goto(`${shopHome(site)}#/pages/order/detail?id=${orderId}`);
  await page.locator('[data-testid="order-status"][data-status="shipped"]:visible').waitFor();
  const line = (skuId: number) => page.locator(`[data-testid="order-line"][data-sku-id="${skuId}"]:visible`);
  await line(white).locator('[data-testid="order-line-after-sales"]').waitFor();
  await line(black).locator('[data-testid="order-line-after-sales"]', { hasText: '申请售后' }).click();

  // The form: the line, the three kinds, all units left to start with and what they paid.
  const applyLine = visible(page, 'as-apply-line');
  await applyLine.filter({ hasText: FLASK }).filter({ hasText: '黑' }).waitFor();
  expect(await page.locator('[data-testid="as-kind"]:visible').allInnerTexts()).toEqual([
    expect.stringContaining('仅退款'),
    expect.stringContaining('退货退款'),
    expect.stringContaining('换货'),
  ]);
  await visible(page, 'as-qty-value').filter({ hasText: '2' }).waitFor();
  await page.locator(`[data-testid="as-amount"][data-amount-fen="${two.amountFen}"]:visible`).waitFor();
  expect(await visible(page, 'as-amount').innerText()).toBe(yuan(two.amountFen));
  // One of the two: asked again, the server's amount for one.
  await visible(page, 'as-qty-minus').click();
  await visible(page, 'as-qty-value').filter({ hasText: '1' }).waitFor();
  await page.locator(`[data-testid="as-amount"][data-amount-fen="${one.amountFen}"]:visible`).waitFor();
  expect(await visible(page, 'as-amount').innerText()).toBe(yuan(one.amountFen));

  // Nothing chosen yet: said, nothing sent.
  await visible(page, 'as-submit').click();
  await page.locator('.uni-simple-toast__text', { hasText: '请选择售后类型' }).waitFor();
  await page.locator('[data-testid="as-kind"][data-kind="return_refund"]:visible').click();
  await page.locator('[data-testid="as-kind"][data-kind="return_refund"][data-selected="true"]:visible').waitFor();
  await visible(page, 'as-reason').click();
  await page
    .locator('[data-testid="option-sheet-option"][data-value="damaged"]:visible', { hasText: '商品破损' })
    .click();
  await page.locator('[data-testid="as-reason"][data-reason="damaged"]:visible', { hasText: '商品破损' }).waitFor();
  await field(page, 'as-description').fill('收到时杯盖有裂纹');
  const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#aa3322' } })
    .png()
    .toBuffer();
  const chooser = page.waitForEvent('filechooser');
  await visible(page, 'as-add-photo').click();
  await (await chooser).setFiles({ name: 'crack.png', mimeType: 'image/png', buffer: png });
  await page.locator('[data-testid="as-photo"][data-state="done"]:visible').waitFor();

  const created = page.waitForResponse(
    (r) => r.url().endsWith(demoShopApi('/after-sales')) && r.request().method() === 'POST',
  );
  await visible(page, 'as-submit').click();
  const response = await created;
  expect(response.status()).toBe(201);
  const sent = (await response.json()) as AfterSalesCase;
  expect(sent).toMatchObject({
    orderId,
    skuId: black,
    quantity: 1,
    kind: 'return_refund',
    reason: 'damaged',
    description: '收到时杯盖有裂纹',
    amountFen: one.amountFen,
    status: 'requested',
  });
  expect(sent.photoUrls).toHaveLength(1);

  // The case: waiting for the shop (unanswered, a return is agreed at its deadline), the amount, the photo.
  await page.locator('[data-testid="as-status"][data-status="requested"]:visible', { hasText: '待商家处理' }).waitFor();
  expect(await visible(page, 'as-hint').innerText()).toBe(
    '商家将在 2 天内处理，超时将自动同意，届时请按退货地址寄回商品',
  );
  expect(await visible(page, 'as-detail-amount').innerText()).toBe(yuan(one.amountFen));
  expect(await visible(page, 'as-detail-kind').innerText()).toBe('退货退款');
  expect(await visible(page, 'as-detail-reason').innerText()).toBe('商品破损');
  expect(await page.locator('[data-testid="as-detail-photo"]:visible').count()).toBe(1);
  await page.locator('[data-testid="as-event"][data-type="request"]:visible', { hasText: '提交售后申请' }).waitFor();
  await visible(page, 'as-cancel').filter({ hasText: '撤销申请' }).waitFor();

  // 我的: the 退款/售后 entry counts the open case; its list has it, being handled.
  await page.goto(`${shopHome(site)}#/pages/user/index`);
  await visible(page, 'user-after-sales').filter({ hasText: '退款/售后' }).waitFor();
  await visible(page, 'user-after-sales-count').filter({ hasText: '1' }).waitFor();
  await visible(page, 'user-after-sales').click();
  await page.locator('[data-testid="as-tab-open"]:visible').waitFor();
  const card = page.locator(`[data-testid="as-card"][data-case-id="${sent.id}"]:visible`);
  await card.filter({ hasText: '待商家处理' }).filter({ hasText: '退货退款 · 1 件' }).waitFor();
  await card.click();
  await page.locator('[data-testid="as-status"][data-status="requested"]:visible').waitFor();

  // The shop agrees: the shopper reads the address to send it to, and the time to do it in.
  await site.api
    .post(`${M}/after-sales/${sent.id}/approve`)
    .set(merchant)
    .send({ returnAddressId: returnTo.id })
    .expect(200);
  await page.reload();
  await page.locator('[data-testid="as-status"][data-status="approved"]:visible', { hasText: '待寄回商品' }).waitFor();
  expect(await visible(page, 'as-hint').innerText()).toBe(
    `商家已同意，请在 ${timers.returnShipDays} 天内寄回商品并填写退货物流，超时申请将自动关闭`,
  );
  expect(await visible(page, 'as-deadline').innerText()).toMatch(/^截止时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  expect(await visible(page, 'as-return-name').innerText()).toBe(returnTo.name);
  expect(await visible(page, 'as-return-phone').innerText()).toBe('0591-88886666');
  expect(await visible(page, 'as-return-text').innerText()).toBe('福建省福州市鼓楼区五四路 100 号 退货组');
  await visible(page, 'as-return-address-copy').filter({ hasText: '复制' }).waitFor();

  // 填写退货物流: a carrier from the list and the tracking number.
  await visible(page, 'as-ship-back').click();
  await visible(page, 'as-ship-submit').click();
  await visible(page, 'as-ship-error').filter({ hasText: '请选择快递公司' }).waitFor();
  await visible(page, 'as-ship-carrier').click();
  await page.locator('[data-testid="option-sheet-option"][data-value="SF"]:visible', { hasText: '顺丰速运' }).click();
  await page.locator('[data-testid="as-ship-carrier"][data-code="SF"]:visible', { hasText: '顺丰速运' }).waitFor();
  const trackingNo = `SF${Date.now()}`;
  await field(page, 'as-ship-tracking').fill(trackingNo);
  await visible(page, 'as-ship-submit').click();
  await page.locator('[data-testid="as-status"][data-status="returned"]:visible', { hasText: '待商家收货' }).waitFor();
  expect(await visible(page, 'as-hint').innerText()).toBe(
    `商家将在 ${timers.receiveConfirmDays} 天内确认收货，超时将自动退款`,
  );
  expect(await visible(page, 'as-return-carrier').innerText()).toBe('顺丰速运');
  expect(await visible(page, 'as-return-tracking').innerText()).toBe(trackingNo);
  await page
    .locator('[data-testid="as-event"][data-type="shipBack"]:visible')
    .filter({ hasText: `顺丰速运 ${trackingNo}` })
    .waitFor();
  expect(await page.locator('[data-testid="as-cancel"]:visible').count()).toBe(0);

  // The shop receives the flask: refunded, what the one flask paid.
  await site.api.post(`${M}/after-sales/${sent.id}/receive`).set(merchant).expect(200);
  await page.reload();
  await page.locator('[data-testid="as-status"][data-status="refunded"]:visible', { hasText: '已退款' }).waitFor();
  expect(await visible(page, 'as-detail-amount').innerText()).toBe(yuan(one.amountFen));
  await page.locator('[data-testid="as-event"][data-type="receiveRefund"]:visible').waitFor();
  expect(await page.locator('[data-testid="as-event"]:visible').count()).toBe(4);

  // The order: one black flask refunded, the other still askable.
  await page.goto(`${shopHome(site)}#/pages/order/detail?id=${orderId}`);
  await line(black).locator('[data-testid="order-line-refunded"]', { hasText: '已退 1 件' }).waitFor();
  await line(black).locator('[data-testid="order-line-after-sales"]').waitFor();

  // The list: finished, not being handled.
  await page.goto(`${shopHome(site)}#/pages/after-sales/list?tab=done`);
  await page
    .locator(`[data-testid="as-card"][data-case-id="${sent.id}"][data-status="refunded"]:visible`)
    .filter({ hasText: yuan(one.amountFen) })
    .waitFor();
  await visible(page, 'as-tab-open').click();
  await visible(page, 'as-list-empty').waitFor();
  // In English (the same shopper's session, on a phone set to English): the request form's title and kinds.
  const signedIn = await context.storageState();
  await context.close();
  const english = await demo.browser.newContext({
    locale: 'en-US',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: signedIn,
  });
  const en = await english.newPage();
  en.setDefaultTimeout(20_000);
  await en.goto(`${shopHome(site)}#/pages/after-sales/apply?orderId=${orderId}&skuId=${white}`);
  await en.locator('.uni-page-head__title').filter({ hasText: 'Request after-sales' }).first().waitFor();
  expect(await en.title()).toBe('Request after-sales');
  await en
    .locator('[data-testid="as-kind"][data-kind="return_refund"]:visible', { hasText: 'Return and refund' })
    .waitFor();
  await visible(en, 'as-submit').filter({ hasText: 'Send request' }).waitFor();
  await english.close();
}

describe('after-sales in the h5 shop', () => {
  it('asks to return one of two flasks with a reason, words and a photo; the shop agrees, the parcel goes back, the shop receives it and the refund shows', async () => {
    const { site, merchant } = demo;
    const returnTo = (
      await site.api
        .post(`${M}/return-addresses`)
        .set(merchant)
        .send({
          name: `退货仓${uid()}`,
          phone: '0591-88886666',
          regionCode: '350102',
          province: '福建省',
          city: '福州市',
          district: '鼓楼区',
          detail: '五四路 100 号 退货组',
          isDefault: true,
        })
        .expect(201)
    ).body as { id: number; name: string };
    try {
      await returnRefundJourney(returnTo);
    } finally {
      // The demo shop is shared with the other browser tests: its return addresses are left as they were.
      await site.api.delete(`${M}/return-addresses/${returnTo.id}`).set(merchant).expect(200);
    }
  });
});
