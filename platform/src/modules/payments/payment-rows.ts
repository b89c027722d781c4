import type { PaymentMethod, PaymentProviderName, Refund, RefundFailure, RefundKind, RefundStatus } from '@shopfleet/contracts';
import { iso, isoOrNull, parseJsonColumn } from '../../kernel/db/rows';
import type { OrderPayment } from '../orders';

/** A refund row as the API shows it; why it failed as a code with params. */
export function toRefund(r: Record<string, unknown>): Refund {
  return {
    id: Number(r.id),
    refundNo: String(r.refund_no),
    amountFen: Number(r.amount_fen),
    reason: String(r.reason),
    kind: r.kind as RefundKind,
    status: r.status as RefundStatus,
    failure: r.failure_code ? { code: r.failure_code as RefundFailure['code'], params: (parseJsonColumn(r.failure_params) as RefundFailure['params'] | null) ?? {} } : null,
    createdAt: iso(r.created_at as Date),
    succeededAt: isoOrNull(r.succeeded_at as Date | null),
  };
}

/** A payment row as the order it paid shows it; null for one that never paid. */
export function toOrderPayment(p: Record<string, unknown>): OrderPayment | null {
  if (!p.paid_at) return null;
  return {
    paymentNo: String(p.payment_no),
    provider: p.provider as PaymentProviderName,
    method: p.method as PaymentMethod,
    amountFen: Number(p.amount_fen),
    transactionId: (p.transaction_id as string | null) ?? null,
    paidAt: iso(p.paid_at as Date),
  };
}
