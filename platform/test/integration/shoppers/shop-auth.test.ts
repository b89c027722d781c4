import { defaultAppearance } from '@shopfleet/contracts';
import { systemContext } from '@shopfleet/platform';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, shopperLogin, type TestShop } from '../../helpers/fixtures';

let t: TestPlatform;
let a: TestShop;
let b: TestShop;
beforeAll(async () => {
  t = await startTestPlatform();
  a = await createShop(t, { name: '甲店' });
  b = await createShop(t, { name: '乙店' });
});
afterAll(() => t.close());

const phone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** Gives a shop a mini-program appid: with its own secret (direct), or authorized to our third-party platform. */
async function giveMiniProgram(shop: TestShop, mode: 'direct' | 'component'): Promise<string> {
  const appid = `wx${uid()}${uid()}`;
  const secret = `secret-${uid()}`;
  const ctx = systemContext(t.platform.log, 'test');
  await t.platform.services.tenants.updateInternal(ctx, shop.id, {
    mpAppid: appid,
    mpSecretEnc: mode === 'direct' ? t.platform.secretBox.encrypt(secret, `tenant:${shop.id}:mp_secret`) : null,
  });
  if (mode === 'direct') t.wechat.registerApp(appid, secret);
  return appid;
}

describe('public shop profile', () => {
  it('is served by slug, and an unknown slug is 404 SHOP_NOT_FOUND', async () => {
    const res = await t.api.get(`/shop-api/v1/shops/${a.slug}`).expect(200);
    expect(res.body).toEqual({
      slug: a.slug,
      name: '甲店',
      logoUrl: null,
      description: null,
      themeColor: '#e4393c',
      status: 'active',
      // A shop that never edited its appearance gets the defaults, from its name and theme colour.
      appearance: {
        ...defaultAppearance({ name: '甲店', themeColor: '#e4393c' }),
        logoUrl: null,
        share: { title: '甲店', imageUrl: null },
      },
    });
    const missing = await t.api.get('/shop-api/v1/shops/no-such-shop').expect(404);
    expect(missing.body.error.code).toBe('SHOP_NOT_FOUND');
    await t.api.get('/shop-api/v1/shops/Bad_Slug!').expect(400);
  });
});

describe('phone sign-in (h5)', () => {
  it('sends a code, signs in with it, and the code works once', async () => {
    const p = phone();
    const sent = await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: p }).expect(200);
    expect(sent.body).toEqual({ sent: true, retryAfterSeconds: 60 });
    const code = t.sms.lastCodeFor(p);
    const tokens = (await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/phone`).send({ phone: p, code }).expect(200))
      .body;
    const me = await t.api.get(`/shop-api/v1/shops/${a.slug}/me`).set(bearer(tokens.accessToken)).expect(200);
    expect(me.body).toMatchObject({ phoneMasked: `${p.slice(0, 3)}****${p.slice(-4)}`, hasWechat: false });
    const again = await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/phone`).send({ phone: p, code }).expect(401);
    expect(again.body.error.code).toBe('OTP_INVALID');
  });

  it('one phone is two different shoppers in two shops', async () => {
    const p = phone();
    const inA = await shopperLogin(t, a.slug, p);
    const inB = await shopperLogin(t, b.slug, p);
    const meA = (await t.api.get(`/shop-api/v1/shops/${a.slug}/me`).set(bearer(inA.accessToken)).expect(200)).body;
    const meB = (await t.api.get(`/shop-api/v1/shops/${b.slug}/me`).set(bearer(inB.accessToken)).expect(200)).body;
    expect(meA.id).not.toBe(meB.id);
  });

  it('five wrong codes burn the code', async () => {
    const p = phone();
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: p }).expect(200);
    const code = t.sms.lastCodeFor(p);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/phone`).send({ phone: p, code: wrong }).expect(401);
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/phone`).send({ phone: p, code }).expect(401);
  });

  it('a code of one shop does not open another', async () => {
    const p = phone();
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: p }).expect(200);
    await t.api
      .post(`/shop-api/v1/shops/${b.slug}/auth/phone`)
      .send({ phone: p, code: t.sms.lastCodeFor(p) })
      .expect(401);
  });

  it('limits codes to one a minute per phone', async () => {
    const p = phone();
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: p }).expect(200);
    const res = await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: p }).expect(429);
    expect(res.body.error.code).toBe('TOO_MANY_REQUESTS');
  });

  it('refuses bad phones and codes', async () => {
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/sms-code`).send({ phone: '12345' }).expect(400);
    await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/phone`).send({ phone: phone(), code: 'abc' }).expect(400);
  });

  it('a shop that is not open yet takes no sign-ins', async () => {
    const pending = await createShop(t, { status: 'pending_review' });
    const res = await t.api
      .post(`/shop-api/v1/shops/${pending.slug}/auth/sms-code`)
      .send({ phone: phone() })
      .expect(403);
    expect(res.body.error.code).toBe('SHOP_NOT_OPEN');
  });
});

