import sharp from 'sharp';
import type { Share, SharePoster } from '@shopfleet/contracts';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, shopperLogin } from '../../helpers/fixtures';
import { createProduct, productInput, uploadImage } from '../../helpers/catalog';
import { sellingShop, type SellingShop } from '../../helpers/orders';
import { authorizeMiniProgram, deliverTicket } from '../../helpers/releases';

const PER_SHOPPER = 6;
let t: TestPlatform;
beforeAll(async () => {
  // The shop reads its products fresh (no process-local cache), so a new price shows at once.
  t = await startTestPlatform({ SHARE_RATE_PER_SHOPPER: String(PER_SHOPPER), CATALOG_LOCAL_CACHE_MS: '0' });
  await deliverTicket(t);
});
afterAll(async () => {
  await t?.close();
});

type Shop = SellingShop & { appid: string | null };

/** A selling shop; `mini` authorizes its mini-program to the platform (it can then make mini-program codes). */
async function shop(mini = false): Promise<Shop> {
  const s = await sellingShop(t);
  return { ...s, appid: mini ? await authorizeMiniProgram(t, s.merchant) : null };
}

/** A product on sale at `priceFen` with a picture. */
async function productOf(s: Shop, priceFen = 19_900, title = `蓝牙耳机 ${uid()}`) {
  const imageId = await uploadImage(t, s.merchant, '#2266aa');
  const input = productInput(s.leaf, {
    title,
    imageIds: [imageId],
    specs: [],
    skus: [{ specValues: [], priceFen, stock: 50 }],
  });
  return { id: await createProduct(t, s.merchant, input), input };
}

async function shopper(s: Shop, nickname = `小${uid()}`) {
  const login = await shopperLogin(t, s.shop.slug);
  const me = (await t.api.get(s.url('/me')).set(bearer(login.accessToken)).expect(200)).body as { id: number };
  await t.platform.knex('shoppers').where({ id: me.id }).update({ nickname });
  return { token: login.accessToken, id: me.id, nickname };
}

const share = (s: Shop, token: string | null, productId: number) => {
  const req = t.api.post(s.url('/shares')).send({ productId });
  return token ? req.set(bearer(token)) : req;
};
const poster = (s: Shop, token: string | null, productId: number, channel: 'mp-weixin' | 'h5') => {
  const req = t.api.post(s.url('/shares/poster')).send({ productId, channel });
  return token ? req.set(bearer(token)) : req;
};
const wxacodesOf = (appid: string | null) => t.wechat.wxacodes.filter((c) => c.appid === appid);

async function fetchImage(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return sharp(Buffer.from(await res.arrayBuffer())).metadata();
}

