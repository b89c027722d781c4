import { endpoint, platformCan } from './endpoint';
import { idParamsSchema, pageOf } from './common';
import {
  platformFiguresSchema,
  tenantUsageSchema,
  usageHistorySchema,
  usageListQuerySchema,
  usageRangeSchema,
} from './usage';

const tags = ['platform: figures'];

/** The platform figures and usage endpoints of `/platform-api/v1` (composed in api.ts). */
export const usagePlatformEndpoints = {
  getPlatformFigures: endpoint({
    method: 'get',
    path: '/figures',
    summary:
      'The platform figures: shops by state, sign-ups and GMV per day of a range, the review queue, releases by state, the WeChat audit quota',
    tags,
    access: platformCan('platform:figures:read'),
    query: usageRangeSchema,
    response: platformFiguresSchema,
  }),
  listUsage: endpoint({
    method: 'get',
    path: '/usage',
    summary: "Every shop's usage of a China-time day, sorted by a metric",
    tags,
    access: platformCan('platform:figures:read'),
    query: usageListQuerySchema,
    response: pageOf(tenantUsageSchema),
  }),
  getTenantUsage: endpoint({
    method: 'get',
    path: '/tenants/:id/usage',
    summary: "One shop's usage of each day of a range",
    tags,
    access: platformCan('platform:figures:read'),
    params: idParamsSchema,
    query: usageRangeSchema,
    response: usageHistorySchema,
  }),
};
