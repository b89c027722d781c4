import type { AuditQuota, BulkRelease, EndpointInput, EndpointResponse, Page, platformApi } from '@shopfleet/contracts';
import { platformHttp, type PageQuery } from './request';

export type CreateBulkReleaseBody = EndpointInput<typeof platformApi.createBulkRelease>['body'];
export type BulkReleaseTargetsQuery = EndpointInput<typeof platformApi.listBulkReleaseTargets>['query'];
export type BulkReleaseTarget = EndpointResponse<typeof platformApi.listBulkReleaseTargets>['items'][number];

/**
 * GET /platform-api/v1/releases/audit-quota: the WeChat audit quota the third-party platform has left
 * this month (one quota for all shops; the server keeps WeChat's answer for a minute). A 409 CONFLICT
 * when no shop has authorized code management yet, so WeChat cannot be asked.
 */
export function getAuditQuota(options?: { silent?: boolean }): Promise<AuditQuota> {
  return platformHttp.get<AuditQuota>('/releases/audit-quota', undefined, options);
}

/** GET /platform-api/v1/releases/bulk: bulk releases, newest first, with the progress of each phase. */
export function listBulkReleases(query: PageQuery, options?: { silent?: boolean }): Promise<Page<BulkRelease>> {
  return platformHttp.get<Page<BulkRelease>>('/releases/bulk', { ...query }, options);
}

/**
 * POST /platform-api/v1/releases/bulk: release a ready template version to the canary shops first, the
 * rest (every active shop, or the chosen shops and categories) once staff continue. A 409 CONFLICT when
 * the version is not built, a canary shop is not active, or the batch needs more audits than are left.
 */
export function createBulkRelease(body: CreateBulkReleaseBody, options?: { silent?: boolean }): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>('/releases/bulk', body, options);
}

/** GET /platform-api/v1/releases/bulk/:id: a bulk release and its progress. */
export function getBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.get<BulkRelease>(`/releases/bulk/${id}`);
}

/** GET /platform-api/v1/releases/bulk/:id/targets: the shops of a bulk release, each with its state and release. */
export function listBulkReleaseTargets(
  id: number,
  query: BulkReleaseTargetsQuery,
  options?: { silent?: boolean },
): Promise<Page<BulkReleaseTarget>> {
  return platformHttp.get<Page<BulkReleaseTarget>>(`/releases/bulk/${id}/targets`, { ...query }, options);
}

/** POST /platform-api/v1/releases/bulk/:id/continue: the canary is through (waiting): release to the rest. */
export function continueBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>(`/releases/bulk/${id}/continue`);
}

/** POST /platform-api/v1/releases/bulk/:id/pause: start no more releases (canary or rolling; those in flight carry on). */
export function pauseBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>(`/releases/bulk/${id}/pause`);
}

/** POST /platform-api/v1/releases/bulk/:id/resume: go on after a pause. */
export function resumeBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>(`/releases/bulk/${id}/resume`);
}

/** POST /platform-api/v1/releases/bulk/:id/retry: go on with a bulk release whose dispatcher failed, in the phase it was in. */
export function retryBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>(`/releases/bulk/${id}/retry`);
}

/** POST /platform-api/v1/releases/bulk/:id/stop: stop for good; the shops not started are skipped. */
export function stopBulkRelease(id: number): Promise<BulkRelease> {
  return platformHttp.post<BulkRelease>(`/releases/bulk/${id}/stop`);
}
