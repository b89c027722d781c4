import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { createProduct, productInput } from '../../helpers/catalog';
import { buyer, sellingShop, type SellingShop } from '../../helpers/orders';

/**
 * Freight by piece and by weight, per product (运费模板 按件/按重量): real orders over two templates, grouped by
 * template and combined (the largest first fee, every other template's units at its additional rate), the preview
 * equal to what is placed, regions a template does not deliver to, templates of another shop, and deleting a template
 * products use.
 */
let t: TestPlatform;
let s: SellingShop;
let other: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  [s, other] = await Promise.all([sellingShop(t), sellingShop(t)]);
});
afterAll(() => t.close());

const m = (path: string) => `/merchant-api/v1${path}`;

async function template(shop: SellingShop, body: Record<string, unknown>): Promise<{ id: number }> {
  return (await t.api.post(m('/shipping-templates')).set(bearer(shop.merchant)).send(body).expect(201)).body;
}

/** A product of one SKU at a price, of a weight, shipping by a template (null: the default). */
async function item(
  shop: SellingShop,
  priceFen: number,
  weightGrams: number,
  freightTemplateId: number | null,
): Promise<{ productId: number; skuId: number; title: string }> {
  const title = `运费商品${uid()}`;
  const productId = await createProduct(
    t,
    shop.merchant,
    productInput(shop.leaf, {
      title,
      specs: [],
      skus: [{ specValues: [], priceFen, stock: 100, weightGrams, volumeCm3: 0 }],
      freightTemplateId,
    }),
  );
  const skuId = (
    await t.api
      .get(m(`/catalog/products/${productId}`))
      .set(bearer(shop.merchant))
      .expect(200)
  ).body.skus[0].id as number;
  return { productId, skuId, title };
}

