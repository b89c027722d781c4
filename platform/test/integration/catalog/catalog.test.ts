import sharp from 'sharp';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';
import { branch, category, createProduct, pngBytes, productInput, uploadImage } from '../../helpers/catalog';

let t: TestPlatform;
let a: TestShop;
let b: TestShop;
let tokenA: string;
let tokenB: string;
beforeAll(async () => {
  t = await startTestPlatform();
  a = await createShop(t);
  b = await createShop(t);
  tokenA = (await merchantLogin(t, a.owner)).accessToken;
  tokenB = (await merchantLogin(t, b.owner)).accessToken;
});
afterAll(() => t.close());

describe('categories', () => {
  it('form a tree of at most three levels, reorderable, with no cycles', async () => {
    const { root, child, leaf } = await branch(t, tokenA, 'A');
    const deeper = await t.api
      .post('/merchant-api/v1/catalog/categories')
      .set(bearer(tokenA))
      .send({ name: '第四层', parentId: leaf })
      .expect(400);
    expect(deeper.body.error).toMatchObject({ reason: 'CATEGORY_TOO_DEEP', params: { max: 3 } });
    expect(deeper.body.error.details.issues[0]).toMatchObject({ path: 'body.parentId', reason: 'CATEGORY_TOO_DEEP' });
    await t.api
      .patch(`/merchant-api/v1/catalog/categories/${root}`)
      .set(bearer(tokenA))
      .send({ parentId: leaf })
      .expect(400);
    await t.api
      .patch(`/merchant-api/v1/catalog/categories/${child}`)
      .set(bearer(tokenA))
      .send({ parentId: child })
      .expect(400);
    const other = await category(t, tokenA, '另一个根');
    // Moving a two-level subtree under a level-2 node would make a fourth level.
    const mid = await category(t, tokenA, '中间', other);
    await t.api
      .patch(`/merchant-api/v1/catalog/categories/${child}`)
      .set(bearer(tokenA))
      .send({ parentId: mid })
      .expect(400);
    await t.api
      .patch(`/merchant-api/v1/catalog/categories/${child}`)
      .set(bearer(tokenA))
      .send({ parentId: other })
      .expect(200);
    const tree = (await t.api.get('/merchant-api/v1/catalog/categories').set(bearer(tokenA)).expect(200)).body;
    const moved = tree.find((n: { id: number }) => n.id === other).children.find((n: { id: number }) => n.id === child);
    expect(moved.children[0]).toMatchObject({ id: leaf, level: 3 });
    const reordered = (
      await t.api
        .post('/merchant-api/v1/catalog/categories/reorder')
        .set(bearer(tokenA))
        .send({ parentId: other, orderedIds: [child, mid] })
        .expect(200)
    ).body;
    expect(reordered.find((n: { id: number }) => n.id === other).children.map((n: { id: number }) => n.id)).toEqual([
      child,
      mid,
    ]);
    await t.api
      .post('/merchant-api/v1/catalog/categories/reorder')
      .set(bearer(tokenA))
      .send({ parentId: other, orderedIds: [child] })
      .expect(400);
    await t.api.delete(`/merchant-api/v1/catalog/categories/${other}`).set(bearer(tokenA)).expect(409);
    await t.api.delete(`/merchant-api/v1/catalog/categories/${mid}`).set(bearer(tokenA)).expect(200);
  });

  it('a category with products cannot be deleted', async () => {
    const { leaf } = await branch(t, tokenA, 'D');
    await createProduct(t, tokenA, productInput(leaf));
    await t.api.delete(`/merchant-api/v1/catalog/categories/${leaf}`).set(bearer(tokenA)).expect(409);
  });
});

