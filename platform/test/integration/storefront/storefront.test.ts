import sharp from 'sharp';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';
import { category, createProduct, productInput, uploadImage } from '../../helpers/catalog';
import { templateBody } from '../../helpers/marketing';

let t: TestPlatform;

/** A shop with what a page can name: a category, three products on sale, an image, a coupon template, a campaign. */
interface DesignShop extends TestShop {
  token: string;
  staffToken: string;
  categoryId: number;
  products: number[];
  imageId: number;
  couponId: number;
  campaignId: number;
}

async function designShop(): Promise<DesignShop> {
  const shop = await createShop(t);
  const token = (await merchantLogin(t, shop.owner)).accessToken;
  const staffToken = (await merchantLogin(t, shop.staff)).accessToken;
  const categoryId = await category(t, token, `分类${uid()}`);
  const imageId = await uploadImage(t, token);
  const products: number[] = [];
  for (const [title, priceFen] of [
    ['保温杯', 5900],
    ['蓝牙耳机', 19900],
    ['橡木椅', 89900],
  ] as const)
    products.push(
      await createProduct(
        t,
        token,
        productInput(categoryId, {
          title,
          imageIds: [imageId],
          specs: [],
          skus: [{ specValues: [], priceFen, stock: 9 }],
        }),
      ),
    );
  const couponId = (
    await t.api.post('/merchant-api/v1/coupon-templates').set(bearer(token)).send(templateBody(t)).expect(201)
  ).body.id as number;
  const skuId = (await t.api.get(`/merchant-api/v1/catalog/products/${products[0]}`).set(bearer(token)).expect(200))
    .body.skus[0].id as number;
  const at = t.clock.now().getTime();
  const campaignId = (
    await t.api
      .post('/merchant-api/v1/group-campaigns')
      .set(bearer(token))
      .send({
        name: `三人团 ${uid()}`,
        productId: products[0],
        startsAt: new Date(at - 60_000).toISOString(),
        endsAt: new Date(at + 7 * 86_400_000).toISOString(),
        groupSize: 3,
        durationMinutes: 60,
        items: [{ skuId, groupPriceFen: 3_900 }],
      })
      .expect(201)
  ).body.id as number;
  return { ...shop, token, staffToken, categoryId, products, imageId, couponId, campaignId };
}

let a: DesignShop;
let b: DesignShop;
beforeAll(async () => {
  t = await startTestPlatform();
  t.clock.set(new Date().toISOString());
  [a, b] = [await designShop(), await designShop()];
});
afterAll(() => t.close());

const api = (s: DesignShop, token = s.token) => ({
  get: (path: string) => t.api.get(`/merchant-api/v1/storefront${path}`).set(bearer(token)),
  post: (path: string, body?: object) =>
    t.api
      .post(`/merchant-api/v1/storefront${path}`)
      .set(bearer(token))
      .send(body ?? {}),
  put: (path: string, body: object) => t.api.put(`/merchant-api/v1/storefront${path}`).set(bearer(token)).send(body),
  delete: (path: string) => t.api.delete(`/merchant-api/v1/storefront${path}`).set(bearer(token)),
});
const shopPage = (s: TestShop, key: string, query = '') =>
  t.api.get(`/shop-api/v1/shops/${s.slug}/pages/${key}${query}`);

