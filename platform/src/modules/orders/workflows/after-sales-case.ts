import {
  type AfterSalesCase,
  type AfterSalesKind,
  type AfterSalesQuote,
  type AfterSalesRequestBody,
} from '@shopfleet/contracts';
import { shopperIdOf, type RequestContext, type TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { ConflictError, NotFoundError } from '../../../kernel/errors';
import { isDuplicateKey } from '../../../kernel/db/rows';
import type { AfterSalesService } from '../../after-sales';
import type { TenantsService } from '../../tenants';
import type { AfterSalesOrder, OrdersService } from '../orders.service';
import type { RefundOrderWorkflow } from './refund-order';

export interface AfterSalesCaseDeps {
  tx: Transactions;
  orders: Pick<OrdersService, 'forAfterSales' | 'quoteLines'>;
  afterSales: Pick<
    AfterSalesService,
    | 'open'
    | 'openUnits'
    | 'step'
    | 'mustGet'
    | 'noteRefund'
    | 'viewOf'
    | 'approveReturn'
    | 'receiveExchange'
    | 'settingsOf'
    | 'due'
    | 'byRequestKey'
  >;
  refundOrder: Pick<RefundOrderWorkflow, 'inTransaction' | 'afterCommit'>;
  /** The shops whose deadlines the sweeper looks at. */
  tenants: Pick<TenantsService, 'forEachId'>;
  now?: () => Date;
}

const DAY_MS = 86_400_000;
const NOT_ALLOWED = {
  reason: 'AFTER_SALES_NOT_ALLOWED',
  message: 'This order does not take after-sales requests now',
} as const;

/**
 * The kinds of request an order takes now: refunds from payment, returns and exchanges once the goods went out, until
 * the shop's window after completion closes.
 */
function kindsFor(order: AfterSalesOrder, at: Date, afterCompletionDays: number): AfterSalesKind[] {
  if (order.status === 'paid') return ['refund_only'];
  if (order.status === 'shipped') return ['refund_only', 'return_refund', 'exchange'];
  if (order.status === 'completed' && order.completedAt) {
    const until = order.completedAt.getTime() + afterCompletionDays * DAY_MS;
    if (at.getTime() <= until) return ['refund_only', 'return_refund', 'exchange'];
  }
  return [];
}

/**
 * After-sales, the work that spans modules:
 *
 * - a request — orders: the order is the shopper's, takes this kind of request now, and its row is locked;
 *   after-sales: the line's units not refunded nor in an open case are enough; orders: what those units paid (their
 *   share of the discounts respected) is proposed; after-sales: the case opens — one transaction, so two requests at
 *   once never ask for more than the line has;
 * - a refund-only case agreed, and a return's goods received — after-sales: the case moves (once: a second approval
 *   finds it moved); orders and payments (the refund workflow): those units are refunded by line, at what they paid,
 *   the order closing if nothing is left; after-sales: the refund is noted — one transaction; then the refund goes to
 *   the provider.
 */
export function afterSalesCaseWorkflow(deps: AfterSalesCaseDeps) {
  const now = deps.now ?? (() => new Date());

  async function orderOf(ctx: TenantContext, orderId: number, shopperId: number, lock = false) {
    const order = await deps.orders.forAfterSales(ctx, orderId, shopperId, { lock });
    if (!order) throw new NotFoundError('ORDER_NOT_FOUND');
    return order;
  }

  /** The units of a line not yet refunded nor in an open case. */
  async function unitsLeft(ctx: TenantContext, order: AfterSalesOrder, skuId: number): Promise<number> {
    const line = order.lines.find((l) => l.skuId === skuId);
    if (!line) throw new NotFoundError('ORDER_NOT_FOUND');
    const open = (await deps.afterSales.openUnits(ctx, order.id)).get(skuId) ?? 0;
    return Math.max(0, line.quantity - line.refundedQuantity - open);
  }

  /** Refunds a case's units by line in its step's transaction, notes the refund, then sends it once committed. */
  async function refundCase(
    ctx: TenantContext,
    id: number,
    step: 'approveRefund' | 'receiveRefund',
    actor: 'merchant' | 'system' = 'merchant',
  ) {
    const { orderId } = await deps.afterSales.mustGet(ctx, id);
    const outcome = await deps.tx.transaction(ctx, async (tctx) => {
      // The order row first, as every refund takes it, then the case's step: refunds of one order queue here.
      await deps.orders.forAfterSales(tctx, orderId, null, { lock: true });
      const c = await deps.afterSales.step(tctx, id, { event: step, actor });
      const refund = await deps.refundOrder.inTransaction(
        tctx,
        c.orderId,
        { lines: [{ skuId: c.skuId, quantity: c.quantity }] },
        `售后 ${c.caseNo}`,
      );
      // What was refunded: what the units paid, or, for the order's last units, all that was left of it.
      await deps.afterSales.noteRefund(tctx, id, { refundId: refund.refundId, amountFen: refund.amountFen });
      return refund;
    });
    await deps.refundOrder.afterCommit(ctx, outcome);
  }

  /**
   * A case's step reached its deadline (the delayed job, or the sweeper): a refund-only request unanswered is approved
   * and refunded, a return or an exchange unanswered is approved to the shop's default return address; an approved return or exchange not shipped back closes; a return's goods not confirmed are refunded.
   * Early, or already moved on: nothing happens — each step is a guarded move, so running this twice is harmless.
   */
  async function timeUp(ctx: TenantContext, id: number, at = now()): Promise<boolean> {
    const c = await deps.afterSales.mustGet(ctx, id).catch(() => null);
    if (!c || !c.deadlineAt || c.deadlineAt > at) return false;
    try {
      if (c.status === 'requested' && c.kind === 'refund_only') await refundCase(ctx, id, 'approveRefund', 'system');
      else if (c.status === 'requested')
        await deps.afterSales.approveReturn(ctx, id, { note: '商家超时未处理，系统自动同意' }, 'system');
      else if (c.status === 'approved')
        await deps.afterSales.step(ctx, id, { event: 'closeUnshipped', actor: 'system', note: '超时未寄回' });
      else if (c.status === 'returned' && c.kind === 'return_refund')
        await refundCase(ctx, id, 'receiveRefund', 'system');
      else return false;
      return true;
    } catch (err) {
      // Someone took the step first (the merchant at the last minute): the case moved on, and that is its outcome.
      if (err instanceof ConflictError && err.reason === 'AFTER_SALES_STEP_NOT_ALLOWED') return false;
      // The refund cannot be made any more (the units were refunded from the order page, the order closed): the case
      // waits for the merchant, who sees why when they act on it. Nothing moved.
      if (err instanceof ConflictError) {
        ctx.log.warn({ caseId: id, reason: err.reason }, 'an after-sales deadline could not be acted on');
        return false;
      }
      throw err;
    }
  }

  return {
    /** What asking for `quantity` units of a line would refund, the units that can still be asked for, and the kinds. */
    async quote(ctx: TenantContext, q: { orderId: number; skuId: number; quantity: number }): Promise<AfterSalesQuote> {
      const order = await orderOf(ctx, q.orderId, shopperIdOf(ctx));
      const left = await unitsLeft(ctx, order, q.skuId);
      const kinds = left > 0 ? kindsFor(order, now(), (await deps.afterSales.settingsOf(ctx)).afterCompletionDays) : [];
      const amountFen =
        kinds.length && q.quantity <= left
          ? await deps.orders.quoteLines(ctx, order.id, [{ skuId: q.skuId, quantity: q.quantity }])
          : 0;
      return { amountFen, unitsLeft: left, kinds };
    },

    /**
     * The shopper asks for a refund, a return or an exchange of units of a line. With an Idempotency-Key, a retry
     * answers with the case the first request opened (two at once: the unique key decides, the loser reads the winner).
     */
    async request(ctx: TenantContext, body: AfterSalesRequestBody, requestKey?: string): Promise<AfterSalesCase> {
      const shopperId = shopperIdOf(ctx);
      const replay = async () => {
        const found = requestKey ? await deps.afterSales.byRequestKey(ctx, shopperId, requestKey) : null;
        return found ? deps.afterSales.viewOf(ctx, found) : null;
      };
      const earlier = await replay();
      if (earlier) return earlier;
      const open = () =>
        deps.tx.transaction(ctx, async (tctx) => {
          const order = await orderOf(tctx, body.orderId, shopperId, true);
          // Requests on one order queue on its row: a retry that waited here finds the case the first one opened.
          const opened = requestKey ? await deps.afterSales.byRequestKey(tctx, shopperId, requestKey) : null;
          if (opened) return opened;
          const kinds = kindsFor(order, now(), (await deps.afterSales.settingsOf(tctx)).afterCompletionDays);
          if (kinds.length === 0) throw new ConflictError(NOT_ALLOWED);
          if (!kinds.includes(body.kind))
            throw new ConflictError({
              reason: 'AFTER_SALES_KIND_NOT_ALLOWED',
              message: 'Goods not yet shipped can be refunded, not returned or exchanged',
            });
          const left = await unitsLeft(tctx, order, body.skuId);
          if (body.quantity > left)
            throw new ConflictError({
              reason: 'AFTER_SALES_UNITS_LEFT',
              params: { left },
              message: `${left} of this line can still be asked for`,
            });
          const line = order.lines.find((l) => l.skuId === body.skuId)!;
          const amountFen = await deps.orders.quoteLines(tctx, order.id, [
            { skuId: body.skuId, quantity: body.quantity },
          ]);
          return deps.afterSales.open(
            tctx,
            {
              orderId: order.id,
              orderNo: order.orderNo,
              shopperId,
              skuId: line.skuId,
              title: line.title,
              specValues: line.specValues,
              imageUrl: line.imageUrl,
              amountFen,
            },
            body,
            requestKey,
          );
        });
      try {
        return await deps.afterSales.viewOf(ctx, await open());
      } catch (err) {
        const winner = isDuplicateKey(err) ? await replay() : null;
        if (winner) return winner;
        throw err;
      }
    },

    /**
     * The merchant agrees: a refund-only case is refunded at once (by line: what those units paid); a return or an
     * exchange waits for the goods, at the return address given or the shop's default.
     */
    async approve(
      ctx: TenantContext,
      id: number,
      body: { returnAddressId?: number; note: string },
    ): Promise<AfterSalesCase> {
      const c = await deps.afterSales.mustGet(ctx, id);
      if (c.kind !== 'refund_only') return deps.afterSales.approveReturn(ctx, id, body);
      await refundCase(ctx, id, 'approveRefund');
      return deps.afterSales.viewOf(ctx, await deps.afterSales.mustGet(ctx, id));
    },

    timeUp,

    /** Every case of every shop whose deadline has passed at `at`: the backstop for lost deadline jobs. */
    async sweep(ctx: RequestContext, at = now()): Promise<number> {
      let acted = 0;
      await deps.tenants.forEachId(['active', 'suspended', 'pending_review'], async (tenantId) => {
        const tctx: TenantContext = { ...ctx, tenantId };
        for (const id of await deps.afterSales.due(tctx, at)) {
          // One case that fails never stops the others, of this shop or the next.
          const done = await timeUp(tctx, id, at).catch((err: unknown) => {
            tctx.log.error({ err, caseId: id }, 'an after-sales deadline failed');
            return false;
          });
          if (done) acted++;
        }
      });
      return acted;
    },

    /** The returned goods arrived: a 退货退款 is refunded; an exchange waits for its replacement to ship. */
    async receive(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      const c = await deps.afterSales.mustGet(ctx, id);
      if (c.kind === 'exchange') return deps.afterSales.receiveExchange(ctx, id);
      await refundCase(ctx, id, 'receiveRefund');
      return deps.afterSales.viewOf(ctx, await deps.afterSales.mustGet(ctx, id));
    },
  };
}

export type AfterSalesCaseWorkflow = ReturnType<typeof afterSalesCaseWorkflow>;
