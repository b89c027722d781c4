import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { createShop } from '../../helpers/fixtures';
import { systemContext, type TenantContext } from '../../../src/kernel/context';
import { Database } from '../../../src/kernel/db/database';

let t: TestPlatform;
let db: Database;
let ctx: TenantContext;
beforeAll(async () => {
  t = await startTestPlatform();
  db = new Database(t.platform.knex);
  const shop = await createShop(t);
  ctx = { ...systemContext(t.platform.log, 'database-test', shop.id), tenantId: shop.id };
});
afterAll(() => t.close());

/** A row of a tenant-owned table, written through the context's scope. */
const addLine = (c: TenantContext, skuId: number) =>
  db.scope(c).insert('cart_items', { shopper_id: 1, sku_id: skuId, quantity: 1 });
const lines = async (skuIds: number[]) =>
  (await db.scope(ctx).table('cart_items').whereIn('sku_id', skuIds).pluck('sku_id')).map(Number).sort();

describe('the data access that travels in the context', () => {
  it('outside a transaction a context works on the pool', () => {
    expect(db.conn(ctx)).toBe(t.platform.knex);
    expect(db.inTransaction(ctx)).toBe(false);
  });

  it('what runs with the transaction’s context commits together, or not at all', async () => {
    const kept = 900_000_001;
    await db.transaction(ctx, async (tctx) => {
      expect(db.inTransaction(tctx)).toBe(true);
      expect(db.inTransaction(ctx)).toBe(false);
      await addLine(tctx, kept);
      // Another connection does not see it before the commit.
      expect(await lines([kept])).toEqual([]);
    });
    expect(await lines([kept])).toEqual([kept]);

    const lost = [900_000_002, 900_000_003];
    await expect(
      db.transaction(ctx, async (tctx) => {
        await addLine(tctx, lost[0]!);
        // A context derived from it (as handlers and services spread contexts) is still in it.
        await addLine({ ...tctx, requestId: 'derived' }, lost[1]!);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await lines(lost)).toEqual([]);
  });

  it('a transaction opened with a context already in one joins it: the inner work rolls back with the outer', async () => {
    const skuIds = [900_000_004, 900_000_005];
    await expect(
      db.transaction(ctx, async (outer) => {
        await addLine(outer, skuIds[0]!);
        await db.transaction(outer, async (inner) => {
          expect(db.conn(inner)).toBe(db.conn(outer));
          await addLine(inner, skuIds[1]!);
        });
        throw new Error('outer fails after the inner one ended');
      }),
    ).rejects.toThrow('outer fails');
    expect(await lines(skuIds)).toEqual([]);
  });

  it('a step after commit runs once the transaction committed, never for one rolled back, and at once outside one', async () => {
    const ran: string[] = [];
    await db.transaction(ctx, async (tctx) => {
      await db.afterCommit(tctx, async () => void ran.push('committed'));
      expect(ran).toEqual([]);
    });
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['committed']);

    await expect(
      db.transaction(ctx, async (tctx) => {
        await db.afterCommit(tctx, async () => void ran.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['committed']);

    await db.afterCommit(ctx, async () => void ran.push('now'));
    expect(ran).toEqual(['committed', 'now']);
  });
});
