import { pngBytes } from '../helpers/catalog';
import { addressByApi, demoProduct, demoShopApi, demoSuite, shopperBearer } from '../helpers/demo-suite';
import { eventually, field, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
/** The shopper who edits their profile in the browser. */
const SHOPPER_PHONE = '13600000301';
/** The phone another account of the same person signed in with (an earlier h5 visit), with an order. */
const OTHER_PHONE = '13600000302';
const MUG = '北欧陶瓷马克杯';

describe('个人资料 in the h5 shop on a phone', () => {
  it('a shopper sets a nickname and an avatar, binds the phone of their other account by SMS, and finds its order', async () => {
    const { site, tenantId } = demo;

    // The other account: signed in by OTHER_PHONE earlier, with an unpaid order.
    await site.api.post(demoShopApi('/auth/sms-code')).send({ phone: OTHER_PHONE }).expect(200);
    const other = (
      await site.api
        .post(demoShopApi('/auth/phone'))
        .send({ phone: OTHER_PHONE, code: site.sms.lastCodeFor(OTHER_PHONE) })
        .expect(200)
    ).body as { accessToken: string };
    const otherId = Number(
      (await site.platform.knex('shoppers').where({ tenant_id: tenantId, phone: OTHER_PHONE }).first()).id,
    );
    const otherBearer = await shopperBearer(demo, otherId);
    const mug = await demoProduct(demo, MUG);
    const [sku] = (await site.api.get(demoShopApi(`/products/${mug}`)).expect(200)).body.skus as Array<{ id: number }>;
    const addressId = await addressByApi(demo, otherBearer, {
      name: '林一',
      phone: OTHER_PHONE,
      detail: '旧地址 9 号',
    });
    const order = (
      await site.api
        .post(demoShopApi('/orders'))
        .set(otherBearer)
        .set('Idempotency-Key', `profile-${uid()}`)
        .send({ items: [{ skuId: sku!.id, quantity: 1 }], addressId })
        .expect(201)
    ).body as { id: number };

    // The shopper signs in with their usual phone and opens 我的 → 编辑资料.
    const { context, page } = await phone(demo);
    try {
      const shopperId = await signInByPhone(demo, page, SHOPPER_PHONE);
      await visible(page, 'user-profile').click();
      await page.waitForURL(/pages\/user\/profile/);
      await visible(page, 'profile-phone').filter({ hasText: '136****0301' }).waitFor();

      // Nickname: typed, saved.
      await field(page, 'nickname-input').fill('小林');
      await visible(page, 'nickname-save').click();
      await eventually(async () => {
        const row = await site.platform.knex('shoppers').where({ id: shopperId }).first();
        return row.nickname === '小林';
      });

      // Avatar: chosen from the album, uploaded and shown.
      const chooser = page.waitForEvent('filechooser');
      await visible(page, 'avatar-choose').click();
      await (
        await chooser
      ).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: await pngBytes('#3a7bd5', 320, 320) });
      await visible(page, 'avatar').waitFor();
      const avatarUrl = (await site.platform.knex('shoppers').where({ id: shopperId }).first()).avatar_url as string;
      expect(avatarUrl).toMatch(/medium\.jpg$/);

      // Phone: the other account's number, proven by the SMS code; that account is merged into this one.
      // (The minute since the other account's sign-in code has passed.)
      await site.platform.redis.del(`${site.config.REDIS_PREFIX}:rl:otp-phone:shop:${tenantId}:${OTHER_PHONE}`);
      await field(page, 'bind-phone-input').fill(OTHER_PHONE);
      await visible(page, 'bind-send-code').click();
      await eventually(() => site.sms.sent.filter((s) => s.phone === OTHER_PHONE).length === 2);
      await field(page, 'bind-code-input').fill(site.sms.lastCodeFor(OTHER_PHONE));
      await visible(page, 'bind-phone').click();
      await visible(page, 'profile-phone').filter({ hasText: '136****0302' }).waitFor();
      await page.getByText('已合并该手机号的账户').first().waitFor();
      expect(await site.platform.knex('shoppers').where({ id: otherId }).first()).toMatchObject({
        status: 'merged',
        merged_into: shopperId,
      });
      // The other account's session is over.
      await site.api
        .get(demoShopApi('/me'))
        .set({ Authorization: `Bearer ${other.accessToken}` })
        .expect(401);

      // 我的 shows the new phone, the nickname and the avatar; 我的订单 has the other account's order.
      await page.goto(`${shopHome(site)}#/pages/user/index`);
      await visible(page, 'phone-masked').filter({ hasText: '136****0302' }).waitFor();
      await page.getByText('小林').first().waitFor();
      await visible(page, 'user-orders-all').click();
      await page.locator(`[data-testid="order-card"][data-order-id="${order.id}"]:visible`).waitFor();
    } finally {
      await context.close();
    }
  });
});