/** One good block of every type, naming the shop's own things. */
function everyBlock(s: DesignShop, pageKey: string) {
  return [
    { id: 'search', type: 'searchBar', placeholder: '搜索好物' },
    {
      id: 'banner',
      type: 'banner',
      items: [
        { imageId: s.imageId, link: { kind: 'product', productId: s.products[0] } },
        { imageId: s.imageId, link: null },
      ],
    },
    {
      id: 'hot',
      type: 'hotImage',
      imageId: s.imageId,
      areas: [{ x: 0, y: 0, w: 500, h: 1000, link: { kind: 'page', pageKey } }],
    },
    {
      id: 'nav',
      type: 'navGrid',
      columns: 4,
      items: [
        { title: '全部分类', imageId: null, link: { kind: 'shop', page: 'category' } },
        { title: '杯子', imageId: s.imageId, link: { kind: 'category', categoryId: s.categoryId } },
      ],
    },
    { id: 'notice', type: 'notice', text: '全场包邮', link: { kind: 'shop', page: 'coupons' } },
    {
      id: 'chosen',
      type: 'productList',
      title: '精选',
      source: { kind: 'products', productIds: [s.products[2], s.products[0]] },
      columns: 1,
      limit: 5,
    },
    {
      id: 'bycat',
      type: 'productList',
      source: { kind: 'category', categoryId: s.categoryId, sort: 'newest' },
      columns: 3,
      limit: 2,
    },
    { id: 'best', type: 'productList', source: { kind: 'rule', rule: 'sales' }, columns: 2, limit: 10 },
    { id: 'coupons', type: 'coupons', title: '领券', templateIds: [s.couponId] },
    { id: 'flash', type: 'flashSale', title: '秒杀', limit: 4 },
    { id: 'group', type: 'groupBuy', title: '拼团', campaignIds: [s.campaignId] },
    { id: 'text', type: 'richText', html: '<p onclick="x()">欢迎<script>alert(1)</script><b>光临</b></p>' },
    { id: 'gap', type: 'spacer', height: 24, line: true },
    { id: 'info', type: 'shopInfo', showDescription: false },
    { id: 'guess', type: 'recommendations', title: '猜你喜欢', limit: 6 },
  ];
}

async function customPage(s: DesignShop, key = `p${uid()}`.toLowerCase().replace(/[^a-z0-9-]/g, '')) {
  const res = await api(s).post('/pages', { key, title: '活动页' }).expect(201);
  return res.body as { id: number; key: string };
}

const issuesOf = (body: { error: { details?: { issues?: Array<{ path: string; code: string; reason?: string }> } } }) =>
  body.error.details?.issues ?? [];

