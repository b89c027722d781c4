import type { Order, OrderStatus, PaymentMethod, RefundKind, RefundStatus } from '@shopfleet/contracts';
import { hasText, t } from '../locales';

/** An order's status as the shopper's tabs name it. */
export function orderStatusText(status: OrderStatus): string {
  return t(`order.status.${status}`);
}

/** A line under the status on the order detail. */
export function orderStatusHint(status: OrderStatus): string {
  return t(`order.hint.${status}`);
}

export function paymentMethodText(method: PaymentMethod): string {
  return t(`pay.method.${method}`);
}

export function refundStatusText(status: RefundStatus): string {
  return t(`order.refund.status.${status}`);
}

/** What a refund without a reason of the merchant's was for. */
export function refundKindText(kind: RefundKind): string {
  return t(`order.refund.kind.${kind}`);
}

type OrderEvent = Order['events'][number];

/** One timeline entry in words; event types the app does not know fall back to the status they led to. */
export function describeEvent(event: OrderEvent): string {
  const eventKey = `order.event.${event.type}`;
  if (hasText(eventKey)) return t(eventKey);
  const statusKey = `order.status.${event.toStatus}`;
  const base = hasText(statusKey) ? t(statusKey) : event.type;
  const actorKey = `order.actor.${event.actorType}`;
  return hasText(actorKey) ? t('order.eventBy', { actor: t(actorKey), event: base }) : base;
}

/** The campaign an order was placed in, as its tag says it (a flash sale); '' for an ordinary order. */
export function orderActivityText(activity: Order['activity']): string {
  return activity ? t(`order.activity.${activity.kind}`) : '';
}

/** A paid group-buy order waiting for its group to form before it ships (a closed one waits for nothing). */
export function waitsForGroup(order: Pick<Order, 'status' | 'activity'>): boolean {
  return order.status === 'paid' && order.activity?.waiting === true;
}

/** The order's lines as one short summary, e.g. "Wireless earphones and more, 3 items". */
export function linesSummary(order: Order): string {
  const count = order.lines.reduce((n, l) => n + l.quantity, 0);
  const first = order.lines[0]?.title ?? '';
  return order.lines.length > 1 ? t('order.linesSummary', { first, count }) : `${first} × ${count}`;
}

export function specText(specValues: readonly string[]): string {
  return specValues.join(' / ');
}
