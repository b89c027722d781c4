import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, merchantLogin } from '../../helpers/fixtures';
import { signUp } from '../../helpers/onboarding';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.close());

const form = (over: Record<string, unknown> = {}) => ({
  shopName: '新店',
  slug: `s-${uid()}`,
  subjectType: 'enterprise',
  categoryCode: 'apparel',
  contactName: '李四',
  contactPhone: '13600000000',
  smsCode: '000000',
  email: `x-${uid()}@example.com`,
  password: 'long-enough-password',
  ...over,
});

describe('slug availability, checked live', () => {
  it('says free, taken, reserved or invalid', async () => {
    const shop = await signUp(t);
    const ask = async (slug: string) =>
      (await t.api.get(`/merchant-api/v1/auth/slug-availability?slug=${encodeURIComponent(slug)}`).expect(200)).body;
    expect(await ask(`free-${uid()}`)).toMatchObject({ available: true });
    expect(await ask(shop.slug)).toMatchObject({ available: false, reason: 'taken' });
    expect(await ask('admin')).toMatchObject({ available: false, reason: 'reserved' });
    expect(await ask('Bad Slug!')).toMatchObject({ available: false, reason: 'invalid' });
    expect(await ask('-x-')).toMatchObject({ available: false, reason: 'invalid' });
  });
});

describe('sign-up', () => {
  it('refuses a taken slug (409), a slug with illegal characters (400) and an unknown category, creating nothing', async () => {
    const shop = await signUp(t);
    const tenantsBefore = Number((await t.platform.knex('tenants').count({ n: '*' }))[0]!.n);
    const taken = await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ slug: shop.slug }))
      .expect(409);
    expect(taken.body.error).toMatchObject({ code: 'CONFLICT', details: { field: 'slug', reason: 'taken' } });
    const illegal = await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ slug: '店铺!' }))
      .expect(400);
    expect(illegal.body.error.details.issues[0].path).toBe('body.slug');
    await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ slug: 'shopfleet' }))
      .expect(409);
    await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ categoryCode: 'weapons' }))
      .expect(400);
    await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ subjectType: 'government' }))
      .expect(400);
    await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ password: 'short' }))
      .expect(400);
    expect(Number((await t.platform.knex('tenants').count({ n: '*' }))[0]!.n)).toBe(tenantsBefore);
  });

  it('needs the code sent to the contact phone', async () => {
    const res = await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ contactPhone: '13700000001', smsCode: '123456' }))
      .expect(401);
    expect(res.body.error.code).toBe('OTP_INVALID');
  });

  it('refuses an email that already has an account, and keeps the code unspent for a retry', async () => {
    const existing = await signUp(t);
    const phone = '13700000002';
    await t.api.post('/merchant-api/v1/auth/signup/sms-code').send({ phone }).expect(200);
    const res = await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ email: existing.email, contactPhone: phone, smsCode: t.sms.lastCodeFor(phone) }))
      .expect(409);
    expect(res.body.error.details.field).toBe('email');
    const retry = await t.api
      .post('/merchant-api/v1/auth/signup')
      .send(form({ contactPhone: phone, smsCode: t.sms.lastCodeFor(phone) }))
      .expect(201);
    expect(retry.body.accessToken).toEqual(expect.any(String));
  });

  it('the new owner can sign in later with email and password, into a shop pending review', async () => {
    const shop = await signUp(t);
    const tokens = await merchantLogin(t, { email: shop.email, password: shop.password });
    const me = (await t.api.get('/merchant-api/v1/me').set(bearer(tokens.accessToken)).expect(200)).body;
    expect(me).toMatchObject({ role: 'owner', tenant: { slug: shop.slug, status: 'pending_review' } });
    // A shop pending review is not open to shoppers.
    await t.api.post(`/shop-api/v1/shops/${shop.slug}/auth/sms-code`).send({ phone: '13900000000' }).expect(403);
  });
});

