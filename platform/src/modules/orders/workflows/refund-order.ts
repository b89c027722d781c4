import type { MerchantOrder } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { ConflictError } from '../../../kernel/errors';
import type { AuditService } from '../../audit';
import type { SalesLedgerService, StockService } from '../../catalog';
import type { PaymentsService } from '../../payments';
import type { OrdersService } from '../orders.service';
import type { OrderCommission, OrderFigures, OrderLifecycleOffers, OrderMembership } from '../ports';

export interface RefundOrderDeps {
  tx: Transactions;
  payments: Pick<PaymentsService, 'startRefund' | 'submitRefund'>;
  orders: Pick<OrdersService, 'closeRefunded' | 'refundLines' | 'full' | 'forAfterSales'>;
  stock: Pick<StockService, 'giveBack'>;
  sales: SalesLedgerService;
  offers?: OrderLifecycleOffers;
  membership?: Pick<OrderMembership, 'orderRefunded' | 'orderClosed'>;
  commission?: Pick<OrderCommission, 'orderRefunded' | 'orderClosed'>;
  figures?: Pick<OrderFigures, 'orderRefunded'>;
  /** Units of each of the order's SKUs in open after-sales cases: a refund by line leaves them to their case. */
  spokenFor?: (ctx: TenantContext, orderId: number) => Promise<Map<number, number>>;
  /** The order was refunded in full: its open after-sales cases close (in the refund's transaction). */
  closeCases?: (ctx: TenantContext, orderId: number) => Promise<void>;
  audit: AuditService;
  now?: () => Date;
}

/** What the merchant refunds: an amount of what is left, or units of lines (each at what was paid for it). */
export type RefundAsk = { amountFen: number } | { lines: ReadonlyArray<{ skuId: number; quantity: number }> };

/**
 * The merchant refunds part or all of what is left of a paid order:
 *
 * 1. by line — orders: the units are refunded at what was paid for them, each discount's share split to the fen; when
 *    they are the last units of the order, the refund takes all that is left (the shipping fee too); catalog: units of
 *    an order not yet shipped go back to stock and out of its sales;
 * 2. payments: the refund is recorded and its amount reserved on the order, with the order's row locked (never more
 *    than is left); members: the refund takes back its share of the points and growth the order earned (a debt when
 *    they were spent); distribution: and its share of the commission (a debt when it was withdrawn); analytics: the
 *    refund counts in the shop's figures at its time;
 * 3. when it leaves nothing to refund — orders: the order closes (`refunded`); catalog: goods not yet shipped go back to
 *    stock (less the units refunded by line, back already), and the sales counted at payment are taken back; marketing: the coupon comes back if it is still valid; members: the points it spent come back;
 *    after-sales: the order's open cases close —
 *    all in the refund's transaction (a partial refund keeps the coupon used);
 * 4. after commit: the refund goes to the provider, the shop shows the new sales figures, and the refund is audited.
 */
