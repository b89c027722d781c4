import {
  addressByApi,
  couponTemplateByApi,
  demoProduct,
  demoShopApi,
  demoSuite,
  fullReductionByApi,
  shopperBearer,
} from '../helpers/demo-suite';
import {
  latestOrderOf,
  openProduct,
  orderLine,
  phone,
  placeAndPayInSandbox,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';

describe('the cart prices its selection with the promotions and the best coupon', () => {
  it('shows 已优惠 and 合计 past a 满减 tier with a claimed coupon, with their details; follows quantity and selection; the order shows its discounts', async () => {
    const { site, tenantId, merchant } = demo;
    const earphones = await demoProduct(demo, '无线蓝牙耳机 降噪版'); // 黑 / 标准 ¥199.00
    const headset = await demoProduct(demo, '头戴式游戏耳机'); // ¥259.00
    const headsetSku = Number(
      (await site.platform.knex('skus').where({ tenant_id: tenantId, product_id: headset }).first()).id,
    );
    const template = await couponTemplateByApi(demo, { combinesWith: ['full_reduction'] }); // ¥10 off ¥100, with 满减
    await fullReductionByApi(demo, {
      name: '耳机满减',
      scope: 'products',
      scopeIds: [earphones, headset],
      tiers: [
        { threshold: 20_000, amountOffFen: 2_000 },
        { threshold: 40_000, amountOffFen: 5_000 },
      ],
    });

    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000051');
    const shopper = await shopperBearer(demo, shopperId);
    // The shopper has claimed the coupon and has an address; the headset is already in the cart.
    await site.api
      .post(demoShopApi(`/coupon-templates/${template.id}/claim`))
      .set(shopper)
      .expect(201);
    await addressByApi(demo, shopper, { name: '孙七', phone: '13912345672', detail: '五四路 400 号' });
    await site.api.post(demoShopApi('/cart/items')).set(shopper).send({ skuId: headsetSku, quantity: 1 }).expect(200);

    // The earphones join it from their page: ¥458 passes the ¥400 tier (−¥50), and the coupon takes ¥10 off the rest.
    await openProduct(site, page, earphones);
    await visible(page, 'add-to-cart').click();
    await page.locator('[data-testid="sku-option"][data-value="黑"]:visible').click();
    await page.locator('[data-testid="sku-option"][data-value="标准"]:visible').click();
    await visible(page, 'sku-confirm').click();
    await visible(page, 'go-cart').click();
    await page.locator('[data-testid="cart-line"]:visible').nth(1).waitFor();

    const total = page.locator('[data-testid="cart-total"][data-pending="false"]:visible');
    const saved = visible(page, 'cart-saved');
    await total.filter({ hasText: '¥398.00' }).waitFor();
    await saved.filter({ hasText: '已优惠 ¥60.00' }).waitFor();

    // 优惠明细: what the items come to, the 满减 and the coupon by name, what is saved and the total.
    await visible(page, 'cart-offers').click();
    const sheet = visible(page, 'cart-offers-sheet');
    await sheet.locator('[data-testid="cart-offers-items-total"]').filter({ hasText: '¥458.00' }).waitFor();
    const offer = (source: string) => sheet.locator(`[data-testid="cart-offer"][data-source="${source}"]`);
    await offer('full_reduction').filter({ hasText: '满减' }).filter({ hasText: '耳机满减' }).waitFor();
    await offer('full_reduction').filter({ hasText: '-¥50.00' }).waitFor();
    await offer('coupon').filter({ hasText: '优惠券' }).filter({ hasText: template.name }).waitFor();
    await offer('coupon').filter({ hasText: '-¥10.00' }).waitFor();
    expect(await sheet.locator('[data-testid="cart-offer"]').count()).toBe(2);
    await sheet.locator('[data-testid="cart-offers-saved"]').filter({ hasText: '¥60.00' }).waitFor();
    await sheet.locator('[data-testid="cart-offers-total"]').filter({ hasText: '¥398.00' }).waitFor();
    await visible(page, 'cart-offers-close').click();
    await sheet.waitFor({ state: 'hidden' });

    // A second pair of earphones: ¥657, the same tier and coupon.
    const earphonesLine = page.locator('[data-testid="cart-line"]:visible').filter({ hasText: '无线蓝牙耳机' });
    const headsetLine = page.locator('[data-testid="cart-line"]:visible').filter({ hasText: '头戴式游戏耳机' });
    await earphonesLine.locator('[data-testid="cart-qty-plus"]').click();
    await earphonesLine.locator('[data-testid="cart-qty-value"]').filter({ hasText: '2' }).waitFor();
    await total.filter({ hasText: '¥597.00' }).waitFor();
    await saved.filter({ hasText: '已优惠 ¥60.00' }).waitFor();

    // Without the headset, ¥398 only reaches the ¥200 tier (−¥20), and the coupon still applies.
    await headsetLine.locator('[data-testid="cart-line-select"]').click();
    await page
      .locator('[data-testid="cart-line"][data-selected="false"]:visible')
      .filter({ hasText: '头戴式' })
      .waitFor();
    await total.filter({ hasText: '¥368.00' }).waitFor();
    await saved.filter({ hasText: '已优惠 ¥30.00' }).waitFor();
    await visible(page, 'cart-offers').click();
    await offer('full_reduction').filter({ hasText: '-¥20.00' }).waitFor();
    await sheet.locator('[data-testid="cart-offers-items-total"]').filter({ hasText: '¥398.00' }).waitFor();
    await visible(page, 'cart-offers-close').click();

    // Checkout agrees (free shipping from ¥99); placed and paid in the sandbox.
    await visible(page, 'cart-checkout').click();
    await visible(page, 'checkout-total').filter({ hasText: '¥368.00' }).waitFor();
    await placeAndPayInSandbox(page);
    const order = await latestOrderOf(demo, shopperId);
    expect(order).toMatchObject({ status: 'paid', total_fen: 36_800 });

    // The order detail: the discounts between the items and shipping, and the line's share of them.
    await visible(page, 'order-items-total').filter({ hasText: '¥398.00' }).waitFor();
    const discount = (source: string) =>
      page.locator(`[data-testid="order-discount"][data-source="${source}"]:visible`);
    await discount('full_reduction').filter({ hasText: '满减' }).filter({ hasText: '耳机满减' }).waitFor();
    await discount('full_reduction').filter({ hasText: '-¥20.00' }).waitFor();
    await discount('coupon').filter({ hasText: '优惠券' }).filter({ hasText: template.name }).waitFor();
    await discount('coupon').filter({ hasText: '-¥10.00' }).waitFor();
    const rows = await page
      .locator('.od-totals .od-row:visible')
      .evaluateAll((els) =>
        els.map((el) => el.getAttribute('data-testid') ?? el.querySelector('.od-label')?.textContent?.trim()),
      );
    expect(rows.slice(0, 4)).toEqual(['商品金额', 'order-discount', 'order-discount', '运费']);
    await visible(page, 'order-total').filter({ hasText: '¥368.00' }).waitFor();
    const line = orderLine(page, '无线蓝牙耳机');
    await line.locator('[data-testid="order-line-discount"]').filter({ hasText: '优惠 -¥30.00' }).waitFor();
    expect(await line.locator('[data-testid="order-line-refunded"]').count()).toBe(0);

    // The merchant refunds one pair: the line says so.
    const placed = (await site.api.get(`${M}/orders/${order.id}`).set(merchant).expect(200)).body as {
      lines: Array<{ skuId: number }>;
    };
    const earphonesSku = placed.lines[0]!.skuId;
    await site.api
      .post(`${M}/orders/${order.id}/refunds`)
      .set(merchant)
      .send({ lines: [{ skuId: earphonesSku, quantity: 1 }], reason: '缺货' })
      .expect(201);
    await page.reload();
    await line.locator('[data-testid="order-line-refunded"]').filter({ hasText: '已退 1 件' }).waitFor();
    await context.close();
  });
});