describe('a shopper token belongs to one shop', () => {
  it("is refused by another shop's API, for reads, refresh and logout", async () => {
    const tokens = await shopperLogin(t, a.slug);
    const res = await t.api.get(`/shop-api/v1/shops/${b.slug}/me`).set(bearer(tokens.accessToken)).expect(403);
    expect(res.body.error.code).toBe('WRONG_SHOP');
    await t.api
      .post(`/shop-api/v1/shops/${b.slug}/auth/refresh`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(401);
    await t.api
      .post(`/shop-api/v1/shops/${b.slug}/auth/logout`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(200);
    // The logout through the wrong shop did nothing: the session still works in its own shop.
    const fresh = await t.api
      .post(`/shop-api/v1/shops/${a.slug}/auth/refresh`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(200);
    await t.api.get(`/shop-api/v1/shops/${a.slug}/me`).set(bearer(fresh.body.accessToken)).expect(200);
  });

  it("a merchant token is not a shopper token, even in the merchant's own shop", async () => {
    const merchant = await merchantLogin(t, a.owner);
    await t.api.get(`/shop-api/v1/shops/${a.slug}/me`).set(bearer(merchant.accessToken)).expect(401);
  });
});

describe('WeChat sign-in', () => {
  it('with the mini-program’s own secret (code2session): creates the shopper once and keeps the unionid', async () => {
    const shop = await createShop(t);
    const appid = await giveMiniProgram(shop, 'direct');
    const openid = `o_${uid()}`;
    const first = await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`)
      .send({ code: t.wechat.issueCode(appid, { openid, unionid: `u_${uid()}` }) })
      .expect(200);
    const second = await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`)
      .send({ code: t.wechat.issueCode(appid, { openid }) })
      .expect(200);
    const me1 = (await t.api.get(`/shop-api/v1/shops/${shop.slug}/me`).set(bearer(first.body.accessToken)).expect(200))
      .body;
    const me2 = (await t.api.get(`/shop-api/v1/shops/${shop.slug}/me`).set(bearer(second.body.accessToken)).expect(200))
      .body;
    expect(me1.id).toBe(me2.id);
    expect(me1.hasWechat).toBe(true);
    const row = await t.platform.knex('shoppers').where({ id: me1.id }).first();
    expect(row).toMatchObject({ tenant_id: shop.id, openid });
    expect(row.unionid).toMatch(/^u_/);
    const call = t.wechat.calls.find((c) => c.path === '/sns/jscode2session' && c.query.appid === appid)!;
    expect(call.query).toMatchObject({ grant_type: 'authorization_code' });
  });

  it('through the third-party platform (component jscode2session), with the component token from the stored ticket', async () => {
    const shop = await createShop(t);
    const appid = await giveMiniProgram(shop, 'component');
    const ticket = `ticket@@@${uid()}`;
    t.wechat.registerComponent(t.config.WECHAT_COMPONENT_APPID!, t.config.WECHAT_COMPONENT_APPSECRET!, ticket);
    await t.platform.componentTokens.saveTicket(ticket);
    const openid = `o_${uid()}`;
    await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`)
      .send({ code: t.wechat.issueCode(appid, { openid }) })
      .expect(200);
    await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`)
      .send({ code: t.wechat.issueCode(appid, { openid }) })
      .expect(200);
    const tokenCalls = t.wechat.calls.filter((c) => c.path === '/cgi-bin/component/api_component_token');
    expect(tokenCalls.length).toBe(1);
    expect(
      t.wechat.calls.filter((c) => c.path === '/sns/component/jscode2session' && c.query.appid === appid),
    ).toHaveLength(2);
  });

  it('an invalid or used code is a 401 WECHAT_LOGIN_FAILED', async () => {
    const shop = await createShop(t);
    const appid = await giveMiniProgram(shop, 'direct');
    const code = t.wechat.issueCode(appid, { openid: `o_${uid()}` });
    await t.api.post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`).send({ code }).expect(200);
    const used = await t.api.post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`).send({ code }).expect(401);
    expect(used.body.error).toMatchObject({ code: 'WECHAT_LOGIN_FAILED', details: { errcode: 40163 } });
    const invalid = await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/wechat`)
      .send({ code: 'made-up' })
      .expect(401);
    expect(invalid.body.error.details.errcode).toBe(40029);
  });

  it("a code of one shop's mini-program does not sign in to another shop", async () => {
    const shop1 = await createShop(t);
    const shop2 = await createShop(t);
    const appid1 = await giveMiniProgram(shop1, 'direct');
    await giveMiniProgram(shop2, 'direct');
    await t.api
      .post(`/shop-api/v1/shops/${shop2.slug}/auth/wechat`)
      .send({ code: t.wechat.issueCode(appid1, { openid: 'o_x' }) })
      .expect(401);
  });

  it('a shop without a mini-program says so', async () => {
    const res = await t.api.post(`/shop-api/v1/shops/${a.slug}/auth/wechat`).send({ code: 'whatever' }).expect(409);
    expect(res.body.error.code).toBe('WECHAT_NOT_CONFIGURED');
  });
});
