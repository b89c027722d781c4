import type {
  AfterSalesCase,
  AfterSalesQuote,
  AfterSalesRequestBody,
  AfterSalesStatus,
  CarrierCode,
  Page,
} from '@shopfleet/contracts';
import { shopRequest, shopUpload } from '../request';

export type AfterSalesCounts = { counts: Record<AfterSalesStatus, number> };

/**
 * GET /shops/:shopKey/after-sales/quote — what asking for `quantity` units of a line would refund, how many of its
 * units can still be asked for, and the kinds the order takes now (none: no request possible).
 */
export function afterSalesQuote(query: { orderId: number; skuId: number; quantity: number }): Promise<AfterSalesQuote> {
  return shopRequest<AfterSalesQuote>({
    method: 'GET',
    path: '/after-sales/quote',
    query: { orderId: query.orderId, skuId: query.skuId, quantity: query.quantity },
    auth: true,
  });
}

/**
 * POST /shops/:shopKey/after-sales — ask for a refund, a return or an exchange of units of a line; the amount is the
 * server's. The Idempotency-Key is the same for every retry of one form, so a retry answers with the case it opened.
 */
export function requestAfterSales(body: AfterSalesRequestBody, idempotencyKey: string): Promise<AfterSalesCase> {
  return shopRequest<AfterSalesCase>({
    method: 'POST',
    path: '/after-sales',
    body: { ...body },
    headers: { 'Idempotency-Key': idempotencyKey },
    auth: true,
  });
}

/** GET /shops/:shopKey/after-sales — the shopper's cases, newest first, of one state when given. */
export function myAfterSales(query: {
  status?: AfterSalesStatus;
  page: number;
  pageSize: number;
}): Promise<Page<AfterSalesCase>> {
  return shopRequest<Page<AfterSalesCase>>({
    method: 'GET',
    path: '/after-sales',
    query: { status: query.status, page: query.page, pageSize: query.pageSize },
    auth: true,
  });
}

/** GET /shops/:shopKey/after-sales/counts — how many of the shopper's cases are in each state. */
export function myAfterSalesCounts(): Promise<AfterSalesCounts> {
  return shopRequest<AfterSalesCounts>({ method: 'GET', path: '/after-sales/counts', auth: true });
}

/** GET /shops/:shopKey/after-sales/:id — one of the shopper's cases with its history. */
export function getAfterSales(id: number): Promise<AfterSalesCase> {
  return shopRequest<AfterSalesCase>({ method: 'GET', path: `/after-sales/${id}`, auth: true });
}

/** POST /shops/:shopKey/after-sales/:id/cancel — withdraw a request not yet settled (requested or approved). */
export function cancelAfterSales(id: number): Promise<AfterSalesCase> {
  return shopRequest<AfterSalesCase>({ method: 'POST', path: `/after-sales/${id}/cancel`, auth: true });
}

/** POST /shops/:shopKey/after-sales/:id/ship-back — how the goods went back (an approved return or exchange). */
export function shipBackAfterSales(id: number, parcel: { carrier: CarrierCode; trackingNo: string }) {
  return shopRequest<AfterSalesCase>({
    method: 'POST',
    path: `/after-sales/${id}/ship-back`,
    body: { carrier: parcel.carrier, trackingNo: parcel.trackingNo },
    auth: true,
  });
}

/** POST /shops/:shopKey/after-sales/:id/confirm-replacement — an exchange's replacement arrived. */
export function confirmReplacement(id: number): Promise<AfterSalesCase> {
  return shopRequest<AfterSalesCase>({ method: 'POST', path: `/after-sales/${id}/confirm-replacement`, auth: true });
}

/** POST /shops/:shopKey/after-sales-photos — upload one photo for a request (JPEG, PNG or WebP), multipart field `file`. */
export function uploadAfterSalesPhoto(filePath: string): Promise<{ id: number; url: string }> {
  return shopUpload<{ id: number; url: string }>({ path: '/after-sales-photos', filePath, field: 'file', auth: true });
}
