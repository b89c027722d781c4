import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { seeded } from '../../helpers/random';
import { manyShoppers } from '../../helpers/marketing';
import { sellingShop, systemCtx } from '../../helpers/orders';
import type { TenantContext } from '../../../src/kernel/context';
import { AppError } from '../../../src/kernel/errors';
import { Database } from '../../../src/kernel/db/database';
import { retryOnDeadlock } from '../../../src/kernel/db/retry';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

describe('the points ledger under thousands of random operations', () => {
  it('keeps each part’s sum equal to the balance, the batches equal to it, and no part negative', async () => {
    const s = await sellingShop(t);
    const shoppers = (await manyShoppers(t, s.shop.id, 6)).map((x) => x.shopperId);
    const ctx: TenantContext = systemCtx(t, s.shop.id);
    const { points } = t.platform.services;
    const db = new Database(t.platform.knex);
    // As the workflows and jobs do: a transaction MySQL chose as a deadlock's victim runs again.
    const transaction = <T>(fn: (tctx: TenantContext) => Promise<T>): Promise<T> =>
      retryOnDeadlock(() => db.transaction(ctx, fn));

    const seed = Number(process.env.POINTS_SEED ?? Date.now() % 1_000_000);
    const pick = seeded(seed);
    let nextOrder = 9_000_000 + pick(1_000_000) * 10;
    const paid: Array<{ orderId: number; shopperId: number; goods: number }> = [];
    const operations: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 2_000; i++) {
      const shopperId = shoppers[pick(shoppers.length)]!;
      const kind = pick(9);
      operations.push(async () => {
        switch (kind) {
          case 0:
          case 1: {
            const orderId = nextOrder++;
            const goods = 100 + pick(50_000);
            await transaction((tctx) => points.orderPaid(tctx, { orderId, shopperId, goodsPaidFen: goods }));
            paid.push({ orderId, shopperId, goods });
            return;
          }
          case 2: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await transaction((tctx) => points.orderRefunded(tctx, o.orderId, 1 + pick(o.goods)));
            return;
          }
          case 3: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await transaction((tctx) => points.orderClosed(tctx, o.orderId, { paid: true }));
            return;
          }
          case 4: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await transaction((tctx) => points.release(tctx, o.orderId));
            return;
          }
          case 5: {
            const orderId = nextOrder++;
            await transaction(async (tctx) => {
              const left = (await points.lockForPlacement(tctx, [shopperId], t.clock.now())).get(shopperId) ?? 0;
              const use = pick(left + 1);
              if (use > 0) await points.spendForOrders(tctx, [{ orderId, shopperId, points: use }], t.clock.now());
            });
            if (pick(2) === 0) await transaction((tctx) => points.orderClosed(tctx, orderId, { paid: false }));
            return;
          }
          case 6: {
            await transaction(async (tctx) =>
              points.give(tctx, await points.lockOne(tctx, shopperId), 1 + pick(30), 'sign_in', { kind: 'sign_in' }),
            );
            return;
          }
          case 7: {
            const delta = pick(2) === 0 ? 1 + pick(500) : -(1 + pick(500));
            await transaction((tctx) => points.adjust(tctx, shopperId, delta, '随机', null)).catch((err: unknown) => {
              if (!(err instanceof AppError) || err.status !== 409) throw err;
            });
            return;
          }
          default:
            t.clock.set(new Date(t.clock.now().getTime() + pick(20) * 86_400_000).toISOString());
            await transaction((tctx) => points.expire(tctx, shopperId));
        }
      });
    }
    // Ten at a time: operations of one shopper race, as requests and jobs do.
    for (let i = 0; i < operations.length; i += 10) await Promise.all(operations.slice(i, i + 10).map((op) => op()));

    const k = t.platform.knex;
    for (const shopperId of shoppers) {
      const where = { tenant_id: s.shop.id, shopper_id: shopperId };
      const member = await k('members').where(where).first();
      const [sum] = await k('points_ledger')
        .where(where)
        .select(k.raw('coalesce(sum(available),0) a, coalesce(sum(frozen),0) f, coalesce(sum(debt),0) d'));
      const [lots] = await k('points_lots')
        .where(where)
        .select(
          k.raw(
            'coalesce(sum(case when frozen then remaining else 0 end),0) f, coalesce(sum(case when frozen then 0 else remaining end),0) a, coalesce(min(remaining),0) low',
          ),
        );
      const balance = { a: Number(member.points), f: Number(member.points_frozen), d: Number(member.points_debt) };
      expect({ seed, a: Number(sum.a), f: Number(sum.f), d: Number(sum.d) }).toEqual({ seed, ...balance });
      expect({ seed, a: Number(lots.a), f: Number(lots.f) }).toEqual({ seed, a: balance.a, f: balance.f });
      expect(Number(lots.low)).toBeGreaterThanOrEqual(0);
      expect(balance.a > 0 && balance.d > 0).toBe(false);
    }
    const orders = await k('member_orders').where({ tenant_id: s.shop.id });
    for (const o of orders) {
      expect(Number(o.points_taken_back)).toBeLessThanOrEqual(Number(o.points_earned));
      expect(Number(o.refunded_fen)).toBeLessThanOrEqual(Number(o.paid_fen));
    }
  }, 120_000);
});
