import { DEMO } from '@shopfleet/platform';
import { fenOf, yuan } from '../helpers/browser';
import {
  bySku,
  openRefundDialog,
  refundLinesInConsole,
  sendRefund,
  signInToConsole,
  typeRefundUnits,
} from '../helpers/console-steps';
import {
  addressByApi,
  couponState,
  couponTemplateByApi,
  demoShopApi,
  demoSuite,
  merchantOrder,
} from '../helpers/demo-suite';
import { bearer, shopperLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();

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

/**
 * A shopper of the demo shop with a ¥10 no-threshold coupon (combines with 满减) orders 3 white mugs and 1 blue one
 * with it and pays in the sandbox (the demo shop is in test mode).
 */
async function paidOrderWithCoupon(): Promise<{ order: OrderView; couponId: number; couponName: string }> {
  const couponName = `退款券${uid()}`;
  const { site } = demo;
  const template = await couponTemplateByApi(demo, {
    name: couponName,
    kind: 'no_threshold',
    thresholdFen: 0,
    amountOffFen: 1_000,
    totalQuantity: 5,
    combinesWith: ['full_reduction'],
  });

  const shopper = bearer((await shopperLogin(site, DEMO.tenant.slug)).accessToken);
  const addressId = await addressByApi(demo, shopper, { name: '李四', phone: '13700000001', detail: '退款路 2 号' });
  const claimed = await site.api
    .post(demoShopApi(`/coupon-templates/${template.id}/claim`))
    .set(shopper)
    .expect(201);
  const couponId = claimed.body.id as number;

  const { white, blue } = await mugSkus();
  const placed = await site.api
    .post(demoShopApi('/orders'))
    .set(shopper)
    .set('Idempotency-Key', `refund-lines-${uid()}`)
    .send({
      items: [
        { skuId: white, quantity: 3 },
        { skuId: blue, quantity: 1 },
      ],
      addressId,
      couponId,
    })
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
  return { order: await merchantOrder(demo, placed.body.id), couponId, couponName };
}

describe('refunds by line in the order detail', () => {
  it('shows the coupon and each line’s share, refunds one unit at what it paid, then the rest closes the order and gives the coupon back', async () => {
    const { order, couponId, couponName } = await paidOrderWithCoupon();
    expect(order.status).toBe('paid');
    const coupon = order.discounts.find((d) => d.source === 'coupon')!;
    expect(coupon).toEqual({ source: 'coupon', sourceId: couponId, name: couponName, fen: 1_000 });
    const [mugs, cup] = order.lines as [Line, Line];
    expect(mugs.discountFen + cup.discountFen).toBe(order.discountFen);
    expect(await couponState(demo, couponId)).toEqual({ state: 'used', order_id: order.id });

    const page = await signInToConsole(demo);
    await page.goto(`${demo.site.baseUrl}/console/orders/${order.id}`);
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
      expect(await page.locator(bySku('line-discount', line.skuId)).innerText()).toBe(`-${yuan(line.discountFen)}`);
      expect(await page.locator(bySku('line-paid', line.skuId)).innerText()).toBe(
        yuan(line.subtotalFen - line.discountFen),
      );
    }

    // One mug of three, by line (the dialog's default), shown as an estimate as it is typed.
    const dialog = await openRefundDialog(page);
    // Nothing chosen: said in the dialog, nothing sent.
    await dialog.locator('[data-testid="refund-confirm"]').click();
    await dialog.locator('.refund-lines .el-form-item__error', { hasText: '请至少选择一件要退的商品' }).waitFor();
    await typeRefundUnits(dialog, mugs.skuId, 1);
    await dialog.locator('.refund-lines .el-form-item__error').waitFor({ state: 'detached' });
    const oneMug = Math.round((mugs.subtotalFen - mugs.discountFen) / 3);
    await dialog
      .locator(bySku('refund-line-estimate', mugs.skuId))
      .filter({ hasText: `约 ${yuan(oneMug)}` })
      .waitFor();
    expect(await dialog.locator('[data-testid="refund-lines-total"]').innerText()).toBe(`约 ${yuan(oneMug)}`);
    expect(await dialog.locator(bySku('refund-line-estimate', cup.skuId)).count()).toBe(0);
    const first = await sendRefund(page, dialog, order.id, '一只杯子有裂纹');
    expect(first.refunds).toHaveLength(1);

    // The refund shows in the list, succeeded; the line says 已退 1 件; the order stays paid; the coupon stays used.
    await page.locator('[data-testid="refund-row-amount"][data-status="succeeded"]').waitFor();
    expect(await page.locator(bySku('line-refunded', mugs.skuId)).innerText()).toBe('已退 1 件');
    expect(await page.locator(bySku('line-refunded', cup.skuId)).count()).toBe(0);
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor();
    expect(await couponState(demo, couponId)).toEqual({ state: 'used', order_id: order.id });

    // The rest: the two mugs left and the cup. All that is left goes back, exactly, and the order closes.
    const left = order.totalFen - first.refundedFen;
    await refundLinesInConsole(
      page,
      order.id,
      [
        { skuId: mugs.skuId, units: 2 },
        { skuId: cup.skuId, units: 1 },
      ],
      '顾客不要了',
      async (dialog) => {
        expect(
          await dialog.locator(bySku('refund-line-units', mugs.skuId)).locator('input').getAttribute('aria-valuemax'),
        ).toBe('2');
        await dialog
          .locator('[data-testid="refund-lines-total"][data-exact="true"]')
          .filter({ hasText: yuan(left) })
          .waitFor();
      },
    );

    await page.locator('[data-testid="order-status"][data-status="refunded"]').waitFor();
    await page.locator('[data-testid="order-status"]', { hasText: '已退款' }).waitFor();
    const amounts = page.locator('[data-testid="refund-row-amount"][data-status="succeeded"]');
    await amounts.nth(1).waitFor();
    expect(await page.locator(bySku('line-refunded', mugs.skuId)).innerText()).toBe('已退 3 件');
    expect(await page.locator(bySku('line-refunded', cup.skuId)).innerText()).toBe('已退 1 件');
    expect(await couponState(demo, couponId)).toEqual({ state: 'unused', order_id: null });

    // What the console showed refunded is what the server computed, and it is all the shopper paid.
    const shown = (await amounts.allInnerTexts()).map(fenOf);
    expect(shown).toHaveLength(2);
    const after = await merchantOrder(demo, order.id);
    expect(after).toMatchObject({ status: 'refunded', refundedFen: order.totalFen });
    expect(shown.reduce((a, b) => a + b, 0)).toBe(after.refundedFen);
    expect(after.lines.map((l) => (l as Line & { refundedQuantity: number }).refundedQuantity)).toEqual([3, 1]);
  });
});
