import type { OrderTracking, PrintKind } from '@shopfleet/contracts';
import { merchantHttp, type DownloadedFile } from './request';

/** GET /merchant-api/v1/order-prints: packing lists or shipping labels of these orders, one PDF, a page per order. */
export function printOrders(kind: PrintKind, orderIds: number[]): Promise<DownloadedFile> {
  return merchantHttp.download('/order-prints', { kind, ids: orderIds.join(',') });
}

/** GET /merchant-api/v1/orders/:id/tracking: the parcel's route (or why there is none), its number and carrier page. */
export function getOrderTracking(id: number, options?: { silent?: boolean }): Promise<OrderTracking> {
  return merchantHttp.get<OrderTracking>(`/orders/${id}/tracking`, undefined, options);
}
