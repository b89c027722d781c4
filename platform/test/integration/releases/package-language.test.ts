import { defaultAppearance } from '@shopfleet/contracts';
import { serveOnPort, startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { product, sellingShop } from '../../helpers/orders';
import { runMiniProgram, type WxCall } from '../../helpers/mini-program';
import { readZip } from '../../../src/modules/releases';

let t: TestPlatform;
let served: Awaited<ReturnType<typeof serveOnPort>> | undefined;
let origin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  served = await serveOnPort(t);
  origin = served.origin;
});
afterAll(async () => {
  await served?.close();
  await t.close();
});

/** The four tab labels as last painted. */
const tabLabels = (calls: WxCall[]) =>
  calls
    .filter((c) => c.api === 'setTabBarItem')
    .map((c) => c.args?.text)
    .slice(-4);
const titles = (calls: WxCall[]) => calls.filter((c) => c.api === 'setNavigationBarTitle').map((c) => c.args?.title);

describe("a shop's mini-program in the shopper's language", () => {
  it('on a WeChat in English: the texts, titles and default tab labels in English; the merchant’s own label and content as they are', async () => {
    const ctx = { requestId: 't', tenantId: null, actor: { type: 'system' as const, job: 't' }, log: t.platform.log };
    const version = await t.platform.services.templates.create(ctx, {
      version: `${500 + Math.floor(Math.random() * 400)}.${Math.floor(Math.random() * 900)}.1`,
      description: '',
    });
    if (version.status !== 'ready') await t.platform.services.templates.build(ctx, version.id);

    const s = await sellingShop(t);
    const { productId } = await product(t, s, 10, 2990);
    await t.api
      .put('/merchant-api/v1/catalog/home')
      .set(bearer(s.merchant))
      .send({
        banners: [],
        shortcutCategoryIds: [s.leaf],
        newProductIds: [productId],
        hotProductIds: [],
        recommendedProductIds: [],
      })
      .expect(200);
    const body = defaultAppearance({ name: '青禾食品旗舰店', themeColor: '#1677ff' });
    const appearance = { ...body, tabBar: { ...body.tabBar, labels: { ...body.tabBar.labels, cart: '购物袋' } } };
    await t.api.put('/merchant-api/v1/shop/appearance').set(bearer(s.merchant)).send(appearance).expect(200);
    const title = (
      await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(s.merchant)).expect(200)
    ).body.title as string;
    const pkg = await t.platform.services.packages.build({ ...ctx, tenantId: s.shop.id }, version.id);
    const files = await readZip(await t.platform.storage.getBuffer('private', pkg.objectKey));

    // A WeChat in Chinese sees the shop as it always did.
    const zh = runMiniProgram(files, { apiOrigin: origin });
    const zhHome = zh.page('pages/index/index');
    await zh.settle();
    expect(JSON.stringify(zhHome.data)).toEqual(expect.stringContaining('搜索店内商品'));
    expect(JSON.stringify(zhHome.data)).toEqual(expect.stringContaining('新品上架'));
    expect(tabLabels(zh.calls)).toEqual(['首页', '分类', '购物袋', '我的']);
    expect(zh.errors).toEqual([]);

    const en = runMiniProgram(files, { apiOrigin: origin, language: 'en' });
    const home = en.page('pages/index/index');
    await en.settle();
    const rendered = JSON.stringify(home.data);
    expect(rendered).toContain(title);
    expect(rendered).toContain('Search this shop');
    expect(rendered).toContain('New arrivals');
    expect(rendered).not.toContain('搜索店内商品');
    expect(rendered).not.toContain('新品上架');
    // app.json has the default language's labels (pages.json compiled in zh-Hans, then the merchant's): the tab page sets them.
    expect(tabLabels(en.calls)).toEqual(['Home', 'Category', '购物袋', 'Me']);
    expect(titles(en.calls)).toContain('青禾食品旗舰店');

    // A page whose title app.json has in Chinese gets its English one.
    const cart = en.page('pages/cart/index');
    await en.settle();
    expect(JSON.stringify(cart.data)).toContain('Sign in to see your cart');
    expect(titles(en.calls)).toContain('Cart');
    expect(en.errors).toEqual([]);
  }, 120_000);
});
