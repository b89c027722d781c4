import type { Knex } from 'knex';
import type { TenantContext } from '../../kernel/context';
import { joinTransaction } from '../../kernel/db/database';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { CatalogRepository } from './catalog.repository';

/**
 * Products' sales figures (销量 / 已售, the `sales` sort), moved by the orders module through its
 * SalesLedger port: counted when an order is paid, taken back when a paid order is cancelled or refunded
 * in full. Each move runs inside the transaction that changes the order's state, so it happens exactly
 * as often as that change does.
 */
export function salesLedger(deps: { repo: CatalogRepository; cache: VersionedCache }) {
  return {
    /** Moves sales per product inside the caller's transaction (negative quantities take them back). */
    record: (ctx: TenantContext, trx: Knex.Transaction, changes: Array<{ productId: number; quantity: number }>): Promise<void> => deps.repo.moveSales(joinTransaction(ctx, trx), changes),
    /** After commit: the shop's cached catalog reads are renewed, so the new figures show. */
    published: (ctx: TenantContext): Promise<void> => deps.cache.bump(ctx.tenantId),
  };
}

export type SalesLedgerService = ReturnType<typeof salesLedger>;