describe('server validation of every block', () => {
  it('takes a page with one good block of every type, sanitizing its rich text', async () => {
    const page = await customPage(a);
    const res = await api(a)
      .put(`/pages/${page.id}/draft`, { title: '大促', background: '#fff0f0', blocks: everyBlock(a, page.key) })
      .expect(200);
    expect(res.body.draft.blocks.map((b: { type: string }) => b.type)).toEqual([
      'searchBar',
      'banner',
      'hotImage',
      'navGrid',
      'notice',
      'productList',
      'productList',
      'productList',
      'coupons',
      'flashSale',
      'groupBuy',
      'richText',
      'spacer',
      'shopInfo',
      'recommendations',
    ]);
    const html = res.body.draft.blocks.find((b: { type: string }) => b.type === 'richText').html as string;
    expect(html).toBe('<p>欢迎<b>光临</b></p>');
    expect(res.body).toMatchObject({ key: page.key, title: '大促', publishedVersion: null, changed: true });
    // The images it names come with it, for the designer to show.
    expect(res.body.images.map((i: { id: number }) => i.id)).toEqual([a.imageId]);
    expect(res.body.images[0].medium.jpeg).toMatch(/^http/);
    // And the products it names (chosen, linked), by title.
    expect([...res.body.products].sort((x: { id: number }, y: { id: number }) => x.id - y.id)).toEqual([
      { id: a.products[0], title: '保温杯' },
      { id: a.products[2], title: '橡木椅' },
    ]);
  });

  const bad: Array<[string, (s: DesignShop) => object, string, string]> = [
    ['an unknown block type', () => ({ id: 'x', type: 'video', src: 'a.mp4' }), 'blocks.0.type', 'BLOCK_TYPE_UNKNOWN'],
    ['a block that is not an object', () => 'banner' as unknown as object, 'blocks.0', 'BLOCK_TYPE_UNKNOWN'],
    [
      'a raw URL as a link',
      () => ({ id: 'x', type: 'notice', text: 'hi', link: { kind: 'url', url: 'https://evil.example' } }),
      'blocks.0.link.kind',
      'LINK_INVALID',
    ],
    [
      'a search bar with a long placeholder',
      () => ({ id: 'x', type: 'searchBar', placeholder: 'x'.repeat(31) }),
      'blocks.0.placeholder',
      'too_big',
    ],
    ['a banner without images', () => ({ id: 'x', type: 'banner', items: [] }), 'blocks.0.items', 'too_small'],
    [
      'a hot area outside its image',
      (s) => ({
        id: 'x',
        type: 'hotImage',
        imageId: s.imageId,
        areas: [{ x: 600, y: 0, w: 500, h: 100, link: { kind: 'shop', page: 'cart' } }],
      }),
      'blocks.0.areas.0',
      'HOT_AREA_OUTSIDE',
    ],
    [
      'an icon grid entry with a long title',
      () => ({
        id: 'x',
        type: 'navGrid',
        items: [{ title: '一二三四五六七八九', imageId: null, link: { kind: 'shop', page: 'cart' } }],
      }),
      'blocks.0.items.0.title',
      'too_big',
    ],
    ['an empty notice', () => ({ id: 'x', type: 'notice', text: '  ' }), 'blocks.0.text', 'too_small'],
    [
      'a link to a shop page the template does not have',
      () => ({ id: 'x', type: 'notice', text: 'hi', link: { kind: 'shop', page: 'groupBuys' } }),
      'blocks.0.link.page',
      'invalid_value',
    ],
    [
      'a link to a product by a name',
      () => ({ id: 'x', type: 'notice', text: 'hi', link: { kind: 'product', productId: 'mug' } }),
      'blocks.0.link.productId',
      'invalid_type',
    ],
    [
      'a product list in four columns',
      () => ({ id: 'x', type: 'productList', source: { kind: 'rule', rule: 'newest' }, columns: 4 }),
      'blocks.0.columns',
      'invalid_union',
    ],
    [
      'a product list by an unknown rule',
      () => ({ id: 'x', type: 'productList', source: { kind: 'rule', rule: 'cheapest' } }),
      'blocks.0.source.rule',
      'invalid_value',
    ],
    [
      'a product list of 51',
      () => ({ id: 'x', type: 'productList', source: { kind: 'rule', rule: 'newest' }, limit: 51 }),
      'blocks.0.limit',
      'too_big',
    ],
    [
      'coupons naming 21 templates',
      () => ({ id: 'x', type: 'coupons', templateIds: Array.from({ length: 21 }, (_, i) => i + 1) }),
      'blocks.0.templateIds',
      'too_big',
    ],
    ['a flash sale of none', () => ({ id: 'x', type: 'flashSale', limit: 0 }), 'blocks.0.limit', 'too_small'],
    [
      'a group buy of no campaign',
      () => ({ id: 'x', type: 'groupBuy', campaignIds: [] }),
      'blocks.0.campaignIds',
      'too_small',
    ],
    ['rich text too long', () => ({ id: 'x', type: 'richText', html: 'x'.repeat(20_001) }), 'blocks.0.html', 'too_big'],
    ['a spacer too tall', () => ({ id: 'x', type: 'spacer', height: 500 }), 'blocks.0.height', 'too_big'],
    [
      'shop info with a stray setting',
      () => ({ id: 'x', type: 'shopInfo', colour: 'red' }),
      'blocks.0',
      'unrecognized_keys',
    ],
    ['recommendations of 99', () => ({ id: 'x', type: 'recommendations', limit: 99 }), 'blocks.0.limit', 'too_big'],
    ['a block without an id', () => ({ type: 'spacer' }), 'blocks.0.id', 'invalid_type'],
  ];
  it.each(bad)('refuses %s', async (_name, block, path, expected) => {
    const page = await customPage(a);
    const res = await api(a)
      .put(`/pages/${page.id}/draft`, { title: 't', blocks: [block(a)] })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'INVALID_INPUT' });
    expect(issuesOf(res.body)).toContainEqual(
      expect.objectContaining({
        path: `body.${path}`,
        ...(/^[A-Z_]+$/.test(expected) ? { reason: expected } : { code: expected }),
      }),
    );
  });

  it("takes a link to every one of the shop's pages, the group-buy list (我的拼团) among them", async () => {
    const page = await customPage(a);
    const pages = ['home', 'category', 'cart', 'user', 'search', 'coupons', 'flashSales', 'orders', 'myGroups'];
    const res = await api(a)
      .put(`/pages/${page.id}/draft`, {
        title: '入口',
        blocks: [
          {
            id: 'nav',
            type: 'navGrid',
            items: pages.map((p) => ({ title: p.slice(0, 8), imageId: null, link: { kind: 'shop', page: p } })),
          },
        ],
      })
      .expect(200);
    expect(res.body.draft.blocks[0].items.map((i: { link: { page: string } }) => i.link.page)).toEqual(pages);
  });

  it('refuses two blocks with one id, and more than 50 blocks', async () => {
    const page = await customPage(a);
    const twice = await api(a)
      .put(`/pages/${page.id}/draft`, {
        title: 't',
        blocks: [
          { id: 'same', type: 'spacer' },
          { id: 'same', type: 'shopInfo' },
        ],
      })
      .expect(400);
    expect(issuesOf(twice.body)).toContainEqual(
      expect.objectContaining({ path: 'body.blocks', reason: 'BLOCK_ID_REPEATED' }),
    );
    const many = await api(a)
      .put(`/pages/${page.id}/draft`, {
        title: 't',
        blocks: Array.from({ length: 51 }, (_, i) => ({ id: `s${i}`, type: 'spacer' })),
      })
      .expect(400);
    expect(issuesOf(many.body)).toContainEqual(expect.objectContaining({ path: 'body.blocks', code: 'too_big' }));
  });

  it("refuses another shop's products, categories, images, coupons and campaigns, and unknown pages", async () => {
    const page = await customPage(a);
    const res = await api(a)
      .put(`/pages/${page.id}/draft`, { title: '别家', blocks: everyBlock(b, 'no-such-page') })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'PAGE_REFERENCES_UNKNOWN' });
    const reasons = new Set(issuesOf(res.body).map((i) => i.reason));
    expect([...reasons].sort()).toEqual(
      [
        'PAGE_PRODUCT_UNKNOWN',
        'PAGE_CATEGORY_UNKNOWN',
        'PAGE_IMAGE_UNKNOWN',
        'PAGE_COUPON_UNKNOWN',
        'PAGE_CAMPAIGN_UNKNOWN',
        'PAGE_LINKED_PAGE_UNKNOWN',
      ].sort(),
    );
    expect(issuesOf(res.body)).toContainEqual(
      expect.objectContaining({ path: 'body.blocks.5.source.productIds.0', reason: 'PAGE_PRODUCT_UNKNOWN' }),
    );
    // Nothing was kept.
    expect((await api(a).get(`/pages/${page.id}`).expect(200)).body.draft.blocks).toEqual([]);
  });

  it('refuses a second page with the same key, and the home key', async () => {
    const page = await customPage(a);
    const again = await api(a).post('/pages', { key: page.key, title: 'x' }).expect(409);
    expect(again.body.error.reason).toBe('PAGE_KEY_TAKEN');
    const home = await api(a).post('/pages', { key: 'home', title: 'x' }).expect(400);
    expect(issuesOf(home.body)).toContainEqual(expect.objectContaining({ path: 'body.key', reason: 'PAGE_KEY_TAKEN' }));
  });
});

