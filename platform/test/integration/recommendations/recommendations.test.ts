import type { ProductCard, Recommendations } from '@shopfleet/contracts';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';
import { category, createProduct, productInput } from '../../helpers/catalog';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

const anId = (prefix: string) => `${prefix}${uid()}${uid()}`;

interface Shop extends SellingShop {
  tenantId: number;
  /** Products 0…5 in the shop's leaf category, 6 and 7 in another. */
  products: Array<{ productId: number; skuId: number }>;
}

async function shop(): Promise<Shop> {
  const s = await sellingShop(t);
  const products = [];
  for (let i = 0; i < 6; i++) products.push(await product(t, s, 1_000, 1_000 + i));
  const other = await category(t, s.merchant, `别类${uid()}`);
  for (let i = 0; i < 2; i++) {
    const productId = await createProduct(
      t,
      s.merchant,
      productInput(other, {
        title: `别品${uid()}`,
        specs: [],
        skus: [{ specValues: [], priceFen: 900, stock: 1_000 }],
      }),
    );
    products.push({ productId, skuId: 0 });
  }
  const tenantId = (await t.platform.services.tenants.findBySlug(s.shop.slug))!.id;
  return { ...s, tenantId, products };
}

/** A visit of a device: its product views (and cart adds), as the shop sends them. */
async function visit(
  s: Shop,
  device: string,
  productIds: number[],
  kind: 'product_view' | 'add_to_cart' = 'product_view',
) {
  const session = anId('v');
  const at = t.clock.now().getTime() - 60_000;
  const res = await t.api
    .post(s.url('/events'))
    .send({
      device,
      events: productIds.map((productId, i) => ({
        id: anId('e'),
        kind,
        at: new Date(at + i * 1_000).toISOString(),
        session,
        productId,
      })),
    })
    .expect(200);
  expect(res.body.accepted).toBe(productIds.length);
}

/** A shopper who pays an order of each of these products (one line each). */
async function buys(s: Shop, skuIds: number[]) {
  const b = await buyer(t, s);
  for (const skuId of skuIds) {
    const order = await placeOrder(t, s, b, [{ skuId, quantity: 1 }]);
    await paySandbox(t, s, b.token, order.id);
  }
  return b;
}

const rebuild = (s: Shop) => t.platform.services.recommendationBuilds.rebuild(systemCtx(t, s.tenantId));
const update = (s: Shop) => t.platform.services.recommendationBuilds.update(systemCtx(t, s.tenantId));

async function get(path: string, token?: string, status = 200): Promise<Recommendations> {
  const req = t.api.get(path);
  return (await (token ? req.set(bearer(token)) : req).expect(status)).body as Recommendations;
}
const ids = (r: Recommendations) => r.items.map((c: ProductCard) => c.id);

