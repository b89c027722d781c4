import { systemContext } from '@shopfleet/platform';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  shopperLogin,
  type TestShop,
} from '../../helpers/fixtures';
import { branch, createProduct, productInput } from '../../helpers/catalog';

let t: TestPlatform;
let admin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
});
afterAll(() => t.close());

interface StockedShop extends TestShop {
  owner$: string;
  productId: number;
}

/** A shop in a state, with one product on sale and its owner signed in to the console. */
async function stockedShop(status: 'active' | 'pending_review'): Promise<StockedShop> {
  const shop = await createShop(t, { status });
  const owner$ = (await merchantLogin(t, shop.owner)).accessToken;
  const { leaf } = await branch(t, owner$, `分类${uid()}`);
  const productId = await createProduct(t, owner$, productInput(leaf, { title: `样品${uid()}` }));
  return { ...shop, owner$, productId };
}

/** Every public read of a shop's catalog on the shop API. */
const catalogReads = (s: StockedShop) => [
  `/shop-api/v1/shops/${s.slug}`,
  `/shop-api/v1/shops/${s.slug}/home`,
  `/shop-api/v1/shops/${s.slug}/categories`,
  `/shop-api/v1/shops/${s.slug}/products`,
  `/shop-api/v1/shops/${s.slug}/search?q=${encodeURIComponent('样品')}`,
  `/shop-api/v1/shops/${s.slug}/products/${s.productId}`,
  `/shop-api/v1/shops/${s.slug}/products/${s.productId}/reviews`,
  `/shop-api/v1/shops/${s.slug}/payment-methods?client=h5`,
];

const previewPass = async (owner$: string) =>
  (await t.api.post('/merchant-api/v1/shop/preview-pass').set(bearer(owner$)).expect(201)).body as {
    token: string;
    expiresAt: string;
  };

