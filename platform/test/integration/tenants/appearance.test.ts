import sharp from 'sharp';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { defaultAppearance, type AppearanceBody } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';

let t: TestPlatform;
let a: TestShop;
let b: TestShop;
let ownerA: string;
let ownerB: string;
beforeAll(async () => {
  t = await startTestPlatform();
  a = await createShop(t, { name: '青禾食品' });
  b = await createShop(t, { name: '木棉服饰' });
  ownerA = (await merchantLogin(t, a.owner)).accessToken;
  ownerB = (await merchantLogin(t, b.owner)).accessToken;
});
afterAll(() => t.close());

const path = '/merchant-api/v1/shop/appearance';
const edited = (): AppearanceBody => ({
  ...defaultAppearance({ name: '青禾食品旗舰店', themeColor: '#1677ff' }),
  accentColor: '#fa8c16',
  navigationBar: { backgroundColor: '#1677ff', textStyle: 'white' },
  tabBar: {
    color: '#666666',
    selectedColor: '#1677ff',
    backgroundColor: '#fafafa',
    labels: { home: '商城', category: '分类', cart: '购物袋', user: '我的' },
  },
  home: {
    sections: [
      { type: 'notice', enabled: true },
      { type: 'hot', enabled: true },
      { type: 'banner', enabled: false },
      { type: 'new', enabled: true },
      { type: 'categories', enabled: true },
    ],
    notice: '满99包邮',
  },
  customerService: { enabled: true, phone: '400-800-1234' },
  share: { title: '青禾食品：新鲜到家' },
});