describe('recommendations from the shop’s own events', () => {
  it('看了又看 lists what was viewed in the same visits, best first; 买了又买 what the same shoppers bought; both topped up by the category', async () => {
    const s = await shop();
    const [p0, p1, p2, p3, p4] = s.products;
    for (let n = 0; n < 3; n++) await visit(s, anId('d'), [p0!.productId, p1!.productId]);
    await visit(s, anId('d'), [p0!.productId, p2!.productId]);
    await visit(s, anId('d'), [p0!.productId], 'add_to_cart');
    await buys(s, [p0!.skuId, p3!.skuId]);
    await buys(s, [p3!.skuId, p0!.skuId, p4!.skuId]);
    const report = await rebuild(s);
    // 9 views and cart adds, 5 paid lines.
    expect(report).toMatchObject({ outcome: 'rebuilt', products: 8, events: 14 });

    const viewed = await get(s.url(`/products/${p0!.productId}/viewed-together?limit=5`));
    expect(viewed.basis).toBe('personal');
    expect(ids(viewed).slice(0, 2)).toEqual([p1!.productId, p2!.productId]);
    expect(ids(viewed)).toHaveLength(5);
    expect(ids(viewed)).not.toContain(p0!.productId);
    // The rest is the category's popular products (p3 and p4 were bought), then the shop's.
    expect(ids(viewed).slice(2, 4).sort()).toEqual([p3!.productId, p4!.productId].sort());

    const bought = await get(s.url(`/products/${p0!.productId}/bought-together`));
    expect(ids(bought)[0]).toBe(p3!.productId);
    expect(ids(bought)[1]).toBe(p4!.productId);
    expect(bought.items[0]).toMatchObject({ id: p3!.productId, title: expect.any(String), priceFen: 1_003 });
    expect(ids(bought)).not.toContain(p0!.productId);
  });

  it('猜你喜欢 follows the device’s latest views at once, leaves out what the shopper bought and what the cart holds; a new device sees the shop’s popular products', async () => {
    const s = await shop();
    const [p0, p1, p2, p3, , p5] = s.products;
    for (let n = 0; n < 3; n++) await visit(s, anId('d'), [p0!.productId, p1!.productId, p5!.productId]);
    for (let n = 0; n < 2; n++) await visit(s, anId('d'), [p2!.productId, p3!.productId]);
    await rebuild(s);

    // A new device: the shop's popular products.
    const fresh = await get(s.url(`/recommendations?device=${anId('d')}&limit=4`));
    expect(fresh.basis).toBe('popular');
    expect(ids(fresh)).toHaveLength(4);
    expect(ids(fresh).slice(0, 3).sort()).toEqual([p0!.productId, p1!.productId, p5!.productId].sort());

    // A device that just viewed p2 (no rebuild since): p3 first.
    const device = anId('d');
    await visit(s, device, [p2!.productId]);
    const mine = await get(s.url(`/recommendations?device=${device}`));
    expect(mine.basis).toBe('personal');
    expect(ids(mine)[0]).toBe(p3!.productId);

    // Then p0: its neighbours come first (the newest view weighs most).
    await visit(s, device, [p0!.productId]);
    expect(
      ids(await get(s.url(`/recommendations?device=${device}`)))
        .slice(0, 2)
        .sort(),
    ).toEqual([p1!.productId, p5!.productId].sort());

    // Signed in, the shopper's purchases count and are never shown; `exclude` (the cart) leaves out more.
    const b = await buys(s, [p1!.skuId]);
    const signedIn = await get(s.url(`/recommendations?device=${device}`), b.token);
    expect(ids(signedIn)).not.toContain(p1!.productId);
    expect(ids(signedIn)[0]).toBe(p5!.productId);
    const inCart = await get(s.url(`/recommendations?device=${device}&exclude=${p5!.productId}`), b.token);
    expect(ids(inCart)).not.toContain(p5!.productId);
    expect(ids(inCart)).not.toContain(p1!.productId);
    // Anonymous, the same device still sees p1 (the purchase is the shopper's, not the device's).
    expect(ids(await get(s.url(`/recommendations?device=${device}`)))).toContain(p1!.productId);
  });

  it('never shows a product that is off sale or deleted, and answers 404 for such a product’s lists', async () => {
    const s = await shop();
    const [p0, p1, p2] = s.products;
    for (let n = 0; n < 3; n++) await visit(s, anId('d'), [p0!.productId, p1!.productId, p2!.productId]);
    await rebuild(s);
    const device = anId('d');
    await visit(s, device, [p0!.productId]);
    expect(ids(await get(s.url(`/products/${p0!.productId}/viewed-together`)))).toContain(p1!.productId);
    expect(ids(await get(s.url(`/recommendations?device=${device}`)))).toContain(p1!.productId);

    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(s.merchant))
      .send({ ids: [p1!.productId], action: 'off_sale' })
      .expect(200);
    await t.api.delete(`/merchant-api/v1/catalog/products/${p2!.productId}`).set(bearer(s.merchant)).expect(200);
    const viewed = await get(s.url(`/products/${p0!.productId}/viewed-together?limit=20`));
    expect(ids(viewed)).not.toContain(p1!.productId);
    expect(ids(viewed)).not.toContain(p2!.productId);
    expect(ids(viewed).length).toBeGreaterThan(0);
    const guess = await get(s.url(`/recommendations?device=${device}&limit=20`));
    expect(ids(guess)).not.toContain(p1!.productId);
    expect(ids(guess)).not.toContain(p2!.productId);
    await get(s.url(`/products/${p1!.productId}/viewed-together`), undefined, 404);
    await get(s.url(`/products/${p2!.productId}/bought-together`), undefined, 404);

    // The next rebuild forgets them: no list of theirs, no count, nobody's neighbour.
    await rebuild(s);
    const { knex } = t.platform;
    const gone = [p1!.productId, p2!.productId];
    const counted = await knex('recommendation_products').where({ tenant_id: s.tenantId }).pluck('product_id');
    expect(counted.map(Number).filter((id: number) => gone.includes(id))).toEqual([]);
    expect(await knex('product_similar').where({ tenant_id: s.tenantId }).whereIn('product_id', gone)).toEqual([]);
    const p0Lists = (
      await t.platform.services.recommendations.together(systemCtx(t, s.tenantId), p0!.productId, 'viewed', 20)
    ).items;
    expect(p0Lists.map((c) => c.id).filter((id) => gone.includes(id))).toEqual([]);
  });

  it('an update adds the events since the last build (a visit across both pairs its old and new products); a shop never built is built', async () => {
    const s = await shop();
    const [p0, p1, p2, p3] = s.products;
    // Never built: the update builds it.
    expect((await update(s)).outcome).toBe('rebuilt');
    expect((await update(s)).outcome).toBe('unchanged');

    const device = anId('d');
    const session = anId('v');
    const send = async (productId: number) =>
      t.api
        .post(s.url('/events'))
        .send({
          device,
          events: [{ id: anId('e'), kind: 'product_view', at: t.clock.now().toISOString(), session, productId }],
        })
        .expect(200);
    await send(p2!.productId);
    expect((await update(s)).outcome).toBe('updated');
    // The same visit goes on after the update: p3 pairs with p2, counted once.
    await send(p3!.productId);
    for (let n = 0; n < 2; n++) await visit(s, anId('d'), [p0!.productId, p1!.productId]);
    const report = await update(s);
    expect(report).toMatchObject({ outcome: 'updated', events: 5 });
    expect(ids(await get(s.url(`/products/${p2!.productId}/viewed-together`)))[0]).toBe(p3!.productId);
    expect(ids(await get(s.url(`/products/${p0!.productId}/viewed-together`)))[0]).toBe(p1!.productId);
    const lists = await t.platform.services.recommendations.together(
      systemCtx(t, s.tenantId),
      p2!.productId,
      'viewed',
      20,
    );
    expect(lists.basis).toBe('personal');

    // A rebuild counts the same pairs from scratch; one asked while another runs leaves it be.
    const both = await Promise.all([rebuild(s), rebuild(s)]);
    expect(both.map((r) => r.outcome).sort()).toEqual(['rebuilt', 'skipped']);
    expect(ids(await get(s.url(`/products/${p2!.productId}/viewed-together`)))[0]).toBe(p3!.productId);
  });
});

