import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin } from '../../helpers/fixtures';
import { branch, createProduct, pngBytes, productInput } from '../../helpers/catalog';
import { buyer, placeOrder, sellingShop, type SellingShop } from '../../helpers/orders';

// The rules a product sets itself in the editor: when it goes on and off sale (定时上下架), and how many units one
// order and one shopper may buy (限购) — the latter judged under concurrency, across two API processes.
let one: TestPlatform;
let many: TestPlatform;
let s: SellingShop;
beforeAll(async () => {
  one = await startTestPlatform();
  many = await startTestPlatform({ ORDER_PLACEMENT_BATCH: '1', ORDER_PLACEMENT_CONCURRENCY: '20' });
  s = await sellingShop(one);
});
afterAll(async () => {
  await many?.close();
  await one?.close();
});

const system = (tenantId: number) => ({
  requestId: 'test',
  tenantId,
  actor: { type: 'system' as const, job: 'test' },
  log: one.platform.log,
});
const hours = (n: number) => new Date(Date.now() + n * 3_600_000);
const single = (over: Record<string, unknown> = {}) =>
  productInput(s.leaf, {
    title: `限购${uid()}`,
    specs: [],
    skus: [{ specValues: [], priceFen: 1000, stock: 100 }],
    ...over,
  });
const merchantProduct = async (id: number) =>
  (await one.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(s.merchant)).expect(200)).body;
const shopSees = async (id: number) => (await one.api.get(s.url(`/products/${id}`))).status;
const skuOf = async (id: number) => (await merchantProduct(id)).skus[0].id as number;

describe('scheduled on-sale and off-sale times', () => {
  it('a draft goes on sale at its time and off sale at the next, each cleared once applied', async () => {
    const on = hours(1);
    const off = hours(3);
    const id = await createProduct(
      one,
      s.merchant,
      single({ status: 'draft', schedule: { onSaleAt: on.toISOString(), offSaleAt: off.toISOString() } }),
    );
    expect((await merchantProduct(id)).schedule).toEqual({ onSaleAt: on.toISOString(), offSaleAt: off.toISOString() });
    expect(await shopSees(id)).toBe(404);

    // Not yet: nothing moves.
    expect(await one.platform.services.catalog.applySchedules(system(s.shop.id), hours(0.5))).toEqual({
      onSale: 0,
      offSale: 0,
    });
    expect(await shopSees(id)).toBe(404);

    expect(await one.platform.services.catalog.applySchedules(system(s.shop.id), hours(2))).toMatchObject({
      onSale: 1,
    });
    expect(await merchantProduct(id)).toMatchObject({
      status: 'on_sale',
      schedule: { onSaleAt: null, offSaleAt: off.toISOString() },
    });
    expect(await shopSees(id)).toBe(200);

    expect(await one.platform.services.catalog.applySchedules(system(s.shop.id), hours(4))).toMatchObject({
      offSale: 1,
    });
    expect(await merchantProduct(id)).toMatchObject({
      status: 'off_sale',
      schedule: { onSaleAt: null, offSaleAt: null },
    });
    expect(await shopSees(id)).toBe(404);
  });

  it("is refused in the past, off before on, or to go on sale while on sale; a hand's on-sale ends the wait", async () => {
    const bad = async (schedule: object, status = 'draft') =>
      (
        await one.api
          .post('/merchant-api/v1/catalog/products')
          .set(bearer(s.merchant))
          .send(single({ status, schedule }))
          .expect(400)
      ).body.error.details.issues.map((i: { code: string }) => i.code);
    expect(await bad({ onSaleAt: hours(-1).toISOString(), offSaleAt: null })).toEqual(['SCHEDULE_IN_PAST']);
    expect(await bad({ onSaleAt: hours(3).toISOString(), offSaleAt: hours(2).toISOString() })).toEqual([
      'SCHEDULE_OFF_BEFORE_ON',
    ]);
    expect(await bad({ onSaleAt: hours(3).toISOString(), offSaleAt: null }, 'on_sale')).toEqual([
      'SCHEDULE_ALREADY_ON_SALE',
    ]);

    const id = await createProduct(
      one,
      s.merchant,
      single({ status: 'off_sale', schedule: { onSaleAt: hours(5).toISOString(), offSaleAt: null } }),
    );
    await one.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(s.merchant))
      .send({ ids: [id], action: 'on_sale' })
      .expect(200);
    expect(await merchantProduct(id)).toMatchObject({ status: 'on_sale', schedule: { onSaleAt: null } });
  });

  it("another shop's schedule run never moves this shop's products, nor can its merchant read or change them", async () => {
    const id = await createProduct(
      one,
      s.merchant,
      single({ status: 'draft', schedule: { onSaleAt: hours(1).toISOString(), offSaleAt: null } }),
    );
    const other = await createShop(one);
    const otherMerchant = (await merchantLogin(one, other.owner)).accessToken;
    const { leaf } = await branch(one, otherMerchant, `别家${uid()}`);
    await createProduct(one, otherMerchant, productInput(leaf, { status: 'draft' }));
    await one.platform.services.catalog.applySchedules(system(other.id), hours(2));
    const still = await merchantProduct(id);
    expect(still.status).toBe('draft');
    expect(still.schedule.onSaleAt).not.toBeNull();
    await one.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(otherMerchant)).expect(404);
    await one.api
      .put(`/merchant-api/v1/catalog/products/${id}`)
      .set(bearer(otherMerchant))
      .send(productInput(leaf, { limits: { perOrder: 1, perShopper: 1 } }))
      .expect(404);
    expect((await merchantProduct(id)).limits).toEqual({ perOrder: null, perShopper: null });
  });
});

