import { systemContext } from '@shopfleet/platform';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, merchantLogin, shopperLogin, type TestShop } from '../../helpers/fixtures';
import { paySandbox, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { templateBody } from '../../helpers/marketing';
import { pngBytes } from '../../helpers/catalog';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.close());

const M = '/merchant-api/v1';
const phone = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`;
const color = () =>
  `#${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;

/** Gives a shop a mini-program with its own AppSecret (the fake WeChat knows it). */
async function giveMiniProgram(shop: TestShop): Promise<string> {
  const appid = `wx${uid()}${uid()}`.slice(0, 18);
  const secret = `secret-${uid()}`;
  await t.platform.services.tenants.updateInternal(systemContext(t.platform.log, 'test'), shop.id, {
    mpAppid: appid,
    mpSecretEnc: t.platform.secretBox.encrypt(secret, `tenant:${shop.id}:mp_secret`),
  });
  t.wechat.registerApp(appid, secret);
  return appid;
}

/** A shop that sells, with a mini-program. */
async function wechatShop(): Promise<SellingShop & { appid: string }> {
  const s = await sellingShop(t);
  return { ...s, appid: await giveMiniProgram(s.shop) };
}

/** A shopper signed in with WeChat (an openid, no phone). */
async function wechatShopper(s: { shop: TestShop; appid: string }, openid = `o_${uid()}`) {
  const res = await t.api
    .post(`/shop-api/v1/shops/${s.shop.slug}/auth/wechat`)
    .send({ code: t.wechat.issueCode(s.appid, { openid, unionid: `u_${uid()}` }) })
    .expect(200);
  const me = await t.api.get(`/shop-api/v1/shops/${s.shop.slug}/me`).set(bearer(res.body.accessToken)).expect(200);
  return {
    token: res.body.accessToken as string,
    refreshToken: res.body.refreshToken as string,
    id: me.body.id,
    openid,
  };
}

/** The minute between two codes to one phone has passed (for a phone that is sent a code again in a test). */
async function minutePassed(slug: string, p: string) {
  const shop = await t.platform.knex('tenants').where({ slug }).first('id');
  await t.platform.redis.del(`${t.config.REDIS_PREFIX}:rl:otp-phone:shop:${shop.id}:${p}`);
}

/** A shopper signed in on h5 by phone. */
async function phoneShopper(slug: string, p = phone()) {
  await minutePassed(slug, p);
  const tokens = await shopperLogin(t, slug, p);
  const me = await t.api.get(`/shop-api/v1/shops/${slug}/me`).set(bearer(tokens.accessToken)).expect(200);
  return { token: tokens.accessToken, refreshToken: tokens.refreshToken, id: me.body.id as number, phone: p };
}

const bindByWechat = (s: { shop: TestShop; appid: string }, token: string, p: string) =>
  t.api
    .post(`/shop-api/v1/shops/${s.shop.slug}/me/phone/wechat`)
    .set(bearer(token))
    .send({ code: t.wechat.issuePhoneCode(s.appid, p) });

async function bindBySms(slug: string, token: string, p: string, status = 200) {
  await minutePassed(slug, p);
  await t.api.post(`/shop-api/v1/shops/${slug}/auth/sms-code`).send({ phone: p }).expect(200);
  return t.api
    .post(`/shop-api/v1/shops/${slug}/me/phone`)
    .set(bearer(token))
    .send({ phone: p, code: t.sms.lastCodeFor(p) })
    .expect(status);
}

async function address(s: SellingShop, token: string, detail: string) {
  return (
    await t.api
      .post(s.url('/addresses'))
      .set(bearer(token))
      .send({
        name: '王五',
        phone: '13700000000',
        regionCode: '350102',
        province: '福建省',
        city: '福州市',
        district: '鼓楼区',
        detail,
      })
      .expect(201)
  ).body as { id: number; isDefault: boolean };
}

