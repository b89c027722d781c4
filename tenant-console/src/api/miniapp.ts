import type { EndpointInput, EndpointResponse, TenantPackage, WechatAuthorization, merchantApi } from '@shopfleet/contracts';
import { merchantHttp } from './request';

export type AuthorizationLinkBody = EndpointInput<typeof merchantApi.createWechatAuthorizationLink>['body'];
export type AuthorizationLink = EndpointResponse<typeof merchantApi.createWechatAuthorizationLink>;

/** GET /merchant-api/v1/wechat/authorization: the shop's mini-program as authorized to the platform's WeChat third-party platform. */
export function getWechatAuthorization(): Promise<WechatAuthorization> {
  return merchantHttp.get<WechatAuthorization>('/wechat/authorization');
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