describe('purchase limits', () => {
  it('an order holds at most the limit per order; the shop shows the limits', async () => {
    const id = await createProduct(one, s.merchant, single({ limits: { perOrder: 2, perShopper: null } }));
    const skuId = await skuOf(id);
    const detail = (await one.api.get(s.url(`/products/${id}`)).expect(200)).body;
    expect(detail.limits).toEqual({ perOrder: 2, perShopper: null });
    const b = await buyer(one, s);
    const refused = await one.api
      .post(s.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `o-${uid()}`)
      .send({ items: [{ skuId, quantity: 3 }], addressId: b.addressId })
      .expect(409);
    expect(refused.body.error).toMatchObject({ reason: 'PURCHASE_LIMIT_PER_ORDER', params: { limit: 2 } });
    await placeOrder(one, s, b, [{ skuId, quantity: 2 }]);
    await placeOrder(one, s, b, [{ skuId, quantity: 2 }]);
  });

  it("a shopper's orders not cancelled count towards the limit per shopper; a cancelled one gives its units back", async () => {
    const id = await createProduct(one, s.merchant, single({ limits: { perOrder: null, perShopper: 3 } }));
    const skuId = await skuOf(id);
    const b = await buyer(one, s);
    const first = await placeOrder(one, s, b, [{ skuId, quantity: 2 }]);
    const preview = await one.api
      .post(s.url('/checkout/preview'))
      .set(bearer(b.token))
      .send({ items: [{ skuId, quantity: 2 }], addressId: b.addressId })
      .expect(409);
    expect(preview.body.error).toMatchObject({
      reason: 'PURCHASE_LIMIT_PER_SHOPPER',
      params: { limit: 3, bought: 2 },
    });
    await one.api
      .post(s.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `o-${uid()}`)
      .send({ items: [{ skuId, quantity: 2 }], addressId: b.addressId })
      .expect(409);
    // Another shopper has a limit of their own.
    await placeOrder(one, s, await buyer(one, s), [{ skuId, quantity: 3 }]);

    await one.api
      .post(s.url(`/orders/${first.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(200);
    await placeOrder(one, s, b, [{ skuId, quantity: 3 }]);
  });

  it.each([
    ['one process', () => [one]],
    ['two processes on one database, every order a batch of its own', () => [one, many]],
  ])('12 orders of one shopper at once never pass a limit of 3: %s', async (_name, via) => {
    const id = await createProduct(one, s.merchant, single({ limits: { perOrder: null, perShopper: 3 } }));
    const skuId = await skuOf(id);
    const b = await buyer(one, s);
    const platforms = via();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        platforms[i % platforms.length]!.api.post(s.url('/orders'))
          .set(bearer(b.token))
          .set('Idempotency-Key', `race-${uid()}`)
          .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId }),
      ),
    );
    // ORDER_MAX_UNPAID (5) is above the limit, so the limit alone refuses the rest.
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.error).toMatchObject({ reason: 'PURCHASE_LIMIT_PER_SHOPPER', params: { limit: 3 } });
    const units = await one.platform
      .knex('order_items as i')
      .join('orders as o', 'o.id', 'i.order_id')
      .where({ 'o.tenant_id': s.shop.id, 'o.shopper_id': b.shopperId, 'i.product_id': id })
      .sum({ n: 'i.quantity' });
    expect(Number(units[0]!.n)).toBe(3);
    expect(Number((await one.platform.knex('skus').where({ id: skuId }).first()).stock)).toBe(97);
  });
});

/** A small MP4 as its boxes: ftyp (isom), moov, mdat. */
function mp4(): Buffer {
  const box = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  return Buffer.concat([
    box('ftyp', Buffer.from('isom\0\0\0\0isomavc1', 'latin1')),
    box('moov', Buffer.alloc(64)),
    box('mdat', Buffer.alloc(4096, 7)),
  ]);
}

const uploadVideo = async () =>
  (
    await one.api
      .post('/merchant-api/v1/catalog/videos')
      .set(bearer(s.merchant))
      .attach('file', mp4(), 'v.mp4')
      .expect(201)
  ).body;

describe('product videos', () => {
  it('an MP4 is stored and shown before the images; another format is refused from its bytes', async () => {
    const video = await uploadVideo();
    expect(video).toMatchObject({ id: expect.any(Number), bytes: mp4().length, url: expect.stringMatching(/\.mp4$/) });
    const stored = await one.platform.knex('catalog_videos').where({ id: video.id }).first();
    expect(Number(stored.tenant_id)).toBe(s.shop.id);

    const id = await createProduct(one, s.merchant, single({ videoId: video.id }));
    expect((await merchantProduct(id)).video).toEqual(video);
    expect((await one.api.get(s.url(`/products/${id}`)).expect(200)).body.video).toEqual({ url: video.url });

    const refused = await one.api
      .post('/merchant-api/v1/catalog/videos')
      .set(bearer(s.merchant))
      .attach('file', await pngBytes(), 'v.mp4')
      .expect(415);
    expect(refused.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', reason: 'FILE_NOT_MP4' });
  });

  it("another shop can neither show this shop's video nor upload without a merchant's sign-in", async () => {
    const video = await uploadVideo();
    const other = await createShop(one);
    const otherMerchant = (await merchantLogin(one, other.owner)).accessToken;
    const { leaf } = await branch(one, otherMerchant, `视频${uid()}`);
    const res = await one.api
      .post('/merchant-api/v1/catalog/products')
      .set(bearer(otherMerchant))
      .send(productInput(leaf, { videoId: video.id }))
      .expect(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('body.videoId');
    await one.api.post('/merchant-api/v1/catalog/videos').attach('file', mp4(), 'v.mp4').expect(401);
  });
});
