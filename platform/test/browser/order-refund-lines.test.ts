import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { bearer, merchantLogin, shopperLogin } from '../helpers/fixtures';
import { templateBody } from '../helpers/marketing';
import { uid } from '../helpers/test-platform';

let site: LiveSite;
let browser: Browser;
let merchant: string;
/** The coupon template this file runs in the demo shop, stopped at the end so other tests find its coupon centre as it was. */
let templateId: number | null = null;

beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  merchant = (await merchantLogin(site, { email: DEMO.owner.email, password: DEMO.owner.password })).accessToken;
});
afterAll(async () => {
  if (templateId !== null)
    await site.api.post(`${M}/coupon-templates/${templateId}/stop`).set(bearer(merchant)).expect(200);
  await browser?.close();
  await site?.close();
});

const M = '/merchant-api/v1';
const shop = (path: string) => `/shop-api/v1/shops/${DEMO.tenant.slug}${path}`;

type Line = { skuId: number; quantity: number; subtotalFen: number; discountFen: number };
interface OrderView {
  id: number;
  status: string;
  totalFen: number;
  refundedFen: number;
  discountFen: number;
  discounts: Array<{ source: string; sourceId: number; name: string; fen: number }>;
  lines: Line[];
  refunds: Array<{ amountFen: number; status: string }>;
}

/** As the console shows money: ¥12.34. */
const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** "¥36.65" (or "-¥10.00") as fen. */
const fenOf = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

