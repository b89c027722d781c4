import sharp from 'sharp';
import { LOGO_MAX_BYTES } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  shopperLogin,
  type TestShop,
} from '../../helpers/fixtures';

let t: TestPlatform;
let a: TestShop;
let b: TestShop;
let ownerA: string;
let ownerB: string;
beforeAll(async () => {
  t = await startTestPlatform();
  a = await createShop(t, { name: '甲店' });
  b = await createShop(t, { name: '乙店' });
  ownerA = (await merchantLogin(t, a.owner)).accessToken;
  ownerB = (await merchantLogin(t, b.owner)).accessToken;
});
afterAll(() => t.close());

const png = (w = 600, h = 400) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#3366ff' } })
    .png()
    .toBuffer();

describe('shop settings', () => {
  it('reads and updates its own shop only, and audits the change', async () => {
    const res = await t.api
      .patch('/merchant-api/v1/shop')
      .set(bearer(ownerA))
      .send({ name: '甲店 · 新', themeColor: '#112233' })
      .expect(200);
    expect(res.body).toMatchObject({ slug: a.slug, name: '甲店 · 新', themeColor: '#112233' });
    const other = await t.api.get('/merchant-api/v1/shop').set(bearer(ownerB)).expect(200);
    expect(other.body).toMatchObject({ slug: b.slug, name: '乙店', themeColor: '#e4393c' });
    const audit = await t.api.get('/merchant-api/v1/audit-log').set(bearer(ownerA)).expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'shop.settings.updated',
      actorType: 'merchant',
      tenantId: a.id,
    });
    const auditB = await t.api.get('/merchant-api/v1/audit-log').set(bearer(ownerB)).expect(200);
    expect(auditB.body.items.every((e: { tenantId: number }) => e.tenantId === b.id)).toBe(true);
  });

  it('the shop API shows a change at once (the cache is invalidated)', async () => {
    await t.api.get(`/shop-api/v1/shops/${a.slug}`).expect(200);
    await t.api.patch('/merchant-api/v1/shop').set(bearer(ownerA)).send({ description: '刚刚更新' }).expect(200);
    const res = await t.api.get(`/shop-api/v1/shops/${a.slug}`).expect(200);
    expect(res.body.description).toBe('刚刚更新');
  });

  it('refuses bad settings, and an empty patch, writing nothing', async () => {
    await t.api.patch('/merchant-api/v1/shop').set(bearer(ownerA)).send({ themeColor: 'red' }).expect(400);
    await t.api.patch('/merchant-api/v1/shop').set(bearer(ownerA)).send({ name: 'x' }).expect(400);
    await t.api.patch('/merchant-api/v1/shop').set(bearer(ownerA)).send({}).expect(400);
    await t.api.patch('/merchant-api/v1/shop').set(bearer(ownerA)).send({ status: 'active' }).expect(400);
    const res = await t.api.get('/merchant-api/v1/shop').set(bearer(ownerA)).expect(200);
    expect(res.body.themeColor).toBe('#112233');
  });

  it('staff can read but not change settings', async () => {
    const staff = (await merchantLogin(t, a.staff)).accessToken;
    await t.api.get('/merchant-api/v1/shop').set(bearer(staff)).expect(200);
    const res = await t.api
      .patch('/merchant-api/v1/shop')
      .set(bearer(staff))
      .send({ name: 'Staff was here' })
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    await t.api.get('/merchant-api/v1/staff').set(bearer(staff)).expect(403);
  });
});

describe('logo upload', () => {
  it('stores a resized PNG in public storage, served by its URL', async () => {
    const res = await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerA))
      .attach('file', await png(), { filename: 'logo.png', contentType: 'image/png' })
      .expect(200);
    expect(res.body.logoUrl).toMatch(new RegExp(`/tenants/${a.id}/logo/[0-9a-f]{16}\\.png$`));
    const fetched = await fetch(res.body.logoUrl);
    expect(fetched.status).toBe(200);
    const meta = await sharp(Buffer.from(await fetched.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 256, height: 256 });
    const shop = await t.api.get(`/shop-api/v1/shops/${a.slug}`).expect(200);
    expect(shop.body.logoUrl).toBe(res.body.logoUrl);
  });

  it('judges the type by the bytes: an executable named .png and HTML posing as an image are refused', async () => {
    const before = (await t.api.get('/merchant-api/v1/shop').set(bearer(ownerB)).expect(200)).body.logoUrl;
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(200)]);
    const r1 = await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerB))
      .attach('file', elf, { filename: 'logo.png', contentType: 'image/png' })
      .expect(415);
    expect(r1.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerB))
      .attach('file', html, { filename: 'x.png', contentType: 'image/png' })
      .expect(415);
    const after = (await t.api.get('/merchant-api/v1/shop').set(bearer(ownerB)).expect(200)).body.logoUrl;
    expect(after).toBe(before);
  });

  it('refuses an oversized file, a missing file, an extra file and a JSON body', async () => {
    const big = Buffer.alloc(LOGO_MAX_BYTES + 1, 1);
    const r = await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerB))
      .attach('file', big, 'big.png')
      .expect(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    await t.api.post('/merchant-api/v1/shop/logo').set(bearer(ownerB)).field('note', 'x').expect(400);
    await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerB))
      .attach('other', await png(), 'a.png')
      .expect(400);
    await t.api.post('/merchant-api/v1/shop/logo').set(bearer(ownerB)).send({ file: 'x' }).expect(415);
  });
});

describe('tenant isolation', () => {
  it("a merchant never sees another tenant's shoppers, staff or audit log", async () => {
    const shopperOfB = await shopperLogin(t, b.slug);
    const meOfB = await t.api.get(`/shop-api/v1/shops/${b.slug}/me`).set(bearer(shopperOfB.accessToken)).expect(200);
    const listA = await t.api.get('/merchant-api/v1/shoppers').set(bearer(ownerA)).expect(200);
    expect(listA.body.items.map((s: { id: number }) => s.id)).not.toContain(meOfB.body.id);
    const res = await t.api.get(`/merchant-api/v1/shoppers/${meOfB.body.id}`).set(bearer(ownerA)).expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', reason: 'SHOPPER_NOT_FOUND' });
    await t.api.get(`/merchant-api/v1/shoppers/${meOfB.body.id}`).set(bearer(ownerB)).expect(200);
    const staffA = await t.api.get('/merchant-api/v1/staff').set(bearer(ownerA)).expect(200);
    expect(staffA.body.items.map((m: { email: string }) => m.email).sort()).toEqual(
      [a.owner.email, a.staff.email].sort(),
    );
  });

  it('platform staff see across tenants through the platform API', async () => {
    const reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
    const list = await t.api.get(`/platform-api/v1/tenants?q=${a.slug}`).set(bearer(reviewer)).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: a.id, slug: a.slug })]);
    const one = await t.api.get(`/platform-api/v1/tenants/${b.id}`).set(bearer(reviewer)).expect(200);
    expect(one.body.slug).toBe(b.slug);
    await t.api.get('/platform-api/v1/tenants/999999999').set(bearer(reviewer)).expect(404);
    await t.api.get('/platform-api/v1/tenants?status=closed').set(bearer(reviewer)).expect(400);
    await t.api.get('/platform-api/v1/tenants').set(bearer(ownerA)).expect(401);
  });
});