describe('images', () => {
  it('are stored in three sizes, as JPEG and WebP, with long cache lifetimes', async () => {
    const res = await t.api
      .post('/merchant-api/v1/catalog/images')
      .set(bearer(tokenA))
      .attach('file', await pngBytes('#123456'), 'x.png')
      .expect(201);
    expect(res.body).toMatchObject({ width: 1200, height: 900 });
    const webp = await fetch(res.body.thumb.webp);
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect(webp.headers.get('cache-control')).toContain('immutable');
    const jpeg = await fetch(res.body.large.jpeg);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const again = await t.api
      .post('/merchant-api/v1/catalog/images')
      .set(bearer(tokenA))
      .attach('file', await pngBytes('#123456'), 'x.png')
      .expect(201);
    expect(again.body.id).toBe(res.body.id);
    await t.api
      .post('/merchant-api/v1/catalog/images')
      .set(bearer(tokenA))
      .attach('file', Buffer.from('<svg onload="alert(1)"/>'), 'x.png')
      .expect(415);
  });

  it('a truncated PNG or JPEG is a 415 FILE_TYPE_NOT_ALLOWED, and no image is recorded', async () => {
    const count = async () => Number((await t.platform.knex('catalog_images').count({ n: '*' }))[0]!.n);
    const before = await count();
    const noisy = sharp({
      create: {
        width: 640,
        height: 480,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    });
    for (const [name, whole] of [
      ['cut.png', await noisy.clone().png().toBuffer()],
      ['cut.jpg', await noisy.clone().jpeg().toBuffer()],
    ] as const) {
      const res = await t.api
        .post('/merchant-api/v1/catalog/images')
        .set(bearer(tokenA))
        .attach('file', whole.subarray(0, Math.floor(whole.length * 0.6)), name);
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({
        name,
        status: 415,
        code: 'FILE_TYPE_NOT_ALLOWED',
      });
    }
    expect(await count()).toBe(before);
  });
});

describe('products', () => {
  it('are created with their SKU matrix and read back, SKU ids surviving an edit', async () => {
    const { leaf } = await branch(t, tokenA, 'P');
    const img = await uploadImage(t, tokenA, '#aa0000');
    const id = await createProduct(t, tokenA, productInput(leaf, { imageIds: [img] }));
    const p = (await t.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenA)).expect(200)).body;
    expect(p).toMatchObject({ minPriceFen: 19900, maxPriceFen: 29900, totalStock: 63, status: 'on_sale' });
    expect(p.skus).toHaveLength(4);
    expect(p.images[0].id).toBe(img);
    const input = productInput(leaf, { imageIds: [img], title: '无线蓝牙耳机 二代' });
    input.skus[0]!.priceFen = 17900;
    const edited = (
      await t.api.put(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenA)).send(input).expect(200)
    ).body;
    expect(edited.skus.map((s: { id: number }) => s.id)).toEqual(p.skus.map((s: { id: number }) => s.id));
    expect(edited.minPriceFen).toBe(17900);
  });

  it('refuse bad prices, a SKU matrix that does not match, unknown categories, oversized descriptions — writing nothing', async () => {
    const { leaf } = await branch(t, tokenA, 'Q');
    const count = async () =>
      Number((await t.platform.knex('products').where({ tenant_id: a.id }).count({ n: '*' }))[0]!.n);
    const before = await count();
    const send = (body: object) => t.api.post('/merchant-api/v1/catalog/products').set(bearer(tokenA)).send(body);
    const negative = productInput(leaf);
    negative.skus[0]!.priceFen = -1;
    expect((await send(negative)).status).toBe(400);
    const fractional = productInput(leaf);
    fractional.skus[0]!.priceFen = 199.5;
    expect((await send(fractional)).status).toBe(400);
    const missingCombo = productInput(leaf);
    missingCombo.skus.pop();
    const r = await send(missingCombo);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error.details)).toContain('4 combinations');
    expect((await send(productInput(999_999_999))).status).toBe(400);
    expect((await send(productInput(leaf, { descriptionHtml: 'x'.repeat(50_001) }))).status).toBe(400);
    expect((await send({ ...productInput(leaf), price: 1 })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('strip script from descriptions', async () => {
    const { leaf } = await branch(t, tokenA, 'S');
    const id = await createProduct(
      t,
      tokenA,
      productInput(leaf, { descriptionHtml: '<p>好物</p><script>steal()</script><img src="x" onerror="steal()">' }),
    );
    const p = (await t.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenA)).expect(200)).body;
    expect(p.descriptionHtml).not.toMatch(/script|onerror/);
    expect(p.descriptionHtml).toContain('<p>好物</p>');
  });
});

describe('tenant isolation', () => {
  it("tenant B can neither see nor change tenant A's products, categories or images", async () => {
    const { leaf } = await branch(t, tokenA, 'I');
    const img = await uploadImage(t, tokenA, '#00aa00');
    const id = await createProduct(t, tokenA, productInput(leaf, { imageIds: [img], title: '甲店独有商品' }));
    await t.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenB)).expect(404);
    await t.api.put(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenB)).send(productInput(leaf)).expect(404);
    await t.api.delete(`/merchant-api/v1/catalog/products/${id}`).set(bearer(tokenB)).expect(404);
    expect(
      (
        await t.api
          .post('/merchant-api/v1/catalog/products/batch')
          .set(bearer(tokenB))
          .send({ ids: [id], action: 'off_sale' })
          .expect(200)
      ).body.updated,
    ).toBe(0);
    const listB = (await t.api.get('/merchant-api/v1/catalog/products?pageSize=100').set(bearer(tokenB)).expect(200))
      .body;
    expect(listB.items.map((p: { id: number }) => p.id)).not.toContain(id);
    // B cannot file a product under A's category or show A's image.
    const bLeaf = (await branch(t, tokenB, 'B')).leaf;
    await t.api.post('/merchant-api/v1/catalog/products').set(bearer(tokenB)).send(productInput(leaf)).expect(400);
    await t.api
      .post('/merchant-api/v1/catalog/products')
      .set(bearer(tokenB))
      .send(productInput(bLeaf, { imageIds: [img] }))
      .expect(400);
    await t.api
      .patch(`/merchant-api/v1/catalog/categories/${leaf}`)
      .set(bearer(tokenB))
      .send({ name: '改名' })
      .expect(404);
    await t.api.delete(`/merchant-api/v1/catalog/categories/${leaf}`).set(bearer(tokenB)).expect(404);
    await t.api
      .post('/merchant-api/v1/catalog/categories')
      .set(bearer(tokenB))
      .send({ name: 'x', parentId: leaf })
      .expect(400);
    await t.api
      .put('/merchant-api/v1/catalog/home')
      .set(bearer(tokenB))
      .send({ newProductIds: [id] })
      .expect(400);
    // And B's shop does not sell it.
    await t.api.get(`/shop-api/v1/shops/${b.slug}/products/${id}`).expect(404);
    const search = (
      await t.api.get(`/shop-api/v1/shops/${b.slug}/search?q=${encodeURIComponent('甲店独有')}`).expect(200)
    ).body;
    expect(search.items).toEqual([]);
    await t.api.get(`/shop-api/v1/shops/${a.slug}/products/${id}`).expect(200);
  });
});
