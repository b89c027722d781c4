import type { Page, TenantStatus, TenantSummary } from '@shopfleet/contracts';
import { platformHttp, type PageQuery } from './request';

export interface TenantListQuery extends PageQuery {
  status?: TenantStatus;
  q?: string;
}

/** GET /platform-api/v1/tenants */
export function listTenants(query: TenantListQuery): Promise<Page<TenantSummary>> {
  return platformHttp.get<Page<TenantSummary>>('/tenants', { ...query });
}

/** GET /platform-api/v1/tenants/:id */
export function getTenant(id: number): Promise<TenantSummary> {
  return platformHttp.get<TenantSummary>(`/tenants/${id}`);
}