describe('each shop’s recommendations are its own', () => {
  it('another shop’s events never shape a shop’s lists, and a shop answers nothing of another’s products or shoppers', async () => {
    const a = await shop();
    const b = await shop();
    const device = anId('d');
    for (let n = 0; n < 3; n++) await visit(a, anId('d'), [a.products[0]!.productId, a.products[1]!.productId]);
    await visit(a, device, [a.products[0]!.productId]);
    // The same device in shop B viewed only B's p4.
    await visit(b, device, [b.products[4]!.productId]);
    const buyerOfA = await buys(a, [a.products[2]!.skuId]);
    await rebuild(a);
    await rebuild(b);

    // B's lists of its product 0 know nothing of A's visits.
    const bViewed = await get(b.url(`/products/${b.products[0]!.productId}/viewed-together`));
    expect(bViewed.basis).toBe('popular');
    const bIds = new Set(b.products.map((p) => p.productId));
    expect(ids(bViewed).every((id) => bIds.has(id))).toBe(true);
    // The device's history in B is B's only.
    const bGuess = await get(b.url(`/recommendations?device=${device}&limit=20`));
    expect(bGuess.basis).toBe('personal');
    expect(ids(bGuess).every((id) => bIds.has(id))).toBe(true);
    // In A, the same device's history is A's: A's p1, viewed with p0.
    expect(ids(await get(a.url(`/recommendations?device=${device}`)))[0]).toBe(a.products[1]!.productId);

    // A's product through B's path: not found; A's shopper on B's path: refused.
    await get(b.url(`/products/${a.products[0]!.productId}/viewed-together`), undefined, 404);
    await get(b.url(`/products/${a.products[0]!.productId}/bought-together`), undefined, 404);
    const wrong = await t.api
      .get(b.url(`/recommendations?device=${device}`))
      .set(bearer(buyerOfA.token))
      .expect(403);
    expect(wrong.body.error.code).toBe('WRONG_SHOP');

    // B's rebuild left A's lists as they were.
    expect(ids(await get(a.url(`/products/${a.products[0]!.productId}/viewed-together`)))[0]).toBe(
      a.products[1]!.productId,
    );
    const rows = await t.platform.knex('product_similar').where({ tenant_id: b.tenantId }).select('product_id');
    expect(rows.every((r: { product_id: number }) => bIds.has(Number(r.product_id)))).toBe(true);
  });

  it('refuses bad input: a malformed device id, a limit out of range, too many exclusions', async () => {
    const s = await shop();
    await t.api.get(s.url('/recommendations?device=short')).expect(400);
    await t.api.get(s.url(`/recommendations?device=${anId('d')}&limit=21`)).expect(400);
    await t.api.get(s.url(`/products/${s.products[0]!.productId}/viewed-together?limit=0`)).expect(400);
    const many = Array.from({ length: 51 }, (_, i) => `exclude=${i + 1}`).join('&');
    await t.api.get(s.url(`/recommendations?${many}`)).expect(400);
    const anonymous = await t.api.get(s.url('/recommendations')).expect(200);
    expect(anonymous.headers['cache-control']).toBe('private, no-store');
  });
});
