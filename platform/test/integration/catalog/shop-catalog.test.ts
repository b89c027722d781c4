import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';
import { branch, createProduct, productInput, uploadImage } from '../../helpers/catalog';

let t: TestPlatform;
let shop: TestShop;
let token: string;
let leaf: number;
let root: number;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await startTestPlatform();
  shop = await createShop(t);
  token = (await merchantLogin(t, shop.owner)).accessToken;
  ({ leaf, root } = await branch(t, token, '数码'));
  const one = (title: string, colour: string, size: string, priceFen: number) =>
    createProduct(
      t,
      token,
      productInput(leaf, {
        title,
        attributes: { colour, size },
        specs: [],
        skus: [{ specValues: [], priceFen, stock: 5 }],
      }),
    );
  ids.earphones = await one('无线蓝牙耳机', 'black', '1', 19900);
  ids.mug = await one('经典陶瓷保温杯', 'red', '2', 5900);
  ids.chair = await one('Classic Oak Chair', 'red', '3', 89900);
  ids.lamp = await one('Modern Steel Lamp', 'blue', '3', 12900);
});
afterAll(() => t.close());

const shopGet = (path: string) => t.api.get(`/shop-api/v1/shops/${shop.slug}${path}`);

describe('browsing', () => {
  it('lists a category (a parent includes its descendants) with facets, filters and sorts', async () => {
    const all = (await shopGet(`/products?categoryId=${root}`).expect(200)).body;
    expect(all.items.map((p: { id: number }) => p.id).sort()).toEqual(Object.values(ids).sort());
    expect(all.facets).toEqual(
      expect.arrayContaining([
        {
          name: 'colour',
          values: [
            { value: 'black', count: 1 },
            { value: 'blue', count: 1 },
            { value: 'red', count: 2 },
          ],
        },
      ]),
    );
    const red = (await shopGet(`/products?categoryId=${leaf}&facet=colour:red`).expect(200)).body;
    expect(red.items.map((p: { id: number }) => p.id).sort()).toEqual([ids.mug, ids.chair].sort());
    const redOrBlueSize3 = (
      await shopGet(`/products?categoryId=${leaf}&facet=colour:red&facet=colour:blue&facet=size:3`).expect(200)
    ).body;
    expect(redOrBlueSize3.items.map((p: { id: number }) => p.id).sort()).toEqual([ids.chair, ids.lamp].sort());
    const cheap = (await shopGet(`/products?categoryId=${leaf}&priceMax=15000&sort=price_asc`).expect(200)).body;
    expect(cheap.items.map((p: { id: number }) => p.id)).toEqual([ids.mug, ids.lamp]);
    const byPriceDesc = (await shopGet(`/products?categoryId=${leaf}&sort=price_desc`).expect(200)).body;
    expect(byPriceDesc.items[0].id).toBe(ids.chair);
    expect(byPriceDesc.items[0]).toMatchObject({ priceFen: 89900, inStock: true });
  });

  it('pages by cursor, and a product added between pages neither repeats nor shifts the next page', async () => {
    const first = (await shopGet(`/products?categoryId=${leaf}&sort=price_asc&limit=2`).expect(200)).body;
    expect(first.items.map((p: { id: number }) => p.id)).toEqual([ids.mug, ids.lamp]);
    expect(first.nextCursor).toEqual(expect.any(String));
    // A cheaper product appears before the next request.
    const cheapest = await createProduct(
      t,
      token,
      productInput(leaf, { title: '新到的便宜货', specs: [], skus: [{ specValues: [], priceFen: 100, stock: 1 }] }),
    );
    const second = (
      await shopGet(`/products?categoryId=${leaf}&sort=price_asc&limit=2&cursor=${first.nextCursor}`).expect(200)
    ).body;
    expect(second.items.map((p: { id: number }) => p.id)).toEqual([ids.earphones, ids.chair]);
    expect(second.nextCursor).toBeNull();
    // A fresh first page does show it.
    const fresh = (await shopGet(`/products?categoryId=${leaf}&sort=price_asc&limit=2`).expect(200)).body;
    expect(fresh.items[0].id).toBe(cheapest);
    await shopGet(`/products?categoryId=${leaf}&cursor=not-a-cursor`).expect(400);
    await shopGet(`/products?limit=500`).expect(400);
    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(token))
      .send({ ids: [cheapest], action: 'delete' })
      .expect(200);
  });

  it('serves the category tree and product detail with stock states', async () => {
    const tree = (await shopGet('/categories').expect(200)).body;
    expect(tree.find((n: { id: number }) => n.id === root).children[0].children[0].id).toBe(leaf);
    const full = await createProduct(t, token, productInput(leaf));
    const detail = (await shopGet(`/products/${full}`).expect(200)).body;
    expect(detail.skus.map((s: { stockState: string }) => s.stockState)).toEqual([
      'in_stock',
      'out_of_stock',
      'low',
      'in_stock',
    ]);
    expect(detail).toMatchObject({ priceFen: 19900, rating: { average: null, count: 0 } });
    expect(detail.skus[0]).not.toHaveProperty('stock');
  });
});

