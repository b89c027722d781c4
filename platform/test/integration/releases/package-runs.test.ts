import { defaultAppearance } from '@shopfleet/contracts';
import { serveOnPort, startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { product, sellingShop } from '../../helpers/orders';
import { runMiniProgram } from '../../helpers/mini-program';
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

describe("a shop's generated package", () => {
  it("carries the shop's ext.json and theme, and its home page runs against the shop API with a minimal wx", async () => {
    // A built template version: the earlier build of the same sources, or the real uni build now.
    const ctx = { requestId: 't', tenantId: null, actor: { type: 'system' as const, job: 't' }, log: t.platform.log };
    const version = await t.platform.services.templates.create(ctx, {
      version: `${500 + Math.floor(Math.random() * 400)}.${Math.floor(Math.random() * 900)}.0`,
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
        hotProductIds: [productId],
        recommendedProductIds: [],
      })
      .expect(200);
    const appearance = {
      ...defaultAppearance({ name: '青禾食品旗舰店', themeColor: '#1677ff' }),
      navigationBar: { backgroundColor: '#1677ff', textStyle: 'white' as const },
    };
    await t.api.put('/merchant-api/v1/shop/appearance').set(bearer(s.merchant)).send(appearance).expect(200);
    const title = (await t.api.get('/merchant-api/v1/catalog/products?pageSize=1').set(bearer(s.merchant)).expect(200))
      .body.items[0].title as string;

    const pkg = await t.platform.services.packages.build({ ...ctx, tenantId: s.shop.id }, version.id);
    const files = await readZip(await t.platform.storage.getBuffer('private', pkg.objectKey));
    const ext = JSON.parse(files.get('ext.json')!.toString());
    expect(ext.ext).toMatchObject({
      shopKey: s.shop.slug,
      shopName: '青禾食品旗舰店',
      themeColor: '#1677ff',
      appearance: { navigationBar: { textStyle: 'white' } },
    });
    expect(files.get('theme.wxss')!.toString()).toContain('--sf-theme: #1677ff');

    const mp = runMiniProgram(files, { apiOrigin: origin });
    const home = mp.page('pages/index/index');
    await mp.settle();
    // The page found its shop from ext.json and asked the shop API for it and its home.
    const requested = mp.calls.filter((c) => c.api === 'request').map((c) => new URL(String(c.args!.url)).pathname);
    expect(requested).toEqual(
      expect.arrayContaining([`/shop-api/v1/shops/${s.shop.slug}`, `/shop-api/v1/shops/${s.shop.slug}/home`]),
    );
    expect(new URL(String(mp.calls.find((c) => c.api === 'request')!.args!.url)).origin).toBe(
      new URL(t.config.publicUrl).origin,
    );
    // What the page rendered: the shop and its product.
    const rendered = JSON.stringify(home.data);
    expect(rendered).toContain(title);
    expect(mp.calls.some((c) => c.api === 'setNavigationBarTitle' && c.args?.title === '青禾食品旗舰店')).toBe(true);
    expect(mp.errors).toEqual([]);
  }, 120_000);
});
