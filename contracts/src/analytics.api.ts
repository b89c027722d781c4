import { z } from 'zod';
import { endpoint, merchantCan, publicAccess, signedIn } from './endpoint';
import { shopParamsSchema } from './common';
import {
  analyticsExportQuerySchema,
  analyticsOverviewSchema,
  analyticsRangeSchema,
  analyticsTrendSchema,
  pendingWorkSchema,
  shopEventsBodySchema,
  shopEventsResultSchema,
  topProductSchema,
  topProductsQuerySchema,
} from './analytics';

const tags = ['merchant: data'];

/** The data endpoints of `/merchant-api/v1` (composed in api.ts). */
export const analyticsMerchantEndpoints = {
  analyticsOverview: endpoint({
    method: 'get',
    path: '/analytics/overview',
    summary: 'The figures and the funnel of a range of days (China time), beside the range just before it',
    tags,
    access: merchantCan('data:analytics:read'),
    query: analyticsRangeSchema,
    response: analyticsOverviewSchema,
  }),
  analyticsTrend: endpoint({
    method: 'get',
    path: '/analytics/trend',
    summary: 'The figures of each day of a range, or of each hour when the range is one day',
    tags,
    access: merchantCan('data:analytics:read'),
    query: analyticsRangeSchema,
    response: analyticsTrendSchema,
  }),
  analyticsTopProducts: endpoint({
    method: 'get',
    path: '/analytics/products',
    summary: 'The products that sold most (paid amount) or were viewed most in a range',
    tags,
    access: merchantCan('data:analytics:read'),
    query: topProductsQuerySchema,
    response: z.array(topProductSchema),
  }),
  exportAnalytics: endpoint({
    method: 'get',
    path: '/analytics/export',
    summary: "A data table (each day's figures, or the products) as an XLSX or CSV file",
    tags,
    access: merchantCan('data:analytics:read'),
    query: analyticsExportQuerySchema,
    response: z.string().meta({ format: 'binary' }),
  }),
  pendingWork: endpoint({
    method: 'get',
    path: '/pending-work',
    summary: 'Work waiting: orders to ship, open after-sales cases, reviews to answer, unread chats (what one may see)',
    tags,
    access: signedIn('merchant'),
    response: pendingWorkSchema,
  }),
};

/** The events endpoint of `/shop-api/v1` (composed in api.ts). */
export const analyticsShopEndpoints = {
  recordShopEvents: endpoint({
    method: 'post',
    path: '/shops/:shopKey/events',
    summary:
      "A batch of a device's page views, product views and cart adds (anonymous; a batch sent again counts once)",
    tags: ['shop: data'],
    access: publicAccess,
    params: shopParamsSchema,
    body: shopEventsBodySchema,
    response: shopEventsResultSchema,
  }),
};