describe('a share code', () => {
  it('is one per shopper and product, whatever is asked; its scene, path and link carry it; anyone can resolve it', async () => {
    const s = await shop();
    const p = await productOf(s);
    const [alice, bob] = [await shopper(s, '爱丽丝'), await shopper(s)];
    const first = (await share(s, alice.token, p.id).expect(200)).body as Share;
    expect(first.code).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(first).toEqual({
      code: first.code,
      page: 'product',
      targetId: p.id,
      scene: `c=${first.code}`,
      path: `/pages/product/detail?id=${p.id}&c=${first.code}`,
      link: `${t.config.publicUrl}/s/${s.shop.slug}/#/pages/product/detail?id=${p.id}&c=${first.code}`,
    });
    expect(first.scene.length).toBeLessThanOrEqual(32);
    expect((await share(s, alice.token, p.id).expect(200)).body).toEqual(first);
    const bobs = (await share(s, bob.token, p.id).expect(200)).body as Share;
    expect(bobs.code).not.toBe(first.code);

    const landing = await t.api.get(s.url(`/share-codes/${first.code}`)).expect(200);
    expect(landing.body).toEqual({
      code: first.code,
      page: 'product',
      targetId: p.id,
      sharer: { nickname: '爱丽丝', avatarUrl: null },
    });
    // Codes are compared as written: the same letters in another case are another (unknown) code.
    const swapped = first.code.replace(/[a-zA-Z]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    if (swapped !== first.code) {
      const res = await t.api.get(s.url(`/share-codes/${swapped}`)).expect(404);
      expect(res.body.error.reason).toBe('SHARE_CODE_NOT_FOUND');
    }
    const resolved = await t.platform.services.sharing.resolve(
      { requestId: 't', tenantId: s.shop.id, actor: { type: 'anonymous' }, log: t.platform.log },
      first.code,
    );
    expect(resolved).toEqual({ code: first.code, page: 'product', targetId: p.id, sharerId: alice.id });
  });

  it('concurrent first shares of one product by one shopper make one row and one code', async () => {
    const s = await shop();
    const p = await productOf(s);
    const who = await shopper(s);
    const answers = await Promise.all(Array.from({ length: 20 }, () => share(s, who.token, p.id)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((a) => (a.body as Share).code)).size).toBe(1);
    const rows = await t.platform.knex('share_codes').where({ tenant_id: s.shop.id, target_id: p.id });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].sharer_id)).toBe(who.id);
  });

  it('is refused to anonymous callers (401); a product not on sale has none (404)', async () => {
    const s = await shop();
    const p = await productOf(s);
    expect((await share(s, null, p.id).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    expect((await poster(s, null, p.id, 'h5').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    const who = await shopper(s);
    await t.api
      .put(`/merchant-api/v1/catalog/products/${p.id}`)
      .set(bearer(s.merchant))
      .send({ ...p.input, status: 'off_sale' })
      .expect(200);
    expect((await share(s, who.token, p.id).expect(404)).body.error.reason).toBe('PRODUCT_NOT_FOUND');
    expect((await poster(s, who.token, p.id, 'h5').expect(404)).body.error.reason).toBe('PRODUCT_NOT_FOUND');
    expect((await t.api.get(s.url('/share-codes/Zz9Zz9Zz')).expect(404)).body.error.reason).toBe(
      'SHARE_CODE_NOT_FOUND',
    );
  });
});

describe('the mini-program code', () => {
  it('is made once per code through WeChat (the authorizer token), kept in storage, and reused by every poster of it', async () => {
    const s = await shop(true);
    const p = await productOf(s);
    const who = await shopper(s);
    const first = (await poster(s, who.token, p.id, 'mp-weixin').expect(200)).body as SharePoster;
    expect(wxacodesOf(s.appid)).toEqual([
      { appid: s.appid, scene: `c=${first.share.code}`, page: 'pages/product/detail', envVersion: 'release' },
    ]);
    expect(await fetchImage(first.codeImageUrl)).toMatchObject({ format: 'png', width: 430 });
    expect(await fetchImage(first.posterUrl)).toMatchObject({ format: 'jpeg', width: 750, height: 1334 });
    const again = (await poster(s, who.token, p.id, 'mp-weixin').expect(200)).body as SharePoster;
    expect(again).toEqual(first);
    expect(wxacodesOf(s.appid)).toHaveLength(1);

    // Ten shoppers' first posters at once, each ten times over: one WeChat call per distinct code.
    const others = await Promise.all(Array.from({ length: 10 }, () => shopper(s)));
    const burst = await Promise.all(
      others.flatMap((o) => Array.from({ length: 10 }, () => poster(s, o.token, p.id, 'mp-weixin'))),
    );
    expect(burst.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const codes = new Set(burst.map((r) => (r.body as SharePoster).share.code));
    expect(codes.size).toBe(10);
    const calls = wxacodesOf(s.appid);
    expect(calls).toHaveLength(11);
    expect(new Set(calls.map((c) => c.scene)).size).toBe(11);
    const stored = await t.platform
      .knex('share_images')
      .where({ tenant_id: s.shop.id, kind: 'code', channel: 'mp-weixin' });
    expect(stored).toHaveLength(11);
  });

  it('WeChat’s 45009 is a 503 SHARE_CODE_BUSY with Retry-After, and WeChat is left alone for the minute', async () => {
    const s = await shop(true);
    const p = await productOf(s);
    const [a, b] = [await shopper(s), await shopper(s)];
    t.wechat.failNext('/wxa/getwxacodeunlimit', 45009, 'reach max api minute limit');
    const busy = await poster(s, a.token, p.id, 'mp-weixin').expect(503);
    expect(busy.headers['retry-after']).toBe('60');
    expect(busy.body.error).toMatchObject({
      code: 'BUSY',
      reason: 'SHARE_CODE_BUSY',
      details: { retryAfterSeconds: 60 },
    });
    expect(typeof busy.body.error.requestId).toBe('string');
    const asked = t.wechat.calls.filter((c) => c.path === '/wxa/getwxacodeunlimit').length;
    expect((await poster(s, b.token, p.id, 'mp-weixin').expect(503)).body.error.reason).toBe('SHARE_CODE_BUSY');
    expect(t.wechat.calls.filter((c) => c.path === '/wxa/getwxacodeunlimit').length).toBe(asked);
    // Nothing was stored for the refused code; the h5 poster does not need WeChat.
    expect(
      await t.platform.knex('share_images').where({ tenant_id: s.shop.id, kind: 'code', channel: 'mp-weixin' }),
    ).toEqual([]);
    await poster(s, a.token, p.id, 'h5').expect(200);
  });

  it('an expired authorizer token is renewed once and the code made', async () => {
    const s = await shop(true);
    const p = await productOf(s);
    const who = await shopper(s);
    await poster(s, who.token, p.id, 'h5').expect(200);
    t.wechat.expireAuthorizerTokens();
    await poster(s, who.token, p.id, 'mp-weixin').expect(200);
    expect(wxacodesOf(s.appid)).toHaveLength(1);
  });

  it('a shop whose mini-program is not authorized has none (409 SHARE_MINIAPP_UNAVAILABLE), and still an h5 poster', async () => {
    const s = await shop(false);
    const p = await productOf(s);
    const who = await shopper(s);
    const res = await poster(s, who.token, p.id, 'mp-weixin').expect(409);
    expect(res.body.error.reason).toBe('SHARE_MINIAPP_UNAVAILABLE');
    const h5 = (await poster(s, who.token, p.id, 'h5').expect(200)).body as SharePoster;
    expect(await fetchImage(h5.codeImageUrl)).toMatchObject({ format: 'png', width: 430, height: 430 });
  });
});

describe('the poster', () => {
  it('is drawn once and served again until the price changes; then a new one is drawn', async () => {
    const s = await shop();
    const p = await productOf(s, 19_900);
    const who = await shopper(s);
    const first = (await poster(s, who.token, p.id, 'h5').expect(200)).body as SharePoster;
    expect(first).toMatchObject({ channel: 'h5', width: 750, height: 1334 });
    expect(first.posterUrl).toMatch(/\/tenants\/\d+\/shares\/posters\/[0-9a-f]{64}\.jpg$/);
    expect((await poster(s, who.token, p.id, 'h5').expect(200)).body).toEqual(first);
    const posters = () => t.platform.knex('share_images').where({ tenant_id: s.shop.id, kind: 'poster' });
    expect(await posters()).toHaveLength(1);

    await t.api
      .put(`/merchant-api/v1/catalog/products/${p.id}`)
      .set(bearer(s.merchant))
      .send({ ...p.input, skus: [{ specValues: [], priceFen: 15_900, stock: 50 }] })
      .expect(200);
    const cheaper = (await poster(s, who.token, p.id, 'h5').expect(200)).body as SharePoster;
    expect(cheaper.share).toEqual(first.share);
    expect(cheaper.codeImageUrl).toBe(first.codeImageUrl);
    expect(cheaper.posterUrl).not.toBe(first.posterUrl);
    expect(await posters()).toHaveLength(2);
    // The old poster stays where it was (someone may have it open).
    expect(await fetchImage(first.posterUrl)).toMatchObject({ format: 'jpeg' });
    expect(await fetchImage(cheaper.posterUrl)).toMatchObject({ format: 'jpeg', width: 750 });
  });

  it('new images beyond the shopper’s allowance are a 429 SHARE_TOO_FAST with Retry-After; what is made stays served', async () => {
    const s = await shop();
    const products = await Promise.all(Array.from({ length: PER_SHOPPER + 1 }, () => productOf(s)));
    const who = await shopper(s);
    for (const p of products.slice(0, PER_SHOPPER)) await poster(s, who.token, p.id, 'h5').expect(200);
    const res = await poster(s, who.token, products[PER_SHOPPER]!.id, 'h5').expect(429);
    expect(res.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'SHARE_TOO_FAST' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // A poster already made costs nothing; the share code (no image) is not limited; another shopper has their own.
    await poster(s, who.token, products[0]!.id, 'h5').expect(200);
    await share(s, who.token, products[PER_SHOPPER]!.id).expect(200);
    await poster(s, (await shopper(s)).token, products[PER_SHOPPER]!.id, 'h5').expect(200);
  });
});

describe('another shop', () => {
  it('can neither read nor use a shop’s codes, products or posters', async () => {
    const [a, b] = [await shop(true), await shop(true)];
    const p = await productOf(a);
    const alice = await shopper(a);
    const mine = (await poster(a, alice.token, p.id, 'mp-weixin').expect(200)).body as SharePoster;
    const bob = await shopper(b);
    // B's shopper on A's address: the token is B's (403 WRONG_SHOP); in B, A's product and A's code do not exist.
    expect((await share(a, bob.token, p.id).expect(403)).body.error.code).toBe('WRONG_SHOP');
    expect((await poster(a, bob.token, p.id, 'h5').expect(403)).body.error.code).toBe('WRONG_SHOP');
    expect((await share(b, bob.token, p.id).expect(404)).body.error.reason).toBe('PRODUCT_NOT_FOUND');
    expect((await poster(b, bob.token, p.id, 'mp-weixin').expect(404)).body.error.reason).toBe('PRODUCT_NOT_FOUND');
    expect((await t.api.get(b.url(`/share-codes/${mine.share.code}`)).expect(404)).body.error.reason).toBe(
      'SHARE_CODE_NOT_FOUND',
    );
    expect(wxacodesOf(b.appid)).toEqual([]);
    expect(await t.platform.knex('share_codes').where({ tenant_id: b.shop.id })).toEqual([]);
  });
});

describe("the shop's allowance", () => {
  it('is shared by all its shoppers: past it, anyone’s new image is a 429 SHARE_TOO_FAST; other shops keep theirs', async () => {
    const small = await startTestPlatform({ SHARE_RATE_PER_SHOP: '3' });
    try {
      const s = await sellingShop(small);
      const other = await sellingShop(small);
      const imageOf = async (x: SellingShop) => {
        const input = productInput(x.leaf, {
          title: `杯子 ${uid()}`,
          specs: [],
          skus: [{ specValues: [], priceFen: 3900, stock: 5 }],
        });
        return createProduct(small, x.merchant, input);
      };
      const [p, q] = [await imageOf(s), await imageOf(other)];
      const tokens = await Promise.all(
        Array.from({ length: 4 }, async () => (await shopperLogin(small, s.shop.slug)).accessToken),
      );
      const ask = (x: SellingShop, token: string, productId: number) =>
        small.api.post(x.url('/shares/poster')).set(bearer(token)).send({ productId, channel: 'h5' });
      for (const token of tokens.slice(0, 3)) await ask(s, token, p).expect(200);
      const res = await ask(s, tokens[3]!, p).expect(429);
      expect(res.body.error.reason).toBe('SHARE_TOO_FAST');
      await ask(other, (await shopperLogin(small, other.shop.slug)).accessToken, q).expect(200);
    } finally {
      await small.close();
    }
  });
});

describe('one person’s two shoppers merged', () => {
  it('the merged one’s codes resolve to the survivor; where both shared a product, the survivor keeps its own code', async () => {
    const s = await shop();
    const appid = `wx${uid()}${uid()}`.slice(0, 18);
    const secret = `secret-${uid()}`;
    await t.platform.services.tenants.updateInternal(
      { requestId: 't', tenantId: null, actor: { type: 'system', job: 't' }, log: t.platform.log },
      s.shop.id,
      { mpAppid: appid, mpSecretEnc: t.platform.secretBox.encrypt(secret, `tenant:${s.shop.id}:mp_secret`) },
    );
    t.wechat.registerApp(appid, secret);
    const [p1, p2] = [await productOf(s), await productOf(s)];
    // B on h5 by phone shares both products; A in the mini-program shares the first.
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const bLogin = await shopperLogin(t, s.shop.slug, phone);
    const b = (await t.api.get(s.url('/me')).set(bearer(bLogin.accessToken)).expect(200)).body as { id: number };
    const [b1, b2] = [
      (await share(s, bLogin.accessToken, p1.id).expect(200)).body as Share,
      (await share(s, bLogin.accessToken, p2.id).expect(200)).body as Share,
    ];
    const aLogin = await t.api
      .post(s.url('/auth/wechat'))
      .send({ code: t.wechat.issueCode(appid, { openid: `o_${uid()}` }) })
      .expect(200);
    const aToken = aLogin.body.accessToken as string;
    const a = (await t.api.get(s.url('/me')).set(bearer(aToken)).expect(200)).body as { id: number };
    const a1 = (await share(s, aToken, p1.id).expect(200)).body as Share;

    // A binds B's phone with WeChat's button: B is merged into A.
    const bound = await t.api
      .post(s.url('/me/phone/wechat'))
      .set(bearer(aToken))
      .send({ code: t.wechat.issuePhoneCode(appid, phone) })
      .expect(200);
    expect(bound.body.merged).toBe(true);

    const ctx = { requestId: 't', tenantId: s.shop.id, actor: { type: 'anonymous' as const }, log: t.platform.log };
    for (const code of [a1.code, b1.code, b2.code])
      expect((await t.platform.services.sharing.resolve(ctx, code))?.sharerId).toBe(a.id);
    // A's share of the first product is still its own code; of the second, B's (now A's).
    expect(((await share(s, aToken, p1.id).expect(200)).body as Share).code).toBe(a1.code);
    expect(((await share(s, aToken, p2.id).expect(200)).body as Share).code).toBe(b2.code);
    expect(await t.platform.knex('share_codes').where({ tenant_id: s.shop.id, sharer_id: b.id })).toEqual([]);
  });
});
