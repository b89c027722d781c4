import type {
  CodeUpload,
  CodeUploadKey,
  EndpointInput,
  EndpointResponse,
  MiniappRelease,
  Page,
  TenantPackage,
  WechatAuthorization,
  merchantApi,
} from '@shopfleet/contracts';
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

/** POST /merchant-api/v1/miniapp/releases/:id/retry: go on with a failed release from the step it stopped at. */
export function retryMiniappRelease(id: number): Promise<MiniappRelease> {
  return merchantHttp.post<MiniappRelease>(`/miniapp/releases/${id}/retry`);
}

export type CodeUploadKeyBody = EndpointInput<typeof merchantApi.setCodeUploadKey>['body'];
export type StartCodeUploadBody = EndpointInput<typeof merchantApi.startCodeUpload>['body'];

/** GET /merchant-api/v1/miniapp/upload-key: the AppID and key fingerprint of the shop's own code-upload key, or null. */
export function getCodeUploadKey(): Promise<CodeUploadKey | null> {
  return merchantHttp.get<CodeUploadKey | null>('/miniapp/upload-key');
}

/**
 * PUT /merchant-api/v1/miniapp/upload-key: the mini-program's AppID, code-upload key (PEM) and AppSecret,
 * for uploads with miniprogram-ci. A 409 CONFLICT when the shop is authorized to the platform, or the
 * AppID belongs to another shop; a 400 when the key is not an RSA private key.
 */
export function setCodeUploadKey(body: CodeUploadKeyBody): Promise<CodeUploadKey> {
  return merchantHttp.put<CodeUploadKey>('/miniapp/upload-key', body);
}

/** DELETE /merchant-api/v1/miniapp/upload-key: forget the key. */
export function removeCodeUploadKey(): Promise<void> {
  return merchantHttp.delete<unknown>('/miniapp/upload-key').then(() => undefined);
}

/** GET /merchant-api/v1/miniapp/code-uploads: uploads made with the shop's own key, newest first. */
export function listCodeUploads(query: PageQuery): Promise<Page<CodeUpload>> {
  return merchantHttp.get<Page<CodeUpload>>('/miniapp/code-uploads', { ...query });
}

/** POST /merchant-api/v1/miniapp/code-uploads: upload a template version (the newest when none is named) as the development version. */
export function startCodeUpload(body: StartCodeUploadBody): Promise<CodeUpload> {
  return merchantHttp.post<CodeUpload>('/miniapp/code-uploads', body);
}
