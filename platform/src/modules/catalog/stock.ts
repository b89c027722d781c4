import type { TenantContext } from '../../kernel/context';
import type { CatalogRepository, LockedStock } from './catalog.repository';

export type { LockedStock } from './catalog.repository';

/**
 * Stock: the only code that moves `skus.stock` and `products.total_stock`. Every call runs in the
 * caller's transaction (the context carries it): an order locks the SKUs it takes from, in id order —
 * as every stock change does, so that concurrent orders and cancels queue rather than deadlock — then
 * takes what fits, all in one statement per table.
 */
export function stockService(deps: { repo: CatalogRepository }) {
  return {
    /** Locks the SKUs, in id order, until the transaction ends; returns what each has left. */
    lock(ctx: TenantContext, skuIds: number[]): Promise<Map<number, LockedStock>> {
      return deps.repo.lockStock(
        ctx,
        [...new Set(skuIds)].sort((a, b) => a - b),
      );
    },

    /**
     * Takes stock from SKUs locked by `lock` in this transaction — each by its own quantity — and from
     * their products' totals: one statement for the SKUs, one for the products.
     */
    async take(ctx: TenantContext, perSku: Map<number, number>, locked: Map<number, LockedStock>): Promise<void> {
      if (perSku.size === 0) return;
      const perProduct = new Map<number, number>();
      for (const [skuId, n] of perSku) {
        const productId = locked.get(skuId)!.productId;
        perProduct.set(productId, (perProduct.get(productId) ?? 0) + n);
      }
      await deps.repo.takeStock(ctx, perSku, perProduct);
    },

    /**
     * Gives a line's stock back to its SKU and its product's total in one statement (a join update),
     * the SKU row locked first, then its product's, as orders take them.
     */
    giveBack(ctx: TenantContext, skuId: number, quantity: number): Promise<void> {
      return deps.repo.giveBackStock(ctx, skuId, quantity);
    },
  };
}

export type StockService = ReturnType<typeof stockService>;