describe('search', () => {
  it('finds Chinese titles by any part and English by word or prefix', async () => {
    const q = async (query: string) =>
      (await shopGet(`/search?q=${encodeURIComponent(query)}`).expect(200)).body.items.map((p: { id: number }) => p.id);
    expect(await q('蓝牙耳机')).toContain(ids.earphones);
    expect(await q('耳机')).toContain(ids.earphones);
    expect(await q('保温杯')).toEqual([ids.mug]);
    expect(await q('chair')).toEqual([ids.chair]);
    expect(await q('Lam')).toEqual([ids.lamp]);
    expect(await q('modern lamp')).toEqual([ids.lamp]);
    expect(await q('沙发')).toEqual([]);
    await shopGet('/search').expect(400);
  });
});

describe('what is not for sale is not sold', () => {
  it('an off-sale or deleted product disappears from lists, search and detail at once', async () => {
    const id = await createProduct(t, token, productInput(leaf, { title: '限时下架测试品' }));
    await shopGet(`/products/${id}`).expect(200);
    expect((await shopGet(`/search?q=${encodeURIComponent('下架测试')}`).expect(200)).body.items).toHaveLength(1);
    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(token))
      .send({ ids: [id], action: 'off_sale' })
      .expect(200);
    await shopGet(`/products/${id}`).expect(404);
    expect((await shopGet(`/search?q=${encodeURIComponent('下架测试')}`).expect(200)).body.items).toEqual([]);
    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(token))
      .send({ ids: [id], action: 'on_sale' })
      .expect(200);
    await shopGet(`/products/${id}`).expect(200);
    await t.api.delete(`/merchant-api/v1/catalog/products/${id}`).set(bearer(token)).expect(200);
    await shopGet(`/products/${id}`).expect(404);
    const draft = await createProduct(t, token, productInput(leaf, { status: 'draft' }));
    await shopGet(`/products/${draft}`).expect(404);
  });
});

describe('home', () => {
  it('shows the merchant’s banners, shortcuts and lists, only what is on sale', async () => {
    const banner = await uploadImage(t, token, '#ff8800');
    const hidden = await createProduct(t, token, productInput(leaf, { status: 'off_sale' }));
    await t.api
      .put('/merchant-api/v1/catalog/home')
      .set(bearer(token))
      .send({
        banners: [{ imageId: banner, productId: ids.chair }],
        shortcutCategoryIds: [root],
        newProductIds: [ids.lamp, hidden, ids.mug],
        hotProductIds: [ids.earphones],
        recommendedProductIds: [],
      })
      .expect(200);
    const home = (await shopGet('/home').expect(200)).body;
    expect(home.banners[0]).toMatchObject({ productId: ids.chair, image: { id: banner } });
    expect(home.shortcuts).toEqual([expect.objectContaining({ id: root })]);
    expect(home.newProducts.map((p: { id: number }) => p.id)).toEqual([ids.lamp, ids.mug]);
    expect(home.hotProducts.map((p: { id: number }) => p.id)).toEqual([ids.earphones]);
  });
});
