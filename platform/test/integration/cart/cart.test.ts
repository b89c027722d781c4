import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, shopperLogin, type TestShop } from '../../helpers/fixtures';
import { branch, createProduct, productInput } from '../../helpers/catalog';

let t: TestPlatform;
let shop: TestShop;
let other: TestShop;
let merchant: string;
let shopper: string;
let productId: number;
let skus: Array<{ id: number; specValues: string[]; priceFen: number }>;
beforeAll(async () => {
  t = await startTestPlatform();
  shop = await createShop(t);
  other = await createShop(t);
  merchant = (await merchantLogin(t, shop.owner)).accessToken;
  shopper = (await shopperLogin(t, shop.slug)).accessToken;
  const { leaf } = await branch(t, merchant, '购物车');
  productId = await createProduct(t, merchant, productInput(leaf));
  skus = (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(merchant)).expect(200)).body
    .skus;
});
afterAll(() => t.close());

const shopUrl = (path: string) => `/shop-api/v1/shops/${shop.slug}${path}`;
const address = (over: Record<string, unknown> = {}) => ({
  name: '张三',
  phone: '13912345678',
  regionCode: '350102',
  province: '福建省',
  city: '福州市',
  district: '鼓楼区',
  detail: '五四路 100 号',
  ...over,
});

