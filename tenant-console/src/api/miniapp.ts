import type { EndpointInput, EndpointResponse, MiniappRelease, Page, TenantPackage, WechatAuthorization, merchantApi } from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

export type AuthorizationLinkBody = EndpointInput<typeof merchantApi.createWechatAuthorizationLink>['body'];
export type AuthorizationLink = EndpointResponse<typeof merchantApi.createWechatAuthorizationLink>;
export type StartReleaseBody = EndpointInput<typeof merchantApi.startMiniappRelease>['body'];
export type PublishReleaseBody = EndpointInput<typeof merchantApi.publishMiniappRelease>['body'];

/** GET /merchant-api/v1/wechat/authorization: the shop's mini-program as authorized to the platform's WeChat third-party platform. */
export function getWechatAuthorization(options?: { silent?: boolean }): Promise<WechatAuthorization> {
  return merchantHttp.get<WechatAuthorization>('/wechat/authorization', undefined, options);
}

/**
 * POST /merchant-api/v1/wechat/authorization/link: a short-lived link to WeChat's page where the merchant
 * authorizes the platform to manage the shop's mini-program.
 */
export function createWechatAuthorizationLink(body: AuthorizationLinkBody): Promise<AuthorizationLink> {
  return merchantHttp.post<AuthorizationLink>('/wechat/authorization/link', body);
}

/**
 * GET /merchant-api/v1/miniapp/package: the shop's mini-program package of the newest template version
 * (made if missing), with a short-lived download link. A 409 CONFLICT when no template version is built yet.
 */
export function getMiniappPackage(options?: { silent?: boolean }): Promise<TenantPackage> {
  return merchantHttp.get<TenantPackage>('/miniapp/package', undefined, options);
}

/** GET /merchant-api/v1/miniapp/releases: the shop's mini-program releases, newest first, each with its steps. */
export function listMiniappReleases(query: PageQuery): Promise<Page<MiniappRelease>> {
  return merchantHttp.get<Page<MiniappRelease>>('/miniapp/releases', { ...query });
}

/** GET /merchant-api/v1/miniapp/releases/:id: one release with its steps, audit state and a fresh trial QR code link. */
export function getMiniappRelease(id: number, options?: { silent?: boolean }): Promise<MiniappRelease> {
  return merchantHttp.get<MiniappRelease>(`/miniapp/releases/${id}`, undefined, options);
}

/**
 * POST /merchant-api/v1/miniapp/releases: release a template version (the newest built one when none is
 * named) to WeChat: domains, privacy settings, commit, trial QR code, audit. A 409 CONFLICT when a release
 * is already in flight or the shop is not ready (contact phone, authorization, code management, no build).
 */
export function startMiniappRelease(body: StartReleaseBody): Promise<MiniappRelease> {
  return merchantHttp.post<MiniappRelease>('/miniapp/releases', body);
}

/**
 * POST /merchant-api/v1/miniapp/releases/:id/publish: release an audited version to all users, or to a
 * share of them first (gray release, only ever widened).
 */
export function publishMiniappRelease(id: number, body: PublishReleaseBody): Promise<MiniappRelease> {
  return merchantHttp.post<MiniappRelease>(`/miniapp/releases/${id}/publish`, body);
}

/** POST /merchant-api/v1/miniapp/releases/:id/rollback: go back to the version released before (the latest release only). */
export function rollbackMiniappRelease(id: number): Promise<MiniappRelease> {
  return merchantHttp.post<MiniappRelease>(`/miniapp/releases/${id}/rollback`);
}

/** POST /merchant-api/v1/miniapp/releases/:id/cancel: stop a release in flight (withdrawn from WeChat's audit when under review). */
export function cancelMiniappRelease(id: number): Promise<MiniappRelease> {
  return merchantHttp.post<MiniappRelease>(`/miniapp/releases/${id}/cancel`);
}
