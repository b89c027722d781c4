import { fenOf, yuan } from '../helpers/browser';
import {
  bySku,
  createCouponInConsole,
  createFullReductionInConsole,
  hundredLessTen,
  openOrderInConsole,
  refundLinesInConsole,
  signInToConsole,
} from '../helpers/console-steps';
import { couponState, demoProduct, demoSuite, merchantOrder } from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  buyNow,
  checkoutDiscount,
  checkoutShows,
  claimInCouponCentre,
  latestOrderOf,
  openCouponCentre,
  openProduct,
  orderLine,
  phone,
  placeAndPayInSandbox,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

/** The coupon template and the 满减 the story starts are stopped at the end: the demo shop is shared. */
const demo = demoSuite();

const CHARGER = '氮化镓快充充电器 65W'; // ¥129.00, one SKU, bought by no other browser test

describe('a marketing campaign from the console to a refund', () => {
  it('the merchant makes a coupon and a 满减 in the console; a shopper claims the coupon, passes ¥200, gets both at checkout and pays; one unit refunded by line leaves the order paid, gives back what it paid and keeps the coupon used', async () => {
    const { site, tenantId } = demo;
    const charger = { id: await demoProduct(demo, CHARGER), title: CHARGER };
    const tag = Date.now().toString(36);

    // At the desk: 满100减10 for the whole shop that goes with 满减, claimed in the coupon centre; 满200减20 on the charger
    // only, so the other tests sharing the demo shop price as they did.
    const desk = await signInToConsole(demo);
    const template = await createCouponInConsole(desk, demo, hundredLessTen(`满100减10 ${tag}`));
    expect(template).toMatchObject({
      kind: 'amount_off',
      thresholdFen: 10_000,
      amountOffFen: 1_000,
      scope: 'shop',
      issueMode: 'claim',
      combinesWith: ['full_reduction'],
      displayStatus: 'running',
    });
    const promotion = await createFullReductionInConsole(desk, demo, {
      name: `充电器满200减20 ${tag}`,
      tiers: [{ threshold: 200, amountOff: 20 }],
      products: [charger],
    });
    expect(promotion).toMatchObject({
      kind: 'full_reduction',
      basis: 'amount',
      scope: 'products',
      scopeIds: [charger.id],
      displayStatus: 'running',
      tiers: [{ threshold: 20_000, amountOffFen: 2_000, discountPercent: null }],
    });

    // On a phone: the shopper claims the coupon in the coupon centre.
    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000061');
    await openCouponCentre(page);
    await claimInCouponCentre(page, template.id);
    const coupon = await site.platform
      .knex('coupons')
      .where({ tenant_id: tenantId, template_id: template.id, shopper_id: shopperId })
      .first();
    expect(coupon).toMatchObject({ state: 'unused', order_id: null });

    // Two chargers (¥258) pass ¥200: the 满减 takes ¥20, the coupon ¥10 of what is left; shipping is free from ¥99.
    await openProduct(site, page, charger.id);
    await visible(page, 'detail-full-reduction-text').filter({ hasText: '满¥200.00减¥20.00' }).waitFor();
    await buyNow(page, { specValues: [], quantity: 2 });
    await addAddressAtCheckout(page, { name: '周八', phone: '13912345673', detail: '五四路 500 号' });
    await checkoutShows(page, { itemsFen: 25_800, fullReductionFen: 2_000, couponFen: 1_000, totalFen: 22_800 });
    await checkoutDiscount(page, 'full_reduction').filter({ hasText: promotion.name }).waitFor();
    await page.locator(`[data-testid="checkout-coupon"][data-coupon-id="${coupon.id}"]:visible`).waitFor();
    await placeAndPayInSandbox(page);
    const placed = await latestOrderOf(demo, shopperId);
    expect(placed).toMatchObject({ status: 'paid', total_fen: 22_800 });
    expect(await couponState(demo, coupon.id)).toEqual({ state: 'used', order_id: placed.id });

    // At the desk: the order, found by its number, with both discounts and the line's share of them.
    await openOrderInConsole(desk, { id: placed.id, orderNo: placed.order_no });
    await desk.locator('[data-testid="order-status"][data-status="paid"]').waitFor();
    const paid = await merchantOrder(demo, placed.id);
    expect(paid.discounts).toEqual([
      { source: 'full_reduction', sourceId: promotion.id, name: promotion.name, fen: 2_000 },
      { source: 'coupon', sourceId: coupon.id, name: template.name, fen: 1_000 },
    ]);
    expect(paid.lines).toHaveLength(1);
    const line = paid.lines[0]!;
    expect(line).toMatchObject({ productId: charger.id, quantity: 2, subtotalFen: 25_800, discountFen: 3_000 });
    expect(await desk.locator(bySku('line-discount', line.skuId)).innerText()).toBe(`-${yuan(3_000)}`);
    expect(await desk.locator(bySku('line-paid', line.skuId)).innerText()).toBe(yuan(22_800));

    // One charger back, by line: what one unit paid, shown as the dialog's estimate.
    const unitPaid = (line.subtotalFen - line.discountFen) / line.quantity;
    expect(unitPaid).toBe(11_400);
    const answered = await refundLinesInConsole(
      desk,
      placed.id,
      [{ skuId: line.skuId, units: 1 }],
      '多买了一个',
      async (dialog) => {
        await dialog
          .locator(bySku('refund-line-estimate', line.skuId))
          .filter({ hasText: `约 ${yuan(unitPaid)}` })
          .waitFor();
        expect(await dialog.locator('[data-testid="refund-lines-total"]').innerText()).toBe(`约 ${yuan(unitPaid)}`);
      },
    );
    expect(answered.refunds).toHaveLength(1);

    // The console shows the refund succeeded for that much and 已退 1 件 on the line; the order stays paid.
    const refunded = desk.locator('[data-testid="refund-row-amount"][data-status="succeeded"]');
    await refunded.waitFor();
    expect(fenOf(await refunded.innerText())).toBe(unitPaid);
    expect(await desk.locator(bySku('line-refunded', line.skuId)).innerText()).toBe('已退 1 件');
    await desk.locator('[data-testid="order-status"][data-status="paid"]').waitFor();

    // The server's own figures: the order refunded exactly what the line's refund gave back, the unit's share of what was
    // paid; the coupon stays used by the order.
    const after = await merchantOrder(demo, placed.id);
    expect(after).toMatchObject({ status: 'paid', refundedFen: unitPaid });
    expect(after.lines[0]).toMatchObject({ refundedQuantity: 1, refundedFen: after.refundedFen });
    expect(after.refunds.map((r) => [r.amountFen, r.status])).toEqual([[unitPaid, 'succeeded']]);
    expect(await couponState(demo, coupon.id)).toEqual({ state: 'used', order_id: placed.id });

    // The shopper's order says so too.
    await page.reload();
    await orderLine(page, CHARGER)
      .locator('[data-testid="order-line-refunded"]')
      .filter({ hasText: '已退 1 件' })
      .waitFor();
    await context.close();
  });
});
