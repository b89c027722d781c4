import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, systemContext } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';
import { bearer, merchantLogin } from '../helpers/fixtures';
import { templateBody } from '../helpers/marketing';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
let merchant: { Authorization: string };
/** What the test started, stopped at the end: the demo shop is shared with the other browser tests of this worker. */
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
const S = () => `/shop-api/v1/shops/${DEMO.tenant.slug}`;
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

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Signs in by phone and one-time code; lands on the 我的 tab. Returns the shopper's id. */
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

/** The shopper's own bearer for the shop API, as sign-in would give it. */
async function shopperBearer(shopperId: number): Promise<{ Authorization: string }> {
  const session = await site.platform.services.sessions.start(
    { ...systemContext(site.platform.log, 'test'), tenantId },
    { audience: 'shopper', subjectId: shopperId, tenantId },
  );
  return bearer(session.accessToken);
}

const productNamed = async (title: string) =>
  Number((await site.platform.knex('products').where({ tenant_id: tenantId, title }).first()).id);

describe('the cart prices its selection with the promotions and the best coupon', () => {
  it('shows 已优惠 and 合计 past a 满减 tier with a claimed coupon, with their details; follows quantity and selection; the order shows its discounts', async () => {
    const earphones = await productNamed('无线蓝牙耳机 降噪版'); // 黑 / 标准 ¥199.00
    const headset = await productNamed('头戴式游戏耳机'); // ¥259.00
    const headsetSku = Number(
      (await site.platform.knex('skus').where({ tenant_id: tenantId, product_id: headset }).first()).id,
    );
    const template = (
      await site.api
        .post(`${M}/coupon-templates`)
        .set(merchant)
        .send(templateBody(site, { combinesWith: ['full_reduction'] })) // ¥10 off ¥100, with 满减
        .expect(201)
    ).body as { id: number; name: string };
    started.templates.push(template.id);
    const now = site.clock.now().getTime();
    const promotion = (
      await site.api
        .post(`${M}/promotions`)
        .set(merchant)
        .send({
          kind: 'full_reduction',
          fullReduction: {
            name: '耳机满减',
            startsAt: new Date(now - 3_600_000).toISOString(),
            endsAt: new Date(now + 7 * 86_400_000).toISOString(),
            basis: 'amount',
            scope: 'products',
            scopeIds: [earphones, headset],
            tiers: [
              { threshold: 20_000, amountOffFen: 2_000 },
              { threshold: 40_000, amountOffFen: 5_000 },
            ],
          },
        })
        .expect(201)
    ).body as { id: number };
    started.promotions.push(promotion.id);

    const { context, page } = await phone();
    const shopperId = await signIn(page, '13600000051');
    const shopper = await shopperBearer(shopperId);
    // The shopper has claimed the coupon and has an address; the headset is already in the cart.
    await site.api.post(`${S()}/coupon-templates/${template.id}/claim`).set(shopper).expect(201);
    await site.api
      .post(`${S()}/addresses`)
      .set(shopper)
      .send({
        name: '孙七',
        phone: '13912345672',
        regionCode: '350102',
        province: '福建省',
        city: '福州市',
        district: '鼓楼区',
        detail: '五四路 400 号',
      })
      .expect(201);
    await site.api.post(`${S()}/cart/items`).set(shopper).send({ skuId: headsetSku, quantity: 1 }).expect(200);

    // The earphones join it from their page: ¥458 passes the ¥400 tier (−¥50), and the coupon takes ¥10 off the rest.
    await page.goto(`${shop()}#/pages/product/detail?id=${earphones}`);
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
    await visible(page, 'checkout-submit').click();
    await visible(page, 'pay-method-sandbox').click();
    await visible(page, 'pay-submit').click();
    await page.locator('[data-testid="order-status"][data-status="paid"]:visible').waitFor();
    const order = await site.platform
      .knex('orders')
      .where({ tenant_id: tenantId, shopper_id: shopperId })
      .orderBy('id', 'desc')
      .first();
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
    const line = page.locator('[data-testid="order-line"]:visible').filter({ hasText: '无线蓝牙耳机' });
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