export function refundOrderWorkflow(deps: RefundOrderDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * Units in an open after-sales case are the case's to settle: a refund by line may take only the units neither
   * refunded nor asked for (409 `LINE_IN_AFTER_SALES`), counted with the order's row locked as requests count them. A
   * case's own refund moves the case first, so its units are no longer spoken for.
   */
  async function leaveOpenCases(
    tctx: TenantContext,
    orderId: number,
    lines: ReadonlyArray<{ skuId: number; quantity: number }>,
  ): Promise<void> {
    if (!deps.spokenFor) return;
    const order = await deps.orders.forAfterSales(tctx, orderId, null, { lock: true });
    if (!order) return;
    const open = await deps.spokenFor(tctx, orderId);
    for (const w of lines) {
      const line = order.lines.find((l) => l.skuId === w.skuId);
      const asked = open.get(w.skuId) ?? 0;
      if (!line || asked === 0) continue;
      const left = Math.max(0, line.quantity - line.refundedQuantity - asked);
      if (w.quantity > left)
        throw new ConflictError({
          reason: 'LINE_IN_AFTER_SALES',
          params: { skuId: w.skuId, left },
          message: `${asked} units of SKU ${w.skuId} are in an open after-sales case; ${left} can be refunded here`,
        });
    }
  }

  /** Steps 1–3, in the context's transaction (a caller's own, when it refunds as part of its work). */
  async function inTransaction(
    tctx: TenantContext,
    orderId: number,
    ask: RefundAsk,
    reason: string,
  ): Promise<RefundOutcome> {
    let amount: number | 'rest';
    let salesMoved = false;
    if ('lines' in ask) {
      await leaveOpenCases(tctx, orderId, ask.lines);
      const byLine = await deps.orders.refundLines(tctx, orderId, ask.lines);
      amount = byLine.allRefunded ? 'rest' : byLine.amountFen;
      // Units of an order not yet shipped, refunded: they go back to stock and out of the sales now.
      if (byLine.status === 'paid') {
        for (const g of byLine.goods) await deps.stock.giveBack(tctx, g.skuId, g.quantity);
        await deps.sales.record(
          tctx,
          byLine.goods.map((g) => ({ productId: g.productId, quantity: -g.quantity })),
        );
        salesMoved = true;
      }
    } else amount = ask.amountFen;
    const refund = await deps.payments.startRefund(tctx, orderId, amount, reason);
    await deps.membership?.orderRefunded(tctx, orderId, refund.amountFen);
    await deps.commission?.orderRefunded(tctx, orderId, refund.amountFen);
    await deps.figures?.orderRefunded(tctx, {
      refundId: refund.refundId,
      orderId,
      shopperId: refund.shopperId,
      amountFen: refund.amountFen,
      at: now(),
    });
    const left = refund.leavesNothing ? await deps.orders.closeRefunded(tctx, orderId, reason) : null;
    if (left) {
      if (left.from === 'paid') for (const g of left.goods) await deps.stock.giveBack(tctx, g.skuId, g.quantity);
      await deps.sales.record(
        tctx,
        left.goods.map((g) => ({ productId: g.productId, quantity: -g.quantity })),
      );
      await deps.offers?.orderClosed(tctx, orderId, { paid: true, at: now() });
      await deps.membership?.orderClosed(tctx, orderId, { paid: true });
      await deps.commission?.orderClosed(tctx, orderId, { paid: true });
      await deps.closeCases?.(tctx, orderId);
    }
    return {
      refundId: refund.refundId,
      amountFen: refund.amountFen,
      closed: left !== null,
      salesMoved: salesMoved || left !== null,
    };
  }

  /** Step 4, once the transaction has committed: the refund goes to the provider, the shop's figures are renewed. */
  async function afterCommit(ctx: TenantContext, outcome: RefundOutcome): Promise<void> {
    if (outcome.salesMoved) await deps.sales.published(ctx);
    await deps.payments.submitRefund(ctx, outcome.refundId);
  }

  async function refundOrder(
    ctx: TenantContext,
    orderId: number,
    ask: RefundAsk,
    reason: string,
  ): Promise<MerchantOrder> {
    const outcome = await deps.tx.transaction(ctx, (tctx) => inTransaction(tctx, orderId, ask, reason));
    await afterCommit(ctx, outcome);
    await deps.audit.record(ctx, {
      action: 'order.refund',
      targetType: 'order',
      targetId: orderId,
      data: { ...ask, reason },
    });
    return deps.orders.full(ctx, orderId);
  }

  return Object.assign(refundOrder, { inTransaction, afterCommit });
}

/** What a refund did: the refund to send, what it gives back, and whether it closed the order. */
export interface RefundOutcome {
  refundId: number;
  amountFen: number;
  closed: boolean;
  /** Whether the shop's sales figures changed (to be shown after commit). */
  salesMoved: boolean;
}

export type RefundOrderWorkflow = ReturnType<typeof refundOrderWorkflow>;
