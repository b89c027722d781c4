import type {
  AnalyticsOverview,
  AnalyticsRange,
  AnalyticsTrend,
  EndpointInput,
  PendingWork,
  TopProduct,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type DownloadedFile } from './request';

export type TopProductsQuery = EndpointInput<typeof merchantApi.analyticsTopProducts>['query'];
export type AnalyticsExportQuery = EndpointInput<typeof merchantApi.exportAnalytics>['query'];

/** GET /merchant-api/v1/analytics/overview: a range's figures and funnel, beside the range of the same length before it. */
export function getAnalyticsOverview(range: AnalyticsRange): Promise<AnalyticsOverview> {
  return merchantHttp.get<AnalyticsOverview>('/analytics/overview', { ...range });
}

/** GET /merchant-api/v1/analytics/trend: each hour of a one-day range, else each day. */
export function getAnalyticsTrend(range: AnalyticsRange): Promise<AnalyticsTrend> {
  return merchantHttp.get<AnalyticsTrend>('/analytics/trend', { ...range });
}

/** GET /merchant-api/v1/analytics/products: the products that sold most, or were viewed most, in a range. */
export function getTopProducts(query: TopProductsQuery): Promise<TopProduct[]> {
  return merchantHttp.get<TopProduct[]>('/analytics/products', { ...query });
}

/** GET /merchant-api/v1/analytics/export: the trend's days or the top products as an XLSX or CSV file. */
export function exportAnalytics(query: AnalyticsExportQuery): Promise<DownloadedFile> {
  return merchantHttp.download('/analytics/export', { ...query });
}

/**
 * GET /merchant-api/v1/pending-work: orders to ship, after-sales cases, reviews to answer, unread chats; null for a
 * list the signed-in person may not see.
 */
export function getPendingWork(options?: { silent?: boolean }): Promise<PendingWork> {
  return merchantHttp.get<PendingWork>('/pending-work', undefined, options);
}