describe('staff invitations', () => {
  it('an owner invites by email; the invitee accepts once and signs in with the role', async () => {
    const shop = await signUp(t);
    const inviteeEmail = `new-${uid()}@example.com`;
    const inv = (
      await t.api
        .post('/merchant-api/v1/staff/invitations')
        .set(bearer(shop.token))
        .send({ email: inviteeEmail, role: 'staff' })
        .expect(201)
    ).body;
    expect(inv).toMatchObject({ email: inviteeEmail, role: 'staff', status: 'pending' });
    const mail = t.email.sent.find((m) => m.to === inviteeEmail)!;
    const token = /\/console\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect(inv.acceptUrl).toContain(token);
    const preview = (await t.api.get(`/merchant-api/v1/auth/invitations/${token}`).expect(200)).body;
    expect(preview).toMatchObject({ shopSlug: shop.slug, role: 'staff', email: inviteeEmail, hasAccount: false });
    await t.api
      .post(`/merchant-api/v1/auth/invitations/${token}/accept`)
      .send({ email: `other-${uid()}@example.com`, name: 'X', password: 'staff-password-9' })
      .expect(403);
    const tokens = (
      await t.api
        .post(`/merchant-api/v1/auth/invitations/${token}/accept`)
        .send({ email: inviteeEmail, name: '新店员', password: 'staff-password-9' })
        .expect(200)
    ).body;
    const me = (await t.api.get('/merchant-api/v1/me').set(bearer(tokens.accessToken)).expect(200)).body;
    expect(me).toMatchObject({ role: 'staff', tenant: { slug: shop.slug } });
    await t.api
      .post(`/merchant-api/v1/auth/invitations/${token}/accept`)
      .send({ email: inviteeEmail, name: '新店员', password: 'staff-password-9' })
      .expect(404);
    const list = (await t.api.get('/merchant-api/v1/staff/invitations').set(bearer(shop.token)).expect(200)).body;
    expect(list[0]).toMatchObject({ id: inv.id, status: 'accepted' });
    // Staff cannot invite.
    await t.api
      .post('/merchant-api/v1/staff/invitations')
      .set(bearer(tokens.accessToken))
      .send({ email: 'z@example.com', role: 'owner' })
      .expect(403);
  });

  it('an existing account joins with its password; a revoked invitation is dead; another shop cannot revoke it', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const inv = (
      await t.api
        .post('/merchant-api/v1/staff/invitations')
        .set(bearer(a.token))
        .send({ email: b.email, role: 'owner' })
        .expect(201)
    ).body;
    const token = /\/console\/invite\/([A-Za-z0-9_-]+)/.exec(inv.acceptUrl)![1]!;
    expect((await t.api.get(`/merchant-api/v1/auth/invitations/${token}`).expect(200)).body.hasAccount).toBe(true);
    await t.api
      .post(`/merchant-api/v1/auth/invitations/${token}/accept`)
      .send({ email: b.email, name: 'B', password: 'wrong-password-x' })
      .expect(401);
    await t.api.delete(`/merchant-api/v1/staff/invitations/${inv.id}`).set(bearer(b.token)).expect(404);
    await t.api
      .post(`/merchant-api/v1/auth/invitations/${token}/accept`)
      .send({ email: b.email, name: 'B', password: b.password })
      .expect(200);
    const login = await t.api
      .post('/merchant-api/v1/auth/login')
      .send({ email: b.email, password: b.password })
      .expect(409);
    expect(login.body.error.details.shops.map((s: { slug: string }) => s.slug).sort()).toEqual([a.slug, b.slug].sort());

    const phoneInv = (
      await t.api
        .post('/merchant-api/v1/staff/invitations')
        .set(bearer(a.token))
        .send({ phone: '13912345678', role: 'staff' })
        .expect(201)
    ).body;
    expect(phoneInv.phoneMasked).toBe('139****5678');
    expect(t.sms.notices.some((n) => n.phone === '13912345678' && n.text.includes('/console/invite/'))).toBe(true);
    await t.api.delete(`/merchant-api/v1/staff/invitations/${phoneInv.id}`).set(bearer(a.token)).expect(200);
    const phoneToken = /\/console\/invite\/([A-Za-z0-9_-]+)/.exec(phoneInv.acceptUrl)![1]!;
    await t.api.get(`/merchant-api/v1/auth/invitations/${phoneToken}`).expect(404);
    await t.api.get(`/merchant-api/v1/auth/invitations/99999_${'x'.repeat(43)}`).expect(404);
  });
});

describe('notifications', () => {
  it('are per tenant: another shop cannot mark them read', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const inv = await t.api
      .post('/merchant-api/v1/staff/invitations')
      .set(bearer(a.token))
      .send({ email: `n-${uid()}@example.com`, role: 'staff' })
      .expect(201);
    expect(inv.status).toBe(201);
    await t.platform.services.notifications.notify(
      { requestId: 't', tenantId: a.tenantId, actor: { type: 'system', job: 't' }, log: t.platform.log },
      { kind: 'test', textCode: 'SHOP_ACTIVATED', textParams: {} },
    );
    const listA = (await t.api.get('/merchant-api/v1/notifications').set(bearer(a.token)).expect(200)).body;
    expect(listA.items[0]).toMatchObject({ kind: 'test', readAt: null });
    expect((await t.api.get('/merchant-api/v1/notifications').set(bearer(b.token)).expect(200)).body.items).toEqual([]);
    await t.api.post(`/merchant-api/v1/notifications/${listA.items[0].id}/read`).set(bearer(b.token)).expect(404);
    await t.api.post(`/merchant-api/v1/notifications/${listA.items[0].id}/read`).set(bearer(a.token)).expect(200);
    expect((await t.api.get('/merchant-api/v1/notifications').set(bearer(a.token)).expect(200)).body.unread).toBe(0);
  });
});