describe('publish and roll back', () => {
  const notice = (text: string) => ({ title: text, blocks: [{ id: 'n', type: 'notice', text }] });

  it('shows shoppers only the published version; a roll back publishes the earlier one again', async () => {
    const page = await customPage(a);
    await api(a).put(`/pages/${page.id}/draft`, notice('第一版')).expect(200);
    // A draft alone is not served.
    expect((await shopPage(a, page.key).expect(404)).body.error.reason).toBe('PAGE_NOT_FOUND');

    const v1 = await api(a).post(`/pages/${page.id}/publish`).expect(201);
    expect(v1.body).toMatchObject({ version: 1, restoredFrom: null, current: true, blocks: 1 });
    expect((await shopPage(a, page.key).expect(200)).body).toMatchObject({
      key: page.key,
      title: '第一版',
      version: 1,
      blocks: [{ id: 'n', type: 'notice', text: '第一版' }],
    });

    // A saved draft changes nothing for shoppers until it is published.
    await api(a).put(`/pages/${page.id}/draft`, notice('第二版')).expect(200);
    expect((await shopPage(a, page.key).expect(200)).body.title).toBe('第一版');
    expect((await api(a).get('/pages').expect(200)).body).toContainEqual(
      expect.objectContaining({ id: page.id, publishedVersion: 1, changed: true }),
    );
    await api(a).post(`/pages/${page.id}/publish`).expect(201);
    expect((await shopPage(a, page.key).expect(200)).body).toMatchObject({ title: '第二版', version: 2 });

    const back = await api(a).post(`/pages/${page.id}/versions/1/restore`).expect(201);
    expect(back.body).toMatchObject({ version: 3, restoredFrom: 1, current: true });
    expect((await shopPage(a, page.key).expect(200)).body).toMatchObject({ title: '第一版', version: 3 });
    const draft = (await api(a).get(`/pages/${page.id}`).expect(200)).body;
    expect(draft).toMatchObject({ publishedVersion: 3, changed: false, draft: { title: '第一版' } });

    const versions = (await api(a).get(`/pages/${page.id}/versions`).expect(200)).body;
    expect(
      versions.map((v: { version: number; current: boolean; restoredFrom: number | null }) => [
        v.version,
        v.current,
        v.restoredFrom,
      ]),
    ).toEqual([
      [3, true, 1],
      [2, false, null],
      [1, false, null],
    ]);
    expect((await api(a).post(`/pages/${page.id}/versions/9/restore`).expect(404)).body.error.reason).toBe(
      'PAGE_VERSION_NOT_FOUND',
    );
  });

  it('two publishes at once make two versions, never one number twice', async () => {
    const page = await customPage(a);
    await api(a).put(`/pages/${page.id}/draft`, notice('并发')).expect(200);
    const results = await Promise.all([1, 2, 3].map(() => api(a).post(`/pages/${page.id}/publish`)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3]);
  });

  it('a product taken off sale leaves the published page at once; a deleted page is gone', async () => {
    const page = await customPage(a);
    const own = await createProduct(
      t,
      a.token,
      productInput(a.categoryId, { title: '限量款', specs: [], skus: [{ specValues: [], priceFen: 100, stock: 1 }] }),
    );
    await api(a)
      .put(`/pages/${page.id}/draft`, {
        title: '单品',
        blocks: [{ id: 'l', type: 'productList', source: { kind: 'products', productIds: [own, a.products[1]] } }],
      })
      .expect(200);
    await api(a).post(`/pages/${page.id}/publish`).expect(201);
    const before = (await shopPage(a, page.key).expect(200)).body;
    expect(before.blocks[0].products.map((p: { id: number }) => p.id)).toEqual([own, a.products[1]]);
    expect(before.blocks[0].products[0]).toMatchObject({ title: '限量款', priceFen: 100, inStock: true });

    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(a.token))
      .send({ ids: [own], action: 'off_sale' })
      .expect(200);
    const after = (await shopPage(a, page.key).expect(200)).body;
    expect(after.blocks[0].products.map((p: { id: number }) => p.id)).toEqual([a.products[1]]);

    await api(a).delete(`/pages/${page.id}`).expect(200);
    await shopPage(a, page.key).expect(404);
  });
});

