import type {
  AfterSalesCase,
  AfterSalesSettings,
  AfterSalesStatus,
  EndpointInput,
  Page,
  ReturnAddress,
  ReturnAddressInput,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

export type ApproveAfterSalesBody = EndpointInput<typeof merchantApi.approveAfterSales>['body'];
export type RefuseAfterSalesBody = EndpointInput<typeof merchantApi.refuseAfterSales>['body'];
export type ReshipAfterSalesBody = EndpointInput<typeof merchantApi.reshipAfterSales>['body'];
export type AfterSalesCounts = Record<AfterSalesStatus, number>;

export interface AfterSalesListQuery extends PageQuery {
  status?: AfterSalesStatus;
}

/** GET /merchant-api/v1/after-sales: the shop's cases, newest first, of one state or all. */
export function listAfterSales(query: AfterSalesListQuery): Promise<Page<AfterSalesCase>> {
  return merchantHttp.get<Page<AfterSalesCase>>('/after-sales', { ...query });
}

/** GET /merchant-api/v1/after-sales/counts: how many cases are in each state (the 售后 menu and the list's tabs). */
export async function afterSalesCounts(options?: { silent?: boolean }): Promise<AfterSalesCounts> {
  return (await merchantHttp.get<{ counts: AfterSalesCounts }>('/after-sales/counts', undefined, options)).counts;
}

/** GET /merchant-api/v1/after-sales/:id: a case with its history. */
export function getAfterSales(id: number): Promise<AfterSalesCase> {
  return merchantHttp.get<AfterSalesCase>(`/after-sales/${id}`);
}

/** POST /merchant-api/v1/after-sales/:id/approve: a refund-only case is refunded at once; a return or an exchange waits for the goods. */
export function approveAfterSales(id: number, body: ApproveAfterSalesBody): Promise<AfterSalesCase> {
  return merchantHttp.post<AfterSalesCase>(`/after-sales/${id}/approve`, body);
}

/** POST /merchant-api/v1/after-sales/:id/refuse: a request refused, saying why (with photos). */
export function refuseAfterSales(id: number, body: RefuseAfterSalesBody): Promise<AfterSalesCase> {
  return merchantHttp.post<AfterSalesCase>(`/after-sales/${id}/refuse`, body);
}

/** POST /merchant-api/v1/after-sales/:id/receive: the goods came back; a return is refunded, an exchange waits for the replacement. */
export function receiveAfterSales(id: number): Promise<AfterSalesCase> {
  return merchantHttp.post<AfterSalesCase>(`/after-sales/${id}/receive`);
}

/** POST /merchant-api/v1/after-sales/:id/refuse-receipt: the returned goods not accepted (with photos); the case ends. */
export function refuseReceiptAfterSales(id: number, body: RefuseAfterSalesBody): Promise<AfterSalesCase> {
  return merchantHttp.post<AfterSalesCase>(`/after-sales/${id}/refuse-receipt`, body);
}

/** POST /merchant-api/v1/after-sales/:id/reship: an exchange's replacement shipped, with carrier and tracking number. */
export function reshipAfterSales(id: number, body: ReshipAfterSalesBody): Promise<AfterSalesCase> {
  return merchantHttp.post<AfterSalesCase>(`/after-sales/${id}/reship`, body);
}

/** GET /merchant-api/v1/after-sales/settings: the shop's timers, in days. */
export function getAfterSalesSettings(): Promise<AfterSalesSettings> {
  return merchantHttp.get<AfterSalesSettings>('/after-sales/settings');
}

/** PUT /merchant-api/v1/after-sales/settings: open cases keep the deadlines they have. */
export function updateAfterSalesSettings(body: AfterSalesSettings): Promise<AfterSalesSettings> {
  return merchantHttp.put<AfterSalesSettings>('/after-sales/settings', body);
}

/** GET /merchant-api/v1/return-addresses: the default first. */
export function listReturnAddresses(): Promise<ReturnAddress[]> {
  return merchantHttp.get<ReturnAddress[]>('/return-addresses');
}

/** POST /merchant-api/v1/return-addresses (201): the shop's first, or one marked so, becomes the default. */
export function createReturnAddress(body: ReturnAddressInput): Promise<ReturnAddress> {
  return merchantHttp.post<ReturnAddress>('/return-addresses', body);
}

/** PUT /merchant-api/v1/return-addresses/:id: marking it the default unmarks the other. */
export function updateReturnAddress(id: number, body: ReturnAddressInput): Promise<ReturnAddress> {
  return merchantHttp.put<ReturnAddress>(`/return-addresses/${id}`, body);
}

/** DELETE /merchant-api/v1/return-addresses/:id: removing the default hands it to the oldest left. */
export function deleteReturnAddress(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/return-addresses/${id}`);
}
