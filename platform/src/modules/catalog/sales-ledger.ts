import type { TenantContext } from '../../kernel/context';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { CatalogRepository } from './catalog.repository';

/** A product's sales moving by `quantity` (negative: taken back). */
export interface SalesChange {
  productId: number;
  quantity: number;
}

/**
 * Products' sales figures (销量 / 已售, the `sales` sort), moved by the order workflows: counted when an order is paid,
 * taken back when a paid order is cancelled or refunded in full. Each move runs in the transaction the context carries —
 * the one that changes the order's state — so it happens exactly as often as that change does.
 */
export function salesLedger(deps: { repo: CatalogRepository; cache: VersionedCache }) {
  return {
    /** Moves sales per product in the context's transaction (negative quantities take them back). */
    record: (ctx: TenantContext, changes: SalesChange[]): Promise<void> => deps.repo.moveSales(ctx, changes),
    /** After commit: the shop's cached catalog reads are renewed, so the new figures show. */
    published: (ctx: TenantContext): Promise<void> => deps.cache.bump(ctx.tenantId),
  };
}

export type SalesLedgerService = ReturnType<typeof salesLedger>;
