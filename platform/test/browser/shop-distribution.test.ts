import type { DistributionSettings } from '@shopfleet/contracts';
import { DEMO, systemContext } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { serverClockToNow, signInToConsole } from '../helpers/console-steps';
import { demoProduct, demoShopApi, demoSuite, shopperBearer } from '../helpers/demo-suite';
import {
  addAddressAtCheckout,
  buyNow,
  eventually,
  field,
  latestOrderOf,
  openProduct,
  phone,
  placeAndPayInSandbox,
  shopHome,
  signInByPhone,
  visible,
} from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
const DAY = 86_400_000;
/** ¥129.00, one SKU; shipping is free from ¥99. */
const CHARGER = '氮化镓快充充电器 65W';
const SETTINGS: DistributionSettings = {
  enabled: true,
  applyMode: 'auto',
  bindMode: 'first',
  protectDays: 15,
  level1Bp: 1000,
  level2Bp: 0,
  withdrawMinFen: 100,
};

describe('分销 in the h5 shop on a phone', () => {
  beforeAll(async () => {
    await demo.site.api.put(`${M}/distribution/settings`).set(demo.merchant).send(SETTINGS).expect(200);
  });
  afterAll(async () => {
    // The demo shop is shared with the other browser tests of this worker: its distribution goes off again.
    serverClockToNow(demo.site);
    await demo.site.api
      .put(`${M}/distribution/settings`)
      .set(demo.merchant)
      .send({ ...SETTINGS, enabled: false })
      .expect(200);
  });

  it('shopper A shares a product, shopper B opens the share, is bound, buys; the commission appears frozen, and after the window it is released and withdrawn', async () => {
    const { site, tenantId } = demo;
    serverClockToNow(site);
    const productId = await demoProduct(demo, CHARGER);

    // A signs in, finds 分销中心 on 我的 and becomes a distributor at once (the shop admits everyone).
    const a = await phone(demo);
    const aId = await signInByPhone(demo, a.page, '13600000411');
    await visible(a.page, 'user-distribution').filter({ hasText: '分销中心' }).click();
    await visible(a.page, 'distribution-apply-card').filter({ hasText: '申请成为分销员' }).waitFor();
    await visible(a.page, 'distribution-apply').click();
    await visible(a.page, 'distribution-balance').waitFor();
    await a.page.locator('[data-testid="distribution-available"][data-fen="0"]:visible').waitFor();
    expect(
      await site.platform.knex('distributors').where({ tenant_id: tenantId, shopper_id: aId }).first(),
    ).toMatchObject({ status: 'approved' });

    // A opens the product and taps 分享: the sheet makes A's share of it.
    await openProduct(site, a.page, productId);
    await visible(a.page, 'detail-title').filter({ hasText: CHARGER }).waitFor();
    await visible(a.page, 'share-open').filter({ hasText: '分享' }).click();
    await visible(a.page, 'share-sheet').filter({ hasText: '分享给好友' }).waitFor();
    await visible(a.page, 'share-copy-link').waitFor();
    let share: { code: string } | undefined;
    await eventually(async () => {
      share = await site.platform
        .knex('share_codes')
        .where({ tenant_id: tenantId, target_id: productId, sharer_id: aId })
        .first();
      return share !== undefined;
    });
    const link = `${shopHome(site)}#/pages/product/detail?id=${productId}&c=${share!.code}`;
    await visible(a.page, 'share-close').click();

    // B opens the shared link, signs in, and is bound to A: the shop sent the code it landed with once B signed in.
    const b = await phone(demo);
    await b.page.goto(link);
    await visible(b.page, 'detail-title').filter({ hasText: CHARGER }).waitFor();
    // From the product page: signing in comes back to it.
    const bPhone = '13600000412';
    await b.page.goto(`${shopHome(site)}#/pages/user/login`);
    await field(b.page, 'phone-input').fill(bPhone);
    await visible(b.page, 'send-code').click();
    await eventually(() => site.sms.sent.some((sms) => sms.phone === bPhone));
    await field(b.page, 'code-input').fill(site.sms.lastCodeFor(bPhone));
    await visible(b.page, 'sign-in').click();
    await visible(b.page, 'detail-title').filter({ hasText: CHARGER }).waitFor();
    const bId = Number((await site.platform.knex('shoppers').where({ tenant_id: tenantId, phone: bPhone }).first()).id);
    await eventually(async () =>
      Boolean(
        await site.platform
          .knex('distribution_bindings')
          .where({ tenant_id: tenantId, shopper_id: bId, distributor_id: aId })
          .first(),
      ),
    );
    const bBearer = await shopperBearer(demo, bId);
    const bCentre = (await site.api.get(demoShopApi('/distribution')).set(bBearer).expect(200)).body;
    expect(bCentre.boundTo).toMatchObject({ shopperId: aId });
    // The code was sent once and forgotten.
    expect(
      await b.page.evaluate((key) => window.localStorage.getItem(key), `shopfleet.shareCode.${DEMO.tenant.slug}`),
    ).toBeNull();
    // B's own 分销中心 says who referred B.
    await b.page.goto(`${shopHome(site)}#/pages/distribution/centre`);
    await visible(b.page, 'distribution-bound-to').filter({ hasText: '推荐' }).waitFor();

    // B buys the product and pays in the sandbox.
    await openProduct(site, b.page, productId);
    await buyNow(b.page, { specValues: [], quantity: 1 });
    await addAddressAtCheckout(b.page, { name: '王五', phone: '13912345679', detail: '五四路 411 号' });
    await visible(b.page, 'checkout-total').filter({ hasText: '129.00' }).waitFor();
    await placeAndPayInSandbox(b.page);
    const order = await latestOrderOf(demo, bId);
    expect(order).toMatchObject({ status: 'paid', total_fen: 12_900 });
    const commissionFen = Math.floor(12_900 / 10);

    // A's 分销中心: the commission is frozen; 佣金明细 lists it as 冻结中.
    await a.page.goto(`${shopHome(site)}#/pages/distribution/centre`);
    await a.page.locator(`[data-testid="distribution-frozen"][data-fen="${commissionFen}"]:visible`).waitFor();
    await visible(a.page, 'distribution-commissions').click();
    await a.page
      .locator(`[data-testid="my-commission"][data-state="frozen"][data-fen="${commissionFen}"]:visible`)
      .filter({ hasText: '冻结中' })
      .filter({ hasText: order.order_no })
      .waitFor();

    // The merchant ships, B confirms receipt; past the after-sales window the release job makes it available.
    await site.api
      .post(`${M}/orders/${order.id}/ship`)
      .set(demo.merchant)
      .send({ carrier: 'SF', trackingNo: `SF${order.id}411` })
      .expect(200);
    await site.api
      .post(demoShopApi(`/orders/${order.id}/confirm-receipt`))
      .set(bBearer)
      .expect(200);
    const realNow = site.clock.now().getTime();
    site.clock.set(new Date(realNow + 16 * DAY).toISOString());
    const swept = await site.platform.services.distributionSweeps.releaseDue(systemContext(site.platform.log, 'test'));
    expect(swept.released).toBeGreaterThanOrEqual(1);
    // Back to now, so the sessions of the pages stay valid.
    serverClockToNow(site);

    // A's centre: ¥12.90 可提现; A withdraws all of it.
    await a.page.goto(`${shopHome(site)}#/pages/distribution/centre`);
    const available = a.page.locator(`[data-testid="distribution-available"][data-fen="${commissionFen}"]:visible`);
    await available.filter({ hasText: yuan(commissionFen) }).waitFor();
    await field(a.page, 'distribution-withdraw-amount').fill((commissionFen / 100).toFixed(2));
    await visible(a.page, 'distribution-withdraw-submit').click();
    await a.page.locator(`[data-testid="distribution-withdrawing"][data-fen="${commissionFen}"]:visible`).waitFor();
    await a.page.locator('[data-testid="distribution-available"][data-fen="0"]:visible').waitFor();
    const withdrawal = await site.platform
      .knex('withdrawals')
      .where({ tenant_id: tenantId, distributor_id: aId })
      .orderBy('id', 'desc')
      .first();
    expect(withdrawal).toMatchObject({ status: 'requested', amount_fen: commissionFen });

    // The merchant pays it by hand in the console.
    const desk = await signInToConsole(demo);
    await desk.goto(`${site.baseUrl}/console/distribution/withdrawals?status=requested`);
    const row = desk.locator(`[data-testid="withdrawals-row-${withdrawal.id}"]`);
    await row.locator('[data-testid="withdrawals-status"][data-status="requested"]').waitFor();
    await row.locator('[data-testid="withdrawals-pay"]').click();
    await desk.locator('[data-testid="pay-method-manual"]').click();
    await desk.locator('[data-testid="pay-confirm"]').click();
    await row.locator('[data-testid="withdrawals-status"][data-status="paid"]').waitFor();

    // A sees it 已提现: in the centre and in 提现记录.
    await a.page.reload();
    await a.page.locator(`[data-testid="distribution-withdrawn"][data-fen="${commissionFen}"]:visible`).waitFor();
    await visible(a.page, 'distribution-withdrawals').click();
    await a.page
      .locator(`[data-testid="my-withdrawal"][data-status="paid"][data-fen="${commissionFen}"]:visible`)
      .filter({ hasText: '已提现' })
      .waitFor();

    await Promise.all([a.context.close(), b.context.close(), desk.context().close()]);
  });
});