describe('the shop appearance', () => {
  it('starts from defaults, saves an edit, and shows it to shoppers; another shop is untouched', async () => {
    const before = (await t.api.get(path).set(bearer(ownerA)).expect(200)).body;
    expect(before).toMatchObject({
      name: '青禾食品',
      tabBar: { labels: { home: '首页' } },
      logoUrl: null,
      share: { imageUrl: null },
    });

    const saved = (await t.api.put(path).set(bearer(ownerA)).send(edited()).expect(200)).body;
    expect(saved).toMatchObject({
      name: '青禾食品旗舰店',
      navigationBar: { textStyle: 'white' },
      home: { notice: '满99包邮' },
    });
    expect(saved.home.sections.map((s: { type: string }) => s.type)).toEqual([
      'notice',
      'hot',
      'banner',
      'new',
      'categories',
    ]);
    // The shop's name and theme colour follow the appearance; the shop API shows it at once.
    expect((await t.api.get('/merchant-api/v1/shop').set(bearer(ownerA)).expect(200)).body).toMatchObject({
      name: '青禾食品旗舰店',
      themeColor: '#1677ff',
    });
    const shop = (await t.api.get(`/shop-api/v1/shops/${a.slug}`).expect(200)).body;
    expect(shop.appearance).toMatchObject({
      tabBar: { labels: { cart: '购物袋' } },
      customerService: { phone: '400-800-1234' },
    });

    const image = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#88aa33' } })
      .jpeg()
      .toBuffer();
    const withImage = (
      await t.api
        .post(`${path}/share-image`)
        .set(bearer(ownerA))
        .attach('file', image, { filename: 'share.jpg', contentType: 'image/jpeg' })
        .expect(200)
    ).body;
    const stored = await sharp(Buffer.from(await (await fetch(withImage.share.imageUrl)).arrayBuffer())).metadata();
    expect([stored.width, stored.height]).toEqual([500, 400]);

    const other = (await t.api.get(path).set(bearer(ownerB)).expect(200)).body;
    expect(other).toMatchObject({ name: '木棉服饰', navigationBar: { textStyle: 'black' }, share: { imageUrl: null } });
    expect((await t.api.get(`/shop-api/v1/shops/${b.slug}`).expect(200)).body.appearance.home.notice).toBe('');
  });

  it('refuses what WeChat or the template cannot take, and changes nothing', async () => {
    const bad: Array<[string, unknown]> = [
      ['a theme colour that is not a colour', { ...edited(), themeColor: 'red' }],
      ['a name too long for WeChat (16 Chinese characters are 32 wide)', { ...edited(), name: '青'.repeat(16) }],
      ['a name too short', { ...edited(), name: '青' }],
      [
        'a tab label wider than 4 Chinese characters',
        { ...edited(), tabBar: { ...edited().tabBar, labels: { ...edited().tabBar.labels, home: '商城首页页' } } },
      ],
      [
        'a section twice',
        {
          ...edited(),
          home: {
            sections: [
              { type: 'hot', enabled: true },
              { type: 'hot', enabled: false },
            ],
            notice: '',
          },
        },
      ],
      ['an unknown section', { ...edited(), home: { sections: [{ type: 'video', enabled: true }], notice: '' } }],
      ['a share title over 30', { ...edited(), share: { title: 'x'.repeat(31) } }],
      ['a phone that is not one', { ...edited(), customerService: { enabled: true, phone: 'call me' } }],
      ['a missing part', { name: '青禾食品旗舰店' }],
      ['an unknown field', { ...edited(), font: 'Comic Sans' }],
    ];
    const before = (await t.api.get(path).set(bearer(ownerB)).expect(200)).body;
    for (const [what, body] of bad) {
      const res = await t.api
        .put(path)
        .set(bearer(ownerB))
        .send(body as object);
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({
        what,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const notImage = Buffer.from('<html><script>alert(1)</script></html>');
    expect(
      (
        await t.api
          .post(`${path}/share-image`)
          .set(bearer(ownerB))
          .attach('file', notImage, { filename: 'x.png', contentType: 'image/png' })
      ).status,
    ).toBe(415);
    expect(
      (
        await t.api
          .post('/merchant-api/v1/shop/logo')
          .set(bearer(ownerB))
          .attach('file', notImage, { filename: 'logo.png', contentType: 'image/png' })
      ).status,
    ).toBe(415);
    expect((await t.api.get(path).set(bearer(ownerB)).expect(200)).body).toEqual(before);

    // Staff may look, not change.
    const staff = (await merchantLogin(t, b.staff)).accessToken;
    await t.api.get(path).set(bearer(staff)).expect(200);
    await t.api.put(path).set(bearer(staff)).send(edited()).expect(403);
    await t.api.put(path).send(edited()).expect(401);
  });
});

describe('a logo or share image must decode whole', () => {
  it('a truncated PNG is a 415 FILE_TYPE_NOT_ALLOWED, and nothing is stored or changed', async () => {
    const whole = await sharp({
      create: {
        width: 600,
        height: 480,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const stored = async () => {
      const listed = await t.platform.storage.client.send(
        new ListObjectsV2Command({ Bucket: t.config.S3_BUCKET_PUBLIC, Prefix: `tenants/${b.id}/` }),
      );
      return listed.KeyCount ?? 0;
    };
    const audits = async () =>
      Number((await t.platform.knex('audit_log').where({ tenant_id: b.id }).count({ n: '*' }))[0]!.n);
    const [objectsBefore, auditsBefore] = [await stored(), await audits()];
    const appearance = (await t.api.get(path).set(bearer(ownerB)).expect(200)).body;
    const settings = (await t.api.get('/merchant-api/v1/shop').set(bearer(ownerB)).expect(200)).body;
    for (const url of ['/merchant-api/v1/shop/logo', `${path}/share-image`]) {
      const res = await t.api
        .post(url)
        .set(bearer(ownerB))
        .attach('file', truncated, { filename: 'cut.png', contentType: 'image/png' });
      expect({ url, status: res.status }).toEqual({ url, status: 415 });
      expect(res.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', requestId: expect.any(String) });
    }
    expect(await stored()).toBe(objectsBefore);
    expect(await audits()).toBe(auditsBefore);
    expect((await t.api.get(path).set(bearer(ownerB)).expect(200)).body).toEqual(appearance);
    expect((await t.api.get('/merchant-api/v1/shop').set(bearer(ownerB)).expect(200)).body).toEqual(settings);
    // The whole picture is taken.
    await t.api
      .post('/merchant-api/v1/shop/logo')
      .set(bearer(ownerB))
      .attach('file', whole, { filename: 'whole.png', contentType: 'image/png' })
      .expect(200);
  });
});
