import type { Server } from 'node:http';
import supertest from 'supertest';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, product, sellingShop, stockOf, type SellingShop } from '../../helpers/orders';
import { manyShoppers, templateBody } from '../../helpers/marketing';

// Two API processes on one database, each listening on its own port (one server per process, as deployed).
let one: TestPlatform;
let two: TestPlatform;
let servers: Server[];
let s: SellingShop;
beforeAll(async () => {
  // One after the other: the first migrates the worker's database.
  one = await startTestPlatform();
  two = await startTestPlatform();
  servers = [one.app.listen(0), two.app.listen(0)];
  s = await sellingShop(one);
});
afterAll(async () => {
  await Promise.all((servers ?? []).map((srv) => new Promise((r) => srv.close(r))));
  await two?.close();
  await one?.close();
});

async function template(over: Record<string, unknown>): Promise<number> {
  const res = await one.api
    .post('/merchant-api/v1/coupon-templates')
    .set(bearer(s.merchant))
    .send(templateBody(one, over))
    .expect(201);
  return res.body.id as number;
}

const claim = (via: Server, token: string, templateId: number) =>
  supertest(via)
    .post(s.url(`/coupon-templates/${templateId}/claim`))
    .set(bearer(token));

async function figures(templateId: number) {
  const rows = (await one.platform
    .knex('coupons')
    .where({ tenant_id: s.shop.id, template_id: templateId })
    .select('shopper_id', 'claim_seq')) as Array<{ shopper_id: number; claim_seq: number }>;
  const perShopper = new Map<number, number>();
  for (const r of rows) perShopper.set(Number(r.shopper_id), (perShopper.get(Number(r.shopper_id)) ?? 0) + 1);
  const tpl = await one.platform.knex('coupon_templates').where({ id: templateId }).first();
  return { rows: rows.length, issued: Number(tpl.issued), most: Math.max(0, ...perShopper.values()) };
}

describe('claims are exact under concurrency, across two processes', () => {
  it('1,000 claims at once by 200 shoppers (5 each) on a total of 100, limit 1: exactly 100 issued, none twice', async () => {
    const id = await template({ totalQuantity: 100, perShopperLimit: 1 });
    const shoppers = await manyShoppers(one, s.shop.id, 200);
    const results = await Promise.all(
      shoppers.flatMap((sh, i) => Array.from({ length: 5 }, (_, k) => claim(servers[(i + k) % 2]!, sh.token, id))),
    );
    const by = (status: number) => results.filter((r) => r.status === status);
    expect(by(201)).toHaveLength(100);
    expect(by(409)).toHaveLength(900);
    for (const r of by(409)) expect(['COUPON_SOLD_OUT', 'CLAIM_LIMIT_REACHED']).toContain(r.body.error.reason);
    expect(await figures(id)).toEqual({ rows: 100, issued: 100, most: 1 });
  });

  it('1,000 shoppers claim at once, once each, on a total of 100: exactly 100 issued', async () => {
    const id = await template({ totalQuantity: 100, perShopperLimit: 1 });
    const shoppers = await manyShoppers(one, s.shop.id, 1000);
    const results = await Promise.all(shoppers.map((sh, i) => claim(servers[i % 2]!, sh.token, id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(900);
    for (const r of refused) expect(r.body.error).toMatchObject({ code: 'CONFLICT', reason: 'COUPON_SOLD_OUT' });
    expect(await figures(id)).toEqual({ rows: 100, issued: 100, most: 1 });
  });

  it('50 claims at once by one shopper with limit 3 (plenty left): exactly 3, seqs 1–3', async () => {
    const id = await template({ totalQuantity: 1000, perShopperLimit: 3 });
    const [me] = await manyShoppers(one, s.shop.id, 1);
    const results = await Promise.all(Array.from({ length: 50 }, (_, k) => claim(servers[k % 2]!, me!.token, id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.error).toMatchObject({ reason: 'CLAIM_LIMIT_REACHED', params: { limit: 3 } });
    expect(await figures(id)).toEqual({ rows: 3, issued: 3, most: 3 });
    const seqs = await one.platform
      .knex('coupons')
      .where({ tenant_id: s.shop.id, template_id: id })
      .orderBy('claim_seq')
      .pluck('claim_seq');
    expect(seqs.map(Number)).toEqual([1, 2, 3]);
  });
});

describe('a coupon is used by exactly one order, across two processes', () => {
  it('8 orders at once with one coupon, through both processes: one is placed with it, the others refused, stock taken once', async () => {
    const id = await template({ kind: 'no_threshold', thresholdFen: 0, amountOffFen: 300 });
    const me = await buyer(one, s);
    const coupon = (await claim(servers[0]!, me.token, id).expect(201)).body.id as number;
    const item = await product(one, s, 50, 2_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, k) =>
        supertest(servers[k % 2]!)
          .post(s.url('/orders'))
          .set(bearer(me.token))
          .set('Idempotency-Key', `coupon-race-${k}`)
          .send({ items: [{ skuId: item.skuId, quantity: 1 }], addressId: me.addressId, couponId: coupon }),
      ),
    );
    const placed = results.filter((r) => r.status === 201);
    expect(placed).toHaveLength(1);
    // Refused as used, or, for the orders past the shopper's unpaid limit, as too many unpaid: never placed.
    for (const r of results.filter((x) => x.status !== 201))
      expect(['COUPON_USED', 'TOO_MANY_UNPAID']).toContain(r.body.error.reason);
    expect(placed[0]!.body).toMatchObject({ totalFen: 1_700, discountFen: 300 });
    const row = await one.platform.knex('coupons').where({ id: coupon }).first();
    expect(row).toMatchObject({ state: 'used', order_id: placed[0]!.body.id });
    expect(await stockOf(one, item.skuId)).toBe(49);
  });
});