describe('what shoppers read', () => {
  it('serves every block ready to render: images, product cards by choice, category and rule, running campaigns', async () => {
    const page = await customPage(a);
    await api(a)
      .put(`/pages/${page.id}/draft`, { title: '全部', blocks: everyBlock(a, page.key) })
      .expect(200);
    await api(a).post(`/pages/${page.id}/publish`).expect(201);
    const res = await shopPage(a, page.key).expect(200);
    expect(res.headers['cache-control']).toMatch(/public/);
    const byId = new Map<string, Record<string, unknown>>(
      res.body.blocks.map((blk: Record<string, unknown>) => [blk.id as string, blk]),
    );
    expect((byId.get('banner')!.items as Array<{ image: { id: number } }>)[0]!.image.id).toBe(a.imageId);
    expect((byId.get('hot')!.image as { id: number }).id).toBe(a.imageId);
    expect((byId.get('nav')!.items as Array<{ image: unknown }>).map((i) => i.image === null)).toEqual([true, false]);
    expect((byId.get('chosen')!.products as Array<{ id: number }>).map((p) => p.id)).toEqual([
      a.products[2],
      a.products[0],
    ]);
    // Each image in the one size its block shows, so a page of many blocks stays small.
    const keysOf = (image: object) => Object.keys(image).sort();
    expect(keysOf((byId.get('chosen')!.products as Array<{ image: object }>)[0]!.image)).toEqual([
      'height',
      'id',
      'thumb',
      'width',
    ]);
    expect(keysOf((byId.get('banner')!.items as Array<{ image: object }>)[0]!.image)).toContain('medium');
    expect(keysOf((byId.get('banner')!.items as Array<{ image: object }>)[0]!.image)).not.toContain('large');
    expect(keysOf(byId.get('hot')!.image as object)).toEqual(['height', 'id', 'large', 'width']);
    expect((byId.get('bycat')!.products as unknown[]).length).toBe(2);
    expect((byId.get('best')!.products as unknown[]).length).toBe(3);
    expect(byId.get('group')!.campaigns).toEqual([
      expect.objectContaining({ id: a.campaignId, productId: a.products[0], groupPriceFen: 3_900, groupSize: 3 }),
    ]);
    expect(byId.get('coupons')).toMatchObject({ templateIds: [a.couponId] });
    expect(byId.get('text')).toMatchObject({ html: '<p>欢迎<b>光临</b></p>' });
  });

  it("serves a shop that never published its home page the home it had: the appearance's sections over the layout", async () => {
    const s = await designShop();
    await t.api
      .put('/merchant-api/v1/catalog/home')
      .set(bearer(s.token))
      .send({
        banners: [{ imageId: s.imageId, productId: s.products[1] }],
        shortcutCategoryIds: [s.categoryId],
        hotProductIds: [s.products[2]],
      })
      .expect(200);
    const home = (await shopPage(s, 'home').expect(200)).body;
    expect(home.version).toBe(0);
    const types = home.blocks.map((blk: { id: string }) => blk.id);
    expect(types).toEqual(['search', 'coupons', 'flash', 'banner', 'categories', 'hot', 'new', 'guess', 'shop']);
    const hot = home.blocks.find((blk: { id: string }) => blk.id === 'hot');
    expect(hot.products.map((p: { id: number }) => p.id)).toEqual([s.products[2]]);
    const fresh = home.blocks.find((blk: { id: string }) => blk.id === 'new');
    expect(fresh.source).toEqual({ kind: 'rule', rule: 'newest' });
    expect(fresh.products).toHaveLength(3);
    expect(home.blocks.find((blk: { id: string }) => blk.id === 'banner').items[0].link).toEqual({
      kind: 'product',
      productId: s.products[1],
    });

    // The designer opens with that home as the draft; publishing it serves version 1.
    const pages = (await api(s).get('/pages').expect(200)).body;
    expect(pages[0]).toMatchObject({ key: 'home', kind: 'home', publishedVersion: null });
    const draft = (await api(s).get(`/pages/${pages[0].id}`).expect(200)).body.draft;
    expect(draft.blocks.map((blk: { id: string }) => blk.id)).toEqual(types);
    await api(s).post(`/pages/${pages[0].id}/publish`).expect(201);
    expect((await shopPage(s, 'home').expect(200)).body).toMatchObject({ version: 1 });
    expect((await api(s).delete(`/pages/${pages[0].id}`).expect(409)).body.error.reason).toBe('HOME_PAGE_KEPT');
  });

  it('shows a draft to the holder of its preview token, never cached, and to nobody else', async () => {
    const page = await customPage(a);
    await api(a)
      .put(`/pages/${page.id}/draft`, { title: '草稿', blocks: [{ id: 's', type: 'spacer' }] })
      .expect(200);
    const preview = (await api(a).post(`/pages/${page.id}/preview`).expect(201)).body;
    expect(preview.path).toBe(`pages/custom/page?key=${page.key}&preview=${preview.token}`);
    const res = await shopPage(a, page.key, `?preview=${preview.token}`).expect(200);
    expect(res.body).toMatchObject({ title: '草稿', version: null, blocks: [{ id: 's', type: 'spacer', height: 16 }] });
    expect(res.headers['cache-control']).toBe('private, no-store');
    // The token shows this page of this shop only.
    expect((await shopPage(b, page.key, `?preview=${preview.token}`).expect(400)).body.error.reason).toBe(
      'PAGE_PREVIEW_INVALID',
    );
    await shopPage(a, 'home', `?preview=${preview.token}`).expect(400);
    await shopPage(a, page.key, `?preview=${'x'.repeat(24)}`).expect(400);
  });
});