describe('freight by piece and by weight, per product', () => {
  let byPiece: { id: number };
  let byWeight: { id: number };
  let p1: Awaited<ReturnType<typeof item>>;
  let p2: Awaited<ReturnType<typeof item>>;
  let p3: Awaited<ReturnType<typeof item>>;

  beforeAll(async () => {
    // The default: ¥8 the first piece, ¥2 each more; Xinjiang ¥20 then ¥10; no delivery to Taiwan.
    byPiece = await template(s, {
      name: '按件',
      chargeMode: 'piece',
      firstUnits: 1,
      firstFeeFen: 800,
      additionalUnits: 1,
      additionalFeeFen: 200,
      rules: [{ regions: ['65'], firstFeeFen: 2000, additionalFeeFen: 1000 }],
      excludedRegions: ['71'],
      isDefault: true,
    });
    // By weight: ¥10 the first kg, ¥3 each 500 g begun; free from ¥200 of its goods; no delivery to Tibet.
    byWeight = await template(s, {
      name: '按重量',
      chargeMode: 'weight',
      firstUnits: 1000,
      firstFeeFen: 1000,
      additionalUnits: 500,
      additionalFeeFen: 300,
      freeAboveFen: 20000,
      excludedRegions: ['54'],
    });
    [p1, p2, p3] = await Promise.all([
      item(s, 1000, 200, null),
      item(s, 3000, 1200, byWeight.id),
      item(s, 2000, 300, byWeight.id),
    ]);
  });

  const checkout = async (regionCode: string, items: Array<{ skuId: number; quantity: number }>) => {
    const b = await buyer(t, s, regionCode);
    const preview = await t.api
      .post(s.url('/checkout/preview'))
      .set(bearer(b.token))
      .send({ items, addressId: b.addressId });
    const placed = await t.api
      .post(s.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `f-${uid()}`)
      .send({ items, addressId: b.addressId });
    return { preview, placed };
  };

  it('saves the template with its mode and rates, and the SKU weight and the product template with the product', async () => {
    const list = (await t.api.get(m('/shipping-templates')).set(bearer(s.merchant)).expect(200)).body;
    expect(list[0]).toMatchObject({ id: byPiece.id, isDefault: true, chargeMode: 'piece', additionalFeeFen: 200 });
    expect(list.find((x: { id: number }) => x.id === byWeight.id)).toMatchObject({
      chargeMode: 'weight',
      firstUnits: 1000,
      firstFeeFen: 1000,
      additionalUnits: 500,
      additionalFeeFen: 300,
      freeAboveFen: 20000,
      freeMinUnits: null,
      isDefault: false,
    });
    const saved = (
      await t.api
        .get(m(`/catalog/products/${p2.productId}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(saved).toMatchObject({ freightTemplateId: byWeight.id, skus: [{ weightGrams: 1200, volumeCm3: 0 }] });

    // A product written again without weights or a template (a client that knows nothing of them) keeps them.
    const input = productInput(s.leaf, {
      title: p2.title,
      specs: [],
      skus: [{ specValues: [], priceFen: 3000, stock: 100 }],
    });
    expect(input).not.toHaveProperty('freightTemplateId');
    await t.api
      .put(m(`/catalog/products/${p2.productId}`))
      .set(bearer(s.merchant))
      .send(input)
      .expect(200);
    const again = (
      await t.api
        .get(m(`/catalog/products/${p2.productId}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(again).toMatchObject({ freightTemplateId: byWeight.id, skus: [{ weightGrams: 1200 }] });
  });

  it('groups lines by template and combines them: the largest first fee, the other template at its additional rate', async () => {
    const { preview, placed } = await checkout('110101', [
      { skuId: p1.skuId, quantity: 3 },
      { skuId: p2.skuId, quantity: 1 },
      { skuId: p3.skuId, quantity: 2 },
    ]);
    // By weight, 1 800 g: ¥10 for the first kg, then 800 g → 2 steps of 500 g begun at ¥3 = ¥16 (it leads: ¥10 > ¥8).
    // By piece, 3 pieces, each at its additional ¥2 = ¥6. Together ¥22.
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ itemsTotalFen: 10000, shippingFen: 2200, totalFen: 12200 });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ itemsTotalFen: 10000, shippingFen: 2200, totalFen: 12200 });
    const row = await t.platform.knex('orders').where({ id: placed.body.id }).first();
    expect(Number(row.shipping_fen)).toBe(2200);
  });

  it("frees a template's group by its own goods, and prices a region by the rule that matches it", async () => {
    // ¥210 of goods by weight: that group is free; the piece group alone pays its first fee.
    const free = await checkout('110101', [
      { skuId: p1.skuId, quantity: 1 },
      { skuId: p2.skuId, quantity: 7 },
    ]);
    expect(free.preview.body).toMatchObject({ shippingFen: 800 });
    expect(free.placed.body).toMatchObject({ shippingFen: 800, totalFen: 1000 + 21000 + 800 });
    // Xinjiang by piece: ¥20 then ¥10.
    const far = await checkout('650102', [{ skuId: p1.skuId, quantity: 2 }]);
    expect(far.preview.body).toMatchObject({ shippingFen: 3000 });
    expect(far.placed.body).toMatchObject({ shippingFen: 3000 });
  });

  it('refuses a region any line’s template does not deliver to, naming those products, and places nothing', async () => {
    const orders = async () =>
      Number((await t.platform.knex('orders').where({ tenant_id: s.shop.id }).count({ n: '*' }))[0]!.n);
    const before = await orders();
    const { preview, placed } = await checkout('540102', [
      { skuId: p1.skuId, quantity: 1 },
      { skuId: p2.skuId, quantity: 1 },
    ]);
    for (const res of [preview, placed]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ reason: 'NOT_DELIVERABLE', params: { titles: p2.title } });
      expect(res.body.error.details.problems).toEqual([
        { skuId: p2.skuId, productId: p2.productId, reason: 'not_deliverable', regionCode: '540102' },
      ]);
    }
    expect(await orders()).toBe(before);
    // The line the default template delivers goes alone.
    const alone = await checkout('540102', [{ skuId: p1.skuId, quantity: 1 }]);
    expect(alone.placed.status).toBe(201);
    expect(alone.placed.body).toMatchObject({ shippingFen: 800 });
    expect(await orders()).toBe(before + 1);
  });

  it("refuses another shop's template on a product, and another shop cannot read, change or delete this shop's", async () => {
    const theirs = await template(other, { name: '他店', firstFeeFen: 100 });
    for (const freightTemplateId of [theirs.id, 999_999_999]) {
      const res = await t.api
        .post(m('/catalog/products'))
        .set(bearer(s.merchant))
        .send(productInput(s.leaf, { title: `借用${uid()}`, freightTemplateId }));
      expect(res.status).toBe(400);
      expect(res.body.error.details.issues).toEqual([
        expect.objectContaining({ path: 'body.freightTemplateId', reason: 'FREIGHT_TEMPLATE_NOT_FOUND' }),
      ]);
    }
    await t.api
      .put(m(`/catalog/products/${p3.productId}`))
      .set(bearer(s.merchant))
      .send(productInput(s.leaf, { title: p3.title, freightTemplateId: theirs.id }))
      .expect(400);
    expect(
      (
        await t.api
          .get(m(`/catalog/products/${p3.productId}`))
          .set(bearer(s.merchant))
          .expect(200)
      ).body.freightTemplateId,
    ).toBe(byWeight.id);

    const listed = (await t.api.get(m('/shipping-templates')).set(bearer(other.merchant)).expect(200)).body;
    expect(listed.map((x: { id: number }) => x.id)).toEqual([theirs.id]);
    await t.api
      .put(m(`/shipping-templates/${byWeight.id}`))
      .set(bearer(other.merchant))
      .send({ name: '改', chargeMode: 'piece', firstFeeFen: 0 })
      .expect(404);
    await t.api
      .delete(m(`/shipping-templates/${byWeight.id}`))
      .set(bearer(other.merchant))
      .expect(404);
    // Their product with their template prices by theirs, never by this shop's.
    const mine = await item(other, 1000, 0, theirs.id);
    const b = await buyer(t, other, '110101');
    const preview = await t.api
      .post(other.url('/checkout/preview'))
      .set(bearer(b.token))
      .send({ items: [{ skuId: mine.skuId, quantity: 2 }], addressId: b.addressId })
      .expect(200);
    expect(preview.body.shippingFen).toBe(100);
  });

  it('an import updating a product keeps its template and its SKUs’ weights (the file has no such columns)', async () => {
    const spu = `FW-${uid()}`;
    const ctx = {
      requestId: 'test',
      tenantId: s.shop.id,
      actor: { type: 'system' as const, job: 'test' },
      log: t.platform.log,
    };
    const header =
      'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';
    const importRow = async (priceFen: number) => {
      const csv = `${header}\n${spu},导入重物,,,家居/杂货,,,,,on_sale,,,${priceFen},,5`;
      const started = await t.api
        .post(m('/catalog/imports'))
        .set(bearer(s.merchant))
        .attach('file', Buffer.from(csv), 'freight.csv')
        .expect(201);
      expect(await t.platform.services.imports.run(ctx, started.body.id)).toMatchObject({
        status: 'done',
        rejectedRows: 0,
      });
    };
    await importRow(500);
    const productId = Number(
      (await t.platform.knex('products').where({ tenant_id: s.shop.id, spu_code: spu }).first()).id,
    );
    const stored = (
      await t.api
        .get(m(`/catalog/products/${productId}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(stored).toMatchObject({ freightTemplateId: null, skus: [{ weightGrams: 0 }] });
    await t.api
      .put(m(`/catalog/products/${productId}`))
      .set(bearer(s.merchant))
      .send(
        productInput(stored.categoryId, {
          title: '导入重物',
          specs: [],
          skus: [{ specValues: [], priceFen: 500, stock: 5, weightGrams: 2500 }],
          freightTemplateId: byWeight.id,
        }),
      )
      .expect(200);
    await importRow(600);
    const after = (
      await t.api
        .get(m(`/catalog/products/${productId}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(after).toMatchObject({ freightTemplateId: byWeight.id, skus: [{ priceFen: 600, weightGrams: 2500 }] });
    // Back to the default, so that the delete test below counts only the products it set up.
    await t.api
      .put(m(`/catalog/products/${productId}`))
      .set(bearer(s.merchant))
      .send(
        productInput(stored.categoryId, {
          title: '导入重物',
          specs: [],
          skus: [{ specValues: [], priceFen: 600, stock: 5 }],
          freightTemplateId: null,
        }),
      )
      .expect(200);
  });

  it('refuses bad templates and bad weights', async () => {
    for (const body of [
      { name: '坏', chargeMode: 'box', firstFeeFen: 0 },
      { name: '坏', firstFeeFen: 0, additionalUnits: 0 },
      { name: '坏', firstFeeFen: 0, firstUnits: 1.5 },
      { name: '坏', firstFeeFen: 0, freeMinUnits: 0 },
      { name: '坏', firstFeeFen: 0, rules: [{ regions: ['11'], firstFeeFen: 0, additionalFeeFen: -1 }] },
    ])
      await t.api.post(m('/shipping-templates')).set(bearer(s.merchant)).send(body).expect(400);
    await t.api
      .post(m('/catalog/products'))
      .set(bearer(s.merchant))
      .send(
        productInput(s.leaf, {
          title: `坏${uid()}`,
          specs: [],
          skus: [{ specValues: [], priceFen: 100, stock: 1, weightGrams: -1 }],
        }),
      )
      .expect(400);
  });

  it('refuses to delete a template products ship by, saying how many; once none does it goes, and a product left naming it ships by the default', async () => {
    const refused = await t.api
      .delete(m(`/shipping-templates/${byWeight.id}`))
      .set(bearer(s.merchant))
      .expect(409);
    expect(refused.body.error).toMatchObject({ reason: 'SHIPPING_TEMPLATE_IN_USE', params: { count: 2 } });

    // p3 moves to the default; p2 is deleted (a deleted product does not count).
    await t.api
      .put(m(`/catalog/products/${p3.productId}`))
      .set(bearer(s.merchant))
      .send(
        productInput(s.leaf, {
          title: p3.title,
          specs: [],
          skus: [{ specValues: [], priceFen: 2000, stock: 100 }],
          freightTemplateId: null,
        }),
      )
      .expect(200);
    await t.api
      .delete(m(`/catalog/products/${p2.productId}`))
      .set(bearer(s.merchant))
      .expect(200);
    await t.api
      .delete(m(`/shipping-templates/${byWeight.id}`))
      .set(bearer(s.merchant))
      .expect(200);

    // A product saved with the template while it was being deleted (the two raced) still prices, by the default.
    await t.platform.knex('products').where({ id: p3.productId }).update({ freight_template_id: byWeight.id });
    const { preview, placed } = await checkout('110101', [{ skuId: p3.skuId, quantity: 2 }]);
    expect(preview.body).toMatchObject({ shippingFen: 1000 });
    expect(placed.body).toMatchObject({ shippingFen: 1000 });
  });
});
