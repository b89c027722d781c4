import { AccessTokens } from '../../../src/kernel/auth/tokens';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  shopperLogin,
} from '../../helpers/fixtures';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.close());

describe('platform staff sign-in', () => {
  it('signs in, reads me, and gets the role permissions', async () => {
    const admin = await createPlatformUser(t, 'admin');
    const tokens = await platformLogin(t, admin);
    expect(tokens.tokenType).toBe('Bearer');
    const me = await t.api.get('/platform-api/v1/me').set(bearer(tokens.accessToken)).expect(200);
    expect(me.body).toMatchObject({ email: admin.email, role: 'admin' });
    expect(me.body.permissions).toContain('platform:queue:manage');
  });

  it('answers a wrong password and an unknown account the same way', async () => {
    const admin = await createPlatformUser(t, 'admin');
    const wrong = await t.api
      .post('/platform-api/v1/auth/login')
      .send({ ...admin, password: 'nope-nope-nope' })
      .expect(401);
    const unknown = await t.api
      .post('/platform-api/v1/auth/login')
      .send({ email: 'ghost@shopfleet.test', password: 'nope-nope-nope' })
      .expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('blocks an account after five failures, even for the right password, with Retry-After', async () => {
    const reviewer = await createPlatformUser(t, 'reviewer');
    for (let i = 0; i < 5; i++) {
      await t.api
        .post('/platform-api/v1/auth/login')
        .send({ ...reviewer, password: `wrong-${i}-password` })
        .expect(401);
    }
    const blocked = await t.api.post('/platform-api/v1/auth/login').send(reviewer).expect(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a reviewer lacks admin permissions', async () => {
    const reviewer = await createPlatformUser(t, 'reviewer');
    const tokens = await platformLogin(t, reviewer);
    await t.api.get('/platform-api/v1/tenants').set(bearer(tokens.accessToken)).expect(200);
    const res = await t.api.get('/platform-api/v1/audit-log').set(bearer(tokens.accessToken)).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('refresh tokens', () => {
  it('rotate: the new pair works and the old refresh token is dead', async () => {
    const shop = await createShop(t);
    const first = await merchantLogin(t, shop.owner);
    const second = (
      await t.api.post('/merchant-api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    ).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await t.api.get('/merchant-api/v1/me').set(bearer(second.accessToken)).expect(200);
  });

  it('reusing a rotated refresh token revokes the whole session, access tokens included', async () => {
    const shop = await createShop(t);
    const first = await merchantLogin(t, shop.owner);
    const second = (
      await t.api.post('/merchant-api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    ).body;
    const replay = await t.api
      .post('/merchant-api/v1/auth/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(401);
    expect(replay.body.error.code).toBe('TOKEN_INVALID');
    await t.api.post('/merchant-api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    await t.api.get('/merchant-api/v1/me').set(bearer(second.accessToken)).expect(401);
  });

  it('logout revokes the refresh token and cuts the access token at once', async () => {
    const shop = await createShop(t);
    const tokens = await merchantLogin(t, shop.owner);
    await t.api
      .post('/merchant-api/v1/auth/logout')
      .send({ refreshToken: tokens.refreshToken })
      .expect(200, { ok: true });
    const me = await t.api.get('/merchant-api/v1/me').set(bearer(tokens.accessToken)).expect(401);
    expect(me.body.error.code).toBe('TOKEN_INVALID');
    await t.api.post('/merchant-api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('a refresh token of one audience is refused by another', async () => {
    const shop = await createShop(t);
    const tokens = await merchantLogin(t, shop.owner);
    await t.api.post('/platform-api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    await t.api
      .post(`/shop-api/v1/shops/${shop.slug}/auth/refresh`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(401);
  });
});

describe('access tokens', () => {
  it('an expired token is a 401 TOKEN_EXPIRED', async () => {
    const shop = await createShop(t);
    const tokens = new AccessTokens(t.config.AUTH_SECRET, t.config.ACCESS_TOKEN_TTL_SECONDS);
    const longAgo = new Date(Date.now() - 2 * 3600_000);
    const { token } = await tokens.sign({ aud: 'merchant', sub: 1, tid: shop.id, sid: 'x', role: 'owner' }, longAgo);
    const res = await t.api.get('/merchant-api/v1/me').set(bearer(token)).expect(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('a tampered token is a 401 TOKEN_INVALID', async () => {
    const shop = await createShop(t);
    const tokens = await merchantLogin(t, shop.owner);
    const [h, p, s] = tokens.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: claims.tid + 1 })).toString('base64url');
    const res = await t.api
      .get('/merchant-api/v1/me')
      .set(bearer(`${h}.${forged}.${s}`))
      .expect(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });

  it('a token signed with another secret is refused', async () => {
    const other = new AccessTokens('another-secret-another-secret-another-secret', 900);
    const { token } = await other.sign({ aud: 'platform', sub: 1, tid: null, sid: 'x', role: 'admin' });
    await t.api.get('/platform-api/v1/me').set(bearer(token)).expect(401);
  });

  it("each audience's token works only on its own API", async () => {
    const shop = await createShop(t);
    const merchant = await merchantLogin(t, shop.owner);
    const shopper = await shopperLogin(t, shop.slug);
    const admin = await platformLogin(t, await createPlatformUser(t, 'admin'));
    await t.api.get('/platform-api/v1/me').set(bearer(merchant.accessToken)).expect(401);
    await t.api.get('/merchant-api/v1/me').set(bearer(shopper.accessToken)).expect(401);
    await t.api.get('/merchant-api/v1/me').set(bearer(admin.accessToken)).expect(401);
    await t.api.get(`/shop-api/v1/shops/${shop.slug}/me`).set(bearer(merchant.accessToken)).expect(401);
  });

  it('no token is a 401 UNAUTHENTICATED', async () => {
    const res = await t.api.get('/platform-api/v1/tenants').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('merchant sign-in', () => {
  it('a person in two shops must name the shop, and gets the role of that shop', async () => {
    const a = await createShop(t);
    const b = await createShop(t);
    await t.platform.services.identity.addMerchantUser(
      { requestId: 'test', tenantId: null, actor: { type: 'system', job: 'test' }, log: t.platform.log },
      b.id,
      { email: a.owner.email, name: 'Owner', password: 'unused-password', role: 'staff' },
    );
    const ambiguous = await t.api.post('/merchant-api/v1/auth/login').send(a.owner).expect(409);
    expect(ambiguous.body.error.details.shops.map((s: { slug: string }) => s.slug).sort()).toEqual(
      [a.slug, b.slug].sort(),
    );
    const inB = (
      await t.api
        .post('/merchant-api/v1/auth/login')
        .send({ ...a.owner, shop: b.slug })
        .expect(200)
    ).body;
    const me = await t.api.get('/merchant-api/v1/me').set(bearer(inB.accessToken)).expect(200);
    expect(me.body.tenant.slug).toBe(b.slug);
    expect(me.body.role).toBe('staff');
    const strange = await createShop(t);
    await t.api
      .post('/merchant-api/v1/auth/login')
      .send({ ...a.owner, shop: strange.slug })
      .expect(401);
  });
});
