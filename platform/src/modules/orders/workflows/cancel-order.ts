import type { MerchantOrder, Order } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { ConflictError } from '../../../kernel/errors';
import { retryOnDeadlock } from '../../../kernel/db/retry';
import type { AuditService } from '../../audit';
import type { SalesLedgerService, StockService } from '../../catalog';
import type { PaymentsService } from '../../payments';
import type { CancelBy, OrdersService } from '../orders.service';
import type { OrderCommission, OrderFigures, OrderLifecycleOffers, OrderMembership } from '../ports';

export interface CancelOrderDeps {
  tx: Transactions;
  orders: Pick<OrdersService, 'mustBeCancellable' | 'cancel' | 'eachExpired' | 'get' | 'full'>;
  stock: Pick<StockService, 'giveBack'>;
  sales: SalesLedgerService;
  payments: Pick<PaymentsService, 'refundRemainder' | 'submitRefund' | 'closeOpenTrades'>;
  offers?: OrderLifecycleOffers;
  membership?: Pick<OrderMembership, 'orderClosed'>;
  commission?: Pick<OrderCommission, 'orderClosed'>;
  figures?: Pick<OrderFigures, 'orderRefunded'>;
  audit: AuditService;
  now?: () => Date;
}

/** Why an order closed when its payment window ended (shown on its timeline). */
const WINDOW_ENDED = '超时未支付';

/**
 * Cancelling an order, by the shopper (unpaid), the merchant (unpaid, or paid and not yet shipped) or the end of its
 * payment window:
 *
 * 1. orders: the order leaves its state, once (a second cancel finds nothing to do), and frees its unpaid place;
 * 2. marketing: its coupon comes back (a paid order's only while still valid), its campaigns stop counting it, and an
 *    unpaid 秒杀 order's units go back to its session while the session runs;
 * 3. members: the points it spent come back; a paid order's earned points and growth are taken back; distribution: a
 *    paid order's commission is taken back;
 * 4. catalog: its goods go back to stock (unless its session took them); a paid order's sales, counted when it was
 *    paid, are taken back;
 * 5. payments: a paid order's remainder is refunded (analytics: counted in the shop's figures at its time) — recorded
 *    in the same transaction, so a cancelled paid order always has its refund on record;
 * then, after commit: the refund goes to the provider, the provider trades still open are closed (so the order can no
 * longer be paid), the shop shows the new sales figures, and the merchant's cancel is audited.
 */
export function cancelOrderWorkflow(deps: CancelOrderDeps) {
  const now = deps.now ?? (() => new Date());

  async function cancel(
    ctx: TenantContext,
    orderId: number,
    by: CancelBy,
    reason: string,
    at = now(),
  ): Promise<boolean> {
    const outcome = await retryOnDeadlock(() =>
      deps.tx.transaction(ctx, async (tctx) => {
        const left = await deps.orders.cancel(tctx, orderId, by, reason, at);
        if (!left) return null;
        const wasPaid = left.from === 'paid';
        // A campaign with stock of its own (秒杀, while its session runs) takes an unpaid order's goods back itself.
        const takenBack = (await deps.offers?.orderClosed(tctx, orderId, { paid: wasPaid, at })) ?? false;
        await deps.membership?.orderClosed(tctx, orderId, { paid: wasPaid });
        await deps.commission?.orderClosed(tctx, orderId, { paid: wasPaid });
        if (!takenBack) for (const g of left.goods) await deps.stock.giveBack(tctx, g.skuId, g.quantity);
        if (wasPaid)
          await deps.sales.record(
            tctx,
            left.goods.map((g) => ({ productId: g.productId, quantity: -g.quantity })),
          );
        const refundId = wasPaid ? await deps.payments.refundRemainder(tctx, left.order, reason) : null;
        if (refundId !== null)
          await deps.figures?.orderRefunded(tctx, {
            refundId,
            orderId,
            shopperId: left.order.shopperId,
            amountFen: left.order.paidFen - left.order.refundedFen,
            at,
          });
        return { wasPaid, refundId };
      }),
    );
    if (!outcome) return false;
    if (outcome.wasPaid) await deps.sales.published(ctx);
    if (outcome.refundId !== null) await deps.payments.submitRefund(ctx, outcome.refundId);
    await deps.payments
      .closeOpenTrades(ctx, orderId)
      .catch((err: unknown) => ctx.log.warn({ err, orderId }, 'could not close the open provider trades'));
    return true;
  }

  return {
    /** The shopper cancels an unpaid order. Cancelling it again changes nothing. */
    async byShopper(ctx: TenantContext, orderId: number, reason: string): Promise<Order> {
      await deps.orders.mustBeCancellable(ctx, orderId, 'shopper');
      await cancel(ctx, orderId, 'shopper', reason);
      return deps.orders.get(ctx, orderId);
    },

    /** The merchant cancels an order not yet shipped; a paid one is refunded in full. */
    async byMerchant(ctx: TenantContext, orderId: number, reason: string): Promise<MerchantOrder> {
      if ((await deps.orders.mustBeCancellable(ctx, orderId, 'merchant')) !== 'cancelled') {
        if (!(await cancel(ctx, orderId, 'merchant', reason)))
          throw new ConflictError({ reason: 'CHANGED_MEANWHILE', message: 'The order changed meanwhile; reload it' });
        await deps.audit.record(ctx, {
          action: 'order.cancel',
          targetType: 'order',
          targetId: orderId,
          data: { reason },
        });
      }
      return deps.orders.full(ctx, orderId);
    },

    /**
     * A campaign closes an order (a group that failed, or a seat gone at the group's end): unpaid, it is cancelled; paid
     * and not shipped, cancelled and refunded in full. Once: closing it again finds nothing to do.
     */
    byCampaign: (ctx: TenantContext, orderId: number, reason: string): Promise<boolean> =>
      cancel(ctx, orderId, 'campaign', reason),

    /** Closes an order whose payment window has passed (the delayed job). Early or already closed: nothing happens. */
    closeIfExpired: (ctx: TenantContext, orderId: number, at = now()): Promise<boolean> =>
      cancel(ctx, orderId, 'timeout', WINDOW_ENDED, at),

    /** Closes every expired unpaid order of every shop: the backstop for lost delayed jobs. */
    async sweep(ctx: RequestContext, at = now()): Promise<number> {
      let closed = 0;
      await deps.orders.eachExpired(ctx, at, async (tctx, orderId) => {
        if (await cancel(tctx, orderId, 'timeout', WINDOW_ENDED, at)) closed++;
      });
      return closed;
    },
  };
}

export type CancelOrderWorkflow = ReturnType<typeof cancelOrderWorkflow>;
