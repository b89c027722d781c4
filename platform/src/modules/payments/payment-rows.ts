import type { Refund } from '@shopfleet/contracts';
import type { OrderPayment } from '../orders';
import type { PaymentRecord, RefundRecord } from './payments.repository';

/** A refund as the API shows it; why it failed as a code with params. */
export function refundView(r: RefundRecord): Refund {
  return {
    id: r.id,
    refundNo: r.refundNo,
    amountFen: r.amountFen,
    reason: r.reason,
    kind: r.kind,
    status: r.status,
    failure: r.failure,
    createdAt: r.createdAt.toISOString(),
    succeededAt: r.succeededAt ? r.succeededAt.toISOString() : null,
  };
}

/** A payment as the order it paid shows it; null for one that never paid. */
export function orderPaymentView(p: PaymentRecord): OrderPayment | null {
  if (!p.paidAt) return null;
  return {
    paymentNo: p.paymentNo,
    provider: p.provider,
    method: p.method,
    amountFen: p.amountFen,
    transactionId: p.transactionId,
    paidAt: p.paidAt.toISOString(),
  };
}
