import type { Knex } from 'knex';
import type { TenantContext } from '../../kernel/context';
import { contextScope } from '../../kernel/db/database';
import { shiftedBy } from '../../kernel/db/rows';

/** A SKU's stock as locked for a change: its product, and how many are left. */
export interface LockedStock {
  productId: number;
  stock: number;
}

/**
 * Stock: the only code that moves `skus.stock` and `products.total_stock`. Every call runs in the
 * caller's transaction (the context carries it): an order locks the SKUs it takes from, in id order —
 * as every stock change does, so that concurrent orders and cancels queue rather than deadlock — then
 * takes what fits, all in one statement per table.
 */
export function stockService(deps: { knex: Knex }) {
  return {
    /** Locks the SKUs, in id order, until the transaction ends; returns what each has left. */
    async lock(ctx: TenantContext, skuIds: number[]): Promise<Map<number, LockedStock>> {
      const ids = [...new Set(skuIds)].sort((a, b) => a - b);
      if (ids.length === 0) return new Map();
      const rows = (await contextScope(deps.knex, ctx).table('skus').whereIn('id', ids).orderBy('id').forUpdate().select('id', 'product_id', 'stock')) as Array<{ id: number; product_id: number; stock: number }>;
      return new Map(rows.map((s) => [Number(s.id), { productId: Number(s.product_id), stock: Number(s.stock) }]));
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
      const scope = contextScope(deps.knex, ctx);
      await scope.table('skus').whereIn('id', [...perSku.keys()]).update({ stock: shiftedBy(deps.knex, 'stock', 'id', '-', perSku) });
      await scope.table('products').whereIn('id', [...perProduct.keys()]).update({ total_stock: shiftedBy(deps.knex, 'total_stock', 'id', '-', perProduct) });
    },

    /**
     * Gives a line's stock back to its SKU and its product's total in one statement (a join update),
     * the SKU row locked first, then its product's, as orders take them.
     */
    async giveBack(ctx: TenantContext, skuId: number, quantity: number): Promise<void> {
      const scope = contextScope(deps.knex, ctx);
      await scope
        .joinScoped(scope.table('skus', 's'), 'products', 'p', 'p.id', 's.product_id')
        .where('s.id', skuId)
        .update({ 's.stock': deps.knex.raw('?? + ?', ['s.stock', quantity]), 'p.total_stock': deps.knex.raw('?? + ?', ['p.total_stock', quantity]) });
    },
  };
}

export type StockService = ReturnType<typeof stockService>;
