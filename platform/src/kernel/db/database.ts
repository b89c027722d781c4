import type { Knex } from 'knex';
import type { RequestContext, TenantContext } from '../context';
import { TenantScope } from './tenant-scope';

/** Where a context keeps the transaction its work runs in: not a field anyone sets by hand. */
const TRANSACTION = Symbol('transaction');

type InTransaction = { readonly [TRANSACTION]?: Knex.Transaction };

/**
 * The data access that travels in the context, as Vendure's TransactionalConnection does: a service
 * opens a transaction with `db.transaction(ctx, (tctx) => …)` and hands `tctx` on; every repository call
 * made with `tctx` — in this module or another — runs in that transaction, and a transaction opened
 * with `tctx` joins it. So no method takes a transaction handle, and a service never sees knex.
 *
 * Only repositories (and the kernel) use this class; services receive repositories.
 */
export class Database {
  constructor(readonly knex: Knex) {}

  /** The connection a context's work runs on: its transaction while it is in one, else the pool. */
  conn(ctx: RequestContext): Knex | Knex.Transaction {
    return (ctx as InTransaction)[TRANSACTION] ?? this.knex;
  }

  /** The tenant's scope on the context's connection: every query it builds carries the tenant. */
  scope(ctx: TenantContext): TenantScope {
    return new TenantScope(this.conn(ctx), ctx.tenantId);
  }

  /**
   * Runs `fn` in a transaction, handing it a context that carries the transaction. A context already in
   * one runs `fn` in that same transaction (all or nothing together).
   */
  async transaction<C extends RequestContext, T>(ctx: C, fn: (tctx: C) => Promise<T>): Promise<T> {
    if ((ctx as InTransaction)[TRANSACTION]) return fn(ctx);
    return this.knex.transaction((trx) => fn({ ...ctx, [TRANSACTION]: trx }));
  }

  /**
   * Runs `fn` once the context's transaction has committed (never if it rolls back), or at once outside
   * a transaction: what must not happen for a change that did not (an email, a job for the new row).
   * `fn` gets the context without its (finished) transaction, for reads of what was committed.
   */
  async afterCommit<C extends RequestContext>(ctx: C, fn: (outside: C) => Promise<void>): Promise<void> {
    const trx = (ctx as InTransaction)[TRANSACTION];
    if (!trx) return fn(ctx);
    const { [TRANSACTION]: _done, ...outside } = ctx as C & InTransaction;
    trx.executionPromise.then(
      () => fn(outside as C).catch((err: unknown) => ctx.log.warn({ err }, 'a step after commit failed')),
      () => undefined,
    );
  }

  /** Whether the context's work runs in a transaction (for code that must not, such as a call to a provider). */
  inTransaction(ctx: RequestContext): boolean {
    return Boolean((ctx as InTransaction)[TRANSACTION]);
  }
}

/** What a service may do with the data layer itself: open a transaction that travels in the context, and wait for its commit. */
export type Transactions = Pick<Database, 'transaction' | 'afterCommit'>;
