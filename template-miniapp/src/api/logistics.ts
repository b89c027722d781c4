import type { OrderTracking } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** GET /shops/:shopKey/orders/:id/tracking — the parcel's route (or why there is none), its number and carrier page. */
export function getOrderTracking(orderId: number): Promise<OrderTracking> {
  return shopRequest<OrderTracking>({ method: 'GET', path: `/orders/${orderId}/tracking`, auth: true });
}
