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

describe('the commission ledger under thousands of random operations', () => {
  it('keeps each part’s sum equal to the balance, never negative, and money equal to commission earned less taken back', async () => {
    const s = await sellingShop(t);
    const k = t.platform.knex;
    const tenantId = s.shop.id;
    const ctx: TenantContext = systemCtx(t, tenantId);
    const { commission, distribution } = t.platform.services;
    await distribution.updateSettings(ctx, {
      enabled: true,
      applyMode: 'auto',
      bindMode: 'first',
      protectDays: 15,
      level1Bp: 1200,
      level2Bp: 600,
      withdrawMinFen: 10,
    });
    // Four distributors in a chain of two (d0 ← d1, d2 ← d3) and eight buyers bound among them (test data, in bulk).
    const people = await manyShoppers(t, tenantId, 12);
    const ds = people.slice(0, 4).map((p) => p.shopperId);
    const buyers = people.slice(4).map((p) => p.shopperId);
    await k('distributors').insert(
      ds.map((id) => ({ tenant_id: tenantId, shopper_id: id, status: 'approved', applied_at: new Date() })),
    );
    const bind = (shopperId: number, distributorId: number) => ({
      tenant_id: tenantId,
      shopper_id: shopperId,
      distributor_id: distributorId,
      bound_at: new Date(),
    });
    await k('distribution_bindings').insert([
      bind(ds[1]!, ds[0]!),
      bind(ds[3]!, ds[2]!),
      ...buyers.map((b, i) => bind(b, ds[i % 4]!)),
    ]);
    const asShopper = (shopperId: number): TenantContext => ({
      ...ctx,
      actor: { type: 'shopper', shopperId, tenantId },
    });
    const db = new Database(k);
    const inTx = <T>(fn: (tctx: TenantContext) => Promise<T>) => retryOnDeadlock(() => db.transaction(ctx, fn));
    const conflict = (err: unknown) => {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
    };

    const seed = Number(process.env.COMMISSION_SEED ?? Date.now() % 1_000_000);
    const pick = seeded(seed);
    let nextOrder = 7_000_000 + pick(1_000_000) * 10;
    const paid: Array<{ orderId: number; goods: number }> = [];
    const ops: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 2_000; i++) {
      const kind = pick(10);
      ops.push(async () => {
        switch (kind) {
          case 0:
          case 1:
          case 2: {
            const orderId = nextOrder++;
            const lines = Array.from({ length: 1 + pick(3) }, () => ({
              productId: 1 + pick(5),
              paidFen: 1 + pick(40_000),
            }));
            const buyer = buyers[pick(buyers.length)]!;
            await inTx((tctx) => commission.orderPaid(tctx, { orderId, shopperId: buyer, lines }));
            paid.push({ orderId, goods: lines.reduce((a, l) => a + l.paidFen, 0) });
            return;
          }
          case 3: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await inTx((tctx) => commission.orderRefunded(tctx, o.orderId, 1 + pick(o.goods)));
            return;
          }
          case 4: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await inTx((tctx) => commission.orderClosed(tctx, o.orderId, { paid: true }));
            return;
          }
          case 5:
          case 6: {
            const o = paid[pick(Math.max(1, paid.length))];
            if (o) await inTx((tctx) => commission.release(tctx, o.orderId));
            return;
          }
          case 7: {
            const d = ds[pick(ds.length)]!;
            await distribution.requestWithdrawal(asShopper(d), 10 + pick(20_000)).catch(conflict);
            return;
          }
          default: {
            const waiting = await k('withdrawals').where({ tenant_id: tenantId, status: 'requested' }).select('id');
            const w = waiting[pick(Math.max(1, waiting.length))];
            if (!w) return;
            if (pick(3) === 0) await distribution.rejectWithdrawal(ctx, Number(w.id), '随机').catch(conflict);
            else await distribution.approveWithdrawal(ctx, Number(w.id), 'manual').catch(conflict);
          }
        }
      });
    }
    for (let i = 0; i < ops.length; i += 10) await Promise.all(ops.slice(i, i + 10).map((op) => op()));

    const rows = await k('distributors').where({ tenant_id: tenantId });
    let earnedSomething = false;
    for (const d of rows) {
      const where = { tenant_id: tenantId, distributor_id: d.shopper_id };
      const [sum] = await k('commission_ledger')
        .where(where)
        .select(
          k.raw(
            'coalesce(sum(available_fen),0) a, coalesce(sum(frozen_fen),0) f, coalesce(sum(withdrawing_fen),0) w, coalesce(sum(debt_fen),0) d',
          ),
        );
      const balance = {
        a: Number(d.available_fen),
        f: Number(d.frozen_fen),
        w: Number(d.withdrawing_fen),
        d: Number(d.debt_fen),
      };
      expect({ seed, a: Number(sum.a), f: Number(sum.f), w: Number(sum.w), d: Number(sum.d) }).toEqual({
        seed,
        ...balance,
      });
      const [c] = await k('commissions')
        .where(where)
        .select(
          k.raw(
            "coalesce(sum(amount_fen - taken_back_fen),0) net, coalesce(sum(case when state = 'frozen' then amount_fen - taken_back_fen else 0 end),0) frozen, coalesce(sum(amount_fen),0) earned",
          ),
        );
      if (Number(c.earned) > 0) earnedSomething = true;
      expect(Number(c.frozen)).toBe(balance.f);
      expect(balance.f + balance.a + balance.w + Number(d.withdrawn_fen) - balance.d).toBe(Number(c.net));
      const [paidOut] = await k('withdrawals')
        .where(where)
        .where({ status: 'paid' })
        .select(k.raw('coalesce(sum(amount_fen),0) s'));
      expect(Number(paidOut.s)).toBe(Number(d.withdrawn_fen));
      expect(balance.a > 0 && balance.d > 0).toBe(false);
    }
    expect(earnedSomething).toBe(true);
    for (const c of await k('commissions').where({ tenant_id: tenantId }))
      expect(Number(c.taken_back_fen)).toBeLessThanOrEqual(Number(c.amount_fen));
  }, 120_000);
});
