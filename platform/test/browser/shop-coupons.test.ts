import {
  addressByApi,
  couponTemplateByApi,
  demoProduct,
  demoSuite,
  fullReductionByApi,
  shopperBearer,
} from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  buyNow,
  centreCoupon,
  checkoutDiscount,
  checkoutShows,
  claimInCouponCentre,
  latestOrderOf,
  openCouponCentre,
  openProduct,
  phone,
  placeAndPayInSandbox,
  shopHome,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';

describe('coupons and promotions in the h5 shop', () => {
  it('claims a coupon in the coupon centre, sees it unused, buys past the 满减 with it, switches it off and on at checkout, pays, and sees it used', async () => {
    const { site, tenantId } = demo;
    const earphones = await demoProduct(demo, '无线蓝牙耳机 降噪版');
    const template = await couponTemplateByApi(demo, { combinesWith: ['full_reduction'] }); // ¥10 off ¥100, with 满减
    await fullReductionByApi(demo, {
      scope: 'products',
      scopeIds: [earphones],
      tiers: [
        { threshold: 20_000, amountOffFen: 2_000 },
        { threshold: 50_000, amountOffFen: 6_000 },
      ],
    });
    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000041');

    // 我的 → 领券中心: the coupon's card, claimed in place.
    await openCouponCentre(page);
    const card = centreCoupon(page, template.id);
    await card.locator('[data-testid="coupon-rule"]').filter({ hasText: '满¥100.00可用' }).waitFor();
    await card.locator('[data-testid="coupon-value"]').filter({ hasText: '¥10.00' }).waitFor();
    await card.locator('[data-testid="coupon-validity"]').filter({ hasText: '领取后 7 天内有效' }).waitFor();
    await claimInCouponCentre(page, template.id);
    const coupon = await site.platform.knex('coupons').where({ tenant_id: tenantId, template_id: template.id }).first();
    expect(coupon).toBeTruthy();

    // 我的优惠券, 未使用.
    await visible(page, 'coupon-centre-mine').click();
    await page.locator('[data-testid="my-coupons"][data-state="unused"]:visible').waitFor();
    await page
      .locator(`[data-testid="my-coupon"][data-coupon-id="${coupon.id}"][data-state="unused"]:visible`)
      .waitFor();

    // The product shows the 满减 it counts towards, and the coupon as claimed.
    await openProduct(site, page, earphones);
    await visible(page, 'detail-full-reduction-text')
      .filter({ hasText: '满¥200.00减¥20.00，满¥500.00减¥60.00' })
      .waitFor();
    await visible(page, 'detail-coupons').click();
    await page
      .locator(`[data-testid="sheet-coupon"][data-template-id="${template.id}"]:visible [data-testid="coupon-claim"]`)
      .filter({ hasText: '已领取' })
      .waitFor();
    await visible(page, 'coupon-sheet-close').click();

    // Two of them (¥398) pass the ¥200 tier: 满减 −¥20, then the coupon −¥10 on what is left.
    await buyNow(page, { specValues: ['黑', '标准'], quantity: 2 });
    await addAddressAtCheckout(page, { name: '王五', phone: '13912345670', detail: '五四路 200 号' });

    const total = visible(page, 'checkout-total');
    const discount = (source: string) => checkoutDiscount(page, source);
    await checkoutShows(page, { itemsFen: 39_800, fullReductionFen: 2_000, couponFen: 1_000, totalFen: 36_800 });
    await page.locator(`[data-testid="checkout-coupon"][data-coupon-id="${coupon.id}"]:visible`).waitFor();

    // 不使用优惠券: the total goes up by the coupon; choosing it again brings it back.
    await visible(page, 'checkout-coupon').click();
    const picker = visible(page, 'coupon-picker');
    await picker
      .locator(`[data-testid="picker-coupon"][data-coupon-id="${coupon.id}"][data-selected="true"]`)
      .locator('[data-testid="picker-coupon-note"]')
      .filter({ hasText: '可省 ¥10.00' })
      .waitFor();
    await picker.locator('[data-testid="picker-coupon-none"]').click();
    await total.filter({ hasText: '378.00' }).waitFor();
    await visible(page, 'checkout-coupon-text').filter({ hasText: '不使用优惠券' }).waitFor();
    expect(await discount('coupon').count()).toBe(0);
    await discount('full_reduction').filter({ hasText: '-¥20.00' }).waitFor();
    await visible(page, 'checkout-coupon').click();
    await picker.locator(`[data-testid="picker-coupon"][data-coupon-id="${coupon.id}"]`).click();
    await total.filter({ hasText: '368.00' }).waitFor();
    await discount('coupon').filter({ hasText: '-¥10.00' }).waitFor();

    // Placed and paid in the sandbox, at the total shown.
    await placeAndPayInSandbox(page);
    expect(await latestOrderOf(demo, shopperId)).toMatchObject({ status: 'paid', total_fen: 36_800 });

    // 我的优惠券, 已使用.
    await page.goto(`${shopHome(site)}#/pages/coupon/mine`);
    await visible(page, 'coupon-tab-used').click();
    await page
      .locator(`[data-testid="my-coupon"][data-coupon-id="${coupon.id}"][data-state="used"]:visible`)
      .locator('[data-testid="coupon-stamp"]')
      .filter({ hasText: '已使用' })
      .waitFor();
    await context.close();
  });

  it('a total that changed since it was shown places nothing: the shop says the new total, shows it, and the next submit places the order', async () => {
    const { site, tenantId, merchant } = demo;
    const headset = await demoProduct(demo, '头戴式游戏耳机');
    const sku = await site.platform.knex('skus').where({ tenant_id: tenantId, product_id: headset }).first();
    const promotion = await fullReductionByApi(demo, {
      scope: 'products',
      scopeIds: [headset],
      tiers: [{ threshold: 20_000, amountOffFen: 2_000 }],
    });
    const { context, page } = await phone(demo);
    const shopperId = await signInByPhone(demo, page, '13600000042');
    await addressByApi(demo, await shopperBearer(demo, shopperId), {
      name: '赵六',
      phone: '13912345671',
      detail: '五四路 300 号',
    });

    await page.goto(`${shopHome(site)}#/pages/checkout/index?items=${sku.id}x1`);
    const total = visible(page, 'checkout-total');
    await total.filter({ hasText: '239.00' }).waitFor();

    // The merchant stops the 满减 while the shopper looks at ¥239.
    await site.api.post(`${M}/promotions/${promotion}/stop`).set(merchant).expect(200);
    await visible(page, 'checkout-submit').click();
    await visible(page, 'checkout-submit-error')
      .filter({ hasText: '订单价格已变化，新的应付金额为 ¥259.00' })
      .waitFor();
    await total.filter({ hasText: '259.00' }).waitFor();
    expect(await site.platform.knex('orders').where({ tenant_id: tenantId, shopper_id: shopperId })).toEqual([]);

    await visible(page, 'checkout-submit').click();
    await visible(page, 'pay-method-sandbox').waitFor();
    const order = await site.platform.knex('orders').where({ tenant_id: tenantId, shopper_id: shopperId }).first();
    expect(order).toMatchObject({ status: 'pending_payment', total_fen: 25_900 });
    await context.close();
  });

  it('shows a 限时折扣 as the 限时价 with the price struck through and its tag, on the card and on the page, per SKU', async () => {
    const { site, tenantId, merchant } = demo;
    const mug = await demoProduct(demo, '北欧陶瓷马克杯'); // ¥39.00 奶白, ¥49.00 雾蓝
    const cups = Number(
      (await site.platform.knex('categories').where({ tenant_id: tenantId, name: '杯具' }).first()).id,
    );
    const now = site.clock.now().getTime();
    const { id } = (
      await site.api
        .post(`${M}/promotions`)
        .set(merchant)
        .send({
          kind: 'timed_discount',
          timedDiscount: {
            name: '马克杯八折',
            startsAt: new Date(now - 3_600_000).toISOString(),
            endsAt: new Date(now + 86_400_000).toISOString(),
            tag: '',
            items: [{ productId: mug, discountPercent: 20 }],
          },
        })
        .expect(201)
    ).body as { id: number };
    demo.started.promotions.push(id);
    const { context, page } = await phone(demo);

    await page.goto(`${shopHome(site)}#/pages/product/list?categoryId=${cups}`);
    const card = page.locator(`[data-testid="product-list"] [data-testid="product-card-${mug}"]`);
    await card.locator('[data-testid="card-price"]').filter({ hasText: '¥31.20' }).waitFor();
    await card.locator('[data-testid="card-struck-price"]').filter({ hasText: '¥39.00' }).waitFor();
    await card.locator('[data-testid="card-timed-tag"]').filter({ hasText: '限时折扣' }).waitFor();

    await card.click();
    await visible(page, 'detail-price').filter({ hasText: '¥31.20' }).waitFor();
    await visible(page, 'detail-struck-price').filter({ hasText: '¥39.00' }).waitFor();
    await visible(page, 'detail-timed-tag').filter({ hasText: '限时折扣' }).waitFor();
    await visible(page, 'sku-open').click();
    await page.locator('[data-testid="sku-option"][data-value="雾蓝"]:visible').click();
    await visible(page, 'sku-price').filter({ hasText: '¥39.20' }).waitFor();
    await visible(page, 'sku-struck-price').filter({ hasText: '¥49.00' }).waitFor();
    await context.close();
  });

  it('speaks English on an English phone: the coupon centre’s title and its cards', async () => {
    const template = await couponTemplateByApi(demo, {});
    const { context, page } = await phone(demo, 'en-US');
    await signInByPhone(demo, page, '13600000043');
    await page.goto(`${shopHome(demo.site)}#/pages/coupon/centre`);
    await page.locator('.uni-page-head__title').filter({ hasText: 'Coupon centre' }).first().waitFor();
    expect(await page.title()).toBe('Coupon centre');
    const card = centreCoupon(page, template.id);
    await card.locator('[data-testid="coupon-rule"]').filter({ hasText: 'On orders of ¥100.00 or more' }).waitFor();
    await card.locator('[data-testid="coupon-claim"]').filter({ hasText: 'Claim' }).waitFor();
    await visible(page, 'coupon-centre-mine').filter({ hasText: 'My coupons' }).waitFor();
    await context.close();
  });
});
