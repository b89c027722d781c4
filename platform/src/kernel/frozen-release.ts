import type { RequestContext, TenantContext } from './context';
import type { Transactions } from './db/database';
import { retryOnDeadlock } from './db/retry';

const BATCH = 500;

/** What releasing a module's frozen balances after their orders' after-sales windows needs. */
export interface FrozenRelease {
  tx: Transactions;
  /** Runs `fn` for each shop that may hold frozen balances. */
  eachShop(ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>): Promise<void>;
  /** The shop's orders with something frozen, after an order id, oldest first, at most `limit`. */
  frozenOrders(tctx: TenantContext, afterId: number, limit: number): Promise<number[]>;
  /** Of these orders, those whose after-sales window has passed, and those that closed (the order workflows'). */
  windowsPassed(tctx: TenantContext, orderIds: number[], at: Date): Promise<{ passed: number[]; closed: number[] }>;
  /** Releases an order's frozen balance (in a transaction); false when there was nothing to release. */
  release(tctx: TenantContext, orderId: number): Promise<boolean>;
  /** Takes back what a closed (paid, refunded) order earned. */
  closed(tctx: TenantContext, orderId: number): Promise<void>;
  now: () => Date;
}

/**
 * Walks each shop's orders with frozen balances (members' points, distributors' commission), oldest first, 500 at a
 * time: those whose after-sales window has passed are released, those that closed meanwhile are taken back — each order
 * in its own transaction, run again if MySQL chose it as a deadlock's victim.
 */
export async function releaseFrozen(
  f: FrozenRelease,
  ctx: RequestContext,
): Promise<{ released: number; closed: number }> {
  let released = 0;
  let closed = 0;
  const inTx = <T>(tctx: TenantContext, fn: (t: TenantContext) => Promise<T>) =>
    retryOnDeadlock(() => f.tx.transaction(tctx, fn));
  await f.eachShop(ctx, async (tctx) => {
    for (let after = 0; ;) {
      const ids = await f.frozenOrders(tctx, after, BATCH);
      if (ids.length === 0) return;
      after = ids[ids.length - 1]!;
      const due = await f.windowsPassed(tctx, ids, f.now());
      for (const id of due.passed) if (await inTx(tctx, (t) => f.release(t, id))) released++;
      for (const id of due.closed) {
        await inTx(tctx, (t) => f.closed(t, id));
        closed++;
      }
      if (ids.length < BATCH) return;
    }
  });
  return { released, closed };
}
