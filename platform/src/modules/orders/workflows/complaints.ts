import {
  COMPLAINABLE_CASE_STATUSES,
  type ArbitrationDetail,
  type Complaint,
  type ComplaintBody,
  type ComplaintDecisionBody,
} from '@shopfleet/contracts';
import { shopperIdOf, type RequestContext, type TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { ConflictError, NotFoundError } from '../../../kernel/errors';
import type { AfterSalesService, ComplaintsService } from '../../after-sales';
import type { AfterSalesOrder, OrdersService } from '../orders.service';
import type { RefundOrderWorkflow, RefundOutcome } from './refund-order';

export interface ComplaintsWorkflowDeps {
  tx: Transactions;
  orders: Pick<OrdersService, 'forAfterSales' | 'quoteLines'>;
  afterSales: Pick<AfterSalesService, 'mustGet' | 'step' | 'noteRefund' | 'viewOf'>;
  complaints: Pick<ComplaintsService, 'file' | 'decide' | 'viewOf' | 'mustGet' | 'tenantOf'>;
  refundOrder: Pick<RefundOrderWorkflow, 'inTransaction' | 'afterCommit'>;
  /** A decided WeChat Pay complaint's answer to WeChat Pay, queued once the decision commits. */
  replyToWechat?: (ctx: TenantContext, complaintId: number) => Promise<void>;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** What the order has left to refund: what was paid less what was refunded (nothing before payment). */
const refundable = (o: AfterSalesOrder) => Math.max(0, o.paidFen - o.refundedFen);

/**
 * Complaints, the work that spans modules:
 *
 * - filing — orders: the order is the shopper's and was paid, and what they ask back is within what is left;
 *   after-sales: the case complained about is theirs, of that order, and refused or closed; the complaint opens (one
 *   open per order and case);
 * - the platform's decision — orders: the order's row locked (as every refund takes it); after-sales: the complaint is
 *   decided once; a refund — orders and payments (the refund workflow): the case's units by line when the decision
 *   gives exactly what they paid (the case then ends refunded), or else the amount, the order closing when nothing is
 *   left — one transaction; then the refund goes to the provider and, for a WeChat Pay complaint, the answer to WeChat
 *   Pay is queued.
 */
export function complaintsWorkflow(deps: ComplaintsWorkflowDeps) {
  async function orderOf(ctx: TenantContext, orderId: number | null, shopperId: number | null, lock = false) {
    if (orderId === null) return null;
    const order = await deps.orders.forAfterSales(ctx, orderId, shopperId, { lock });
    if (!order) throw new NotFoundError('ORDER_NOT_FOUND');
    return order;
  }

  /** What the case's units paid, when a refund of them is still possible (else null). */
  async function caseUnitsFen(ctx: TenantContext, order: AfterSalesOrder, caseId: number | null) {
    if (caseId === null) return null;
    const c = await deps.afterSales.mustGet(ctx, caseId);
    if (!(COMPLAINABLE_CASE_STATUSES as readonly string[]).includes(c.status)) return null;
    const line = order.lines.find((l) => l.skuId === c.skuId);
    if (!line || line.quantity - line.refundedQuantity < c.quantity) return null;
    return deps.orders.quoteLines(ctx, order.id, [{ skuId: c.skuId, quantity: c.quantity }]);
  }

  async function detail(ctx: RequestContext, id: number): Promise<ArbitrationDetail> {
    const { tctx, shopName } = await deps.complaints.tenantOf(ctx, id);
    const complaint = await deps.complaints.mustGet(tctx, id);
    const order = await orderOf(tctx, complaint.orderId, null);
    const theCase = complaint.caseId === null ? null : await deps.afterSales.mustGet(tctx, complaint.caseId);
    return {
      tenantId: tctx.tenantId,
      shopName,
      complaint: await deps.complaints.viewOf(tctx, complaint),
      case: theCase ? await deps.afterSales.viewOf(tctx, theCase) : null,
      order: order
        ? {
            id: order.id,
            orderNo: order.orderNo,
            status: order.status,
            payableFen: order.totalFen,
            refundedFen: order.refundedFen,
            refundableFen: refundable(order),
            caseUnitsFen: await caseUnitsFen(tctx, order, complaint.caseId),
          }
        : null,
    };
  }

  return {
    /** A shopper complains about an order, or about a case of it the merchant refused or that closed. */
    async file(ctx: TenantContext, body: ComplaintBody): Promise<Complaint> {
      const shopperId = shopperIdOf(ctx);
      const filed = await deps.tx.transaction(ctx, async (tctx) => {
        const order = (await orderOf(tctx, body.orderId, shopperId))!;
        if (order.paidFen === 0)
          throw new ConflictError({ reason: 'COMPLAINT_ORDER_UNPAID', message: 'The order was never paid' });
        if (body.requestedFen !== undefined && body.requestedFen > refundable(order))
          throw new ConflictError({
            reason: 'REFUND_TOO_LARGE',
            params: { refundableYuan: yuan(refundable(order)) },
            message: `At most ¥${yuan(refundable(order))} is left to refund`,
          });
        let caseNo: string | null = null;
        if (body.caseId !== undefined) {
          const c = await deps.afterSales.mustGet(tctx, body.caseId, shopperId);
          if (c.orderId !== order.id) throw new NotFoundError('AFTER_SALES_NOT_FOUND');
          if (!(COMPLAINABLE_CASE_STATUSES as readonly string[]).includes(c.status))
            throw new ConflictError({
              reason: 'COMPLAINT_CASE_IN_PROGRESS',
              message: 'The case is still in progress: complain once the merchant refuses it or it closes',
            });
          caseNo = c.caseNo;
        }
        return deps.complaints.file(
          tctx,
          { orderId: order.id, orderNo: order.orderNo, shopperId, caseId: body.caseId ?? null, caseNo },
          body,
        );
      });
      return deps.complaints.viewOf(ctx, filed);
    },

    detail,

    /**
     * The platform decides: a refund of an amount (at most what the order has left), or a refusal, each with its
     * reason; applied at once (the refund through the original payment) and told to both sides.
     */
    async decide(ctx: RequestContext, id: number, body: ComplaintDecisionBody): Promise<ArbitrationDetail> {
      const { tctx } = await deps.complaints.tenantOf(ctx, id);
      const complaint = await deps.complaints.mustGet(tctx, id);
      const outcome = await deps.tx.transaction(tctx, async (ttx): Promise<RefundOutcome | null> => {
        // The order row first, as every refund takes it: decisions and refunds of one order queue here.
        const order = await orderOf(ttx, complaint.orderId, null, true);
        if (body.decision === 'refuse') {
          await deps.complaints.decide(ttx, id, { decision: 'refuse', amountFen: 0, note: body.note, refundId: null });
          return null;
        }
        if (!order)
          throw new ConflictError({
            reason: 'REFUND_TOO_LARGE',
            params: { refundableYuan: yuan(0) },
            message: 'The complaint names no order of the shop to refund',
          });
        const reason = `投诉 ${complaint.complaintNo}`;
        // Refunds of one order queue on its row, so a second decision at once waits here and then finds it decided.
        if ((await deps.complaints.mustGet(ttx, id)).status !== 'open')
          throw new ConflictError({ reason: 'COMPLAINT_NOT_OPEN', message: 'This complaint was already decided' });
        const byUnits = (await caseUnitsFen(ttx, order, complaint.caseId)) === body.amountFen;
        let refund: RefundOutcome;
        if (byUnits) {
          const c = await deps.afterSales.step(ttx, complaint.caseId!, {
            event: 'arbitrateRefund',
            actor: 'platform',
            note: body.note,
          });
          refund = await deps.refundOrder.inTransaction(
            ttx,
            order.id,
            { lines: [{ skuId: c.skuId, quantity: c.quantity }] },
            reason,
          );
          await deps.afterSales.noteRefund(ttx, c.id, { refundId: refund.refundId, amountFen: refund.amountFen });
        } else refund = await deps.refundOrder.inTransaction(ttx, order.id, { amountFen: body.amountFen }, reason);
        // What was refunded: the amount, or for the order's last units all that was left of it (the shipping fee too).
        await deps.complaints.decide(ttx, id, {
          decision: 'refund',
          amountFen: refund.amountFen,
          note: body.note,
          refundId: refund.refundId,
        });
        return refund;
      });
      if (outcome) await deps.refundOrder.afterCommit(tctx, outcome);
      if (complaint.source === 'wechatpay' && deps.replyToWechat) await deps.replyToWechat(tctx, id);
      return detail(ctx, id);
    },
  };
}

export type ComplaintsWorkflow = ReturnType<typeof complaintsWorkflow>;
