import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { bearer, merchantLogin } from '../helpers/fixtures';
import { templateBody } from '../helpers/marketing';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
let merchant: { Authorization: string };
/** What the tests started, stopped at the end: the demo shop is shared with the other browser tests of this worker. */
const started: { templates: number[]; promotions: number[] } = { templates: [], promotions: [] };

beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
  merchant = bearer(
    (await merchantLogin(site, { email: DEMO.owner.email, password: DEMO.owner.password })).accessToken,
  );
});
afterAll(async () => {
  for (const id of started.promotions) await site?.api.post(`${M}/promotions/${id}/stop`).set(merchant);
  for (const id of started.templates) await site?.api.post(`${M}/coupon-templates/${id}/stop`).set(merchant);
  await browser?.close();
  await site?.close();
});

const M = '/merchant-api/v1';
const shop = () => `${site.baseUrl}/s/${DEMO.tenant.slug}/`;

async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const field = (page: Page, id: string) =>
  page
    .locator(
      `[data-testid="${id}"] input:visible, [data-testid="${id}"] textarea:visible, input[data-testid="${id}"]:visible`,
    )
    .first();
const visible = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

async function phone(locale = 'zh-CN'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Signs in by phone and one-time code, as the checkout test does; lands on the 我的 tab. */
async function signIn(page: Page, number: string): Promise<number> {
  await page.goto(`${shop()}#/pages/user/login`);
  await field(page, 'phone-input').fill(number);
  await visible(page, 'send-code').click();
  await eventually(() => site.sms.sent.some((s) => s.phone === number));
  await field(page, 'code-input').fill(site.sms.lastCodeFor(number));
  await visible(page, 'sign-in').click();
  await visible(page, 'phone-masked').waitFor();
  return Number((await site.platform.knex('shoppers').where({ tenant_id: tenantId, phone: number }).first()).id);
}

const productNamed = async (title: string) =>
  Number((await site.platform.knex('products').where({ tenant_id: tenantId, title }).first()).id);

/** A claim-mode coupon template of the demo shop, through the merchant API. */
async function couponTemplate(over: Record<string, unknown>): Promise<{ id: number; name: string }> {
  const body = (await site.api.post(`${M}/coupon-templates`).set(merchant).send(templateBody(site, over)).expect(201))
    .body as { id: number; name: string };
  started.templates.push(body.id);
  return body;
}

/** A 满减 of the demo shop running from an hour ago for a week, through the merchant API. */
async function fullReduction(body: Record<string, unknown>): Promise<number> {
  const now = site.clock.now().getTime();
  const { id } = (
    await site.api
      .post(`${M}/promotions`)
      .set(merchant)
      .send({
        kind: 'full_reduction',
        fullReduction: {
          name: '店铺满减',
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + 7 * 86_400_000).toISOString(),
          basis: 'amount',
          ...body,
        },
      })
      .expect(201)
  ).body as { id: number };
  started.promotions.push(id);
  return id;
}