describe('the profile', () => {
  it('changes the nickname (trimmed, one line of text) and refuses an empty change', async () => {
    const s = await sellingShop(t);
    const b = await phoneShopper(s.shop.slug);
    const me = await t.api.put(s.url('/me')).set(bearer(b.token)).send({ nickname: '  小林  ' }).expect(200);
    expect(me.body).toMatchObject({ id: b.id, nickname: '小林', phoneMasked: masked(b.phone) });
    expect((await t.api.get(s.url('/me')).set(bearer(b.token)).expect(200)).body.nickname).toBe('小林');
    for (const body of [{}, { nickname: '' }, { nickname: '   ' }, { nickname: 'a\nb' }, { nickname: 'x'.repeat(21) }])
      await t.api.put(s.url('/me')).set(bearer(b.token)).send(body).expect(400);
    await t.api.put(s.url('/me')).send({ nickname: '无名' }).expect(401);
  });

  it('takes an avatar checked from its bytes, and sets it; a file that is not an image is 415', async () => {
    const s = await sellingShop(t);
    const b = await phoneShopper(s.shop.slug);
    const up = await t.api
      .post(s.url('/me/avatar'))
      .set(bearer(b.token))
      .attach('file', await pngBytes(color(), 300, 300), 'a.png')
      .expect(201);
    expect(up.body).toEqual({ id: expect.any(Number), url: expect.stringMatching(/medium\.jpg$/) });
    expect((await t.api.get(s.url('/me')).set(bearer(b.token)).expect(200)).body.avatarUrl).toBe(up.body.url);
    const bad = await t.api
      .post(s.url('/me/avatar'))
      .set(bearer(b.token))
      .attach('file', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.png')
      .expect(415);
    expect(bad.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    // The image uploaded may be set again by its id.
    await t.api.put(s.url('/me')).set(bearer(b.token)).send({ nickname: '阿林' }).expect(200);
    const again = await t.api.put(s.url('/me')).set(bearer(b.token)).send({ avatarImageId: up.body.id }).expect(200);
    expect(again.body).toMatchObject({ nickname: '阿林', avatarUrl: up.body.url });
  });

  it("refuses an avatar image of another shopper, of the shop's catalog, or of another shop", async () => {
    const s = await sellingShop(t);
    const other = await sellingShop(t);
    const me = await phoneShopper(s.shop.slug);
    const neighbour = await phoneShopper(s.shop.slug);
    const stranger = await phoneShopper(other.shop.slug);
    const upload = async (shop: SellingShop, token: string) =>
      (
        await t.api
          .post(shop.url('/me/avatar'))
          .set(bearer(token))
          .attach('file', await pngBytes(color(), 200, 200), 'a.png')
          .expect(201)
      ).body.id as number;
    const theirs = await upload(s, neighbour.token);
    const foreign = await upload(other, stranger.token);
    const catalogImage = (
      await t.api
        .post(`${M}/catalog/images`)
        .set(bearer(s.merchant))
        .attach('file', await pngBytes(color()), 'p.png')
        .expect(201)
    ).body.id as number;
    for (const id of [theirs, foreign, catalogImage, 999_999_999]) {
      const res = await t.api.put(s.url('/me')).set(bearer(me.token)).send({ avatarImageId: id }).expect(404);
      expect(res.body.error.reason).toBe('FILE_NOT_FOUND');
    }
    expect((await t.api.get(s.url('/me')).set(bearer(me.token)).expect(200)).body.avatarUrl).toBeNull();
  });
});

describe('binding a phone', () => {
  it("with WeChat's phone-number button: the phone is asked of WeChat with the mini-program's token", async () => {
    const s = await wechatShop();
    const a = await wechatShopper(s);
    const p = phone();
    const res = await bindByWechat(s, a.token, p).expect(200);
    expect(res.body).toEqual({
      me: { id: a.id, nickname: null, avatarUrl: null, phoneMasked: masked(p), hasWechat: true },
      merged: false,
    });
    const call = t.wechat.calls.filter((c) => c.path === '/wxa/business/getuserphonenumber').at(-1)!;
    expect(call.body).toMatchObject({ code: expect.any(String) });
    expect(call.query.access_token).toMatch(/^app_/);
    // Signing in by that phone on h5 now finds the same shopper.
    expect((await phoneShopper(s.shop.slug, p)).id).toBe(a.id);
    // The token is asked once and cached.
    await bindByWechat(s, a.token, p).expect(200);
    expect(
      t.wechat.calls.filter(
        (c) => c.path === '/cgi-bin/stable_token' && (c.body as { appid?: string })?.appid === s.appid,
      ),
    ).toHaveLength(1);
  });

  it('through the third-party platform: with the authorizer token of a mini-program authorized to it', async () => {
    const s = await sellingShop(t);
    const appid = `wx${uid()}${uid()}`.slice(0, 18);
    const ctx = { ...systemContext(t.platform.log, 'test'), tenantId: s.shop.id };
    await t.platform.services.tenants.updateInternal(ctx, s.shop.id, { mpAppid: appid, mpSecretEnc: null });
    const ticket = `ticket@@@${uid()}`;
    t.wechat.registerComponent(t.config.WECHAT_COMPONENT_APPID!, t.config.WECHAT_COMPONENT_APPSECRET!, ticket);
    await t.platform.componentTokens.saveTicket(ticket);
    const refreshToken = `refresh-${uid()}`;
    t.wechat.registerAuthorizer(appid, refreshToken);
    await t.platform.services.authorizations.save(ctx, {
      authorizerAppid: appid,
      refreshToken,
      funcInfo: [18],
    });
    const a = await wechatShopper({ shop: s.shop, appid });
    const p = phone();
    const res = await bindByWechat({ shop: s.shop, appid }, a.token, p).expect(200);
    expect(res.body.me.phoneMasked).toBe(masked(p));
    const call = t.wechat.calls.filter((c) => c.path === '/wxa/business/getuserphonenumber').at(-1)!;
    expect(call.query.access_token).not.toMatch(/^app_/);
  });

  it('renews a token WeChat no longer takes, once', async () => {
    const s = await wechatShop();
    const a = await wechatShopper(s);
    await bindByWechat(s, a.token, phone()).expect(200);
    t.wechat.expireAppTokens();
    await bindByWechat(s, a.token, phone()).expect(200);
  });

  it('a wrong or used button code is 400 WECHAT_PHONE_CODE_INVALID; a phone outside mainland China is refused', async () => {
    const s = await wechatShop();
    const a = await wechatShopper(s);
    const wrong = await t.api
      .post(s.url('/me/phone/wechat'))
      .set(bearer(a.token))
      .send({ code: 'made-up' })
      .expect(400);
    expect(wrong.body.error).toMatchObject({ reason: 'WECHAT_PHONE_CODE_INVALID', details: { errcode: 40029 } });
    const code = t.wechat.issuePhoneCode(s.appid, phone());
    await t.api.post(s.url('/me/phone/wechat')).set(bearer(a.token)).send({ code }).expect(200);
    await t.api.post(s.url('/me/phone/wechat')).set(bearer(a.token)).send({ code }).expect(400);
    const abroad = await t.api
      .post(s.url('/me/phone/wechat'))
      .set(bearer(a.token))
      .send({ code: t.wechat.issuePhoneCode(s.appid, '91234567', '852') })
      .expect(400);
    expect(abroad.body.error.reason).toBe('WECHAT_PHONE_NOT_MAINLAND');
    // A code of another mini-program is no code here.
    const elsewhere = await wechatShop();
    await t.api
      .post(s.url('/me/phone/wechat'))
      .set(bearer(a.token))
      .send({ code: t.wechat.issuePhoneCode(elsewhere.appid, phone()) })
      .expect(400);
  });

  it('a shop without a mini-program says so', async () => {
    const s = await sellingShop(t);
    const b = await phoneShopper(s.shop.slug);
    const res = await t.api.post(s.url('/me/phone/wechat')).set(bearer(b.token)).send({ code: 'x' }).expect(409);
    expect(res.body.error.reason).toBe('WECHAT_NO_MINIAPP');
  });

  it('by SMS on h5: the sign-in code proves the phone; the old phone is free again', async () => {
    const s = await sellingShop(t);
    const b = await phoneShopper(s.shop.slug);
    const p = phone();
    const res = await bindBySms(s.shop.slug, b.token, p);
    expect(res.body).toMatchObject({ me: { id: b.id, phoneMasked: masked(p), hasWechat: false }, merged: false });
    expect((await phoneShopper(s.shop.slug, p)).id).toBe(b.id);
    expect((await phoneShopper(s.shop.slug, b.phone)).id).not.toBe(b.id);
    // A wrong code binds nothing.
    const q = phone();
    await t.api.post(s.url('/auth/sms-code')).send({ phone: q }).expect(200);
    const code = t.sms.lastCodeFor(q);
    const bad = await t.api
      .post(s.url('/me/phone'))
      .set(bearer(b.token))
      .send({ phone: q, code: code === '000000' ? '111111' : '000000' })
      .expect(401);
    expect(bad.body.error.code).toBe('OTP_INVALID');
    expect((await t.api.get(s.url('/me')).set(bearer(b.token)).expect(200)).body.phoneMasked).toBe(masked(p));
  });

  it('binding the phone one already has changes nothing', async () => {
    const s = await sellingShop(t);
    const b = await phoneShopper(s.shop.slug);
    const res = await bindBySms(s.shop.slug, b.token, b.phone);
    expect(res.body).toMatchObject({ me: { id: b.id, phoneMasked: masked(b.phone) }, merged: false });
  });
});

describe("merging a phone's other shopper", () => {
  it('keeps every order, payment, address, cart line, coupon, review, after-sales case and message; ends their sessions', async () => {
    const s = await wechatShop();
    const x = await product(t, s, 100, 500);
    const y = await product(t, s, 100, 700);
    const tpl = (await t.api.post(`${M}/coupon-templates`).set(bearer(s.merchant)).send(templateBody(t)).expect(201))
      .body;

    // B shops on h5 with phone P.
    const b = await phoneShopper(s.shop.slug);
    await t.api.put(s.url('/me')).set(bearer(b.token)).send({ nickname: '手机用户' }).expect(200);
    const bHome = await address(s, b.token, 'B 的家 1 号');
    const bWork = await address(s, b.token, 'B 的公司 2 号');
    const bBuyer = { token: b.token, addressId: bHome.id };
    const bUnpaid = await placeOrder(t, s, bBuyer, [{ skuId: x.skuId, quantity: 1 }]);
    const bReviewed = await placeOrder(t, s, bBuyer, [{ skuId: y.skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, bReviewed.id);
    await t.api
      .post(`${M}/orders/${bReviewed.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: 'SF', trackingNo: `SF${uid()}`.slice(0, 20) })
      .expect(200);
    await t.api
      .post(s.url(`/orders/${bReviewed.id}/confirm-receipt`))
      .set(bearer(b.token))
      .expect(200);
    await t.api
      .post(s.url(`/orders/${bReviewed.id}/reviews`))
      .set(bearer(b.token))
      .send({ items: [{ skuId: y.skuId, rating: 5, content: '很好' }] })
      .expect(201);
    const bRefunding = await placeOrder(t, s, bBuyer, [{ skuId: x.skuId, quantity: 2 }]);
    await paySandbox(t, s, b.token, bRefunding.id);
    const bCase = (
      await t.api
        .post(s.url('/after-sales'))
        .set(bearer(b.token))
        .send({ orderId: bRefunding.id, skuId: x.skuId, quantity: 1, kind: 'refund_only', reason: 'quality' })
        .expect(201)
    ).body;
    await t.api.post(s.url('/cart/items')).set(bearer(b.token)).send({ skuId: x.skuId, quantity: 2 }).expect(200);
    await t.api.post(s.url('/cart/items')).set(bearer(b.token)).send({ skuId: y.skuId, quantity: 1 }).expect(200);
    const bCoupon = (
      await t.api
        .post(s.url(`/coupon-templates/${tpl.id}/claim`))
        .set(bearer(b.token))
        .expect(201)
    ).body;
    const bMessage = (
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'text', clientMsgId: `c${uid()}${uid()}`, text: '手机上问的' })
        .expect(201)
    ).body;

    // A shops in the mini-program with WeChat.
    const a = await wechatShopper(s);
    const aHome = await address(s, a.token, 'A 的家 3 号');
    const aOrder = await placeOrder(t, s, { token: a.token, addressId: aHome.id }, [{ skuId: y.skuId, quantity: 1 }]);
    await t.api.post(s.url('/cart/items')).set(bearer(a.token)).send({ skuId: x.skuId, quantity: 3 }).expect(200);
    const aCoupon = (
      await t.api
        .post(s.url(`/coupon-templates/${tpl.id}/claim`))
        .set(bearer(a.token))
        .expect(201)
    ).body;
    await t.api
      .post(s.url('/support/messages'))
      .set(bearer(a.token))
      .send({ kind: 'text', clientMsgId: `c${uid()}${uid()}`, text: '小程序里问的' })
      .expect(201);

    // A binds P with WeChat's button: B is merged into A.
    const bound = await bindByWechat(s, a.token, b.phone).expect(200);
    expect(bound.body).toEqual({
      me: { id: a.id, nickname: '手机用户', avatarUrl: null, phoneMasked: masked(b.phone), hasWechat: true },
      merged: true,
    });

    // Every order, with its payment.
    const orders = (await t.api.get(s.url('/orders')).set(bearer(a.token)).query({ pageSize: 50 }).expect(200)).body;
    expect(orders.items.map((o: { id: number }) => o.id).sort()).toEqual(
      [aOrder.id, bUnpaid.id, bReviewed.id, bRefunding.id].sort(),
    );
    expect(orders.total).toBe(4);
    const paid = (
      await t.api
        .get(s.url(`/orders/${bRefunding.id}`))
        .set(bearer(a.token))
        .expect(200)
    ).body;
    expect(paid).toMatchObject({ id: bRefunding.id, status: 'paid' });
    expect((await t.platform.knex('payments').where({ order_id: bRefunding.id, status: 'succeeded' })).length).toBe(1);
    const unpaid = await t.platform.knex('shopper_unpaid_orders').where({ tenant_id: s.shop.id });
    expect(unpaid.filter((r) => Number(r.shopper_id) === b.id)).toEqual([]);
    expect(Number(unpaid.find((r) => Number(r.shopper_id) === a.id)!.unpaid)).toBe(2);
    // A may pay B's unpaid order.
    await paySandbox(t, s, a.token, bUnpaid.id);

    // Addresses: all three, A's default still the default.
    const addresses = (await t.api.get(s.url('/addresses')).set(bearer(a.token)).expect(200)).body;
    expect(addresses.map((x: { id: number }) => x.id).sort()).toEqual([aHome.id, bHome.id, bWork.id].sort());
    expect(addresses.filter((x: { isDefault: boolean }) => x.isDefault).map((x: { id: number }) => x.id)).toEqual([
      aHome.id,
    ]);

    // The cart: the SKU both had is one line with both quantities.
    const cart = (await t.api.get(s.url('/cart')).set(bearer(a.token)).expect(200)).body;
    const qty = Object.fromEntries(cart.lines.map((l: { skuId: number; quantity: number }) => [l.skuId, l.quantity]));
    expect(qty).toEqual({ [x.skuId]: 5, [y.skuId]: 1 });

    // Coupons: both, numbered one after the other.
    const coupons = (await t.api.get(s.url('/coupons')).set(bearer(a.token)).expect(200)).body;
    expect(coupons.items.map((c: { id: number }) => c.id).sort()).toEqual([aCoupon.id, bCoupon.id].sort());
    const seqs = await t.platform.knex('coupons').where({ tenant_id: s.shop.id, template_id: tpl.id }).orderBy('id');
    expect(seqs.map((c) => [Number(c.shopper_id), Number(c.claim_seq)])).toEqual([
      [a.id, 2],
      [a.id, 1],
    ]);

    // The review, the after-sales case.
    expect(
      (await t.platform.knex('reviews').where({ tenant_id: s.shop.id, order_id: bReviewed.id }).first()).shopper_id,
    ).toBe(a.id);
    const cases = (await t.api.get(s.url('/after-sales')).set(bearer(a.token)).expect(200)).body;
    expect(cases.items.map((c: { id: number }) => c.id)).toEqual([bCase.id]);

    // Support: one conversation with both shoppers' messages, none lost.
    const history = (await t.api.get(s.url('/support/messages')).set(bearer(a.token)).expect(200)).body;
    expect(history.items.map((m: { text: string }) => m.text).sort()).toEqual(['小程序里问的', '手机上问的'].sort());
    expect(history.items.map((m: { seq: number }) => m.seq).sort()).toEqual([1, 2]);
    expect(history.items.find((m: { text: string }) => m.text === '手机上问的')).toMatchObject({ seq: 2 });
    expect(bMessage.seq).toBe(1);
    expect(await t.platform.knex('support_conversations').where({ tenant_id: s.shop.id, shopper_id: b.id })).toEqual(
      [],
    );

    // B is a tombstone: its sessions are over, it is not listed, and signing in by P or A's WeChat lands on A.
    await t.api.get(s.url('/me')).set(bearer(b.token)).expect(401);
    await t.api.get(s.url('/orders')).set(bearer(b.token)).expect(401);
    await t.api.post(s.url('/auth/refresh')).send({ refreshToken: b.refreshToken }).expect(401);
    const row = await t.platform.knex('shoppers').where({ id: b.id }).first();
    expect(row).toMatchObject({ status: 'merged', merged_into: a.id, phone: null, openid: null });
    const merchant = (await merchantLogin(t, s.shop.owner)).accessToken;
    const listed = (await t.api.get(`${M}/shoppers`).set(bearer(merchant)).expect(200)).body;
    expect(listed.items.map((x: { id: number }) => x.id)).toContain(a.id);
    expect(listed.items.map((x: { id: number }) => x.id)).not.toContain(b.id);
    await t.api.get(`${M}/shoppers/${b.id}`).set(bearer(merchant)).expect(404);
    expect((await phoneShopper(s.shop.slug, b.phone)).id).toBe(a.id);
    expect((await wechatShopper(s, a.openid)).id).toBe(a.id);
    // The merchant sees B's orders under A.
    const order = (await t.api.get(`${M}/orders/${bReviewed.id}`).set(bearer(merchant)).expect(200)).body;
    expect(order.shopper).toMatchObject({ id: a.id });
  });

  it("秒杀 and 拼团: the other shopper's units count against the survivor's limits, at the gate too; their groups and seats follow", async () => {
    const s = await wechatShop();
    try {
      const b = await phoneShopper(s.shop.slug);
      const bAddress = (await address(s, b.token, 'B 的家 5 号')).id;
      const a = await wechatShopper(s);
      const aAddress = (await address(s, a.token, 'A 的家 6 号')).id;

      // 拼团: B leads a group of three (one per shopper).
      t.clock.set(new Date().toISOString());
      const g = await product(t, s, 100, 10_000);
      const now = t.clock.now().getTime();
      const campaign = (
        await t.api
          .post(`${M}/group-campaigns`)
          .set(bearer(s.merchant))
          .send({
            name: `三人团 ${uid()}`,
            productId: g.productId,
            startsAt: new Date(now - 60_000).toISOString(),
            endsAt: new Date(now + 7 * 86_400_000).toISOString(),
            groupSize: 3,
            durationMinutes: 60,
            perShopperLimit: 1,
            items: [{ skuId: g.skuId, groupPriceFen: 6_000 }],
          })
          .expect(201)
      ).body as { id: number };
      const joinGroup = (token: string, addressId: number, groupId?: number) =>
        t.api
          .post(s.url(`/group-campaigns/${campaign.id}/orders`))
          .set(bearer(token))
          .set('Idempotency-Key', `g-${uid()}`)
          .send({ skuId: g.skuId, quantity: 1, addressId, ...(groupId ? { groupId } : {}) });
      const led = (await joinGroup(b.token, bAddress).expect(201)).body;
      await paySandbox(t, s, b.token, led.id);
      const groupId = led.activity.id as number;

      // 秒杀: B takes the one unit a shopper may buy.
      const f = await product(t, s, 10, 5_000);
      const session = (
        await t.api
          .post(`${M}/flash-sessions`)
          .set(bearer(s.merchant))
          .send({
            name: `秒杀 ${uid()}`,
            startsAt: new Date(now + 60_000).toISOString(),
            endsAt: new Date(now + 3_660_000).toISOString(),
            paymentWindowMinutes: 5,
            items: [{ skuId: f.skuId, flashPriceFen: 100, stock: 5, perShopperLimit: 1 }],
          })
          .expect(201)
      ).body as { id: number; startsAt: string; items: Array<{ id: number }> };
      t.clock.set(session.startsAt);
      const itemId = session.items[0]!.id;
      const flashBuy = async (token: string, addressId: number, status: number) => {
        const pass = (
          await t.api
            .post(s.url(`/flash-sales/${session.id}/pass`))
            .set(bearer(token))
            .expect(200)
        ).body.pass as string;
        return t.api
          .post(s.url(`/flash-items/${itemId}/orders`))
          .set(bearer(token))
          .set('Idempotency-Key', `f-${uid()}`)
          .send({ pass, quantity: 1, addressId })
          .expect(status);
      };
      const flashOrder = (await flashBuy(b.token, bAddress, 201)).body;

      await bindByWechat(s, a.token, b.phone).expect(200);

      // The unit B bought is A's now: at the gate (once the merge committed) and in MySQL.
      const gateBuyers = `${t.config.REDIS_PREFIX}:{fs:${s.shop.id}:${itemId}}:buyers`;
      for (let i = 0; i < 50 && (await t.platform.redis.hget(gateBuyers, String(b.id))) !== null; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await t.platform.redis.hgetall(gateBuyers)).toEqual({ [a.id]: '1' });
      const held = Object.values(await t.platform.redis.hgetall(gateBuyers.replace(/:buyers$/, ':held')));
      expect(held.map((v) => v.split(':')[0])).toEqual([String(a.id)]);
      const refused = await flashBuy(a.token, aAddress, 409);
      expect(refused.body.error).toMatchObject({ reason: 'FLASH_LIMIT_REACHED', params: { limit: 1 } });
      expect(await t.platform.knex('flash_buyers').where({ tenant_id: s.shop.id, item_id: itemId })).toEqual([
        expect.objectContaining({ shopper_id: a.id, units: 1 }),
      ]);
      expect(
        (await t.platform.knex('flash_orders').where({ tenant_id: s.shop.id, order_id: flashOrder.id }).first())
          .shopper_id,
      ).toBe(a.id);

      // The group B leads is A's, with A's seat: A cannot take a second one, nor another group over the limit.
      expect((await t.platform.knex('group_buy_groups').where({ id: groupId }).first()).leader_shopper_id).toBe(a.id);
      const seats = await t.platform.knex('group_buy_members').where({ tenant_id: s.shop.id, group_id: groupId });
      expect(seats.map((m) => [Number(m.shopper_id), m.seat_key])).toEqual([[a.id, `${groupId}:${a.id}`]]);
      expect((await joinGroup(a.token, aAddress, groupId).expect(409)).body.error.reason).toMatch(
        /^GROUP_(ALREADY_JOINED|LIMIT_REACHED)$/,
      );
      expect((await joinGroup(a.token, aAddress).expect(409)).body.error.reason).toBe('GROUP_LIMIT_REACHED');
      expect(
        await t.platform.knex('group_buy_buyers').where({ tenant_id: s.shop.id, campaign_id: campaign.id }),
      ).toEqual([expect.objectContaining({ shopper_id: a.id, units: 1 })]);
    } finally {
      t.clock.set(new Date().toISOString());
    }
  });

  it('an h5 shopper binding the phone of a WeChat shopper takes over the WeChat identity', async () => {
    const s = await wechatShop();
    const w = await wechatShopper(s);
    const p = phone();
    await bindByWechat(s, w.token, p).expect(200);
    // The same person on h5 signs in with another phone, then binds P by SMS.
    const h = await phoneShopper(s.shop.slug);
    const x = await product(t, s, 10);
    await t.api.post(s.url('/cart/items')).set(bearer(w.token)).send({ skuId: x.skuId, quantity: 1 }).expect(200);
    const res = await bindBySms(s.shop.slug, h.token, p);
    expect(res.body).toMatchObject({ me: { id: h.id, phoneMasked: masked(p), hasWechat: true }, merged: true });
    expect((await wechatShopper(s, w.openid)).id).toBe(h.id);
    expect((await t.api.get(s.url('/cart')).set(bearer(h.token)).expect(200)).body.lines).toHaveLength(1);
    await t.api.get(s.url('/me')).set(bearer(w.token)).expect(401);
  });

  it('keeps every point (available, frozen, owed), favourite, sign-in and commission of both, in one member', async () => {
    const s = await wechatShop();
    const merchant = s.merchant;
    const x = await product(t, s, 10, 10_000);
    const w = await wechatShopper(s);
    const h = await phoneShopper(s.shop.slug);
    // H (h5) has points and a favourite and signed in today; W (WeChat) has points, the same favourite and another.
    const give = (id: number, delta: number) =>
      t.api.post(`${M}/members/${id}/points`).set(bearer(merchant)).send({ delta, reason: '测试' }).expect(200);
    await give(h.id, 120);
    await give(w.id, 30);
    const y = await product(t, s, 10);
    for (const [token, productId] of [
      [h.token, x.productId],
      [w.token, x.productId],
      [w.token, y.productId],
    ] as const)
      await t.api
        .put(s.url(`/favourites/${productId}`))
        .set(bearer(token))
        .expect(200);
    await t.api.post(s.url('/member/sign-ins')).set(bearer(h.token)).expect(201);
    // H is also a distributor with money of its own.
    await t.api
      .put(`${M}/distribution/settings`)
      .set(bearer(merchant))
      .send({
        enabled: true,
        applyMode: 'auto',
        bindMode: 'first',
        protectDays: 15,
        level1Bp: 1000,
        level2Bp: 0,
        withdrawMinFen: 100,
      })
      .expect(200);
    await t.api.post(s.url('/distribution/apply')).set(bearer(h.token)).expect(200);
    const before = await t.platform
      .knex('points_ledger')
      .where({ tenant_id: s.shop.id })
      .whereIn('shopper_id', [h.id, w.id]);

    const p = phone();
    await bindBySms(s.shop.slug, h.token, p);
    const res = await bindByWechat(s, w.token, p).expect(200);
    expect(res.body.merged).toBe(true);

    const centre = (await t.api.get(s.url('/member')).set(bearer(w.token)).expect(200)).body;
    expect(centre.points).toEqual({ available: 155, frozen: 0, debt: 0 });
    expect(centre.favourites).toBe(2);
    expect(centre.signIn).toMatchObject({ signedToday: true });
    const after = await t.platform.knex('points_ledger').where({ tenant_id: s.shop.id, shopper_id: w.id });
    expect(after).toHaveLength(before.length);
    expect(await t.platform.knex('members').where({ tenant_id: s.shop.id, shopper_id: h.id })).toEqual([]);
    const mine = (await t.api.get(s.url('/distribution')).set(bearer(w.token)).expect(200)).body;
    expect(mine.me).toMatchObject({ shopperId: w.id, status: 'approved' });
  });

  it('two WeChat users cannot be one: 409 PHONE_TAKEN, and nothing moves', async () => {
    const s = await wechatShop();
    const owner = await wechatShopper(s);
    const p = phone();
    await bindByWechat(s, owner.token, p).expect(200);
    const other = await wechatShopper(s);
    const res = await bindByWechat(s, other.token, p).expect(409);
    expect(res.body.error.reason).toBe('PHONE_TAKEN');
    expect((await t.api.get(s.url('/me')).set(bearer(owner.token)).expect(200)).body.phoneMasked).toBe(masked(p));
    expect((await t.api.get(s.url('/me')).set(bearer(other.token)).expect(200)).body.phoneMasked).toBeNull();
  });

  it('a blocked shopper is not merged', async () => {
    const s = await wechatShop();
    const blocked = await phoneShopper(s.shop.slug);
    await t.platform.knex('shoppers').where({ id: blocked.id }).update({ status: 'blocked' });
    const a = await wechatShopper(s);
    const res = await bindByWechat(s, a.token, blocked.phone).expect(403);
    expect(res.body.error.reason).toBe('SHOPPER_BLOCKED');
    expect((await t.platform.knex('shoppers').where({ id: blocked.id }).first()).status).toBe('blocked');
  });

  it('two binds of one phone at once: one shopper ends with it, the phone holder is merged once', async () => {
    for (let round = 0; round < 4; round++) {
      const s = await wechatShop();
      const held = round % 2 === 0;
      const holder = held ? await phoneShopper(s.shop.slug) : null;
      const p = holder?.phone ?? phone();
      const x = await product(t, s, 10);
      if (holder)
        await t.api
          .post(s.url('/cart/items'))
          .set(bearer(holder.token))
          .send({ skuId: x.skuId, quantity: 2 })
          .expect(200);
      const one = await wechatShopper(s);
      const two = await wechatShopper(s);
      const [r1, r2] = await Promise.all([bindByWechat(s, one.token, p), bindByWechat(s, two.token, p)]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const won = r1.status === 200 ? one : two;
      const lost = won === one ? r2 : r1;
      expect(lost.body.error.reason).toBe('PHONE_TAKEN');
      expect((r1.status === 200 ? r1 : r2).body.merged).toBe(held);
      const withPhone = await t.platform.knex('shoppers').where({ tenant_id: s.shop.id, phone: p });
      expect(withPhone.map((r) => Number(r.id))).toEqual([won.id]);
      if (holder) {
        const tomb = await t.platform.knex('shoppers').where({ id: holder.id }).first();
        expect(tomb).toMatchObject({ status: 'merged', merged_into: won.id });
        const lines = await t.platform.knex('cart_items').where({ tenant_id: s.shop.id, sku_id: x.skuId });
        expect(lines.map((l) => [Number(l.shopper_id), Number(l.quantity)])).toEqual([[won.id, 2]]);
      }
    }
  });

  it('an h5 shopper and a phone holder binding at once: the holder is merged once, into one of them', async () => {
    const s = await sellingShop(t);
    const holder = await phoneShopper(s.shop.slug);
    const x = await product(t, s, 10);
    await t.api.post(s.url('/cart/items')).set(bearer(holder.token)).send({ skuId: x.skuId, quantity: 1 }).expect(200);
    const one = await phoneShopper(s.shop.slug);
    const two = await phoneShopper(s.shop.slug);
    // Both prove the holder's phone with the one code sent to it.
    await minutePassed(s.shop.slug, holder.phone);
    await t.api.post(s.url('/auth/sms-code')).send({ phone: holder.phone }).expect(200);
    const code = t.sms.lastCodeFor(holder.phone);
    const bind = (who: { token: string }) =>
      t.api.post(s.url('/me/phone')).set(bearer(who.token)).send({ phone: holder.phone, code });
    const [r1, r2] = await Promise.all([bind(one), bind(two)]);
    // The code works once: one bind merges the holder; the other is refused and merges nothing.
    expect([r1.status, r2.status].sort()).toEqual([200, 401]);
    const won = r1.status === 200 ? one : two;
    expect((await t.platform.knex('shoppers').where({ id: holder.id }).first()).merged_into).toBe(won.id);
    const lines = await t.platform.knex('cart_items').where({ tenant_id: s.shop.id, sku_id: x.skuId });
    expect(lines.map((l) => Number(l.shopper_id))).toEqual([won.id]);
  });
});

describe('isolation', () => {
  it("a shopper of another shop can neither bind, change nor see anything of this shop's shoppers", async () => {
    const s1 = await wechatShop();
    const s2 = await wechatShop();
    const mine = await phoneShopper(s1.shop.slug);
    const x = await product(t, s1, 10);
    await t.api.post(s1.url('/cart/items')).set(bearer(mine.token)).send({ skuId: x.skuId, quantity: 1 }).expect(200);
    const stranger = await wechatShopper(s2);
    // Through shop 1's paths with a shop-2 token: refused.
    for (const req of [
      t.api.put(s1.url('/me')).send({ nickname: '入侵者' }),
      t.api.post(s1.url('/me/phone/wechat')).send({ code: t.wechat.issuePhoneCode(s1.appid, mine.phone) }),
      t.api.post(s1.url('/me/phone')).send({ phone: mine.phone, code: '123456' }),
    ]) {
      const res = await req.set(bearer(stranger.token)).expect(403);
      expect(res.body.error.code).toBe('WRONG_SHOP');
    }
    await t.api
      .post(s1.url('/me/avatar'))
      .set(bearer(stranger.token))
      .attach('file', await pngBytes(color(), 100, 100), 'a.png')
      .expect(403);
    // In its own shop, binding the same phone merges nothing of shop 1: the phone is free there.
    const res = await bindByWechat(s2, stranger.token, mine.phone).expect(200);
    expect(res.body.merged).toBe(false);
    expect(await t.platform.knex('shoppers').where({ id: mine.id }).first()).toMatchObject({
      status: 'active',
      phone: mine.phone,
      nickname: null,
    });
    expect((await t.api.get(s1.url('/cart')).set(bearer(mine.token)).expect(200)).body.lines).toHaveLength(1);
    // A phone code of shop 1's mini-program is no code in shop 2.
    await t.api
      .post(s2.url('/me/phone/wechat'))
      .set(bearer(stranger.token))
      .send({ code: t.wechat.issuePhoneCode(s1.appid, phone()) })
      .expect(400);
  });

  it('a phone shopper of another shop keeps its orders when the same phone is bound here', async () => {
    const s1 = await sellingShop(t);
    const s2 = await sellingShop(t);
    const p = phone();
    const inS2 = await phoneShopper(s2.shop.slug, p);
    const a2 = await address(s2, inS2.token, '乙店地址 1 号');
    const item = await product(t, s2, 10);
    const order = await placeOrder(t, s2, { token: inS2.token, addressId: a2.id }, [
      { skuId: item.skuId, quantity: 1 },
    ]);
    const inS1 = await phoneShopper(s1.shop.slug);
    const res = await bindBySms(s1.shop.slug, inS1.token, p);
    expect(res.body.merged).toBe(false);
    const theirs = (await t.api.get(s2.url('/orders')).set(bearer(inS2.token)).expect(200)).body;
    expect(theirs.items.map((o: { id: number }) => o.id)).toEqual([order.id]);
    expect((await t.api.get(s1.url('/orders')).set(bearer(inS1.token)).expect(200)).body.total).toBe(0);
  });
});
