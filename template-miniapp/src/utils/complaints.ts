import type {
  AfterSalesStatus,
  Complaint,
  ComplaintReason,
  ComplaintSide,
  ComplaintStatus,
  Order,
  OrderStatus,
} from '@shopfleet/contracts';
import { COMPLAINABLE_CASE_STATUSES, COMPLAINT_REASONS, COMPLAINT_STATUSES } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { formatFen } from './money';
import { formatDateTime } from './time';

/** The list's tabs: all complaints ('') or those of one state. */
export type ComplaintTab = '' | ComplaintStatus;
export const COMPLAINT_TABS: readonly ComplaintTab[] = ['', ...COMPLAINT_STATUSES];

export function isComplaintTab(value: string): value is ComplaintTab {
  return (COMPLAINT_TABS as readonly string[]).includes(value);
}

/** The order states a shopper may complain about the order in: it was paid (the server checks it again). */
const COMPLAINABLE_ORDER_STATUSES: readonly OrderStatus[] = ['paid', 'shipped', 'completed', 'refunded'];

export function canComplainAboutOrder(order: Pick<Order, 'status'>): boolean {
  return COMPLAINABLE_ORDER_STATUSES.includes(order.status);
}

/** A case may be taken to the platform once the merchant refused it (the request or the returned goods) or it closed. */
export function canComplainAboutCase(status: AfterSalesStatus): boolean {
  return (COMPLAINABLE_CASE_STATUSES as readonly AfterSalesStatus[]).includes(status);
}

/** What the order has left to refund: what was paid less what was refunded (the most a complaint can ask back). */
export function refundableFen(order: Pick<Order, 'payment' | 'refundedFen'>): number {
  return order.payment ? Math.max(0, order.payment.amountFen - order.refundedFen) : 0;
}

export function complaintStatusText(status: ComplaintStatus): string {
  return t(`complaint.status.${status}`);
}

export function complaintReasonText(reason: ComplaintReason): string {
  return t(`complaint.reason.${reason}`);
}

export function isComplaintReason(value: string): value is ComplaintReason {
  return (COMPLAINT_REASONS as readonly string[]).includes(value);
}

/** Who said it: the shopper, the merchant, the platform or WeChat Pay. */
export function complaintSideText(side: ComplaintSide): string {
  return t(`complaint.side.${side}`);
}

/** The line under a complaint's status: what happens next, or how it ended. */
export function complaintHint(c: Pick<Complaint, 'status' | 'decision'>): string {
  if (c.status === 'resolved' && c.decision) return t(`complaint.hint.${c.decision.decision}`);
  return t(`complaint.hint.${c.status}`);
}

/** The platform's decision in words (a refund of ¥x.xx, or refused); null before it decided. */
export function complaintDecisionView(c: Pick<Complaint, 'decision'>) {
  const d = c.decision;
  if (!d) return null;
  return {
    decision: d.decision,
    text:
      d.decision === 'refund'
        ? t('complaint.decision.refund', { amount: formatFen(d.amountFen) })
        : t('complaint.decision.refuse'),
    note: d.note,
    at: formatDateTime(d.at),
  };
}
