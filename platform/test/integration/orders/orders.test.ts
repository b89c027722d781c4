import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, shopperLogin, type TestShop } from '../../helpers/fixtures';
import { branch, createProduct, productInput } from '../../helpers/catalog';

let t: TestPlatform;
let shop: TestShop;
let merchant: string;
let leaf: number;
beforeAll(async () => {
  t = await startTestPlatform({
    ORDER_MAX_UNPAID: '3',
    ORDER_PLACEMENT_CONCURRENCY: '2',
    ORDER_PLACEMENT_BATCH: '12',
    ORDER_PLACEMENT_QUEUE: '10',
  });
  shop = await createShop(t);
  merchant = (await merchantLogin(t, shop.owner)).accessToken;
  ({ leaf } = await branch(t, merchant, '订单'));
});
afterAll(() => t.close());

const url = (path: string) => `/shop-api/v1/shops/${shop.slug}${path}`;

async function product(stock: number, priceFen = 1000): Promise<{ productId: number; skuId: number }> {
  const productId = await createProduct(
    t,
    merchant,
    productInput(leaf, { title: `商品${uid()}`, specs: [], skus: [{ specValues: [], priceFen, stock }] }),
  );
  const skuId = (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(merchant))).body.skus[0]
    .id as number;
  return { productId, skuId };
}

async function buyer(): Promise<{ token: string; addressId: number }> {
  const token = (await shopperLogin(t, shop.slug)).accessToken;
  const addr = await t.api
    .post(url('/addresses'))
    .set(bearer(token))
    .send({
      name: '王五',
      phone: '13700000000',
      regionCode: '350102',
      province: '福建省',
      city: '福州市',
      district: '鼓楼区',
      detail: '测试路 1 号',
    })
    .expect(201);
  return { token, addressId: addr.body.id };
}

const shopperIdOf = async (b: { addressId: number }) =>
  Number((await t.platform.knex('addresses').where({ id: b.addressId }).first()).shopper_id);

/** Places an order through the service, as the route does, so that several can be asked in one go. */
function place(
  shopperId: number,
  body: { items: Array<{ skuId: number; quantity: number }>; addressId: number },
  key: string,
) {
  const ctx = {
    requestId: uid(),
    tenantId: shop.id,
    actor: { type: 'shopper' as const, shopperId, tenantId: shop.id },
    log: t.platform.log,
  };
  return t.platform.services.placeOrder.place(ctx, { ...body, fromCart: false, remark: '', usePoints: false }, key);
}

/** A SKU's stock, checking on the way that its product's total still adds up to its SKUs' stock. */
const stockOf = async (skuId: number) => {
  const sku = await t.platform.knex('skus').where({ id: skuId }).first();
  const total = (await t.platform.knex('skus').where({ product_id: sku.product_id }).sum({ sum: 'stock' }))[0]?.sum;
  expect(Number((await t.platform.knex('products').where({ id: sku.product_id }).first()).total_stock)).toBe(
    Number(total),
  );
  return Number(sku.stock);
};