describe('a shop the platform has not approved', () => {
  it('serves no part of its catalog to the public (SHOP_NOT_OPEN), while an active shop serves all of it', async () => {
    const pending = await stockedShop('pending_review');
    const active = await stockedShop('active');
    for (const path of catalogReads(pending)) {
      const res = await t.api.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'SHOP_NOT_OPEN']);
    }
    for (const path of catalogReads(active)) {
      const res = await t.api.get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    const listed = (await t.api.get(`/shop-api/v1/shops/${active.slug}/products`).expect(200)).body.items;
    expect(listed.map((p: { id: number }) => p.id)).toEqual([active.productId]);
  });

  it('takes no sign-in either, and opens to everyone once approved', async () => {
    const pending = await stockedShop('pending_review');
    const refused = await t.api
      .post(`/shop-api/v1/shops/${pending.slug}/auth/sms-code`)
      .send({ phone: '13900001111' })
      .expect(403);
    expect(refused.body.error.code).toBe('SHOP_NOT_OPEN');

    await t.platform.services.tenants.updateInternal(
      systemContext(t.platform.log, 'test'),
      pending.id,
      { status: 'active' },
      { action: 'tenant.activated' },
    );
    const shop = (await t.api.get(`/shop-api/v1/shops/${pending.slug}`).expect(200)).body;
    expect(shop.status).toBe('active');
    await t.api.get(`/shop-api/v1/shops/${pending.slug}/products/${pending.productId}`).expect(200);
  });

  it("is read by its own merchant with a preview pass, never publicly cached; another shop's pass or a made-up one is refused", async () => {
    const pending = await stockedShop('pending_review');
    const other = await stockedShop('pending_review');
    const pass = await previewPass(pending.owner$);
    expect(new Date(pass.expiresAt).getTime()).toBeGreaterThan(Date.now());

    for (const path of catalogReads(pending)) {
      const res = await t.api.get(path).set('X-Shop-Preview', pass.token);
      expect([path, res.status, res.headers['cache-control']]).toEqual([path, 200, 'private, no-store']);
    }
    const shop = (await t.api.get(`/shop-api/v1/shops/${pending.slug}`).set('X-Shop-Preview', pass.token).expect(200))
      .body;
    expect(shop).toMatchObject({ slug: pending.slug, status: 'pending_review' });
    const listed = (
      await t.api.get(`/shop-api/v1/shops/${pending.slug}/products`).set('X-Shop-Preview', pass.token).expect(200)
    ).body.items;
    expect(listed.map((p: { id: number }) => p.id)).toEqual([pending.productId]);

    // Another merchant's pass does not open this shop, and this one's does not open the other.
    const foreign = await t.api
      .get(`/shop-api/v1/shops/${other.slug}/products`)
      .set('X-Shop-Preview', pass.token)
      .expect(403);
    expect(foreign.body.error.code).toBe('WRONG_SHOP');
    const otherPass = await previewPass(other.owner$);
    expect(
      (await t.api.get(`/shop-api/v1/shops/${pending.slug}`).set('X-Shop-Preview', otherPass.token).expect(403)).body
        .error.code,
    ).toBe('WRONG_SHOP');
    const madeUp = await t.api
      .get(`/shop-api/v1/shops/${pending.slug}`)
      .set('X-Shop-Preview', 'x'.repeat(43))
      .expect(401);
    expect(madeUp.body.error.code).toBe('TOKEN_INVALID');

    // The pass only reads: a sign-in with it is still refused.
    const write = await t.api
      .post(`/shop-api/v1/shops/${pending.slug}/auth/sms-code`)
      .set('X-Shop-Preview', pass.token)
      .send({ phone: '13900002222' })
      .expect(403);
    expect(write.body.error.code).toBe('SHOP_NOT_OPEN');

    // An open shop ignores a pass, and its answers stay publicly cacheable.
    const active = await stockedShop('active');
    const open = await t.api
      .get(`/shop-api/v1/shops/${active.slug}/products`)
      .set('X-Shop-Preview', pass.token)
      .expect(200);
    expect(open.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
  });

  it('a pass needs a signed-in merchant', async () => {
    const res = await t.api.post('/merchant-api/v1/shop/preview-pass').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('a suspended shop', () => {
  it('answers SHOP_SUSPENDED to shoppers, signed in or not, until it is reinstated', async () => {
    const shop = await stockedShop('active');
    const shopper = await shopperLogin(t, shop.slug);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.id}/suspend`)
      .set(bearer(admin))
      .send({ reason: '投诉处理中' })
      .expect(200);

    for (const path of catalogReads(shop)) {
      const res = await t.api.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'SHOP_SUSPENDED']);
    }
    const me = await t.api.get(`/shop-api/v1/shops/${shop.slug}/me`).set(bearer(shopper.accessToken)).expect(403);
    expect(me.body.error.code).toBe('SHOP_SUSPENDED');
    // Its merchant still previews it.
    const pass = await previewPass(shop.owner$);
    await t.api
      .get(`/shop-api/v1/shops/${shop.slug}/products/${shop.productId}`)
      .set('X-Shop-Preview', pass.token)
      .expect(200);

    await t.api
      .post(`/platform-api/v1/tenants/${shop.id}/reinstate`)
      .set(bearer(admin))
      .send({ reason: '已处理' })
      .expect(200);
    await t.api.get(`/shop-api/v1/shops/${shop.slug}/products/${shop.productId}`).expect(200);
    await t.api.get(`/shop-api/v1/shops/${shop.slug}/me`).set(bearer(shopper.accessToken)).expect(200);
  });
});

describe('the h5 page of a shop', () => {
  it('is served for every shop address, with the status the shop API gives the public', async () => {
    const pending = await stockedShop('pending_review');
    const active = await stockedShop('active');
    const open = await t.api.get(`/s/${active.slug}/`).expect(200);
    expect(open.text).toContain('<div id="app">');
    const notOpen = await t.api.get(`/s/${pending.slug}/`).expect(403);
    expect(notOpen.text).toBe(open.text);
    expect((await t.api.get('/s/no-such-shop/').expect(404)).text).toBe(open.text);
    // The assets are the same for every address, so the page can say what is wrong.
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(open.text)![1];
    await t.api
      .get(`/s/no-such-shop/${asset}`)
      .expect(200)
      .expect('Content-Type', /javascript/);
  });
});
