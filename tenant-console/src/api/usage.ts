import type {
  Page,
  PlatformFigures,
  TenantUsage,
  UsageHistory,
  UsageListQuery,
  UsageRange,
} from '@shopfleet/contracts';
import { platformHttp } from './request';

/**
 * GET /platform-api/v1/figures: the platform's figures — shops by state, sign-ups and GMV per day of the range, the
 * review queue's age, each shop's newest release by state, the WeChat audit quota.
 */
export function getPlatformFigures(range: UsageRange, options?: { silent?: boolean }): Promise<PlatformFigures> {
  return platformHttp.get<PlatformFigures>('/figures', { ...range }, options);
}

/** GET /platform-api/v1/usage: every shop's usage of a China-time day, a page sorted by a metric. */
export function listUsage(query: UsageListQuery, options?: { silent?: boolean }): Promise<Page<TenantUsage>> {
  return platformHttp.get<Page<TenantUsage>>('/usage', { ...query }, options);
}

/** GET /platform-api/v1/tenants/:id/usage: one shop's usage of each measured day of a range. */
export function getTenantUsage(id: number, range: UsageRange, options?: { silent?: boolean }): Promise<UsageHistory> {
  return platformHttp.get<UsageHistory>(`/tenants/${id}/usage`, { ...range }, options);
}
