import type { EndpointInput, MerchantOrder, OrderSettings, Page, merchantApi } from '@shopfleet/contracts';
import { merchantHttp, type DownloadedFile, type PageQuery } from './request';

/** The filters the order list and the export share: state, a search term, and the days placed (China time). */
export type OrderFilterQuery = Omit<EndpointInput<typeof merchantApi.exportOrders>['query'], 'format'>;
export type OrderExportFormat = EndpointInput<typeof merchantApi.exportOrders>['query']['format'];
export type ShipOrderBody = EndpointInput<typeof merchantApi.shipOrder>['body'];
export type RemarkOrderBody = EndpointInput<typeof merchantApi.remarkOrder>['body'];
export type CancelOrderBody = EndpointInput<typeof merchantApi.cancelMerchantOrder>['body'];
export type RefundOrderBody = EndpointInput<typeof merchantApi.refundOrder>['body'];
export type OrderSettingsBody = EndpointInput<typeof merchantApi.updateOrderSettings>['body'];

export interface OrderListQuery extends PageQuery, OrderFilterQuery {}

/** GET /merchant-api/v1/orders: newest first, by state, placed between days, by order number, receiver or product. */
export function listMerchantOrders(query: OrderListQuery): Promise<Page<MerchantOrder>> {
  return merchantHttp.get<Page<MerchantOrder>>('/orders', { ...query });
}

/** GET /merchant-api/v1/orders/export: the filtered orders as a file, a row per order line (at most ORDER_EXPORT_MAX_ROWS). */
export function exportOrders(filters: OrderFilterQuery, format: OrderExportFormat = 'xlsx'): Promise<DownloadedFile> {
  return merchantHttp.download('/orders/export', { ...filters, format });
}

/** GET /merchant-api/v1/orders/:id: the order with its payment, shipment, refunds and timeline. */
export function getMerchantOrder(id: number, options?: { silent?: boolean }): Promise<MerchantOrder> {
  return merchantHttp.get<MerchantOrder>(`/orders/${id}`, undefined, options);
}

/** POST /merchant-api/v1/orders/:id/ship: a paid order, with carrier and tracking number (reported to WeChat for WeChat Pay orders). */
export function shipOrder(id: number, body: ShipOrderBody): Promise<MerchantOrder> {
  return merchantHttp.post<MerchantOrder>(`/orders/${id}/ship`, body);
}

/** PUT /merchant-api/v1/orders/:id/remark: the shop's own note on the order (the shopper never sees it). */
export function remarkOrder(id: number, body: RemarkOrderBody): Promise<MerchantOrder> {
  return merchantHttp.put<MerchantOrder>(`/orders/${id}/remark`, body);
}

/** POST /merchant-api/v1/orders/:id/cancel: an order not yet shipped; a paid one is refunded in full and its stock returns. */
export function cancelMerchantOrder(id: number, body: CancelOrderBody): Promise<MerchantOrder> {
  return merchantHttp.post<MerchantOrder>(`/orders/${id}/cancel`, body);
}

/** POST /merchant-api/v1/orders/:id/refunds (201): part or all of what was paid, never more than what is left. */
export function refundOrder(id: number, body: RefundOrderBody): Promise<MerchantOrder> {
  return merchantHttp.post<MerchantOrder>(`/orders/${id}/refunds`, body);
}

/** GET /merchant-api/v1/order-settings: the payment window and the days before a shipped order is confirmed. */
export function getOrderSettings(): Promise<OrderSettings> {
  return merchantHttp.get<OrderSettings>('/order-settings');
}

/** PUT /merchant-api/v1/order-settings (applies to new orders) */
export function updateOrderSettings(body: OrderSettingsBody): Promise<OrderSettings> {
  return merchantHttp.put<OrderSettings>('/order-settings', body);
}
