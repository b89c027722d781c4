import type {
  BulkShipBody,
  ChangeOrderAddressBody,
  ChangeOrderPriceBody,
  EndpointInput,
  MerchantOrder,
  OrderCounts,
  OrderFlag,
  ShipReport,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp } from './request';

export type OrderCountsQuery = EndpointInput<typeof merchantApi.orderCounts>['query'];

/** GET /merchant-api/v1/orders/counts: how many orders each state tab holds under the list's other filters. */
export function orderCounts(query: OrderCountsQuery): Promise<OrderCounts> {
  return merchantHttp.get<OrderCounts>('/orders/counts', { ...query });
}

/** PUT /merchant-api/v1/orders/:id/price: a new total for an unpaid order (at least ¥0.01), with a reason. */
export function changeOrderPrice(id: number, body: ChangeOrderPriceBody): Promise<MerchantOrder> {
  return merchantHttp.put<MerchantOrder>(`/orders/${id}/price`, body);
}

/** PUT /merchant-api/v1/orders/:id/address: where an order not yet shipped goes now, at the shopper's request. */
export function changeOrderAddress(id: number, body: ChangeOrderAddressBody): Promise<MerchantOrder> {
  return merchantHttp.put<MerchantOrder>(`/orders/${id}/address`, body);
}

/** PUT /merchant-api/v1/orders/:id/remark with a flag: the merchant's flag (null: none), the remark kept as it is. */
export function flagOrder(id: number, remark: string, flag: OrderFlag | null): Promise<MerchantOrder> {
  return merchantHttp.put<MerchantOrder>(`/orders/${id}/remark`, { remark, flag });
}

/** POST /merchant-api/v1/orders/bulk-ship: several paid orders, a parcel each; what became of each. */
export function bulkShipOrders(body: BulkShipBody): Promise<ShipReport> {
  return merchantHttp.post<ShipReport>('/orders/bulk-ship', body);
}

/** POST /merchant-api/v1/orders/ship-imports: a CSV or XLSX of order numbers, carriers and tracking numbers; a report row by row. */
export function importShipments(file: Blob): Promise<ShipReport> {
  return merchantHttp.upload<ShipReport>('/orders/ship-imports', 'file', file);
}