/** A square icon with a transparent background: a disc on nothing. */
const iconBytes = (colour = '#e4393c', px = 162) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}"><circle cx="${px / 2}" cy="${px / 2}" r="${px / 3}" fill="${colour}"/></svg>`,
    ),
  )
    .png()
    .toBuffer();
const uploadIcon = async (s: DesignShop, bytes?: Buffer, token = s.token) =>
  t.api
    .post('/merchant-api/v1/storefront/tab-icons')
    .set(bearer(token))
    .attach('file', bytes ?? (await iconBytes()), 'icon.png');

describe('tab icons', () => {
  it('keeps an upload as an 81 × 81 PNG with its transparency, once per content, under the shop', async () => {
    const first = await uploadIcon(a, await iconBytes('#1677ff', 300));
    expect(first.status).toBe(201);
    expect(first.body.url).toContain(`/tenants/${a.id}/storefront/tab-icons/`);
    const stored = Buffer.from(await (await fetch(first.body.url)).arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 81, height: 81, hasAlpha: true });
    // A corner stays transparent: the icon sits on the tab bar's colour.
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
    expect(stored.length).toBeLessThan(40 * 1024);
    const again = (await uploadIcon(a, await iconBytes('#1677ff', 300)).then((r) => r.body)) as { id: number };
    expect(again.id).toBe(first.body.id);
    // A JPEG is taken too, fitted into the square.
    const jpeg = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#00a870' } })
      .jpeg()
      .toBuffer();
    expect((await uploadIcon(a, jpeg)).status).toBe(201);
  });

  it('refuses what is not an image, one past the size limit, and a merchant who may not design', async () => {
    const text = await uploadIcon(a, Buffer.from('<svg onload="alert(1)"></svg>'.repeat(10)));
    expect(text.status).toBe(415);
    expect(text.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', reason: 'FILE_NOT_IMAGE' });
    const truncated = (await iconBytes()).subarray(0, 200);
    expect((await uploadIcon(a, truncated)).status).toBe(415);
    const big = await uploadIcon(a, Buffer.alloc(1024 * 1024 + 1, 1));
    expect(big.status).toBe(413);
    const staff = await uploadIcon(a, undefined, a.staffToken);
    expect(staff.status).toBe(403);
    await t.api
      .post('/merchant-api/v1/storefront/tab-icons')
      .attach('file', await iconBytes(), 'icon.png')
      .expect(401);
  });

  it("another shop can use neither the icon's id nor its upload of the same picture as the first shop's", async () => {
    const c = await createShop(t);
    const other = { ...c, token: (await merchantLogin(t, c.owner)).accessToken } as DesignShop;
    const mine = (await uploadIcon(a, await iconBytes('#8a3ffc'))).body as { id: number; url: string };
    const theirs = (await uploadIcon(other, await iconBytes('#8a3ffc'))).body as { id: number; url: string };
    // The same picture is each shop's own row and object.
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.url).toContain(`/tenants/${c.id}/`);
    const bar = (iconId: number) => ({
      color: '#666666',
      selectedColor: '#e4393c',
      backgroundColor: '#ffffff',
      items: [
        { page: 'home', text: '首页', iconId },
        { page: 'user', text: '我' },
      ],
    });
    const refused = await api(other).put('/tab-bar', bar(mine.id)).expect(400);
    expect(issuesOf(refused.body)).toContainEqual(expect.objectContaining({ reason: 'TAB_ICON_UNKNOWN' }));
    await api(other).put('/tab-bar', bar(theirs.id)).expect(200);
    expect((await t.api.get(`/shop-api/v1/shops/${c.slug}/tab-bar`).expect(200)).body.items[0].iconUrl).toBe(
      theirs.url,
    );
  });
});