describe('addresses', () => {
  it('are created, edited and deleted; exactly one is the default', async () => {
    const first = (await t.api.post(shopUrl('/addresses')).set(bearer(shopper)).send(address()).expect(201)).body;
    expect(first.isDefault).toBe(true);
    const second = (
      await t.api
        .post(shopUrl('/addresses'))
        .set(bearer(shopper))
        .send(address({ name: '李四', isDefault: true }))
        .expect(201)
    ).body;
    let list = (await t.api.get(shopUrl('/addresses')).set(bearer(shopper)).expect(200)).body;
    expect(list.map((a: { id: number; isDefault: boolean }) => [a.id, a.isDefault])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    await t.api
      .put(shopUrl(`/addresses/${first.id}`))
      .set(bearer(shopper))
      .send(address({ detail: '新地址 1 号', isDefault: true }))
      .expect(200);
    await t.api
      .delete(shopUrl(`/addresses/${first.id}`))
      .set(bearer(shopper))
      .expect(200);
    list = (await t.api.get(shopUrl('/addresses')).set(bearer(shopper)).expect(200)).body;
    expect(list).toEqual([expect.objectContaining({ id: second.id, isDefault: true })]);
  });

  it('refuse bad phones and region codes', async () => {
    await t.api
      .post(shopUrl('/addresses'))
      .set(bearer(shopper))
      .send(address({ phone: '123' }))
      .expect(400);
    await t.api
      .post(shopUrl('/addresses'))
      .set(bearer(shopper))
      .send(address({ regionCode: '12' }))
      .expect(400);
  });

  it("belong to one shopper: another shopper, or another shop's token, cannot read or change them", async () => {
    const mine = (await t.api.post(shopUrl('/addresses')).set(bearer(shopper)).send(address()).expect(201)).body;
    const someoneElse = (await shopperLogin(t, shop.slug)).accessToken;
    expect((await t.api.get(shopUrl('/addresses')).set(bearer(someoneElse)).expect(200)).body).toEqual([]);
    await t.api
      .put(shopUrl(`/addresses/${mine.id}`))
      .set(bearer(someoneElse))
      .send(address())
      .expect(404);
    await t.api
      .delete(shopUrl(`/addresses/${mine.id}`))
      .set(bearer(someoneElse))
      .expect(404);
    const foreign = (await shopperLogin(t, other.slug)).accessToken;
    await t.api.get(shopUrl('/addresses')).set(bearer(foreign)).expect(403);
  });
});

describe('the cart', () => {
  it('adds SKUs, merges a repeated add, and totals the selected available lines at current prices', async () => {
    const me = (await shopperLogin(t, shop.slug)).accessToken;
    const [black, , white] = skus;
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: black!.id, quantity: 2 }).expect(200);
    const cart = (
      await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: black!.id, quantity: 1 }).expect(200)
    ).body;
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]).toMatchObject({ skuId: black!.id, quantity: 3, priceFen: 19900, available: true });
    expect(cart).toMatchObject({ selectedQuantity: 3, selectedTotalFen: 59700 });
    // The white/standard SKU has 3 in stock: asking for 5 shows the shortfall.
    let next = (
      await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: white!.id, quantity: 5 }).expect(200)
    ).body;
    const whiteLine = next.lines.find((l: { skuId: number }) => l.skuId === white!.id);
    expect(whiteLine).toMatchObject({ available: false, unavailableReason: 'insufficient_stock', stockLeft: 3 });
    expect(next.selectedTotalFen).toBe(59700);
    next = (
      await t.api
        .put(shopUrl(`/cart/items/${whiteLine.id}`))
        .set(bearer(me))
        .send({ quantity: 2 })
        .expect(200)
    ).body;
    expect(next.selectedTotalFen).toBe(59700 + 2 * 19900);
    next = (await t.api.post(shopUrl('/cart/select')).set(bearer(me)).send({ selected: false }).expect(200)).body;
    expect(next).toMatchObject({ selectedQuantity: 0, selectedTotalFen: 0 });
    // Prices are read now: a change by the merchant shows at once.
    const input = productInput(
      (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(merchant))).body.categoryId,
    );
    input.skus[0]!.priceFen = 18800;
    await t.api.put(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(merchant)).send(input).expect(200);
    next = (await t.api.get(shopUrl('/cart')).set(bearer(me)).expect(200)).body;
    expect(next.lines.find((l: { skuId: number }) => l.skuId === black!.id).priceFen).toBe(18800);
    next = (
      await t.api
        .delete(shopUrl(`/cart/items/${whiteLine.id}`))
        .set(bearer(me))
        .expect(200)
    ).body;
    expect(next.lines).toHaveLength(1);
  });

  it('switches a line to another SKU of the same product, merging into a line that has it', async () => {
    const me = (await shopperLogin(t, shop.slug)).accessToken;
    const [a, b] = skus;
    const c1 = (
      await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: a!.id, quantity: 1 }).expect(200)
    ).body;
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: skus[3]!.id, quantity: 1 }).expect(200);
    const lineA = c1.lines[0].id;
    const switched = (
      await t.api
        .put(shopUrl(`/cart/items/${lineA}`))
        .set(bearer(me))
        .send({ skuId: skus[3]!.id })
        .expect(200)
    ).body;
    expect(switched.lines).toHaveLength(1);
    expect(switched.lines[0]).toMatchObject({ skuId: skus[3]!.id, quantity: 2 });
    void b;
  });

  it('shows lines whose product went off sale, and refuses to add what is not for sale or sold out', async () => {
    const me = (await shopperLogin(t, shop.slug)).accessToken;
    const { leaf } = await branch(t, merchant, '下架');
    const pid = await createProduct(
      t,
      merchant,
      productInput(leaf, { specs: [], skus: [{ specValues: [], priceFen: 500, stock: 4 }] }),
    );
    const sku = (await t.api.get(`/merchant-api/v1/catalog/products/${pid}`).set(bearer(merchant))).body.skus[0].id;
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: sku, quantity: 1 }).expect(200);
    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(merchant))
      .send({ ids: [pid], action: 'off_sale' })
      .expect(200);
    const cart = (await t.api.get(shopUrl('/cart')).set(bearer(me)).expect(200)).body;
    expect(cart.lines.find((l: { skuId: number }) => l.skuId === sku)).toMatchObject({
      available: false,
      unavailableReason: 'off_sale',
    });
    expect(cart.selectedTotalFen).toBe(0);
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: sku, quantity: 1 }).expect(404);
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: skus[1]!.id, quantity: 1 }).expect(409);
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: skus[0]!.id, quantity: 100 }).expect(400);
    await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: skus[0]!.id, quantity: 0 }).expect(400);
  });

  it("is per shopper and per shop: another shop's SKU cannot be added, another shopper's line cannot be touched", async () => {
    const me = (await shopperLogin(t, shop.slug)).accessToken;
    const cart = (
      await t.api.post(shopUrl('/cart/items')).set(bearer(me)).send({ skuId: skus[0]!.id, quantity: 1 }).expect(200)
    ).body;
    const someoneElse = (await shopperLogin(t, shop.slug)).accessToken;
    expect((await t.api.get(shopUrl('/cart')).set(bearer(someoneElse)).expect(200)).body.lines).toEqual([]);
    await t.api
      .put(shopUrl(`/cart/items/${cart.lines[0].id}`))
      .set(bearer(someoneElse))
      .send({ quantity: 5 })
      .expect(404);
    await t.api
      .delete(shopUrl(`/cart/items/${cart.lines[0].id}`))
      .set(bearer(someoneElse))
      .expect(404);
    const otherShopper = (await shopperLogin(t, other.slug)).accessToken;
    await t.api
      .post(`/shop-api/v1/shops/${other.slug}/cart/items`)
      .set(bearer(otherShopper))
      .send({ skuId: skus[0]!.id, quantity: 1 })
      .expect(404);
    await t.api.get(shopUrl('/cart')).set(bearer(otherShopper)).expect(403);
    await t.api.get(shopUrl('/cart')).expect(401);
  });
});
