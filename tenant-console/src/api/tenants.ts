import type { EndpointInput, Page, TenantDetail, TenantStatus, TenantSummary, platformApi } from '@shopfleet/contracts';
import { platformHttp, type PageQuery } from './request';

export type TenantStatusChangeBody = EndpointInput<typeof platformApi.suspendTenant>['body'];

export interface TenantListQuery extends PageQuery {
  status?: TenantStatus;
  q?: string;
}

/** GET /platform-api/v1/tenants */
export function listTenants(query: TenantListQuery, options?: { silent?: boolean }): Promise<Page<TenantSummary>> {
  return platformHttp.get<Page<TenantSummary>>('/tenants', { ...query }, options);
}

/** GET /platform-api/v1/tenants/:id: the tenant with its profile and documents. */
export function getTenant(id: number): Promise<TenantDetail> {
  return platformHttp.get<TenantDetail>(`/tenants/${id}`);
}

/** POST /platform-api/v1/tenants/:id/suspend: no new orders or releases until reinstated. */
export function suspendTenant(id: number, body: TenantStatusChangeBody): Promise<TenantDetail> {
  return platformHttp.post<TenantDetail>(`/tenants/${id}/suspend`, body);
}

/** POST /platform-api/v1/tenants/:id/reinstate */
export function reinstateTenant(id: number, body: TenantStatusChangeBody): Promise<TenantDetail> {
  return platformHttp.post<TenantDetail>(`/tenants/${id}/reinstate`, body);
}
