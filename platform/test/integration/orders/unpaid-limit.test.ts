import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, product, sellingShop, type SellingShop } from '../../helpers/orders';

// Two API processes on one database: `one` places orders as configured by default (a few batches at a
// time), `many` places every order in a batch of its own, twenty batches at once.
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

type Buyer = Awaited<ReturnType<typeof buyer>>;

/** Sends `n` orders of one shopper at once, to the given processes in turn. */
async function rush(via: TestPlatform[], b: Buyer, skuId: number, n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      via[i % via.length]!.api.post(s.url('/orders'))
        .set(bearer(b.token))
        .set('Idempotency-Key', `rush-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId: b.addressId }),
    ),
  );
}

const unpaidOf = async (shopperId: number) =>
  Number(
    (
      await one.platform
        .knex('orders')
        .where({ tenant_id: s.shop.id, shopper_id: shopperId, status: 'pending_payment' })
        .count({ n: '*' })
    )[0]!.n,
  );

describe('the unpaid-order limit (ORDER_MAX_UNPAID 5) under concurrency', () => {
  it.each([
    ['one process, batches as configured', () => [one]],
    ['one process, twenty batches at once', () => [many]],
    ['two processes on one database', () => [one, many]],
  ])('20 orders of one shopper at once leave exactly 5 unpaid: %s', async (_name, via) => {
    const { skuId } = await product(one, s, 100);
    const b = await buyer(one, s);
    const results = await rush(via(), b, skuId, 20);
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(15);
    for (const r of refused)
      expect(r.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'too_many_unpaid' } });
    expect(await unpaidOf(b.shopperId)).toBe(5);
    // Only the five placed orders took stock.
    expect(Number((await one.platform.knex('skus').where({ id: skuId }).first()).stock)).toBe(95);
  });

  it('a place is released when an order is paid, cancelled or closed, and the limit still holds after', async () => {
    const { skuId } = await product(one, s, 100);
    const b = await buyer(one, s);
    const placed = (await rush([one, many], b, skuId, 8))
      .filter((r) => r.status === 201)
      .map((r) => r.body as { id: number; paymentDeadline: string });
    expect(placed).toHaveLength(5);

    await paySandbox(one, s, b.token, placed[0]!.id);
    await one.api
      .post(s.url(`/orders/${placed[1]!.id}/cancel`))
      .set(bearer(b.token))
      .send({})
      .expect(200);
    const ctx = {
      requestId: 't',
      tenantId: s.shop.id,
      actor: { type: 'system' as const, job: 't' },
      log: one.platform.log,
    };
    expect(
      await one.platform.services.cancelOrder.closeIfExpired(
        ctx,
        placed[2]!.id,
        new Date(Date.parse(placed[2]!.paymentDeadline) + 1000),
      ),
    ).toBe(true);
    await one.api
      .post(`/merchant-api/v1/orders/${placed[3]!.id}/cancel`)
      .set(bearer(s.merchant))
      .send({ reason: '缺货' })
      .expect(200);
    expect(await unpaidOf(b.shopperId)).toBe(1);

    // Four places are free again, and no more than four are taken however many are asked at once.
    const again = await rush([one, many], b, skuId, 12);
    expect(again.filter((r) => r.status === 201)).toHaveLength(4);
    expect(await unpaidOf(b.shopperId)).toBe(5);
  });
});