const input = (page: Page | Locator, testid: string) =>
  page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${site.baseUrl}/console/login`);
  await input(page, 'login-email').fill(DEMO.owner.email);
  await input(page, 'login-password').fill(DEMO.owner.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.locator('[data-testid="shop-name"]').waitFor();
  return page;
}

/** The demo mug's two colours, read as the shop shows them. */
async function mugSkus(): Promise<{ white: number; blue: number }> {
  const found = await site.api.get(shop(`/search?q=${encodeURIComponent('马克杯')}`)).expect(200);
  const mug = (found.body.items as Array<{ id: number; title: string }>).find((p) => p.title === '北欧陶瓷马克杯')!;
  const detail = await site.api.get(shop(`/products/${mug.id}`)).expect(200);
  const skus = detail.body.skus as Array<{ id: number; specValues: string[] }>;
  return {
    white: skus.find((s) => s.specValues[0] === '奶白')!.id,
    blue: skus.find((s) => s.specValues[0] === '雾蓝')!.id,
  };
}

/**
 * A shopper of the demo shop with a ¥10 no-threshold coupon (combines with 满减) orders 3 white mugs and 1 blue one
 * with it and pays in the sandbox (the demo shop is in test mode).
 */
async function paidOrderWithCoupon(): Promise<{ order: OrderView; couponId: number; couponName: string }> {
  const couponName = `退款券${uid()}`;
  const template = await site.api
    .post(`${M}/coupon-templates`)
    .set(bearer(merchant))
    .send(
      templateBody(site, {
        name: couponName,
        kind: 'no_threshold',
        thresholdFen: 0,
        amountOffFen: 1_000,
        totalQuantity: 5,
        combinesWith: ['full_reduction'],
      }),
    )
    .expect(201);
  templateId = template.body.id as number;

  const shopper = bearer((await shopperLogin(site, DEMO.tenant.slug)).accessToken);
  const address = await site.api
    .post(shop('/addresses'))
    .set(shopper)
    .send({
      name: '李四',
      phone: '13700000001',
      regionCode: '350102',
      province: '福建省',
      city: '福州市',
      district: '鼓楼区',
      detail: '退款路 2 号',
    })
    .expect(201);
  const claimed = await site.api
    .post(shop(`/coupon-templates/${templateId}/claim`))
    .set(shopper)
    .expect(201);
  const couponId = claimed.body.id as number;

  const { white, blue } = await mugSkus();
  const placed = await site.api
    .post(shop('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `refund-lines-${uid()}`)
    .send({
      items: [
        { skuId: white, quantity: 3 },
        { skuId: blue, quantity: 1 },
      ],
      addressId: address.body.id,
      couponId,
    })
    .expect(201);
  const pay = await site.api
    .post(shop(`/orders/${placed.body.id}/pay`))
    .set(shopper)
    .send({ method: 'sandbox' })
    .expect(200);
  await site.api
    .post(shop(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
    .set(shopper)
    .expect(200);
  return { order: await merchantOrder(placed.body.id), couponId, couponName };
}

async function merchantOrder(id: number): Promise<OrderView> {
  return (await site.api.get(`${M}/orders/${id}`).set(bearer(merchant)).expect(200)).body as OrderView;
}

const couponState = async (id: number) =>
  (await site.platform.knex('coupons').where({ id }).first('state', 'order_id')) as {
    state: string;
    order_id: number | null;
  };

const sku = (testid: string, skuId: number) => `[data-testid="${testid}"][data-sku="${skuId}"]`;

/** Sets a line's units in the refund dialog as the merchant types them. */
async function typeUnits(dialog: Locator, skuId: number, units: number): Promise<void> {
  const field = dialog.locator(`${sku('refund-line-units', skuId)} input`);
  await field.fill(String(units));
}

/** Sends the dialog's refund, says yes to the amount, and waits for the server's answer. */
async function sendRefund(page: Page, dialog: Locator, orderId: number): Promise<OrderView> {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith(`${M}/orders/${orderId}/refunds`) && r.request().method() === 'POST',
  );
  await dialog.locator('[data-testid="refund-confirm"]').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  const response = await answered;
  expect(response.status()).toBe(201);
  await dialog.waitFor({ state: 'hidden' });
  return (await response.json()) as OrderView;
}

describe('refunds by line in the order detail', () => {
  it('shows the coupon and each line’s share, refunds one unit at what it paid, then the rest closes the order and gives the coupon back', async () => {
    const { order, couponId, couponName } = await paidOrderWithCoupon();
    expect(order.status).toBe('paid');
    const coupon = order.discounts.find((d) => d.source === 'coupon')!;
    expect(coupon).toEqual({ source: 'coupon', sourceId: couponId, name: couponName, fen: 1_000 });
    const [mugs, cup] = order.lines as [Line, Line];
    expect(mugs.discountFen + cup.discountFen).toBe(order.discountFen);
    expect(await couponState(couponId)).toEqual({ state: 'used', order_id: order.id });

    const page = await signIn();
    await page.goto(`${site.baseUrl}/console/orders/${order.id}`);
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor();

    // The amounts: the coupon on its own row, by kind and name; each line's share of the discounts and what it paid.
    const totals = page.locator('[data-testid="order-totals"]');
    expect(await totals.locator('[data-testid="order-discount-label"][data-source="coupon"]').innerText()).toBe(
      `优惠券「${couponName}」`,
    );
    expect((await totals.locator('[data-testid="order-discount"][data-source="coupon"]').innerText()).trim()).toBe(
      '-¥10.00',
    );
    expect(await page.locator('[data-testid="order-total"]').innerText()).toBe(yuan(order.totalFen));
    for (const line of [mugs, cup]) {
      expect(await page.locator(sku('line-discount', line.skuId)).innerText()).toBe(`-${yuan(line.discountFen)}`);
      expect(await page.locator(sku('line-paid', line.skuId)).innerText()).toBe(
        yuan(line.subtotalFen - line.discountFen),
      );
    }

    // One mug of three, by line (the dialog's default), shown as an estimate as it is typed.
    await page.locator('[data-testid="order-refund"]').click();
    const dialog = page.locator('[data-testid="refund-dialog"]');
    await dialog.waitFor();
    await dialog.locator('[data-testid="refund-mode-lines"].is-active').waitFor();
    // Nothing chosen: said in the dialog, nothing sent.
    await dialog.locator('[data-testid="refund-confirm"]').click();
    await dialog.locator('.refund-lines .el-form-item__error', { hasText: '请至少选择一件要退的商品' }).waitFor();
    await typeUnits(dialog, mugs.skuId, 1);
    await dialog.locator('.refund-lines .el-form-item__error').waitFor({ state: 'detached' });
    const oneMug = Math.round((mugs.subtotalFen - mugs.discountFen) / 3);
    await dialog
      .locator(sku('refund-line-estimate', mugs.skuId))
      .filter({ hasText: `约 ${yuan(oneMug)}` })
      .waitFor();
    expect(await dialog.locator('[data-testid="refund-lines-total"]').innerText()).toBe(`约 ${yuan(oneMug)}`);
    expect(await dialog.locator(sku('refund-line-estimate', cup.skuId)).count()).toBe(0);
    await input(dialog, 'refund-reason').fill('一只杯子有裂纹');
    const first = await sendRefund(page, dialog, order.id);
    expect(first.refunds).toHaveLength(1);

    // The refund shows in the list, succeeded; the line says 已退 1 件; the order stays paid; the coupon stays used.
    await page.locator('[data-testid="refund-row-amount"][data-status="succeeded"]').waitFor();
    expect(await page.locator(sku('line-refunded', mugs.skuId)).innerText()).toBe('已退 1 件');
    expect(await page.locator(sku('line-refunded', cup.skuId)).count()).toBe(0);
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor();
    expect(await couponState(couponId)).toEqual({ state: 'used', order_id: order.id });

    // The rest: the two mugs left and the cup. All that is left goes back, exactly, and the order closes.
    await page.locator('[data-testid="order-refund"]').click();
    await dialog.waitFor();
    expect(
      await dialog.locator(sku('refund-line-units', mugs.skuId)).locator('input').getAttribute('aria-valuemax'),
    ).toBe('2');
    await typeUnits(dialog, mugs.skuId, 2);
    await typeUnits(dialog, cup.skuId, 1);
    const left = order.totalFen - first.refundedFen;
    await dialog
      .locator('[data-testid="refund-lines-total"][data-exact="true"]')
      .filter({ hasText: yuan(left) })
      .waitFor();
    await input(dialog, 'refund-reason').fill('顾客不要了');
    await sendRefund(page, dialog, order.id);

    await page.locator('[data-testid="order-status"][data-status="refunded"]').waitFor();
    await page.locator('[data-testid="order-status"]', { hasText: '已退款' }).waitFor();
    const amounts = page.locator('[data-testid="refund-row-amount"][data-status="succeeded"]');
    await amounts.nth(1).waitFor();
    expect(await page.locator(sku('line-refunded', mugs.skuId)).innerText()).toBe('已退 3 件');
    expect(await page.locator(sku('line-refunded', cup.skuId)).innerText()).toBe('已退 1 件');
    expect(await couponState(couponId)).toEqual({ state: 'unused', order_id: null });

    // What the console showed refunded is what the server computed, and it is all the shopper paid.
    const shown = (await amounts.allInnerTexts()).map(fenOf);
    expect(shown).toHaveLength(2);
    const after = await merchantOrder(order.id);
    expect(after).toMatchObject({ status: 'refunded', refundedFen: order.totalFen });
    expect(shown.reduce((a, b) => a + b, 0)).toBe(after.refundedFen);
    expect(after.lines.map((l) => (l as Line & { refundedQuantity: number }).refundedQuantity)).toEqual([3, 1]);
  });
});