describe('placing orders', () => {
  it('prices on the server, reserves stock, and a retried request with the same Idempotency-Key returns the same order', async () => {
    const { skuId } = await product(10, 2590);
    const { token, addressId } = await buyer();
    const preview = (
      await t.api
        .post(url('/checkout/preview'))
        .set(bearer(token))
        .send({ items: [{ skuId, quantity: 3 }], addressId })
        .expect(200)
    ).body;
    expect(preview).toMatchObject({ itemsTotalFen: 7770, shippingFen: 0, totalFen: 7770 });
    const key = `order-${uid()}`;
    const first = await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', key)
      .send({ items: [{ skuId, quantity: 3 }], addressId })
      .expect(201);
    const retry = await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', key)
      .send({ items: [{ skuId, quantity: 3 }], addressId })
      .expect(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({
      status: 'pending_payment',
      totalFen: 7770,
      lines: [{ skuId, quantity: 3, unitPriceFen: 2590 }],
    });
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual(['placed']);
    expect(await stockOf(skuId)).toBe(7);
    await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .send({ items: [{ skuId, quantity: 1 }], addressId })
      .expect(400);
  });

  it('from the cart: only selected lines, which then leave the cart', async () => {
    const a = await product(5);
    const b = await product(5);
    const { token, addressId } = await buyer();
    await t.api.post(url('/cart/items')).set(bearer(token)).send({ skuId: a.skuId, quantity: 2 }).expect(200);
    const cart = (
      await t.api.post(url('/cart/items')).set(bearer(token)).send({ skuId: b.skuId, quantity: 1 }).expect(200)
    ).body;
    const lineB = cart.lines.find((l: { skuId: number }) => l.skuId === b.skuId).id;
    await t.api
      .put(url(`/cart/items/${lineB}`))
      .set(bearer(token))
      .send({ selected: false })
      .expect(200);
    const order = (
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `cart-${uid()}`)
        .send({ fromCart: true, addressId })
        .expect(201)
    ).body;
    expect(order.lines.map((l: { skuId: number }) => l.skuId)).toEqual([a.skuId]);
    const after = (await t.api.get(url('/cart')).set(bearer(token)).expect(200)).body;
    expect(after.lines.map((l: { skuId: number }) => l.skuId)).toEqual([b.skuId]);
  });

  it('never oversells: 12 shoppers race for 5 in stock, exactly 5 orders succeed and stock ends at 0', async () => {
    const { skuId } = await product(5);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => buyer()));
    const results = await Promise.all(
      buyers.map((b) =>
        t.api
          .post(url('/orders'))
          .set(bearer(b.token))
          .set('Idempotency-Key', `race-${uid()}`)
          .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    expect(results.every((r) => r.status < 500)).toBe(true);
    expect(await stockOf(skuId)).toBe(0);
  });

  it('places a few batches at a time and lets a bounded line wait; beyond it the answer is 503 BUSY, and nothing is taken for it', async () => {
    const { skuId } = await product(20);
    const buyers = await Promise.all(Array.from({ length: 13 }, () => buyer()));
    const shopperIds = await Promise.all(buyers.map(async (b) => shopperIdOf(b)));
    // Asked in one go: two are placed at once, ten wait in line (ORDER_PLACEMENT_CONCURRENCY 2, QUEUE 10), the thirteenth is turned away.
    const results = await Promise.allSettled(
      shopperIds.map((id, n) =>
        place(id, { items: [{ skuId, quantity: 1 }], addressId: buyers[n]!.addressId }, `busy-${uid()}`),
      ),
    );
    expect(results.slice(0, 12).every((r) => r.status === 'fulfilled')).toBe(true);
    const refused = results[12] as PromiseRejectedResult;
    expect(refused.status).toBe('rejected');
    expect(refused.reason).toMatchObject({ code: 'BUSY', status: 503, details: { retryAfterSeconds: 1 } });
    expect(await stockOf(skuId)).toBe(8);
    // Once the line is short again, the same shopper is served.
    await t.api
      .post(url('/orders'))
      .set(bearer(buyers[12]!.token))
      .set('Idempotency-Key', `busy-${uid()}`)
      .send({ items: [{ skuId, quantity: 1 }], addressId: buyers[12]!.addressId })
      .expect(201);
    expect(await stockOf(skuId)).toBe(7);
  });

  it('orders that arrive together are placed in one batch, each succeeding or failing on its own, stock going in arrival order', async () => {
    const { skuId: busy } = await product(10);
    const { skuId: scarce } = await product(3);
    const { skuId: plenty } = await product(10);
    const buyers = await Promise.all(Array.from({ length: 7 }, () => buyer()));
    const [b0, b1, a, b, c, d, e] = await Promise.all(buyers.map((x) => shopperIdOf(x)));
    const keyOfB = `batch-${uid()}`;
    // The first two are placed at once (two batches at a time); the rest arrive meanwhile and wait for one batch together.
    const results = await Promise.allSettled([
      place(b0!, { items: [{ skuId: busy, quantity: 1 }], addressId: buyers[0]!.addressId }, `batch-${uid()}`),
      place(b1!, { items: [{ skuId: busy, quantity: 1 }], addressId: buyers[1]!.addressId }, `batch-${uid()}`),
      place(a!, { items: [{ skuId: scarce, quantity: 2 }], addressId: buyers[2]!.addressId }, `batch-${uid()}`),
      place(b!, { items: [{ skuId: scarce, quantity: 1 }], addressId: buyers[3]!.addressId }, keyOfB),
      // The same shopper's retry with the same key, in the same batch: the same order, not a second one.
      place(b!, { items: [{ skuId: scarce, quantity: 1 }], addressId: buyers[3]!.addressId }, keyOfB),
      // Priced while 3 were left, but the two before it took them: sold out, and nothing taken for it.
      place(
        c!,
        {
          items: [
            { skuId: plenty, quantity: 1 },
            { skuId: scarce, quantity: 1 },
          ],
          addressId: buyers[4]!.addressId,
        },
        `batch-${uid()}`,
      ),
      // Another shopper's address.
      place(d!, { items: [{ skuId: plenty, quantity: 1 }], addressId: buyers[2]!.addressId }, `batch-${uid()}`),
      place(e!, { items: [{ skuId: plenty, quantity: 4 }], addressId: buyers[6]!.addressId }, `batch-${uid()}`),
    ]);
    const [r0, r1, ra, rb, rbAgain, rc, rd, re] = results;
    for (const r of [r0, r1, ra, rb, rbAgain, re]) expect(r!.status).toBe('fulfilled');
    const order = (r: PromiseSettledResult<{ id: number; totalFen: number; lines: unknown[] }> | undefined) =>
      (r as PromiseFulfilledResult<{ id: number; totalFen: number; lines: unknown[] }>).value;
    expect(order(rbAgain).id).toBe(order(rb).id);
    expect(order(ra)).toMatchObject({ totalFen: 2000, lines: [{ skuId: scarce, quantity: 2 }] });
    expect(order(re)).toMatchObject({ totalFen: 4000, lines: [{ skuId: plenty, quantity: 4 }] });
    expect((rc as PromiseRejectedResult).reason).toMatchObject({
      status: 409,
      details: { problems: [{ skuId: scarce, reason: 'insufficient_stock' }] },
    });
    expect((rd as PromiseRejectedResult).reason).toMatchObject({ status: 404 });
    expect(await stockOf(scarce)).toBe(0);
    expect(await stockOf(plenty)).toBe(6);
    expect(await stockOf(busy)).toBe(8);
    // One order per placed ask, each with its lines and its first event, and a payment window each.
    const ids = [r0, r1, ra, rb, re].map((r) => order(r).id);
    expect(await t.platform.knex('orders').whereIn('id', ids).count({ n: '*' })).toEqual([{ n: 5 }]);
    expect(
      await t.platform.knex('order_events').whereIn('order_id', ids).where({ type: 'placed' }).count({ n: '*' }),
    ).toEqual([{ n: 5 }]);
    expect(
      await t.platform.knex('orders').where({ tenant_id: shop.id }).whereIn('shopper_id', [c!, d!]).count({ n: '*' }),
    ).toEqual([{ n: 0 }]);
    const jobs = await Promise.all(
      ids.map((id) => t.platform.queues.get('order-timeouts').getJob(`close-${shop.id}-${id}`)),
    );
    expect(jobs.every((j) => j !== undefined)).toBe(true);
  });

  it('counts the orders of one batch against the unpaid limit, and a key raced by two batches still makes one order', async () => {
    const { skuId } = await product(10);
    const x = await buyer();
    const shopperId = await shopperIdOf(x);
    const blockers = await Promise.all([buyer(), buyer()]);
    const blockerIds = await Promise.all(blockers.map((bb) => shopperIdOf(bb)));
    const results = await Promise.allSettled([
      ...blockers.map((bb, n) =>
        place(blockerIds[n]!, { items: [{ skuId, quantity: 1 }], addressId: bb.addressId }, `limit-${uid()}`),
      ),
      // ORDER_MAX_UNPAID is 3: of four new orders in one batch, the fourth is refused.
      ...Array.from({ length: 4 }, () =>
        place(shopperId, { items: [{ skuId, quantity: 1 }], addressId: x.addressId }, `limit-${uid()}`),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((results[5] as PromiseRejectedResult).reason).toMatchObject({
      status: 409,
      details: { reason: 'too_many_unpaid' },
    });
    expect(await stockOf(skuId)).toBe(5);

    // Two requests with one key while the line is idle: each starts a batch of its own, both pass the
    // check for the key, one writes the order and the other answers with it.
    const y = await buyer();
    const yId = await shopperIdOf(y);
    const key = `race-${uid()}`;
    const [first, second] = await Promise.all(
      [0, 1].map(() => place(yId, { items: [{ skuId, quantity: 2 }], addressId: y.addressId }, key)),
    );
    expect(second!.id).toBe(first!.id);
    expect(await t.platform.knex('orders').where({ tenant_id: shop.id, shopper_id: yId }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
    expect(await stockOf(skuId)).toBe(3);
  });

  it('refuses what is not for sale, more than the stock, an address of another shopper, and too many unpaid orders', async () => {
    const { skuId, productId } = await product(2);
    const { token, addressId } = await buyer();
    const short = await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', `x-${uid()}`)
      .send({ items: [{ skuId, quantity: 3 }], addressId })
      .expect(409);
    expect(short.body.error.details.problems[0]).toMatchObject({ skuId, reason: 'insufficient_stock', stockLeft: 2 });
    const other = await buyer();
    const notMine = await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', `x-${uid()}`)
      .send({ items: [{ skuId, quantity: 1 }], addressId: other.addressId })
      .expect(404);
    // A 404 says what was not found, for the shop to say it in the shopper's language.
    expect(notMine.body.error).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'ADDRESS_NOT_FOUND',
      message: 'Address not found',
    });
    for (let i = 0; i < 2; i++)
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `u-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId })
        .expect(201);
    const { skuId: more } = await product(5);
    await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', `u-${uid()}`)
      .send({ items: [{ skuId: more, quantity: 1 }], addressId })
      .expect(201);
    const fourth = await t.api
      .post(url('/orders'))
      .set(bearer(token))
      .set('Idempotency-Key', `u-${uid()}`)
      .send({ items: [{ skuId: more, quantity: 1 }], addressId })
      .expect(409);
    expect(fourth.body.error.details.reason).toBe('too_many_unpaid');
    await t.api
      .post('/merchant-api/v1/catalog/products/batch')
      .set(bearer(merchant))
      .send({ ids: [productId], action: 'off_sale' })
      .expect(200);
    const { token: t2, addressId: a2 } = await buyer();
    const offSale = await t.api
      .post(url('/orders'))
      .set(bearer(t2))
      .set('Idempotency-Key', `x-${uid()}`)
      .send({
        items: [
          { skuId: more, quantity: 1 },
          { skuId, quantity: 1 },
        ],
        addressId: a2,
      })
      .expect(409);
    expect(offSale.body.error.details.problems).toEqual([{ skuId, reason: 'not_for_sale' }]);
    expect(await stockOf(more)).toBe(4);
  });
});

describe('cancelling and the payment window', () => {
  it('a cancelled order returns its stock once', async () => {
    const { skuId } = await product(4);
    const { token, addressId } = await buyer();
    const order = (
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `c-${uid()}`)
        .send({ items: [{ skuId, quantity: 3 }], addressId })
        .expect(201)
    ).body;
    expect(await stockOf(skuId)).toBe(1);
    const cancelled = (
      await t.api
        .post(url(`/orders/${order.id}/cancel`))
        .set(bearer(token))
        .send({})
        .expect(200)
    ).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '买家取消' });
    await t.api
      .post(url(`/orders/${order.id}/cancel`))
      .set(bearer(token))
      .send({})
      .expect(200);
    expect(await stockOf(skuId)).toBe(4);
    expect(cancelled.events.map((e: { type: string }) => e.type)).toEqual(['placed', 'cancelled']);
  });

  it('an unpaid order closes when its window ends (the job and the sweeper), returning its stock', async () => {
    const { skuId } = await product(3);
    const { token, addressId } = await buyer();
    const order = (
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `w-${uid()}`)
        .send({ items: [{ skuId, quantity: 2 }], addressId })
        .expect(201)
    ).body;
    const ctx = {
      requestId: 't',
      tenantId: shop.id,
      actor: { type: 'system' as const, job: 't' },
      log: t.platform.log,
    };
    expect(await t.platform.services.cancelOrder.closeIfExpired(ctx, order.id)).toBe(false);
    const later = new Date(Date.parse(order.paymentDeadline) + 1000);
    expect(await t.platform.services.cancelOrder.sweep(ctx, later)).toBeGreaterThanOrEqual(1);
    const closed = (
      await t.api
        .get(url(`/orders/${order.id}`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(closed).toMatchObject({ status: 'cancelled', cancelReason: '超时未支付' });
    expect(await stockOf(skuId)).toBe(3);
    expect(await t.platform.services.cancelOrder.closeIfExpired(ctx, order.id, later)).toBe(false);
  });
});

describe('isolation', () => {
  it("another shopper cannot read or cancel an order; another shop's token is refused", async () => {
    const { skuId } = await product(2);
    const { token, addressId } = await buyer();
    const order = (
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `i-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId })
        .expect(201)
    ).body;
    const stranger = await buyer();
    await t.api
      .get(url(`/orders/${order.id}`))
      .set(bearer(stranger.token))
      .expect(404);
    await t.api
      .post(url(`/orders/${order.id}/cancel`))
      .set(bearer(stranger.token))
      .send({})
      .expect(404);
    expect((await t.api.get(url('/orders')).set(bearer(stranger.token)).expect(200)).body.total).toBe(0);
    const otherShop = await createShop(t);
    const foreign = (await shopperLogin(t, otherShop.slug)).accessToken;
    await t.api
      .get(url(`/orders/${order.id}`))
      .set(bearer(foreign))
      .expect(403);
    const second = (
      await t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `i-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId })
        .expect(201)
    ).body;
    const mine = (await t.api.get(url('/orders')).set(bearer(token)).expect(200)).body;
    expect(mine.total).toBe(2);
    expect(
      mine.items.map((o: { id: number; lines: Array<{ skuId: number }>; events: unknown[] }) => [
        o.id,
        o.lines.map((l) => l.skuId),
        o.events.length,
      ]),
    ).toEqual([
      [second.id, [skuId], 1],
      [order.id, [skuId], 1],
    ]);
    const cancelledOnly = (await t.api.get(url('/orders?status=cancelled')).set(bearer(token)).expect(200)).body;
    expect(cancelledOnly.total).toBe(0);
  });
});

describe('what the client cannot decide', () => {
  it('refuses a price or total sent by the client, bad quantities and SKUs of another shop, writing nothing', async () => {
    const { skuId } = await product(5, 1000);
    const { token, addressId } = await buyer();
    const count = async () =>
      Number((await t.platform.knex('orders').where({ tenant_id: shop.id }).count({ n: '*' }))[0]!.n);
    const before = await count();
    const send = (body: unknown) =>
      t.api
        .post(url('/orders'))
        .set(bearer(token))
        .set('Idempotency-Key', `bad-${uid()}`)
        .send(body as object);
    await send({ items: [{ skuId, quantity: 1, priceFen: 1 }], addressId }).expect(400);
    await send({ items: [{ skuId, quantity: 1 }], addressId, totalFen: 1 }).expect(400);
    await send({ items: [{ skuId, quantity: 0 }], addressId }).expect(400);
    await send({ items: [{ skuId, quantity: -2 }], addressId }).expect(400);
    await send({ items: [{ skuId, quantity: 100 }], addressId }).expect(400);
    await send({ items: [{ skuId, quantity: 1.5 }], addressId }).expect(400);
    // A SKU of another shop is simply not for sale here.
    const other = await createShop(t);
    const otherMerchant = (await merchantLogin(t, other.owner)).accessToken;
    const { leaf: otherLeaf } = await branch(t, otherMerchant, '别家');
    const foreignProduct = await createProduct(
      t,
      otherMerchant,
      productInput(otherLeaf, { title: `别家${uid()}`, specs: [], skus: [{ specValues: [], priceFen: 1, stock: 5 }] }),
    );
    const foreignSku = (
      await t.api.get(`/merchant-api/v1/catalog/products/${foreignProduct}`).set(bearer(otherMerchant))
    ).body.skus[0].id as number;
    const refused = await send({ items: [{ skuId: foreignSku, quantity: 1 }], addressId }).expect(409);
    expect(refused.body.error.details.problems).toEqual([{ skuId: foreignSku, reason: 'not_for_sale' }]);
    expect(await count()).toBe(before);
    // What is charged is the server's price, whatever the client saw.
    const placed = (await send({ items: [{ skuId, quantity: 2 }], addressId }).expect(201)).body;
    expect(placed).toMatchObject({ itemsTotalFen: 2000, totalFen: 2000 });
  });
});
