import type {
  EndpointInput,
  EndpointResponse,
  Page,
  TemplateVersion,
  TemplateVersionShop,
  platformApi,
} from '@shopfleet/contracts';
import { platformHttp, type PageQuery } from './request';

export type CreateTemplateVersionBody = EndpointInput<typeof platformApi.createTemplateVersion>['body'];
export type TemplateVersionLog = EndpointResponse<typeof platformApi.getTemplateVersionLog>;

/** GET /platform-api/v1/templates: template versions, newest first, with how many shops have a package of each and run each. */
export function listTemplateVersions(query: PageQuery): Promise<Page<TemplateVersion>> {
  return platformHttp.get<Page<TemplateVersion>>('/templates', { ...query });
}

/**
 * POST /platform-api/v1/templates: register the template as it is now as a version and build it once
 * (no new build when its sources were built already: the version reuses that build).
 */
export function createTemplateVersion(body: CreateTemplateVersionBody): Promise<TemplateVersion> {
  return platformHttp.post<TemplateVersion>('/templates', body);
}

/** POST /platform-api/v1/templates/:id/retry: build a version whose build failed again. */
export function retryTemplateVersion(id: number): Promise<TemplateVersion> {
  return platformHttp.post<TemplateVersion>(`/templates/${id}/retry`);
}

/** GET /platform-api/v1/templates/:id/log: the build log of a version. */
export function getTemplateVersionLog(id: number): Promise<TemplateVersionLog> {
  return platformHttp.get<TemplateVersionLog>(`/templates/${id}/log`);
}

/** GET /platform-api/v1/templates/:id/shops: the shops whose mini-program runs this version now. */
export function listTemplateVersionShops(id: number, query: PageQuery): Promise<Page<TemplateVersionShop>> {
  return platformHttp.get<Page<TemplateVersionShop>>(`/templates/${id}/shops`, { ...query });
}
