import { systemContext } from '@shopfleet/platform';
import { addressByApi, demoProduct, demoShopApi, demoSuite, shopperBearer, type Bearer } from '../helpers/demo-suite';
import { eventually, openProduct, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';

const demo = demoSuite();
const EARPHONES = '无线蓝牙耳机 降噪版';
const CHARGER = '氮化镓快充充电器 65W';
const HEADSET = '头戴式游戏耳机';
const MUG = '北欧陶瓷马克杯';

const anId = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** Other visitors' visits, each viewing these products in turn, sent as the shop sends them. */
async function visits(count: number, productIds: number[]) {
  for (let n = 0; n < count; n++) {
    const session = anId('v');
    await demo.site.api
      .post(demoShopApi('/events'))
      .send({
        device: anId('d'),
        events: productIds.map((productId, i) => ({
          id: anId('e'),
          kind: 'product_view',
          at: new Date(demo.site.clock.now().getTime() - 60_000 + i * 1_000).toISOString(),
          session,
          productId,
        })),
      })
      .expect(200);
  }
}

/** Another shopper pays an order of each product (the payment records its paid lines), through the shop API. */
async function buysEach(shopper: Bearer, addressId: number, skuIds: number[]) {
  for (const skuId of skuIds) {
    const order = await demo.site.api
      .post(demoShopApi('/orders'))
      .set(shopper)
      .set('Idempotency-Key', anId('o'))
      .send({ items: [{ skuId, quantity: 1 }], addressId })
      .expect(201);
    const pay = await demo.site.api
      .post(demoShopApi(`/orders/${order.body.id}/pay`))
      .set(shopper)
      .send({ method: 'sandbox' })
      .expect(200);
    await demo.site.api
      .post(demoShopApi(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(shopper)
      .expect(200);
  }
}

/** A SKU of the product that is in stock. */
const skuOf = async (productId: number) =>
  Number(
    (
      await demo.site.platform
        .knex('skus')
        .where({ tenant_id: demo.tenantId, product_id: productId })
        .where('stock', '>', 0)
        .orderBy('id')
        .first()
    ).id,
  );

/** The product ids a strip or grid shows, in order. */
const shownIn = async (locator: ReturnType<typeof visible>, item: string) =>
  locator
    .locator(`[data-testid^="${item}"]`)
    .evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-product-id') ?? el.getAttribute('data-testid')!.split('-').pop())),
    );

describe('recommendations in the h5 shop on a phone', () => {
  it('看了又看 and 买了又买 on the product page, 猜你喜欢 on the home page after a view, and in the cart without its lines', async () => {
    const { site, tenantId } = demo;
    const earphones = await demoProduct(demo, EARPHONES);
    const charger = await demoProduct(demo, CHARGER);
    const headset = await demoProduct(demo, HEADSET);
    const mug = await demoProduct(demo, MUG);
    // Other visitors viewed the earphones and the charger in the same visits; two other shoppers bought the earphones
    // and the headset. The night's rebuild counts them (what the nightly job runs).
    await visits(4, [earphones, charger]);
    for (let n = 0; n < 2; n++) {
      const other = await signInByApi();
      const addressId = await addressByApi(demo, other, { name: '赵六', phone: '13700000006', detail: '推荐路 6 号' });
      await buysEach(other, addressId, [await skuOf(earphones), await skuOf(headset)]);
    }
    const ctx = { ...systemContext(site.platform.log, 'test'), tenantId };
    expect((await site.platform.services.recommendationBuilds.rebuild(ctx)).outcome).toBe('rebuilt');

    // A shopper signs in on a phone, then opens the earphones: 看了又看 leads with the charger, 买了又买 with the headset.
    const { context, page } = await phone(demo);
    await signInByPhone(demo, page, `136100007${String(Date.now() % 100).padStart(2, '0')}`);
    await openProduct(site, page, earphones);
    const viewed = visible(page, 'viewed-together');
    await viewed.filter({ hasText: '看了又看' }).waitFor();
    await page.locator(`[data-testid="viewed-together-item"][data-product-id="${charger}"]:visible`).waitFor();
    expect((await shownIn(viewed, 'viewed-together-item'))[0]).toBe(charger);
    expect(await shownIn(viewed, 'viewed-together-item')).not.toContain(earphones);
    const bought = visible(page, 'bought-together');
    await bought.filter({ hasText: '买了又买' }).waitFor();
    expect((await shownIn(bought, 'bought-together-item'))[0]).toBe(headset);
    // The strip fits the phone: it scrolls sideways inside the page, the page does not.
    const box = (await viewed.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Home (the app stays open): 猜你喜欢 follows this device's view of the earphones at once (no rebuild): what was
    // viewed and bought with them first.
    await page.goto(`${shopHome(site)}#/pages/index/index`);
    const guess = visible(page, 'block-recommendations');
    await guess.filter({ hasText: '猜你喜欢' }).waitFor();
    await eventually(async () => {
      const first = (await shownIn(guess, 'product-card-')).slice(0, 2);
      return first.includes(charger) && first.includes(headset);
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Tapping a card opens its product.
    await guess.locator(`[data-testid="product-card-${charger}"]`).click();
    await visible(page, 'detail-title').filter({ hasText: CHARGER }).waitFor();

    // The mug goes into the cart (its page opened afresh): the cart's 猜你喜欢 leaves it out.
    await openProduct(site, page, mug);
    await page.reload();
    await page.locator('[data-testid="detail-title"]:visible').filter({ hasText: MUG }).waitFor();
    await visible(page, 'add-to-cart').click();
    await page.locator('[data-testid="sku-option"][data-value="雾蓝"]:visible').click();
    await visible(page, 'sku-confirm').click();
    await visible(page, 'go-cart').click();
    await page.locator('[data-testid="cart-line"]:visible').first().waitFor();
    const cartGuess = visible(page, 'guess-you-like');
    await cartGuess.filter({ hasText: '猜你喜欢' }).waitFor();
    await eventually(async () => (await shownIn(cartGuess, 'product-card-')).length > 0);
    expect(await shownIn(cartGuess, 'product-card-')).not.toContain(mug);
    await context.close();
  });
});

async function signInByApi(): Promise<Bearer> {
  const phoneNumber = `137${String(Date.now() % 1e8).padStart(8, '0')}`;
  await demo.site.api.post(demoShopApi('/auth/sms-code')).send({ phone: phoneNumber }).expect(200);
  const res = await demo.site.api
    .post(demoShopApi('/auth/phone'))
    .send({ phone: phoneNumber, code: demo.site.sms.lastCodeFor(phoneNumber) })
    .expect(200);
  const shopperId = Number(
    (await demo.site.platform.knex('shoppers').where({ tenant_id: demo.tenantId, phone: phoneNumber }).first()).id,
  );
  expect(res.body.accessToken).toEqual(expect.any(String));
  return shopperBearer(demo, shopperId);
}
