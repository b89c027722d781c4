import type { MerchantOrder } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import type { AuditService } from '../../audit';
import type { SalesLedgerService, StockService } from '../../catalog';
import type { PaymentsService } from '../../payments';
import type { OrdersService } from '../orders.service';

export interface RefundOrderDeps {
  tx: Transactions;
  payments: Pick<PaymentsService, 'startRefund' | 'submitRefund'>;
  orders: Pick<OrdersService, 'closeRefunded' | 'full'>;
  stock: Pick<StockService, 'giveBack'>;
  sales: SalesLedgerService;
  audit: AuditService;
}

/**
 * The merchant refunds part or all of what is left of a paid order:
 *
 * 1. payments: the refund is recorded and its amount reserved on the order, with the order's row locked (never more
 *    than is left);
 * 2. when it leaves nothing to refund — orders: the order closes (`refunded`); catalog: goods not yet shipped go back to
 *    stock, and the sales counted at payment are taken back — all in the refund's transaction;
 * 3. after commit: the refund goes to the provider, the shop shows the new sales figures, and the refund is audited.
 */
export function refundOrderWorkflow(deps: RefundOrderDeps) {
  return async function refundOrder(
    ctx: TenantContext,
    orderId: number,
    amountFen: number,
    reason: string,
  ): Promise<MerchantOrder> {
    const { refundId, closed } = await deps.tx.transaction(ctx, async (tctx) => {
      const refund = await deps.payments.startRefund(tctx, orderId, amountFen, reason);
      const left = refund.leavesNothing ? await deps.orders.closeRefunded(tctx, orderId, reason) : null;
      if (left) {
        if (left.from === 'paid') for (const g of left.goods) await deps.stock.giveBack(tctx, g.skuId, g.quantity);
        await deps.sales.record(
          tctx,
          left.goods.map((g) => ({ productId: g.productId, quantity: -g.quantity })),
        );
      }
      return { refundId: refund.refundId, closed: left !== null };
    });
    if (closed) await deps.sales.published(ctx);
    await deps.payments.submitRefund(ctx, refundId);
    await deps.audit.record(ctx, {
      action: 'order.refund',
      targetType: 'order',
      targetId: orderId,
      data: { amountFen, reason },
    });
    return deps.orders.full(ctx, orderId);
  };
}

export type RefundOrderWorkflow = ReturnType<typeof refundOrderWorkflow>;