describe('coupons and promotions in the h5 shop', () => {
  it('claims a coupon in the coupon centre, sees it unused, buys past the 满减 with it, switches it off and on at checkout, pays, and sees it used', async () => {
    const earphones = await productNamed('无线蓝牙耳机 降噪版');
    const template = await couponTemplate({ combinesWith: ['full_reduction'] }); // ¥10 off ¥100, with 满减
    await fullReduction({
      scope: 'products',
      scopeIds: [earphones],
      tiers: [
        { threshold: 20_000, amountOffFen: 2_000 },
        { threshold: 50_000, amountOffFen: 6_000 },
      ],
    });
    const { context, page } = await phone();
    await signIn(page, '13600000041');

    // 我的 → 领券中心: the coupon's card, claimed in place.
    await visible(page, 'user-coupon-centre').click();
    const card = page.locator(`[data-testid="centre-coupon"][data-template-id="${template.id}"]:visible`);
    await card.locator('[data-testid="coupon-rule"]').filter({ hasText: '满¥100.00可用' }).waitFor();
    await card.locator('[data-testid="coupon-value"]').filter({ hasText: '¥10.00' }).waitFor();
    await card.locator('[data-testid="coupon-validity"]').filter({ hasText: '领取后 7 天内有效' }).waitFor();
    const claim = card.locator('[data-testid="coupon-claim"]');
    await claim.filter({ hasText: '立即领取' }).click();
    await page
      .locator(`[data-testid="centre-coupon"][data-template-id="${template.id}"][data-can-claim="false"]:visible`)
      .waitFor();
    await claim.filter({ hasText: '已领取' }).waitFor();
    const coupon = await site.platform.knex('coupons').where({ tenant_id: tenantId, template_id: template.id }).first();
    expect(coupon).toBeTruthy();

    // 我的优惠券, 未使用.
    await visible(page, 'coupon-centre-mine').click();
    await page.locator('[data-testid="my-coupons"][data-state="unused"]:visible').waitFor();
    await page
      .locator(`[data-testid="my-coupon"][data-coupon-id="${coupon.id}"][data-state="unused"]:visible`)
      .waitFor();

    // The product shows the 满减 it counts towards, and the coupon as claimed.
    await page.goto(`${shop()}#/pages/product/detail?id=${earphones}`);
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
    await visible(page, 'buy-now').click();
    await page.locator('[data-testid="sku-option"][data-value="黑"]:visible').click();
    await page.locator('[data-testid="sku-option"][data-value="标准"]:visible').click();
    await visible(page, 'quantity-plus').click();
    await visible(page, 'quantity-value').filter({ hasText: '2' }).waitFor();
    await visible(page, 'sku-confirm').click();
    await visible(page, 'checkout-address-add').click();
    await field(page, 'address-name').fill('王五');
    await field(page, 'address-phone').fill('13912345670');
    await field(page, 'address-region').fill('350102');
    await page.locator('[data-testid="address-region-text"][data-code="350102"]:visible').waitFor();
    await field(page, 'address-detail').fill('五四路 200 号');
    await visible(page, 'address-save').click();

    const total = visible(page, 'checkout-total');
    const discount = (source: string) =>
      page.locator(`[data-testid="checkout-discount"][data-source="${source}"]:visible`);
    await total.filter({ hasText: '368.00' }).waitFor();
    await visible(page, 'checkout-items-total').filter({ hasText: '398.00' }).waitFor();
    await discount('full_reduction').filter({ hasText: '满减' }).filter({ hasText: '-¥20.00' }).waitFor();
    await discount('coupon').filter({ hasText: '优惠券' }).filter({ hasText: '-¥10.00' }).waitFor();
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
    await visible(page, 'checkout-submit').click();
    await visible(page, 'pay-method-sandbox').click();
    await visible(page, 'pay-submit').click();
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
    const order = await site.platform.knex('orders').where({ tenant_id: tenantId }).orderBy('id', 'desc').first();
    expect(order).toMatchObject({ status: 'paid', total_fen: 36_800 });

    // 我的优惠券, 已使用.
    await page.goto(`${shop()}#/pages/coupon/mine`);
    await visible(page, 'coupon-tab-used').click();
    await page
      .locator(`[data-testid="my-coupon"][data-coupon-id="${coupon.id}"][data-state="used"]:visible`)
      .locator('[data-testid="coupon-stamp"]')
      .filter({ hasText: '已使用' })
      .waitFor();
    await context.close();
  });

  it('a total that changed since it was shown places nothing: the shop says the new total, shows it, and the next submit places the order', async () => {
    const headset = await productNamed('头戴式游戏耳机');
    const sku = await site.platform.knex('skus').where({ tenant_id: tenantId, product_id: headset }).first();
    const promotion = await fullReduction({
      scope: 'products',
      scopeIds: [headset],
      tiers: [{ threshold: 20_000, amountOffFen: 2_000 }],
    });
    const { context, page } = await phone();
    const shopperId = await signIn(page, '13600000042');
    const session = await site.platform.services.sessions.start(
      { requestId: 'test', tenantId, actor: { type: 'system', job: 'test' }, log: site.platform.log },
      { audience: 'shopper', subjectId: shopperId, tenantId },
    );
    await site.api
      .post(`/shop-api/v1/shops/${DEMO.tenant.slug}/addresses`)
      .set(bearer(session.accessToken))
      .send({
        name: '赵六',
        phone: '13912345671',
        regionCode: '350102',
        province: '福建省',
        city: '福州市',
        district: '鼓楼区',
        detail: '五四路 300 号',
      })
      .expect(201);

    await page.goto(`${shop()}#/pages/checkout/index?items=${sku.id}x1`);
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
    const mug = await productNamed('北欧陶瓷马克杯'); // ¥39.00 奶白, ¥49.00 雾蓝
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
    started.promotions.push(id);
    const { context, page } = await phone();

    await page.goto(`${shop()}#/pages/product/list?categoryId=${cups}`);
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
    const template = await couponTemplate({});
    const { context, page } = await phone('en-US');
    await signIn(page, '13600000043');
    await page.goto(`${shop()}#/pages/coupon/centre`);
    await page.locator('.uni-page-head__title').filter({ hasText: 'Coupon centre' }).first().waitFor();
    expect(await page.title()).toBe('Coupon centre');
    const card = page.locator(`[data-testid="centre-coupon"][data-template-id="${template.id}"]:visible`);
    await card.locator('[data-testid="coupon-rule"]').filter({ hasText: 'On orders of ¥100.00 or more' }).waitFor();
    await card.locator('[data-testid="coupon-claim"]').filter({ hasText: 'Claim' }).waitFor();
    await visible(page, 'coupon-centre-mine').filter({ hasText: 'My coupons' }).waitFor();
    await context.close();
  });
});