describe('isolation and permissions', () => {
  it("another shop's merchant can neither read nor change a page, and its shop does not serve it", async () => {
    const page = await customPage(a);
    await api(a).put(`/pages/${page.id}/draft`, { title: '甲', blocks: [] }).expect(200);
    await api(a).post(`/pages/${page.id}/publish`).expect(201);
    const other = api(b);
    for (const res of [
      await other.get(`/pages/${page.id}`),
      await other.put(`/pages/${page.id}/draft`, { title: '乙', blocks: [] }),
      await other.post(`/pages/${page.id}/publish`),
      await other.get(`/pages/${page.id}/versions`),
      await other.post(`/pages/${page.id}/versions/1/restore`),
      await other.post(`/pages/${page.id}/preview`),
      await other.delete(`/pages/${page.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.reason).toBe('PAGE_NOT_FOUND');
    }
    expect((await other.get('/pages').expect(200)).body.map((p: { id: number }) => p.id)).not.toContain(page.id);
    await shopPage(b, page.key).expect(404);
    expect((await shopPage(a, page.key).expect(200)).body.title).toBe('甲');
    // B's own key of the same name is B's.
    await api(b).post('/pages', { key: page.key, title: '乙' }).expect(201);
  });

  it('staff may look but not publish; a shopper token is no merchant', async () => {
    const page = await customPage(a);
    await api(a, a.staffToken).get(`/pages/${page.id}`).expect(200);
    const refused = await api(a, a.staffToken).post(`/pages/${page.id}/publish`).expect(403);
    expect(refused.body.error).toMatchObject({
      reason: 'PERMISSION_REQUIRED',
      params: { permission: 'shop:design:manage' },
    });
    await api(a, a.staffToken).put(`/pages/${page.id}/draft`, { title: 'x', blocks: [] }).expect(403);
    await t.api.get('/merchant-api/v1/storefront/pages').expect(401);
  });

  it('keeps each shop its tab bar, its tabs in the template order; icons must be its own uploads', async () => {
    const icon = (await uploadIcon(a)).body as { id: number; url: string };
    const before = (await api(a).get('/tab-bar').expect(200)).body;
    expect(before.custom).toBe(false);
    expect(before.items.map((i: { page: string }) => i.page)).toEqual(['home', 'category', 'cart', 'user']);
    const bar = {
      color: '#666666',
      selectedColor: '#e4393c',
      backgroundColor: '#ffffff',
      items: [
        { page: 'cart', text: '购物袋' },
        { page: 'home', text: '首页', iconId: icon.id, selectedIconId: icon.id },
      ],
    };
    const saved = (await api(a).put('/tab-bar', bar).expect(200)).body;
    expect(saved).toMatchObject({ custom: true, color: '#666666' });
    expect(saved.items.map((i: { page: string }) => i.page)).toEqual(['home', 'cart']);
    // The shop applies it at run time: colours, the tabs shown with their texts and icon URLs.
    const shown = (await t.api.get(`/shop-api/v1/shops/${a.slug}/tab-bar`).expect(200)).body;
    expect(shown).toMatchObject({
      custom: true,
      selectedColor: '#e4393c',
      items: [
        { page: 'home', text: '首页', iconUrl: icon.url, selectedIconUrl: icon.url },
        { page: 'cart', text: '购物袋', iconUrl: null, selectedIconUrl: null },
      ],
    });
    const other = (await t.api.get(`/shop-api/v1/shops/${b.slug}/tab-bar`).expect(200)).body;
    expect(other.custom).toBe(false);
    expect(other.items).toHaveLength(4);
    const foreign = await api(b)
      .put('/tab-bar', {
        ...bar,
        items: [
          { page: 'home', text: '首页', iconId: icon.id },
          { page: 'user', text: '我' },
        ],
      })
      .expect(400);
    expect(issuesOf(foreign.body)[0]).toMatchObject({ reason: 'TAB_ICON_UNKNOWN', params: { id: String(icon.id) } });
    const none = await api(a)
      .put('/tab-bar', { ...bar, items: [{ page: 'home', text: '首页', selectedIconId: 99_999_999 }, bar.items[0]] })
      .expect(400);
    expect(issuesOf(none.body)[0]).toMatchObject({ reason: 'TAB_ICON_UNKNOWN', params: { id: '99999999' } });
    const noHome = await api(a)
      .put('/tab-bar', {
        ...bar,
        items: [
          { page: 'cart', text: '购物车' },
          { page: 'user', text: '我' },
        ],
      })
      .expect(400);
    expect(issuesOf(noHome.body)).toContainEqual(expect.objectContaining({ reason: 'TAB_HOME_REQUIRED' }));
  });
});
